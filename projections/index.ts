import { type TableProjection, type TableSet, tableCode } from './table'
import { FINAL_TABLES } from './final-accounts/catalogue/catalogue'
import { expenditureByEconomicClass } from './budget-tables/expenditure-by-economic-class'
import { threePublicExpenses } from './budget-tables/three-public-expenses'
import { unitPerformanceTargets } from './budget-tables/unit-performance-targets'
import { projectPerformanceTargets } from './budget-tables/project-performance-targets'
import { expenditureSummary } from './budget-tables/expenditure-summary'
import { incomeExpenditureSummary } from './budget-tables/income-expenditure-summary'
import { incomeSummary } from './budget-tables/income-summary'
import { fiscalAppropriationSummary } from './budget-tables/fiscal-appropriation-summary'
import { generalBudgetExpenditure } from './budget-tables/general-budget-expenditure'
import { governmentFundExpenditure } from './budget-tables/government-fund-expenditure'
import { stateCapitalExpenditure } from './budget-tables/state-capital-expenditure'

/**
 * The eleven official tables of a 部门预算, by number. Ids and numbers are stable: the CLI, the
 * HTTP API and the exports use them.
 */
export const TABLES: ReadonlyArray<TableProjection> = [
  expenditureByEconomicClass,
  threePublicExpenses,
  unitPerformanceTargets,
  projectPerformanceTargets,
  expenditureSummary,
  incomeExpenditureSummary,
  incomeSummary,
  fiscalAppropriationSummary,
  generalBudgetExpenditure,
  governmentFundExpenditure,
  stateCapitalExpenditure,
].sort((a, b) => a.number - b.number)

export { FINAL_TABLES }

/** The tables of one set: the eleven 预算 tables or the 决算 set. */
export const tablesOf = (set: TableSet): ReadonlyArray<TableProjection> => (set === 'final' ? FINAL_TABLES : TABLES)

/**
 * A table of either set by id or code: "4" or "income-summary" (预算), "F5" or
 * "final-general-budget-expenditure" (决算). Within one set (`set` given), a bare number is that set's.
 */
export const findTable = (idOrNumber: string, set?: TableSet): TableProjection | undefined => {
  const code = idOrNumber.trim().toUpperCase()
  const within = set ? tablesOf(set) : [...TABLES, ...FINAL_TABLES]
  return within.find((t) => t.id === idOrNumber || tableCode(t) === code || (set !== undefined && String(t.number) === code))
}

// The ids must not collide across the sets: a table is found by its id alone.
if (new Set([...TABLES, ...FINAL_TABLES].map((t) => t.id)).size !== TABLES.length + FINAL_TABLES.length)
  throw new Error('invariant: every table id, 预算 and 决算, is unique')
