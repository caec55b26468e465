import type { EconomicCode, ThreePublic } from '../classification'
import { type Fen, ZERO_FEN, plusFen } from '../fen'

/**
 * A line's spending by 部门 economic code and 三公 category, in 分: what the 决算 tables read
 * (表六 by economic code, the 三公 table by category), kept by the fold so that no reader walks the
 * expenditures one by one. Keyed by spendingKey; a reversal takes its amount back from the same key,
 * so a sum may fall back to zero and stays (readers leave zero sums out).
 */
export type Spending = Readonly<Record<string, Fen>>

export const NO_SPENDING: Spending = {}

/** What a spending key stands for; null: the expenditure named none (and, for the code, neither did its line). */
export interface SpendingKind {
  readonly economicCode: EconomicCode | null
  readonly threePublic: ThreePublic | null
}

// Never a bare number, so an object keeps the keys in the order they were first spent on
// (an integer-like key would be moved to the front); "-" is neither a code nor a category.
const NONE = '-'

export const spendingKey = (k: SpendingKind): string => `${k.economicCode ?? NONE}:${k.threePublic ?? NONE}`

export const spendingKindOf = (key: string): SpendingKind => {
  const at = key.indexOf(':')
  const code = key.slice(0, at)
  const category = key.slice(at + 1)
  return { economicCode: code === NONE ? null : (code as EconomicCode), threePublic: category === NONE ? null : (category as ThreePublic) }
}

/** `s` with `by` (分, negative to take back) spent under `k`. */
export const spend = (s: Spending, k: SpendingKind, by: Fen): Spending => {
  const key = spendingKey(k)
  return { ...s, [key]: plusFen(s[key] ?? ZERO_FEN, by) }
}
