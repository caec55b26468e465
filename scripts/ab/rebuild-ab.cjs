#!/usr/bin/env node
/**
 * One indexed rebuild of a built checkout, in a fresh process, for interleaved A/B pairs
 * (docs/speed.md, "Rebuild, the fold in place"): BudgetYearSnapshots.stateAt of the bench's
 * unit-year with persisted snapshots off (bench-asof's indexed rebuild), then the eleven tables and
 * the 决算 tables rendered and digested, and the indicators, so two builds can be shown to answer
 * alike. Prints one JSON line: events/s, process CPU, the folding thread's CPU (/proc), every
 * thread's CPU (sampled while the rebuild runs: the read threads end before it), RSS (taken after
 * the 决算 tables, whose render CPU is finalCpuMs), the load, the digests; for the folding and the read
 * thread (`waits`) the seconds each spent runnable but without a core, its involuntary switches and its sleeps (voluntary switches)
 * during the rebuild (/proc schedstat and status: a CPU profile's samples count that time too).
 *
 *   node scripts/ab/rebuild-ab.cjs <checkout's dist dir> <copy of a bench ledger> on|off|gate [journal entries held]
 *   (on|off: the read thread, forced; gate: as a user's process, the gate decides (core-idle.ts) and
 *   the gate's figure is printed, from a build that has read-thread-watch.ts; the entries a lean
 *   journal holds, a build before it ignores them)
 */
const path = require('node:path')
const os = require('node:os')
const { createHash } = require('node:crypto')
const [root, db, threadArg = 'off', journalArg] = process.argv.slice(2)
const d = (p) => require(path.join(root, p))
const { SqliteEventStore } = d('src/store/sqlite/sqlite')
const { BudgetYearSnapshots } = d('src/ledger/fold/snapshots/snapshots')
const { sqliteReader } = d('src/ledger/read-path/stream-reader')
const { TABLES, FINAL_TABLES } = d('projections')
const { toJson } = d('projections/render')
const { indicatorReport } = d('projections/indicators/indicators')
const { bundledCatalogue } = d('src/reference/catalogue')
/** The gate's watch, where the build has it (read-thread-watch.ts). */
const watchReadThread = (() => { try { return d('src/ledger/read-path/read-thread-watch').watchReadThread } catch { return () => () => undefined } })()
const fs = require('node:fs')
/** CPU seconds of one thread of this process and its name, from /proc (undefined once it has exited). */
const threadCpu = (tid) => {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
    // schedstat's second figure: ns spent runnable but waiting for a core (docs/speed.md, "Rebuild, the read thread's share").
    const waitS = +fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[1] / 1e9
    const status = fs.readFileSync(`/proc/self/task/${tid}/status`, 'utf8')
    const involuntary = +/nonvoluntary_ctxt_switches:\s*(\d+)/.exec(status)[1]
    const sleeps = +/\nvoluntary_ctxt_switches:\s*(\d+)/.exec(status)[1]
    return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')), cpu: (+f[11] + +f[12]) / 100, waitS, involuntary, sleeps }
  } catch {
    return undefined
  }
}
const mainThreadCpu = () => threadCpu(process.pid).cpu
/**
 * Every thread's CPU, sampled while the rebuild runs (the read thread exits before the end, so its
 * last sample stands for it): by thread name, the folding thread as "main", summed over threads of one name.
 */
const threadsCpu = () => {
  const last = new Map()
  const sample = () => { for (const tid of fs.readdirSync('/proc/self/task')) { const t = threadCpu(tid); if (t) last.set(tid, t) } }
  const timer = setInterval(sample, 50)
  sample()
  const first = new Map(last)
  return () => {
    clearInterval(timer)
    sample()
    const by = {}
    const waits = {}
    for (const [tid, t] of last) {
      const k = String(tid) === String(process.pid) ? "main" : `${t.name}:${tid}`
      by[k] = +((by[k] ?? 0) + t.cpu).toFixed(2)
      const w = first.get(tid)
      // Only the two threads that matter: the folding thread and the read thread (the one worker with ≥ 1 s of CPU).
      if (k === 'main' || t.cpu >= 1) waits[k] = { waitS: +(t.waitS - (w?.waitS ?? 0)).toFixed(2), involuntary: t.involuntary - (w?.involuntary ?? 0), sleeps: t.sleeps - (w?.sleeps ?? 0) }
    }
    return { by, waits }
  }
}
const main = async () => {
  const store = new SqliteEventStore(db)
  const catalogue = bundledCatalogue()
  const load0 = os.loadavg()[0]
  const snaps = new BudgetYearSnapshots(store, { persisted: false, reader: sqliteReader(store.database, { readThread: threadArg === 'gate' ? 'when-idle' : threadArg === 'on' }), ...(journalArg ? { journalInMemory: Number(journalArg) } : {}) })
  const seen = watchReadThread()
  const m0 = mainThreadCpu()
  const threads = threadsCpu()
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const { state } = await snaps.stateAt('990001', 2021)
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(c0)
  const mainCpu = mainThreadCpu() - m0
  const { by: byThread, waits } = threads()
  const readThread = seen()
  const h = createHash('sha256')
  for (const t of TABLES) h.update(JSON.stringify(toJson(t.render(state, catalogue))))
  const fh = createHash('sha256')
  const f0 = process.cpuUsage()
  for (const t of FINAL_TABLES) {
    try { fh.update(JSON.stringify(toJson(t.render(state, catalogue)))) } catch (e) { fh.update(`error ${e.message}`) }
  }
  const finalCpu = process.cpuUsage(f0)
  const indicators = createHash('sha256').update(JSON.stringify(indicatorReport(state))).digest('hex').slice(0, 16)
  const events = state.revision + 1
  const out = { build: root, thread: threadArg, ...(readThread ? { readThread } : {}), ...(journalArg ? { journalInMemory: Number(journalArg) } : {}), events, evps: Math.round(events / seconds), seconds: +seconds.toFixed(2), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2), mainCpuS: +mainCpu.toFixed(2), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), finalCpuMs: Math.round((finalCpu.user + finalCpu.system) / 1000), heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20), threads: byThread, waits, load: +load0.toFixed(2), loadEnd: +os.loadavg()[0].toFixed(2), tables: h.digest('hex').slice(0, 16), final: fh.digest('hex').slice(0, 16), indicators }
  console.log(JSON.stringify(out))
  await store.close()
}
main()
