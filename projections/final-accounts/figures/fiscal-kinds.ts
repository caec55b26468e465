import type { Line } from '../../../src/domain/budget-year'
import { originalFundSourceOf } from '../../../src/domain/budget-year/state'
import type { FundSource } from '../../../src/domain/budget-file/classification'
import { isGeneralBudget } from '../../../src/domain/budget-file/classification'

/**
 * 财政拨款 in the 决算 is money of the three government budgets, told apart the way table 4 of the
 * 预算 tells them (all five 一般公共预算 sources count as 一般公共预算财政拨款), so that the 决算 and
 * the 预算 agree on what is 财政拨款.
 */
export const FISCAL_KINDS = ['general', 'governmentFund', 'stateCapital'] as const
export type FiscalKind = (typeof FISCAL_KINDS)[number]

export const FISCAL_KIND_LABEL: Record<FiscalKind, string> = {
  general: '一般公共预算财政拨款',
  governmentFund: '政府性基金预算财政拨款',
  stateCapital: '国有资本经营预算财政拨款',
}

/** The government budget a fund source belongs to; null for money that is not 财政拨款. */
export const fiscalKindOf = (s: FundSource): FiscalKind | null =>
  isGeneralBudget(s) ? 'general' : s === 'governmentFund' ? 'governmentFund' : s === 'stateCapital' ? 'stateCapital' : null

/**
 * Where a line's money comes from, as the 决算 reads it: carried-in money (上年结转) counts as the
 * source it was budgeted from, so 财政拨款 carried in is 年初财政拨款结转和结余 and what is spent
 * from it is 财政拨款 spending (表四, 表五). A carried line that does not say stays carriedForward.
 */
export const sourceOfLine = (l: Line): FundSource => originalFundSourceOf(l) ?? l.fundSource

/** The government budget a line's money belongs to (sourceOfLine); null when it is not 财政拨款. */
export const fiscalKindOfLine = (l: Line): FiscalKind | null => fiscalKindOf(sourceOfLine(l))
