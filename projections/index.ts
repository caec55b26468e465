import type { TableProjection } from './table'
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

export const findTable = (idOrNumber: string): TableProjection | undefined =>
  TABLES.find((t) => t.id === idOrNumber || String(t.number) === idOrNumber)
