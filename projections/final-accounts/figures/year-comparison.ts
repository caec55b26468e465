import type Decimal from 'decimal.js'
import type { BudgetYearState } from '../../../src/domain/budget-year'
import type { Catalogue } from '../../../src/domain/budget-file/catalogue'
import { THREE_PUBLIC, type ThreePublic } from '../../../src/domain/budget-file/classification'
import type { FinalComparatives } from '../../../src/domain/events/events'
import { percent, sum, yuan } from '../../../src/domain/money/money'
import { type ClassShare, classShares } from '../../report'
import type { TableModel } from '../../table'
import { FINAL_TABLES } from '../catalogue/catalogue'
import { threePublicSpent } from '../tables/three-public-expenses'

/**
 * 与上年度相比 in the 决算 情况说明: this year's 决算 figures against last year's. Last year's come
 * from the previous unit-year when the ledger holds it (the same figures of the same tables, read
 * as of the same instant), else from the 决算 figures recorded with the year's opening
 * (previousYear.finalAccounts), else nowhere: a figure that is in neither is not compared, never
 * taken as 0. A base of 0 gives a change but no growth rate.
 */

export const COMPARED = [
  'total',
  'yearIncome',
  'yearExpenditure',
  'basic',
  'project',
  'fiscalTotal',
  'generalBudget',
  'officeOperating',
  'threePublic',
  ...THREE_PUBLIC.map((c) => `threePublic.${c}` as const),
] as const
export type Compared = (typeof COMPARED)[number]

export const COMPARED_LABEL: Readonly<Record<Compared, string>> = {
  total: '收入支出总计',
  yearIncome: '本年收入',
  yearExpenditure: '本年支出',
  basic: '基本支出',
  project: '项目支出',
  fiscalTotal: '财政拨款收入支出总计',
  generalBudget: '一般公共预算财政拨款支出',
  officeOperating: '一般公共预算财政拨款公用经费（机关运行经费）',
  threePublic: '财政拨款“三公”经费',
  'threePublic.abroad': '因公出国（境）费',
  'threePublic.vehiclePurchase': '公务用车购置费',
  'threePublic.vehicleOperation': '公务用车运行维护费',
  'threePublic.reception': '公务接待费',
}

export type YearFigures = Readonly<Partial<Record<Compared, Decimal>>>

/** The figures a year's 决算 tables give for each compared item (exact 元). */
export const finalYearFigures = (s: BudgetYearState, catalogue: Catalogue): Readonly<Record<Compared, Decimal>> => {
  const table = (id: string): TableModel => FINAL_TABLES.find((p) => p.id === id)!.render(s, catalogue)
  const f1 = table('final-income-expenditure-summary').totals
  const f3 = table('final-expenditure').totals
  const f4 = table('final-fiscal-appropriation-summary').totals
  const f6 = table('final-general-budget-basic-expenditure').totals
  const byCategory = Object.fromEntries(THREE_PUBLIC.map((c) => [`threePublic.${c}`, threePublicSpent(s, [c])])) as Record<`threePublic.${ThreePublic}`, Decimal>
  return {
    total: f1.income!,
    yearIncome: f1.yearIncome!,
    yearExpenditure: f1.yearExpenditure!,
    basic: f3.basic!,
    project: f3.project!,
    fiscalTotal: f4.income!,
    generalBudget: f4.general!,
    officeOperating: f6.operating!,
    threePublic: threePublicSpent(s, THREE_PUBLIC),
    ...byCategory,
  }
}

/** The figures recorded with the year: 三公 合计 as stated, else the sum once all four categories are. */
export const recordedFigures = (r: FinalComparatives | undefined): YearFigures => {
  if (!r) return {}
  const { threePublic = {}, threePublicTotal, ...plain } = r
  const out: Partial<Record<Compared, Decimal>> = {}
  for (const [k, v] of Object.entries(plain)) if (v !== undefined) out[k as Compared] = yuan(v)
  for (const c of THREE_PUBLIC) if (threePublic[c] !== undefined) out[`threePublic.${c}`] = yuan(threePublic[c]!)
  if (threePublicTotal !== undefined) out.threePublic = yuan(threePublicTotal)
  else if (THREE_PUBLIC.every((c) => threePublic[c] !== undefined)) out.threePublic = sum(THREE_PUBLIC.map((c) => yuan(threePublic[c]!)))
  return out
}

export interface YearChange {
  readonly item: Compared
  readonly label: string
  readonly current: Decimal
  /** Absent where last year's figure is in neither the ledger nor the opening's record. */
  readonly previous?: Decimal
  readonly change?: Decimal
  /** change ÷ previous in percent, two decimals half-up; absent when previous is 0 or absent. */
  readonly growth?: string
}

export interface FinalYearComparison {
  readonly lastYear: number
  /** Where last year's figures come from. */
  readonly source: 'ledger' | 'recorded' | 'none'
  /** The ledger's previous unit-year is not closed yet: its figures are its execution so far. */
  readonly lastYearOpen?: true
  readonly items: ReadonlyArray<YearChange>
}

/** This year against last year's figures; `previous` is the previous unit-year's state, when the ledger holds it. */
export const compareWithLastYear = (s: BudgetYearState, catalogue: Catalogue, previous: BudgetYearState | undefined): FinalYearComparison => {
  const now = finalYearFigures(s, catalogue)
  const inLedger = previous?.identity !== undefined
  const last: YearFigures = inLedger ? finalYearFigures(previous, catalogue) : recordedFigures(s.identity!.previousYear.finalAccounts)
  const source = inLedger ? 'ledger' : Object.keys(last).length > 0 ? 'recorded' : 'none'
  const items = COMPARED.map((item): YearChange => {
    const current = now[item]
    const before = last[item]
    if (before === undefined) return { item, label: COMPARED_LABEL[item], current }
    const change = current.minus(before)
    const growth = percent(change, before)
    return { item, label: COMPARED_LABEL[item], current, previous: before, change, ...(growth === undefined ? {} : { growth }) }
  })
  return { lastYear: s.identity!.year - 1, source, ...(inLedger && !previous.closed ? { lastYearOpen: true as const } : {}), items }
}

/** 一般公共预算财政拨款支出 决算数 by 类 (表五), each with its share of the 合计, as the 情况说明 prints them. */
export const generalBudgetClassShares = (s: BudgetYearState, catalogue: Catalogue): ClassShare[] => {
  const f5 = FINAL_TABLES.find((p) => p.id === 'final-general-budget-expenditure')!.render(s, catalogue)
  const rows = f5.parts[0]!.rows.filter((r) => typeof r.cells[0] === 'string' && r.cells[0].length === 3)
  return classShares(rows.map((r) => [r.cells[0] as string, r.cells[4] as Decimal] as const), f5.totals.actual!, catalogue)
}
