import type { TableProjection } from './table'
import { expenditureByEconomicClass } from './expenditure-by-economic-class'
import { threePublicExpenses } from './three-public-expenses'
import { unitPerformanceTargets } from './unit-performance-targets'
import { projectPerformanceTargets } from './project-performance-targets'
import { expenditureSummary } from './expenditure-summary'
import { incomeExpenditureSummary } from './income-expenditure-summary'
import { incomeSummary } from './income-summary'
import { fiscalAppropriationSummary } from './fiscal-appropriation-summary'
import { generalBudgetExpenditure } from './general-budget-expenditure'
import { governmentFundExpenditure } from './government-fund-expenditure'
import { stateCapitalExpenditure } from './state-capital-expenditure'

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

export const findTable = (idOrNumber: string): TableProjection | undefined =>
  TABLES.find((t) => t.id === idOrNumber || String(t.number) === idOrNumber)
