#!/usr/bin/env node
/**
 * What the structured clone of the read thread's pages costs (docs/speed.md, "Rebuild, the page's
 * repeated strings"): every page of the bench's unit-year read with a built checkout's sqlitePages,
 * then posted through a MessageChannel within this one thread (postMessage's own serializer, as the
 * read thread's), the CPU to post them all and then to receive them all. A variant reshapes the
 * pages first (its CPU printed as `reshapeS`, the garbage collected before posting); `eventsS` is
 * the CPU of the build's own eachEvent rebuilding the events from the received pages (docs/speed.md,
 * "Rebuild, fewer elements": what a page form saves on the clone it may spend there):
 *   as-is     the pages as the read thread posts them (its typed arrays transferred)
 *   lines     the values of the `line` key sent once a page, an index in their place (a page with `values` as an array)
 *   times-ms  the recording times as a Float64Array of instants, not 24-character strings
 *
 *   node --expose-gc scripts/probes/page-clone.cjs <checkout's dist dir> <copy of a bench ledger> as-is|lines|times-ms
 */
const path = require('node:path')
const os = require('node:os')
const fs = require('node:fs')
const { MessageChannel } = require('node:worker_threads')
const [root, db, variant = 'as-is'] = process.argv.slice(2)
const d = (p) => require(path.resolve(root, p))
const { SqliteEventStore } = d('src/store/sqlite/sqlite')
const { sqlitePages } = d('src/ledger/read-path/stream-reader')
const { eachEvent, pageBuffers } = d('src/ledger/read-path/event-page')
// recording-time.js since 2026-11-29 (evening); builds before kept instantMs in time-travel.js.
const { instantMs } = fs.existsSync(path.resolve(root, 'src/ledger/fold/as-of/recording-time.js')) ? d('src/ledger/fold/as-of/recording-time') : d('src/ledger/fold/as-of/time-travel')

/** The page with each `line` value replaced by its index (negative: no value is a negative integer here) in a table sent once. */
const linesOnce = (p) => {
  const index = new Map()
  const lines = []
  const values = [...p.values]
  let v = 0
  for (let i = 0; i < p.ids.length; i++) {
    const s = p.shapeOf[i]
    if (s < 0) continue
    const keys = p.shapes[s]
    for (let k = 0; k < keys.length; k++, v++) {
      if (keys[k] !== 'line' || typeof values[v] !== 'string') continue
      let j = index.get(values[v])
      if (j === undefined) index.set(values[v], (j = lines.push(values[v]) - 1))
      values[v] = -1 - j
    }
  }
  return { ...p, values, lines }
}
const RESHAPE = { 'as-is': (p) => p, lines: linesOnce, 'times-ms': (p) => ({ ...p, recordedAt: Float64Array.from(p.recordedAt, instantMs) }) }
const cpuS = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1e6
}

const store = new SqliteEventStore(db)
const stream = store.database.prepare('SELECT stream FROM streams ORDER BY revision DESC LIMIT 1').pluck().get()
// Pages to cross (a build before the crossing form ignores the flag).
const pageOf = sqlitePages(store.database, true)
const pages = []
for (let a = 0; ; a += 1000) {
  const p = pageOf(stream, a, a + 999)
  if ((p.count ?? p.ids.length) === 0) break
  pages.push(p)
}
const r0 = cpuS()
const posted = pages.map(RESHAPE[variant])
const reshapeS = cpuS() - r0
global.gc?.()
const { port1, port2 } = new MessageChannel()
const load = os.loadavg()[0]
const c0 = cpuS()
for (const p of posted) port1.postMessage(p, variant === 'as-is' ? pageBuffers(p) : [])
const c1 = cpuS()
let received = 0
let eventsS = 0
let events = 0
port2.on('message', (page) => {
  const e0 = cpuS()
  if (variant === 'as-is') eachEvent(page, (t) => t, () => events++)
  eventsS += cpuS() - e0
  if (++received < posted.length) return
  const c2 = cpuS()
  console.log(JSON.stringify({ variant, pages: posted.length, reshapeS: +reshapeS.toFixed(3), postS: +(c1 - c0).toFixed(3), receiveS: +(c2 - c1 - eventsS).toFixed(3), eventsS: +eventsS.toFixed(3), events, load: +load.toFixed(2) }))
  port2.close()
  store.close()
})
