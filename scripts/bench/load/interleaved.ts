import { median, sorted } from '../report/stats'

/**
 * Two or more servers measured on a shared machine (docs/speed.md, "GET share, measured in pairs"):
 * all up and warm, loaded one at a time in rounds of windows, so that what the other processes do
 * to the machine falls on every side alike, and judged round by round, never one side's run
 * against another's taken minutes apart.
 */

/**
 * The order of the windows in each of `rounds` rounds: `sides` as given in even rounds, reversed in
 * odd ones (for two sides A B, B A, A B, …: ABBA), so a machine load that rises or falls over the
 * rounds is shared by the sides instead of always falling on whichever goes second.
 */
export const alternatingOrder = <T>(sides: ReadonlyArray<T>, rounds: number): T[][] => {
  if (sides.length === 0) throw new Error('alternatingOrder: no sides to order')
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`alternatingOrder: rounds must be a positive integer, got ${rounds}`)
  return Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? [...sides] : [...sides].reverse()))
}

/** Ours as a percentage of the ceiling within one pair of windows (req/s of each). */
export const pairShare = (ours: number, ceiling: number): number => {
  if (!(ceiling > 0) || !(ours >= 0)) throw new Error(`pairShare: expected rates ours ≥ 0 and ceiling > 0, got ${ours} and ${ceiling}`)
  return (100 * ours) / ceiling
}

export interface ShareSummary {
  /** The bench's median (stats.ts): one disturbed pair does not decide. */
  readonly median: number
  readonly low: number
  readonly high: number
  readonly pairs: number
}

/** The shares of every pair: their median and their range, which says how far a single pair could be trusted. */
export const shareSummary = (shares: ReadonlyArray<number>): ShareSummary => {
  if (shares.length === 0) throw new Error('shareSummary: no pairs were measured')
  const s = sorted(shares)
  return { median: median(s), low: s[0]!, high: s[s.length - 1]!, pairs: s.length }
}
