import { lazyMetrics } from './lazy-metrics'

/**
 * What a fold timed is for: `catch-up` brings a timeline up to the store's head (the cold fold of
 * a whole year is one), `tail` folds from the nearest snapshot to an as-of point, `snapshot-load`
 * and `snapshot-save` are for persisted snapshots.
 */
export type FoldKind = 'catch-up' | 'tail' | 'snapshot-load' | 'snapshot-save'

export const foldMetrics = lazyMetrics((prom, registry) => ({
  folds: new prom.Histogram({
    name: 'ledger_fold_duration_seconds',
    help: 'Time spent folding events into a budget year state, or loading / saving a snapshot of one',
    labelNames: ['kind'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    registers: [registry],
  }),
  folded: new prom.Histogram({
    name: 'ledger_fold_events',
    help: 'Events folded by one fold',
    labelNames: ['kind'],
    buckets: [0, 1, 10, 100, 1000, 10_000, 100_000, 1_000_000],
    registers: [registry],
  }),
}))

/** A fold's timer started under its kind; what ends it with the events folded (undefined: metrics off). */
const started = (kind: FoldKind): ((folded: number) => void) | undefined => {
  const m = foldMetrics()
  if (m === undefined) return undefined
  const end = m.folds.startTimer({ kind })
  return (folded) => {
    end()
    m.folded.observe({ kind }, folded)
  }
}

/** Times `fold` (which returns how many events it folded) under its kind, where metrics are collected. */
export const timeFold = async (kind: FoldKind, fold: () => Promise<number>): Promise<number> => {
  const done = started(kind)
  const n = await fold()
  done?.(n)
  return n
}

/**
 * The same for work that does not wait (a snapshot's save inside a fold's page, a restore): timed
 * to its end, not to the next turn of the microtask queue, which inside a page is the page's end.
 */
export const timeFoldNow = (kind: FoldKind, fold: () => number): number => {
  const done = started(kind)
  const n = fold()
  done?.(n)
  return n
}
