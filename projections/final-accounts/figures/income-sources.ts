import type Decimal from 'decimal.js'
import type { Line } from '../../../src/domain/budget-year'
import type { FundSource } from '../../../src/domain/budget-file/classification'
import { fiscalKindOfLine, sourceOfLine } from './fiscal-kinds'
import { figuresOf } from './year-figures'

/** The income columns of the 收入决算表 and rows of the 收入支出决算总表, in published order. */
export const INCOME_SOURCES = ['fiscal', 'higherLevelSubsidy', 'institution', 'operating', 'subordinateRemittance', 'other'] as const
export type IncomeSource = (typeof INCOME_SOURCES)[number]

export const INCOME_SOURCE_LABEL: Record<IncomeSource, string> = {
  fiscal: '财政拨款收入',
  higherLevelSubsidy: '上级补助收入',
  institution: '事业收入',
  operating: '经营收入',
  subordinateRemittance: '附属单位上缴收入',
  other: '其他收入',
}

const NON_FISCAL: Record<FundSource, Exclude<IncomeSource, 'fiscal'>> = {
  'general.appropriation': 'other',
  'general.administrativeFees': 'other',
  'general.specialRevenue': 'other',
  'general.stateAssetIncome': 'other',
  'general.housingFund': 'other',
  governmentFund: 'other',
  stateCapital: 'other',
  // 财政专户管理资金 (教育收费 and the like) is reported as 事业收入 in the 决算.
  specialAccount: 'institution',
  institutionIncome: 'institution',
  higherLevelSubsidy: 'higherLevelSubsidy',
  subordinateRemittance: 'subordinateRemittance',
  institutionOperatingIncome: 'operating',
  otherIncome: 'other',
  // A 上年结转 line's own 本年收入 is only what was added to it this year; its source is not recorded.
  carriedForward: 'other',
}

/**
 * THE place the 决算 reads non-fiscal income (事业收入, 经营收入, 其他收入, …) from: where a line's
 * 本年收入 came from, when it is not 财政拨款. The domain records no income received yet, only the
 * fund source a line is budgeted from, so the line's 本年收入 counts as received from that source.
 * When the domain records non-fiscal income of its own, this function is what changes.
 */
export const nonFiscalIncomeOf = (l: Line): { readonly source: Exclude<IncomeSource, 'fiscal'>; readonly amount: Decimal } | null =>
  fiscalKindOfLine(l) ? null : { source: NON_FISCAL[sourceOfLine(l)], amount: figuresOf(l).income }

/** A line's 本年收入 by income source (one source per line). */
export const incomeBySource = (l: Line): { readonly source: IncomeSource; readonly amount: Decimal } =>
  nonFiscalIncomeOf(l) ?? { source: 'fiscal', amount: figuresOf(l).income }
