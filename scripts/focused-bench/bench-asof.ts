#!/usr/bin/env node
/**
 * Time-travel benchmark (docs/audit.md, "Speed"): builds a unit-year of N events (default
 * 1,000,000) straight into a SQLite file, then measures
 *
 *   1. a full rebuild of every projection: read and fold the whole stream and render all eleven
 *      tables, in events per second (the median of R runs, each from nothing); then the same while
 *      building the as-of index (snapshots and the business-date timeline, src/ledger/fold/snapshots/snapshots.ts),
 *      for information;
 *   2. any table at random as-of instants: p50 / p95 / max over Q queries (and the same with a
 *      random business date as well, for information), after W warm-up queries of each kind (their own p50 / p95 / max reported apart, for information):
 *      "warm" is a process that has answered queries before, its code compiled for them and the
 *      rebuild's garbage collected (docs/speed.md, "As-of, warm": without them the p95 of 100 was
 *      the first dozen queries' compiling and collecting, 10–50 ms each).
 *
 * Not a test: timings depend on the machine. Targets are printed beside the figures.
 *
 *   npx tsx scripts/focused-bench/bench-asof.ts [--events N] [--queries Q] [--warm W] [--rebuilds R] [--every K] [--db FILE] [--keep] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { TABLES } from '../../projections'
import { toJson } from '../../projections/render'
import { BudgetYearSnapshots, DEFAULT_SNAPSHOT_EVERY } from '../../src/ledger/fold/snapshots/snapshots'
import { type ReplayEvent, sqliteReader } from '../../src/ledger/read-path/stream-reader'
import { toDomainEvent } from '../../src/ledger/fold/as-of/time-travel'
import { watchReadThread } from '../../src/ledger/read-path/read-thread-watch'
import { evolve, initialState } from '../../src/domain/budget-year'
import type { Catalogue } from '../../src/domain/budget-file/catalogue'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { quantile } from '../bench/report/stats'
import { STREAM, UNIT, YEAR, YEAR_SPAN, YEAR_START, build, prng, say, shanghaiDate } from '../bench/ledgers/seed'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'

const TARGETS = { asOfP95Ms: 50, rebuildEventsPerSecond: 200_000 }
/** Unmeasured queries of each kind before the measured ones (the --warm default). */
const DEFAULT_WARM_QUERIES = 100

interface Args {
  events: number
  queries: number
  /** Unmeasured queries of each kind before the measured ones. */
  warm: number
  rebuilds: number
  every: number
  db?: string
  keep: boolean
  json: boolean
  seed: number
}

const parseArgs = (argv: string[]): Args => {
  const a: Args = { events: 1_000_000, queries: 200, warm: DEFAULT_WARM_QUERIES, rebuilds: 3, every: DEFAULT_SNAPSHOT_EVERY, keep: false, json: false, seed: 2021 }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value`)
      return v
    }
    const count = (v: string, min: number) => {
      const n = Number(v.replace(/[_,]/g, ''))
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: expected a whole number ≥ ${min}, got ${v}`)
      return n
    }
    if (flag === '--events') a.events = count(value(), 100)
    else if (flag === '--queries') a.queries = count(value(), 1)
    else if (flag === '--warm') a.warm = count(value(), 0)
    else if (flag === '--rebuilds') a.rebuilds = count(value(), 1)
    else if (flag === '--every') a.every = count(value(), 1)
    else if (flag === '--seed') a.seed = count(value(), 0)
    else if (flag === '--db') a.db = value()
    else if (flag === '--keep') a.keep = true
    else if (flag === '--json') a.json = true
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: npx tsx scripts/focused-bench/bench-asof.ts [--events N] [--queries Q] [--warm W] [--rebuilds R] [--every K] [--db FILE] [--keep] [--json] [--seed S]\n')
      process.exit(0)
    } else throw new Error(`unknown option ${flag}`)
  }
  return a
}

/** Seconds to fold the first `n` events, already in memory; the state is dropped on return. */
const timeEvolve = async (store: SqliteEventStore, n: number): Promise<number> => {
  const sample: ReplayEvent[] = []
  await sqliteReader(store.database).range(STREAM, 0, n - 1, (e) => sample.push(e))
  const t0 = performance.now()
  let folded = initialState()
  for (const e of sample) folded = evolve(folded, toDomainEvent(e))
  const seconds = (performance.now() - t0) / 1000
  if (folded.revision !== n - 1) throw new Error('invariant: the evolve sample did not fold every event')
  return seconds
}

/** One full rebuild from nothing: read and fold the whole stream, render all eleven tables. */
const rebuild = async (store: SqliteEventStore, catalogue: Catalogue, expected: number): Promise<{ seconds: number; tables: unknown[] }> => {
  const t0 = performance.now()
  let rebuilt = initialState()
  let events = 0
  await sqliteReader(store.database).range(STREAM, 0, Number.MAX_SAFE_INTEGER, (e) => {
    rebuilt = evolve(rebuilt, toDomainEvent(e))
    events++
  })
  const tables = TABLES.map((t) => toJson(t.render(rebuilt, catalogue)))
  const seconds = (performance.now() - t0) / 1000
  if (tables.length !== 11 || events !== expected) throw new Error(`invariant: the rebuild folded ${events} of ${expected} events`)
  return { seconds, tables }
}


const main = async () => {
  const args = parseArgs(process.argv.slice(2))
  const dir = args.db ? undefined : mkdtempSync(join(tmpdir(), 'bench-asof-'))
  const path = args.db ?? join(dir!, 'bench.db')
  const store = new SqliteEventStore(path)
  const catalogue = bundledCatalogue()
  try {
    const existing = await store.streamRevision(STREAM)
    if (existing + 1 !== args.events) {
      if (existing >= 0) throw new Error(`${path} already holds ${existing + 1} events of ${STREAM}; use another --db or --events ${existing + 1}`)
      say(`building ${args.events.toLocaleString('en')} events into ${path}\n`)
      build(store, args.events, args.seed)
    } else say(`reusing the ${args.events.toLocaleString('en')} events in ${path}\n`)

    // What reading alone costs (pages of rows, payloads parsed): the floor under a rebuild.
    say('  reading the stream…\n')
    let t0 = performance.now()
    let read = 0
    await sqliteReader(store.database).range(STREAM, 0, Number.MAX_SAFE_INTEGER, () => read++)
    const readSeconds = (performance.now() - t0) / 1000

    // What the domain's evolve alone costs, on events already in memory (a sample, to bound memory).
    const sampleSize = Math.min(args.events, 200_000)
    const evolveSeconds = await timeEvolve(store, sampleSize)

    // A full rebuild: every event read from the file and folded, then all eleven tables rendered;
    // the median of several runs, each from nothing.
    const runs: Array<{ seconds: number; tables: unknown[] }> = []
    for (let r = 1; r <= args.rebuilds; r++) {
      say(`  rebuilding every projection (run ${r} of ${args.rebuilds})…\n`)
      runs.push(await rebuild(store, catalogue, args.events))
    }
    const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)
    const rebuildSeconds = quantile(seconds, 0.5)
    const tables = runs[0]!.tables
    if (read !== args.events || runs.some((r) => JSON.stringify(r.tables) !== JSON.stringify(tables))) throw new Error('invariant: the rebuilds did not all see every event')
    const rebuildRate = args.events / rebuildSeconds

    // The same, while also building the as-of index (snapshots every N events and the business-date
    // timeline) that the time-travel queries below use: the cost of a cold start of the server
    // without persisted snapshots (none read or saved here, so a kept file measures the same each
    // run; scripts/focused-bench/bench-cold-cli.ts measures a cold start from them).
    say('  rebuilding with the as-of index…\n')
    const snapshots = new BudgetYearSnapshots(store, { every: args.every, persisted: false })
    // The stream is read on a second thread only when a core is idle (stream-reader.ts): say whether it was.
    const seen = watchReadThread()
    const loadBefore = loadavg()[0]!
    const cpu0 = process.cpuUsage()
    t0 = performance.now()
    const { state } = await snapshots.stateAt(UNIT, YEAR)
    const indexed = TABLES.map((t) => toJson(t.render(state, catalogue)))
    const indexedSeconds = (performance.now() - t0) / 1000
    const indexedCpu = process.cpuUsage(cpu0)
    const { ran: indexedReadThread, gate } = seen()
    if (JSON.stringify(indexed) !== JSON.stringify(tables)) throw new Error('invariant: the indexed rebuild disagrees with the plain one')

    const random = prng(args.seed + 1)
    const first = YEAR_START
    const last = YEAR_START + YEAR_SPAN
    const timeQueries = async (withEffective: boolean) => {
      const ms: number[] = []
      // The warm-up's own latencies: not the warm figure, but what the first queries after a rebuild pay (reported apart).
      const warmUp: number[] = []
      let folded = 0
      for (let q = -args.warm; q < args.queries; q++) {
        const asOf = new Date(first + Math.floor(random() * (last - first))).toISOString()
        const effective = withEffective ? shanghaiDate(first + Math.floor(random() * (Date.parse(asOf) - first + 1))) : undefined
        const table = TABLES[Math.floor(random() * TABLES.length)]!
        const s = performance.now()
        const r = await snapshots.stateAt(UNIT, YEAR, { asOf, ...(effective ? { effective } : {}) })
        if (r.state.identity) toJson(table.render(r.state, catalogue))
        if (q < 0) {
          warmUp.push(performance.now() - s)
          continue
        }
        ms.push(performance.now() - s)
        folded += r.folded
      }
      ms.sort((a, b) => a - b)
      warmUp.sort((a, b) => a - b)
      const firstQueries = warmUp.length > 0 ? { p50: quantile(warmUp, 0.5), p95: quantile(warmUp, 0.95), max: warmUp.at(-1)! } : undefined
      return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), max: ms.at(-1)!, meanFolded: folded / args.queries, firstQueries }
    }
    say(`  ${args.queries} as-of queries (after ${args.warm} warm-up queries)…\n`)
    const asOf = await timeQueries(false)
    say(`  ${args.queries} as-of + effective queries (after ${args.warm} warm-up queries)…\n`)
    const bitemporal = await timeQueries(true)
    const memory = process.memoryUsage()

    const result = {
      events: args.events,
      snapshotEvery: args.every,
      snapshots: snapshots.stats()[0]?.snapshots ?? 0,
      readSeconds,
      readEventsPerSecond: args.events / readSeconds,
      evolveSample: sampleSize,
      evolveEventsPerSecond: sampleSize / evolveSeconds,
      rebuildSeconds,
      rebuildEventsPerSecond: rebuildRate,
      rebuildRunsSeconds: seconds,
      indexedRebuildSeconds: indexedSeconds,
      indexedRebuildEventsPerSecond: args.events / indexedSeconds,
      indexedRebuildReadThread: indexedReadThread,
      indexedRebuildGate: gate,
      /** The process's CPU over the indexed rebuild (every thread: the read thread's and the collector's included). */
      indexedRebuildCpuSeconds: (indexedCpu.user + indexedCpu.system) / 1e6,
      indexedRebuildLoad: loadBefore,
      warmQueries: args.warm,
      asOfMs: asOf,
      asOfEffectiveMs: bitemporal,
      firstAsOfMs: asOf.firstQueries ?? null,
      heapUsedMb: memory.heapUsed / 2 ** 20,
      targets: TARGETS,
      pass: { rebuild: rebuildRate >= TARGETS.rebuildEventsPerSecond, asOf: asOf.p95 <= TARGETS.asOfP95Ms },
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    } else {
      const n = (x: number, d = 0) => x.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d })
      const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')
      const rows: Array<[string, string, string, string]> = [
        ['events in the unit-year', n(args.events), '', ''],
        ['snapshots kept (every N events)', `${n(result.snapshots)} (${n(args.every)})`, '', ''],
        ['read the stream only (pages, payloads parsed)', `${n(result.readEventsPerSecond)} events/s`, '', ''],
        [`evolve only (first ${n(sampleSize)} events, in memory)`, `${n(result.evolveEventsPerSecond)} events/s`, '', ''],
        [`full rebuild of all projections, median of ${n(seconds.length)}`, `${n(rebuildRate)} events/s (${n(rebuildSeconds, 2)} s)`, `≥ ${n(TARGETS.rebuildEventsPerSecond)} events/s`, verdict(result.pass.rebuild)],
        ['  slowest / fastest run', `${n(args.events / seconds.at(-1)!)} / ${n(args.events / seconds[0]!)} events/s`, '', ''],
        ['  with the as-of index (snapshots, timeline)', `${n(args.events / indexedSeconds)} events/s (${n(indexedSeconds, 2)} s)`, '(information)', ''],
        ['    read on a second thread (load at the start)', `${indexedReadThread ? 'yes' : 'no'} (${n(loadBefore, 2)})`, '', ''],
        [`any table as of a random instant, p50`, `${n(asOf.p50, 2)} ms`, '', ''],
        [`any table as of a random instant, p95`, `${n(asOf.p95, 2)} ms`, `≤ ${TARGETS.asOfP95Ms} ms`, verdict(result.pass.asOf)],
        [`any table as of a random instant, max`, `${n(asOf.max, 2)} ms`, '', ''],
        ['  events folded per query (mean)', n(asOf.meanFolded, 1), '', ''],
        ...(asOf.firstQueries ? [[`the ${n(args.warm)} warm-up queries before, p50 / p95 / max`, `${n(asOf.firstQueries.p50, 2)} / ${n(asOf.firstQueries.p95, 2)} / ${n(asOf.firstQueries.max, 2)} ms`, '(information)', ''] as [string, string, string, string]] : []),
        ['as of + effective date, p50 / p95 / max', `${n(bitemporal.p50, 2)} / ${n(bitemporal.p95, 2)} / ${n(bitemporal.max, 2)} ms`, '(information)', ''],
        ['  events folded per query (mean)', n(bitemporal.meanFolded, 1), '', ''],
        ['heap used', `${n(result.heapUsedMb)} MB`, '', ''],
      ]
      const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => [...r[c]!].length)))
      process.stdout.write(`\nbench-asof: ${n(args.events)} events, ${args.queries} queries per kind (after ${args.warm} warm-up queries)\n\n`)
      process.stdout.write(`${'measure'.padEnd(w[0]!)}  ${'measured'.padStart(w[1]!)}  ${'target'.padEnd(w[2]!)}  verdict\n`)
      for (const [label, value, target, v] of rows)
        process.stdout.write(`${label.padEnd(w[0]!)}  ${value.padStart(w[1]!)}  ${target.padEnd(w[2]!)}  ${v}\n`.replace(/\s+\n$/, '\n'))
    }
    process.exitCode = result.pass.rebuild && result.pass.asOf ? 0 : 1
  } finally {
    await store.close()
    if (dir && !args.keep) rmSync(dir, { recursive: true, force: true })
    else say(`the ledger is kept in ${path}\n`)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-asof: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 2
})
