import { join } from 'node:path'
import { ROOT, runTimed } from '../processes'

export interface RebuildRun {
  /** Every event read and folded, the as-of index built (snapshots, timeline), all eleven tables rendered. */
  readonly indexedEventsPerSecond: number
  /** Whether that rebuild read the stream on a second thread (it does only when a core is idle). */
  readonly indexedReadThread: boolean
  readonly plainEventsPerSecond: number
  readonly asOfP95Ms: number
  /** The p95 of the warm-up queries before those: what the first queries after a rebuild pay (information). */
  readonly firstAsOfP95Ms: number
}

/** Warm as-of queries judged by the target, after as many warm-up ones (docs/speed.md, "As-of, warm"). */
export const AS_OF_QUERIES = 100
export const AS_OF_WARM = 100

/** The as-of measure's method, for the report under the title. */
export const asOfMethod =
  `The warm as-of query: in the rebuild's process, after ${AS_OF_WARM} warm-up queries (its code compiled for them, the rebuild's garbage collected), ${AS_OF_QUERIES} queries at random instants, each one random table rendered; ` +
  `the warm-up queries' own p95 is a row of its own, for information; tables before 2026-11-29 (afternoon) measured the first 100 right after the rebuild, whose p95 was their compiling and collecting (docs/speed.md, "As-of, warm").`

/** scripts/bench-asof.ts on the same file, in its own process (a rebuild's memory is not the runner's). */
export const rebuild = async (db: string, events: number): Promise<RebuildRun> => {
  const loader = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')
  const r = await runTimed(['--import', loader, join(ROOT, 'scripts', 'bench-asof.ts'), '--db', db, '--events', String(events), '--rebuilds', '1', '--queries', String(AS_OF_QUERIES), '--warm', String(AS_OF_WARM), '--json'], {}, [0, 1])
  const j = JSON.parse(r.stdout) as { indexedRebuildEventsPerSecond: number; indexedRebuildReadThread: boolean; rebuildEventsPerSecond: number; asOfMs: { p95: number }; firstAsOfMs: { p95: number } }
  return { indexedEventsPerSecond: j.indexedRebuildEventsPerSecond, indexedReadThread: j.indexedRebuildReadThread === true, plainEventsPerSecond: j.rebuildEventsPerSecond, asOfP95Ms: j.asOfMs.p95, firstAsOfP95Ms: j.firstAsOfMs.p95 }
}
