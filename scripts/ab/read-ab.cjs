#!/usr/bin/env node
/**
 * Reading alone, for interleaved A/B pairs (docs/speed.md, "Pages as one text, and pages across
 * threads"): one range over the whole of the bench's unit-year with a built checkout's
 * sqliteReader, in a fresh process, the events handed to a fold that only looks at them. Prints one JSON line: events/s, process CPU, the
 * folding thread's CPU (/proc), RSS, the load, and a digest of what was read (equal A vs B).
 *
 *   node scripts/ab/read-ab.cjs <checkout's dist dir> <copy of a bench ledger> on|off   (on|off: the read thread, forced)
 */
const path = require('node:path')
const os = require('node:os')
const { readFileSync } = require('node:fs')
const { createHash } = require('node:crypto')
const [root, db, threadArg = 'off'] = process.argv.slice(2)
const d = (p) => require(path.join(root, p))
const { SqliteEventStore } = d('src/store/sqlite/sqlite')
const { sqliteReader } = d('src/ledger/read-path/stream-reader')
const mainThreadCpu = () => { const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (+f[11] + +f[12]) / 100 }
const main = async () => {
  const store = new SqliteEventStore(db)
  const stream = store.database.prepare('SELECT stream FROM streams ORDER BY revision DESC LIMIT 1').pluck().get()
  const reader = sqliteReader(store.database, { readThread: threadArg === 'on' })
  const load0 = os.loadavg()[0]
  const h = createHash('sha256')
  let events = 0
  let chars = 0
  const m0 = mainThreadCpu()
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await reader.range(stream, 0, Number.MAX_SAFE_INTEGER, (e) => {
    events++
    // Every 1,000th event whole, the others' fields looked at: enough to tell two readers apart while the fold costs next to nothing.
    // A build before "Rebuild, one event object" gives the recording time as its text, later ones as ms: digested as ms either way.
    if (e.revision % 1000 === 0) h.update(JSON.stringify([e.revision, e.id, e.type, e.data, e.recordedMs ?? Date.parse(e.recordedAt), e.effectiveDate, e.schemaVersion]))
    else chars += e.id.length + e.type.length + e.effectiveDate.length + (e.data === null ? 0 : 1)
  })
  h.update(String(chars))
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(c0)
  const out = { build: root, thread: threadArg, events, evps: Math.round(events / seconds), seconds: +seconds.toFixed(2), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2), mainCpuS: +(mainThreadCpu() - m0).toFixed(2), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), load: +load0.toFixed(2), digest: h.digest('hex').slice(0, 16) }
  console.log(JSON.stringify(out))
  await store.close()
}
main()
