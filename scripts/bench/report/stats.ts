/** The q-quantile of sorted figures (nearest rank). */
export const quantile = (sorted: ReadonlyArray<number>, q: number): number => {
  if (sorted.length === 0) throw new Error('invariant: a quantile of no figures')
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export const sorted = (xs: ReadonlyArray<number>): number[] => [...xs].sort((a, b) => a - b)

/** The median of several runs: what a benchmark reports, so one disturbed run does not decide. */
export const median = (xs: ReadonlyArray<number>): number => quantile(sorted(xs), 0.5)
