#!/usr/bin/env node
/**
 * What a cold command line pays (docs/audit.md, "Speed"): `budget-ledger table 3 --as-of T` as a
 * new process on a ledger file built by scripts/focused-bench/bench-asof.ts (--keep), with and without the
 * persisted snapshots (the "without" run deletes them first: the cold fold of the whole year every
 * process paid before they existed). Wall time and peak RSS from the OS (getrusage maxRSS of the
 * child, not heapUsed), median of R runs each; the built CLI (npm run build) is run.
 *
 *   npx tsx scripts/focused-bench/bench-cold-cli.ts --db FILE [--runs R] [--as-of ISO]
 */
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'

const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(name)
  const v = i >= 0 ? process.argv[i + 1] : fallback
  if (v === undefined) throw new Error(`${name} is required`)
  return v
}
const db = resolve(arg('--db'))
const runs = Number(arg('--runs', '3'))
const asOf = arg('--as-of', '2021-07-01T12:00:00+08:00')
const root = resolve(__dirname, '..', '..')
const cli = join(root, 'dist/budget-ledger.js')
const rss = join(root, 'scripts/focused-bench/report-rss.cjs')

const once = (): { ms: number; rssMb: number; stats: unknown } => {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, ['--require', rss, cli, '--db', db, 'table', '3', '--unit', '990001', '--year', '2021', '--as-of', asOf], {
    env: { PATH: process.env.PATH, LEDGER_FOLD_STATS: '1' },
    encoding: 'utf8',
  })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`budget-ledger failed: ${r.stderr}`)
  const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
  const kb = lines.find((l) => 'maxRssKb' in l)!.maxRssKb as number
  return { ms, rssMb: kb / 1024, stats: lines.find((l) => 'foldStats' in l)?.foldStats }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const measure = (label: string) => {
  const all = Array.from({ length: runs }, once)
  const row = { label, wallMs: Math.round(median(all.map((x) => x.ms))), peakRssMb: Math.round(median(all.map((x) => x.rssMb))), stats: all[0]!.stats }
  process.stdout.write(`${JSON.stringify(row)}\n`)
}

const file = new Database(db)
const snapshots = () => (file.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'snapshots'").get() as { n: number }).n > 0
if (snapshots()) file.exec('DELETE FROM snapshots')
process.stdout.write(`load average: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`)
measure('without persisted snapshots (cold fold of the whole year)')
const r = spawnSync(process.execPath, [cli, '--db', db, 'snapshots', 'rebuild'], { encoding: 'utf8' })
if (r.status !== 0) throw new Error(`snapshots rebuild failed: ${r.stderr}`)
measure('with persisted snapshots (saved state + tail)')
file.close()
