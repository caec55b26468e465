import type { FundSource } from '../../src/domain/classification'
import { isGeneralBudget } from '../../src/domain/classification'

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
