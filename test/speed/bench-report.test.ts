import { describe, expect, it } from 'vitest'
import { getWindows } from '../../scripts/bench/measures/server'
import { type RebuildRun, rebuildNote } from '../../scripts/bench/measures/rebuild'
import { writeWindows } from '../../scripts/bench/measures/writes'
import { type BenchResult, type SizeResult, markdown, pairsNote, rows, text } from '../../scripts/bench/report/report'

/** What the bench's table says of the GET share it takes in pairs (scripts/bench/report/report.ts, measures/server.ts). */
describe('the report of a share taken in pairs', () => {
  it('at the bench\'s 3 s: each server warmed 1 s, then 4 pairs of 1 s windows', () => {
    expect(getWindows(3)).toEqual({ pairs: 4, windowSeconds: 1, warmSeconds: 1 })
  })

  const size: SizeResult = {
    events: 1_000_000,
    runs: 3,
    figures: { readsOfCeiling: [84, 79, 88, 83, 86, 81, 90, 85, 80], readsPerSecond: [19_000, 20_000, 21_000], rebuildEventsPerSecond: [150_000, 140_000, 160_000] },
    medians: { readsOfCeiling: 84, readsPerSecond: 20_000, rebuildEventsPerSecond: 150_000 },
    notes: { rebuildEventsPerSecond: 'read thread in 2 of 3 run(s)' },
  }
  const result: BenchResult = { startedAt: '2026-11-29T12:00:00.000Z', machine: { cpus: 2, node: '20.20.2', loadStart: [1, 1, 1], loadEnd: [2, 2, 2] }, get: getWindows(3), writes: writeWindows(3), sizes: [size] }

  it('says beside the share how many pairs its median is of and their range', () => {
    expect(pairsNote('readsOfCeiling', [84, 79, 88])).toBe('median of 3 interleaved pairs; pairs 79–88 %')
    const share = rows(size).find((r) => r[0] === 'GET table 3 as a share of the ceiling')!
    expect(share).toEqual(['GET table 3 as a share of the ceiling', '84 % (median of 9 interleaved pairs; pairs 79–90 %)', '≥ 80 %', 'PASS (1.05× the target)'])
  })

  it('says nothing of pairs beside a figure taken per run, and keeps the other notes', () => {
    const r = rows(size)
    expect(r.find((x) => x[0] === 'GET table 3, 64 connections')![1]).toBe('20,000 req/s')
    expect(r.find((x) => x[0].startsWith('full rebuild'))![1]).toBe('150,000 events/s (read thread in 2 of 3 run(s))')
  })

  it('the Markdown and the terminal table carry the same row, and the Markdown says how the GET and the as-of query were taken', () => {
    const md = markdown(result)
    expect(md).toContain('| GET table 3 as a share of the ceiling | 84 % (median of 9 interleaved pairs; pairs 79–90 %) | ≥ 80 % | PASS (1.05× the target) |')
    expect(md).toContain('each is warmed by one unmeasured 1 s window, then they are loaded one at a time in 4 pairs of 1 s windows a run, the order reversed every pair')
    expect(md).toContain('the table gives the median of every pair of every run, and their range')
    // The writes are of a warm server: an uncounted window of the same load before the measured one.
    expect(writeWindows(3)).toEqual({ warmSeconds: 3, windowSeconds: 3 })
    expect(md).toContain('loaded at that count for an uncounted 3 s window (V8 compiles the command path in the first seconds of load), then measured for 3 s')
    // The as-of figure is of warm queries: after warm-up ones, not the first after the rebuild (those are a row of their own).
    expect(md).toContain('after 100 warm-up queries (its code compiled for them, the rebuild\'s garbage collected), 100 queries at random instants')
    expect(md).toContain('the warm-up queries\' own p95 is a row of its own, for information')
    // The rebuild is a user's: the built CLI's snapshots rebuild in a fresh process, its own gate deciding on the read thread.
    expect(md).toContain('The full rebuild: `budget-ledger snapshots rebuild --json` of the built CLI (dist, as users run it) in a fresh process on a fresh copy of the file')
    expect(md).toContain('the read thread then runs only if the command\'s own gate finds a core idle, as for a user')
    expect(md).toContain('Tables before 2026-11-29 (evening) took the indexed rebuild inside scripts/focused-bench/bench-asof.ts through tsx')
    expect(text(result)).toMatch(/GET table 3 as a share of the ceiling +84 % \(median of 9 interleaved pairs; pairs 79–90 %\) +≥ 80 % +PASS/)
  })

  it('says beside the rebuild in how many runs the read thread ran, the busy cores each gate decided on, and each wait for the machine to settle', () => {
    const run = (ran: boolean, busyCores: number | null, seconds: number, settled = true): RebuildRun => ({ eventsPerSecond: 300_000, foldEventsPerSecond: 400_000, readThread: { ran, gate: { idle: ran, busyCores, limit: 0.5 } }, settled: { seconds, settled, busyCores: 0.2 } })
    expect(rebuildNote([run(true, 0.12, 0.25), run(false, 1.8, 10.1, false), run(true, 0.3, 2)])).toBe("read thread in 2 of 3 run(s); the gate's busy cores 0.12 / 1.80 / 0.30; waited 0.3 s / 10.1 s (still busy) / 2.0 s to settle")
    const short: RebuildRun = { eventsPerSecond: 30_000, foldEventsPerSecond: 40_000, readThread: { ran: false, gate: null }, settled: { seconds: 0.25, settled: true, busyCores: 0 } }
    expect(rebuildNote([short])).toBe("read thread in 0 of 1 run(s); the gate's busy cores not asked; waited 0.3 s to settle")
  })
})
