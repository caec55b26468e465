import type { EconomicCode, ThreePublic } from '../budget-file/classification'
import { type Fen, ZERO_FEN, plusFen } from '../money/fen'

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

/**
 * Each key made once: a new `${code}:${category}` text per expenditure, then looked up in the string
 * table as a property name, was most of spend's cost in a rebuild. Bounded by the codes and
 * categories a ledger uses.
 */
const KEYS = new Map<EconomicCode | null, Map<ThreePublic | null, string>>()

export const spendingKey = (k: SpendingKind): string => {
  let byCategory = KEYS.get(k.economicCode)
  if (byCategory === undefined) KEYS.set(k.economicCode, (byCategory = new Map()))
  let key = byCategory.get(k.threePublic)
  if (key === undefined) byCategory.set(k.threePublic, (key = `${k.economicCode ?? NONE}:${k.threePublic ?? NONE}`))
  return key
}

export const spendingKindOf = (key: string): SpendingKind => {
  const at = key.indexOf(':')
  const code = key.slice(0, at)
  const category = key.slice(at + 1)
  return { economicCode: code === NONE ? null : (code as EconomicCode), threePublic: category === NONE ? null : (category as ThreePublic) }
}

/**
 * `s` with `by` (分, negative to take back) spent under `k`. Copied by Object.assign, not a spread:
 * each line's sums are a copy of a copy, the chain V8 11.3 spreads slowly (copies.ts); the keys are
 * never "__proto__", so assigning them defines them as a spread would.
 */
export const spend = (s: Spending, k: SpendingKind, by: Fen): Spending => {
  const key = spendingKey(k)
  const next: Record<string, Fen> = Object.assign({}, s)
  next[key] = plusFen(s[key] ?? ZERO_FEN, by)
  return next
}
