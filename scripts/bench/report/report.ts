import { shareSummary } from '../load/interleaved'
import type { GetWindows } from '../measures/server'
import type { WriteWindows } from '../measures/writes'
import { asOfMethod, rebuildMethod } from '../measures/rebuild'
import { type MeasureKey, TARGETS, hasBound, passes } from './targets'

export interface SizeResult {
  readonly events: number
  readonly runs: number
  /** Every run's figure per measure (every pair's, for a measure taken in pairs: targets.ts `perPair`); the table shows the median. */
  readonly figures: Partial<Record<MeasureKey, ReadonlyArray<number>>>
  readonly medians: Partial<Record<MeasureKey, number>>
  /** Said beside a measure's figure: what the figure depends on (whether the rebuild's read thread ran). */
  readonly notes?: Partial<Record<MeasureKey, string>>
}

export interface BenchResult {
  readonly startedAt: string
  readonly machine: { readonly cpus: number; readonly node: string; readonly loadStart: ReadonlyArray<number>; readonly loadEnd: ReadonlyArray<number> }
  /** How each run loaded the GET and its ceiling (said under the title, with the method). */
  readonly get: GetWindows
  /** How each run loaded the writes (said under the title, with the method). */
  readonly writes: WriteWindows
  readonly sizes: ReadonlyArray<SizeResult>
}

const n = (x: number, d: number) => (Number.isFinite(x) ? x.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—')

const row = (key: MeasureKey, value: number, note?: string): [string, string, string, string] => {
  const target = TARGETS[key]
  const measured = `${n(value, target.decimals)} ${target.unit}${note ? ` (${note})` : ''}`
  if (!hasBound(target)) return [target.label, measured, '', '']
  const ratio = target.kind === 'min' ? value / target.bound : target.bound / value
  return [target.label, measured, `${target.kind === 'min' ? '≥' : '≤'} ${n(target.bound, target.bound < 1 ? 1 : 0)} ${target.unit}`, `${passes(target, value) ? 'PASS' : 'MISS'} (${n(ratio, 2)}× the target)`]
}

/** Beside a measure taken in pairs: how many pairs its median is of, and their range ("median of 9 interleaved pairs; pairs 79–88 %"). */
export const pairsNote = (key: MeasureKey, figures: ReadonlyArray<number>): string => {
  const target = TARGETS[key]
  const p = shareSummary(figures)
  return `median of ${p.pairs} interleaved pairs; pairs ${n(p.low, target.decimals)}–${n(p.high, target.decimals)} ${target.unit}`
}

/** A size's rows, each with what is said beside its figure. */
export const rows = (s: SizeResult): Array<[string, string, string, string]> =>
  (Object.keys(TARGETS) as MeasureKey[]).flatMap((key) => {
    const v = s.medians[key]
    if (v === undefined) return []
    const pairs = TARGETS[key].perPair && s.figures[key]?.length ? pairsNote(key, s.figures[key]!) : undefined
    const note = [pairs, s.notes?.[key]].filter((x) => x !== undefined).join('; ')
    return [row(key, v, note || undefined)]
  })

const inSeconds = (seconds: number) => `${seconds.toLocaleString('en', { maximumFractionDigits: 2 })} s`

/** The writes' method, under the title (measures/writes.ts). */
export const writesMethod = (w: WriteWindows): string =>
  `Durable writes: each client count on a fresh copy of the file and a fresh server, loaded at that count for an uncounted ${inSeconds(w.warmSeconds)} window (V8 compiles the command path in the first seconds of load), then measured for ${inSeconds(w.windowSeconds)}. ` +
  'Tables before 2026-11-29 (afternoon) measured the first seconds after the server\'s start, compiling included (docs/speed.md, "Writes, the other threads").'

/** The GET's method, under the title (measures/server.ts). */
export const getMethod = (g: GetWindows): string =>
  `GET table 3 and its ceiling: after the server's first answer and its memory reading, both servers stay up, each is warmed by one unmeasured ${inSeconds(g.warmSeconds)} window, then they are loaded one at a time in ${g.pairs} pairs of ${inSeconds(g.windowSeconds)} windows a run, the order reversed every pair (ours then the ceiling, then the ceiling then ours, …). ` +
  'The share is ours\' req/s ÷ the ceiling\'s within a pair; the table gives the median of every pair of every run, and their range. ' +
  'Each side\'s req/s (all its requests ÷ all its loaded time) and p99 (of all its latencies) pool its windows of a run; the table gives the median of the runs. ' +
  'Tables before 2026-11-29 (noon) took one sequential pair per run, fresh servers loaded right after their start (docs/speed.md, "GET share, measured in pairs").'

const loads = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(2)).join(' / ')

/** The Markdown file the benchmark writes (bench/results.md): one table per size. */
export const markdown = (r: BenchResult): string => {
  const out = [
    '# Benchmark (`npm run bench`)',
    '',
    `Taken ${r.startedAt} on ${r.machine.cpus} CPU(s), Node ${r.machine.node}; load average (1/5/15 min) ${loads(r.machine.loadStart)} at the start, ${loads(r.machine.loadEnd)} at the end.`,
    'Targets are issue 15\'s, set for 1,000,000 events; each figure is the median of the runs (the GET share: of the pairs, below). Memory is the OS\'s resident set (/proc), not heapUsed.',
    'The HTTP measures (writes, GET and its ceiling) are loaded from the bench process by a lean client on raw sockets (scripts/bench/load/lean-client.ts), which uses about 0.4× the CPU a request of node\'s http client that tables before 2026-11-29 (early) were measured with, on the same cores as the server (docs/speed.md, "Writes at 64, again").',
    writesMethod(r.writes),
    getMethod(r.get),
    rebuildMethod,
    asOfMethod,
    '',
  ]
  for (const s of r.sizes) {
    out.push(`## ${s.events.toLocaleString('en')} events, median of ${s.runs} run(s)`, '', '| measure | measured | target | verdict |', '|---|---:|---|---|')
    for (const x of rows(s)) out.push(`| ${x.join(' | ')} |`)
    out.push('')
  }
  return out.join('\n')
}

/** The same, aligned for a terminal. */
export const text = (r: BenchResult): string => {
  const out: string[] = []
  for (const s of r.sizes) {
    const sizeRows = rows(s)
    const w = [0, 1, 2].map((c) => Math.max(...sizeRows.map((x) => [...x[c]!].length)))
    out.push('', `${s.events.toLocaleString('en')} events, median of ${s.runs} run(s)`, '')
    for (const x of sizeRows) out.push(`${x[0]!.padEnd(w[0]!)}  ${x[1]!.padStart(w[1]!)}  ${x[2]!.padEnd(w[2]!)}  ${x[3]}`.trimEnd())
  }
  return `${out.join('\n')}\n`
}
