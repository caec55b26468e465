#!/usr/bin/env node
/**
 * `npm run bench` (issue 15): what users pay, measured from the outside on this machine.
 * For each size, a synthetic unit-year (seed.ts) in a SQLite file, then, run after run (interleaved,
 * so a burst of load on the shared machine hits every measure alike):
 *   - a cold CLI process: `table 3 --as-of` and `indicators --as-of` (wall time, peak RSS);
 *   - the built server: time to its first answer, its RSS holding the year, GET table 3 at 64
 *     connections against the prebuilt-JSON Express ceiling, both up and warm, in alternating pairs
 *     of windows (measures/server.ts);
 *   - durable writes over HTTP at 1, 8 and 64 clients, each on a fresh copy of the file and a fresh
 *     server, measured after as long a window of the same load, uncounted (measures/writes.ts);
 *   - a full rebuild with the as-of index as a user runs it: `snapshots rebuild` of the built CLI in a
 *     fresh process on a fresh copy, once the machine has settled after the writes (measures/rebuild.ts);
 *   - warm as-of queries (scripts/focused-bench/bench-asof.ts, in its own process after its own, uncounted, rebuild).
 * Prints progress on stderr, the table on stdout (or JSON with --json), and writes Markdown to --out.
 *
 *   npm run bench -- [--sizes 10k,100k] [--runs 3] [--seconds 3] [--out bench/results.md] [--json]
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, resolve } from 'node:path'
import { ledgerFile } from './ledgers/ledger-file'
import { coldCli } from './measures/cold-cli'
import { type RebuildRun, asOfQueries, rebuild, rebuildNote } from './measures/rebuild'
import { getWindows, serverRun } from './measures/server'
import { writeWindows, writes } from './measures/writes'
import { requireBuild } from './processes'
import { type BenchResult, type SizeResult, markdown, text } from './report/report'
import { median } from './report/stats'
import type { MeasureKey } from './report/targets'

interface Args {
  readonly sizes: ReadonlyArray<number>
  readonly runs: number
  readonly seconds: number
  readonly out: string
  readonly json: boolean
}

const USAGE = 'usage: npm run bench -- [--sizes 10k,100k,1m] [--runs 3] [--seconds 3] [--out bench/results.md] [--json]'

/** "10k" → 10000, "1m" → 1000000, "300" → 300. */
export const parseSize = (s: string): number => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim())
  const n = m ? Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1)) : Number.NaN
  if (!Number.isInteger(n) || n < 100) throw new Error(`--sizes: expected sizes like 10k,100k,1m (at least 100 events), got "${s}"`)
  return n
}

const parseArgs = (argv: ReadonlyArray<string>): Args => {
  const a = { sizes: [10_000, 100_000] as number[], runs: 3, seconds: 3, out: 'bench/results.md', json: false }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`)
      return v
    }
    const positive = (v: string) => {
      const x = Number(v)
      if (!(x > 0) || !Number.isFinite(x)) throw new Error(`${flag}: expected a positive number, got "${v}"`)
      return x
    }
    if (flag === '--sizes') a.sizes = value().split(',').map(parseSize)
    else if (flag === '--runs') a.runs = Math.round(positive(value()))
    else if (flag === '--seconds') a.seconds = positive(value())
    else if (flag === '--out') a.out = value()
    else if (flag === '--json') a.json = true
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`)
      process.exit(0)
    } else throw new Error(`unknown option ${flag}\n${USAGE}`)
  }
  return a
}

const say = (s: string) => process.stderr.write(s)

const benchSize = async (events: number, args: Args): Promise<SizeResult> => {
  say(`\n${events.toLocaleString('en')} events: building the ledger…\n`)
  const ledger = await ledgerFile(events)
  const figures: Partial<Record<MeasureKey, number[]>> = {}
  const put = (key: MeasureKey, v: number) => (figures[key] ??= []).push(v)
  const rebuilds: RebuildRun[] = []
  try {
    for (let run = 1; run <= args.runs; run++) {
      const step = (what: string) => say(`  run ${run}/${args.runs}: ${what} (load ${loadavg()[0]!.toFixed(2)})\n`)
      step('cold CLI')
      const table = await coldCli(ledger.path, 'table')
      put('coldTableSeconds', table.seconds)
      put('coldTableRssMb', table.peakRssMb)
      const indicators = await coldCli(ledger.path, 'indicators')
      put('coldIndicatorsSeconds', indicators.seconds)
      put('coldIndicatorsRssMb', indicators.peakRssMb)
      step('server start, memory, reads at 64 connections and the ceiling')
      const s = await serverRun(ledger, 64, args.seconds)
      put('firstAnswerSeconds', s.firstAnswerSeconds)
      put('serverRssMb', s.rssMb)
      put('readsPerSecond', s.reads.perSecond)
      put('readsP99Ms', s.reads.p99Ms)
      put('ceilingPerSecond', s.ceiling.perSecond)
      for (const pair of s.pairs) put('readsOfCeiling', pair.share)
      say(`    GET share per pair: ${s.pairs.map((p) => `${p.share.toFixed(0)} % (${p.first} first, load ${p.load.toFixed(2)})`).join(', ')}\n`)
      if (s.reads.failed > 0) throw new Error(`${s.reads.failed} GET(s) did not answer 200`)
      for (const clients of [1, 8, 64] as const) {
        step(`durable writes, ${clients} client(s)`)
        const w = await writes(ledger, clients, writeWindows(args.seconds), run)
        if (w.failed > 0) throw new Error(`${w.failed} write(s) at ${clients} client(s) did not answer 201`)
        put(clients === 1 ? 'writes1' : clients === 8 ? 'writes8' : 'writes64', w.perSecond)
        if (clients === 64) put('writes64P99Ms', w.p99Ms)
      }
      step('rebuild with the as-of index (snapshots rebuild, a fresh CLI process)')
      const r = await rebuild(ledger, say)
      rebuilds.push(r)
      put('rebuildEventsPerSecond', r.eventsPerSecond)
      put('rebuildFoldEventsPerSecond', r.foldEventsPerSecond)
      step('as-of queries')
      const q = await asOfQueries(ledger.path, events)
      put('asOfP95Ms', q.asOfP95Ms)
      put('asOfFirstP95Ms', q.firstAsOfP95Ms)
    }
  } finally {
    ledger.remove()
  }
  const medians = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, median(v)])) as Partial<Record<MeasureKey, number>>
  const notes: SizeResult['notes'] = { rebuildEventsPerSecond: rebuildNote(rebuilds) }
  return { events, runs: args.runs, figures, medians, notes }
}

const main = async () => {
  const args = parseArgs(process.argv.slice(2))
  requireBuild()
  const startedAt = new Date().toISOString()
  const loadStart = loadavg()
  say(`bench: sizes ${args.sizes.map((s) => s.toLocaleString('en')).join(', ')}; ${args.runs} run(s) each; ${cpus().length} CPU(s); load average ${loadStart.map((x) => x.toFixed(2)).join(' / ')}\n`)
  const sizes: SizeResult[] = []
  for (const events of args.sizes) sizes.push(await benchSize(events, args))
  const result: BenchResult = { startedAt, machine: { cpus: cpus().length, node: process.versions.node, loadStart, loadEnd: loadavg() }, get: getWindows(args.seconds), writes: writeWindows(args.seconds), sizes }
  const out = resolve(args.out)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${markdown(result)}\n`)
  say(`\nload average at the end ${result.machine.loadEnd.map((x) => x.toFixed(2)).join(' / ')}; the table is in ${out}\n`)
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : text(result))
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 2
  })
