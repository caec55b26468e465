#!/usr/bin/env node
/**
 * Warm as-of queries of a built checkout, in a fresh process, for interleaved A/B pairs
 * (docs/speed.md, "As-of, warm"): the indexed rebuild of bench-asof (BudgetYearSnapshots.stateAt of
 * the bench's unit-year, persisted snapshots off), W unmeasured queries, then Q queries at random
 * instants, each `stateAt({ asOf })` and one random table rendered, as bench-asof's timeQueries.
 * Per query: wall time, process CPU (getrusage, µs) and the GC pauses inside it (perf_hooks 'gc').
 * Prints one JSON line: p50 / p95 / max of wall and CPU, the mean tail folded, the GC time in the
 * slowest 5 %, RSS, the load, and one digest of every answer (the instants are the same for a seed,
 * so two builds that answer alike print the same digest).
 *
 *   node scripts/ab/asof-ab.cjs <checkout's dist dir> <copy of a bench ledger> [queries=1000] [seed=2022] [warm=100]
 */
const path = require('node:path')
const os = require('node:os')
const { createHash } = require('node:crypto')
const { PerformanceObserver, performance } = require('node:perf_hooks')
const [root, db, qArg = '1000', seedArg = '2022', warmArg = '100'] = process.argv.slice(2)
const d = (p) => require(path.resolve(root, p))
const { SqliteEventStore } = d('src/store/sqlite/sqlite')
const { BudgetYearSnapshots } = d('src/ledger/fold/snapshots/snapshots')
const { TABLES } = d('projections')
const { toJson } = d('projections/render')
const { bundledCatalogue } = d('src/reference/catalogue')
const { prng, UNIT, YEAR, YEAR_START, YEAR_SPAN } = d('scripts/bench/ledgers/seed')

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
const r2 = (x) => +x.toFixed(2)

const main = async () => {
  const store = new SqliteEventStore(db)
  const catalogue = bundledCatalogue()
  const snaps = new BudgetYearSnapshots(store, { persisted: false, ...(process.env.ASOF_SPACING ? { spacing: Number(process.env.ASOF_SPACING) } : {}) })
  const t0 = performance.now()
  await snaps.stateAt(UNIT, YEAR)
  const rebuildS = (performance.now() - t0) / 1000
  const rssAfterRebuildMb = Math.round(process.memoryUsage().rss / 2 ** 20)
  const random = prng(Number(seedArg))
  const gcs = []
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]) })
  obs.observe({ entryTypes: ['gc'] })
  const h = createHash('sha256')
  const run = async (n, keep) => {
    const out = []
    for (let q = 0; q < n; q++) {
      const asOf = new Date(YEAR_START + Math.floor(random() * YEAR_SPAN)).toISOString()
      const table = TABLES[Math.floor(random() * TABLES.length)]
      const c = process.cpuUsage()
      const s = performance.now()
      const r = await snaps.stateAt(UNIT, YEAR, { asOf })
      const json = r.state.identity ? toJson(table.render(r.state, catalogue)) : null
      const e = performance.now()
      const cpu = process.cpuUsage(c)
      if (keep) {
        h.update(`${asOf} ${r.lastRevision} ${JSON.stringify(json)}\n`)
        out.push({ table: table.id ?? table.name ?? TABLES.indexOf(table), ms: e - s, cpuMs: (cpu.user + cpu.system) / 1000, folded: r.folded, s, e })
      }
    }
    return out
  }
  await run(Number(warmArg), false)
  const load0 = os.loadavg()[0]
  const c0 = process.cpuUsage()
  const qs = await run(Number(qArg), true)
  const cpuAll = process.cpuUsage(c0)
  await new Promise((r) => setTimeout(r, 50))
  obs.disconnect()
  const gcIn = (x) => gcs.reduce((t, [a, b]) => t + Math.max(0, Math.min(b, x.e) - Math.max(a, x.s)), 0)
  const byMs = [...qs].sort((a, b) => a.ms - b.ms)
  const cpus = qs.map((x) => x.cpuMs).sort((a, b) => a - b)
  const slow = byMs.slice(Math.floor(byMs.length * 0.95))
  const out = {
    build: root,
    spacing: process.env.ASOF_SPACING ? Number(process.env.ASOF_SPACING) : undefined,
    rssAfterRebuildMb,
    rebuildS: r2(rebuildS),
    queries: qs.length,
    p50: r2(quantile(byMs.map((x) => x.ms), 0.5)),
    p95: r2(quantile(byMs.map((x) => x.ms), 0.95)),
    max: r2(byMs.at(-1).ms),
    cpuP50: r2(quantile(cpus, 0.5)),
    cpuP95: r2(quantile(cpus, 0.95)),
    cpuMean: r2((cpuAll.user + cpuAll.system) / 1000 / qs.length),
    meanFolded: r2(qs.reduce((t, x) => t + x.folded, 0) / qs.length),
    slowFolded: r2(slow.reduce((t, x) => t + x.folded, 0) / slow.length),
    gcMsPerQuery: r2(qs.reduce((t, x) => t + gcIn(x), 0) / qs.length),
    slowGcMs: r2(slow.reduce((t, x) => t + gcIn(x), 0) / slow.length),
    slowMs: r2(slow.reduce((t, x) => t + x.ms, 0) / slow.length),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    load: r2(load0),
    loadEnd: r2(os.loadavg()[0]),
    answers: h.digest('hex').slice(0, 16),
  }
  console.log(JSON.stringify(out))
  if (process.env.ASOF_DUMP) require('node:fs').writeFileSync(process.env.ASOF_DUMP, JSON.stringify(qs.map((x) => ({ ...x, gc: gcIn(x) }))))
  await store.close()
}
main().catch((e) => {
  console.error(e)
  process.exit(2)
})
