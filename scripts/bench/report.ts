import { type MeasureKey, TARGETS, hasBound, passes } from './targets'

export interface SizeResult {
  readonly events: number
  readonly runs: number
  /** Every run's figure per measure; the table shows the median. */
  readonly figures: Partial<Record<MeasureKey, ReadonlyArray<number>>>
  readonly medians: Partial<Record<MeasureKey, number>>
  /** Said beside a measure's figure: what the figure depends on (whether the rebuild's read thread ran). */
  readonly notes?: Partial<Record<MeasureKey, string>>
}

export interface BenchResult {
  readonly startedAt: string
  readonly machine: { readonly cpus: number; readonly node: string; readonly loadStart: ReadonlyArray<number>; readonly loadEnd: ReadonlyArray<number> }
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

const loads = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(2)).join(' / ')

/** The Markdown file the benchmark writes (bench/results.md): one table per size. */
export const markdown = (r: BenchResult): string => {
  const out = [
    '# Benchmark (`npm run bench`)',
    '',
    `Taken ${r.startedAt} on ${r.machine.cpus} CPU(s), Node ${r.machine.node}; load average (1/5/15 min) ${loads(r.machine.loadStart)} at the start, ${loads(r.machine.loadEnd)} at the end.`,
    'Targets are issue 15\'s, set for 1,000,000 events; each figure is the median of the runs. Memory is the OS\'s resident set (/proc), not heapUsed.',
    'The HTTP measures (writes, GET and its ceiling) are loaded from the bench process by a lean client on raw sockets (scripts/bench/lean-client.ts), which uses about 0.4× the CPU a request of node\'s http client that tables before 2026-11-29 (early) were measured with, on the same cores as the server (docs/speed.md, "Writes at 64, again").',
    '',
  ]
  for (const s of r.sizes) {
    out.push(`## ${s.events.toLocaleString('en')} events, median of ${s.runs} run(s)`, '', '| measure | measured | target | verdict |', '|---|---:|---|---|')
    for (const key of Object.keys(TARGETS) as MeasureKey[]) {
      const v = s.medians[key]
      if (v !== undefined) out.push(`| ${row(key, v, s.notes?.[key]).join(' | ')} |`)
    }
    out.push('')
  }
  return out.join('\n')
}

/** The same, aligned for a terminal. */
export const text = (r: BenchResult): string => {
  const out: string[] = []
  for (const s of r.sizes) {
    const rows = (Object.keys(TARGETS) as MeasureKey[]).filter((k) => s.medians[k] !== undefined).map((k) => row(k, s.medians[k]!, s.notes?.[k]))
    const w = [0, 1, 2].map((c) => Math.max(...rows.map((x) => [...x[c]!].length)))
    out.push('', `${s.events.toLocaleString('en')} events, median of ${s.runs} run(s)`, '')
    for (const x of rows) out.push(`${x[0]!.padEnd(w[0]!)}  ${x[1]!.padStart(w[1]!)}  ${x[2]!.padEnd(w[2]!)}  ${x[3]}`.trimEnd())
  }
  return `${out.join('\n')}\n`
}
