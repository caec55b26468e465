import { join } from 'node:path'
import { ROOT, runTimed } from '../processes'

export interface RebuildRun {
  /** Every event read and folded, the as-of index built (snapshots, timeline), all eleven tables rendered. */
  readonly indexedEventsPerSecond: number
  /** Whether that rebuild read the stream on a second thread (it does only when a core is idle). */
  readonly indexedReadThread: boolean
  readonly plainEventsPerSecond: number
  readonly asOfP95Ms: number
}

/** scripts/bench-asof.ts on the same file, in its own process (a rebuild's memory is not the runner's). */
export const rebuild = async (db: string, events: number): Promise<RebuildRun> => {
  const loader = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')
  const r = await runTimed(['--import', loader, join(ROOT, 'scripts', 'bench-asof.ts'), '--db', db, '--events', String(events), '--rebuilds', '1', '--queries', '100', '--json'], {}, [0, 1])
  const j = JSON.parse(r.stdout) as { indexedRebuildEventsPerSecond: number; indexedRebuildReadThread: boolean; rebuildEventsPerSecond: number; asOfMs: { p95: number } }
  return { indexedEventsPerSecond: j.indexedRebuildEventsPerSecond, indexedReadThread: j.indexedRebuildReadThread === true, plainEventsPerSecond: j.rebuildEventsPerSecond, asOfP95Ms: j.asOfMs.p95 }
}
