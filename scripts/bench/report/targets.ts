/**
 * Issue 15's targets, set for 1,000,000 events on a 2-core machine. At smaller sizes the same bounds
 * are shown: passing them there says nothing about 1M, missing them there says a lot.
 */
export interface Target {
  readonly label: string
  readonly unit: string
  /** 'max': the figure must be at most the bound; 'min': at least. */
  readonly kind: 'max' | 'min'
  readonly bound: number
  readonly decimals: number
  /**
   * A figure per interleaved pair of windows, not per run (the GET share: measures/server.ts): the
   * table shows the median of every pair of every run, and their range beside it.
   */
  readonly perPair: boolean
}

const t = (label: string, unit: string, kind: 'max' | 'min', bound: number, decimals: number, perPair = false): Target => ({ label, unit, kind, bound, decimals, perPair })

export const TARGETS = {
  coldTableSeconds: t('cold CLI `table 3 --as-of`: wall time', 's', 'max', 0.3, 2),
  coldTableRssMb: t('cold CLI `table 3 --as-of`: peak RSS', 'MB', 'max', 150, 0),
  coldIndicatorsSeconds: t('cold CLI `indicators --as-of`: wall time', 's', 'max', 0.3, 2),
  coldIndicatorsRssMb: t('cold CLI `indicators --as-of`: peak RSS', 'MB', 'max', 150, 0),
  firstAnswerSeconds: t('server: first answer after start', 's', 'max', 0.5, 2),
  serverRssMb: t('server: resident memory holding the year', 'MB', 'max', 200, 0),
  rebuildEventsPerSecond: t('full rebuild from the log, as-of index included', 'events/s', 'min', 400_000, 0),
  rebuildFoldEventsPerSecond: t('full rebuild: the fold, with the snapshots it saves as it goes (all but the last chunk)', 'events/s', 'min', 0, 0),
  writes1: t('durable writes, 1 HTTP client', 'events/s', 'min', 0, 0),
  writes8: t('durable writes, 8 HTTP clients', 'events/s', 'min', 0, 0),
  writes64: t('durable writes, 64 HTTP clients', 'events/s', 'min', 6_000, 0),
  writes64P99Ms: t('durable writes, 64 HTTP clients: p99', 'ms', 'max', 30, 1),
  readsPerSecond: t('GET table 3, 64 connections', 'req/s', 'min', 0, 0),
  readsP99Ms: t('GET table 3, 64 connections: p99', 'ms', 'max', Number.POSITIVE_INFINITY, 1),
  ceilingPerSecond: t('prebuilt JSON on Express (the ceiling), 64 connections', 'req/s', 'min', 0, 0),
  readsOfCeiling: t('GET table 3 as a share of the ceiling', '%', 'min', 80, 0, true),
  asOfP95Ms: t('as-of query, warm: p95', 'ms', 'max', 10, 2),
  asOfFirstP95Ms: t('as-of query, the first after the rebuild (the warm-up): p95', 'ms', 'max', Number.POSITIVE_INFINITY, 2),
} as const

export type MeasureKey = keyof typeof TARGETS

/** Rows without a bound (bound 0 for 'min', ∞ for 'max') are shown for information. */
export const hasBound = (target: Target): boolean => (target.kind === 'min' ? target.bound > 0 : Number.isFinite(target.bound))

export const passes = (target: Target, value: number): boolean => (target.kind === 'min' ? value >= target.bound : value <= target.bound)
