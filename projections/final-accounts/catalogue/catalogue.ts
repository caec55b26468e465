import type { TableProjection } from '../../table'
import { finalExpenditure } from '../tables/expenditure'
import { finalFiscalAppropriationSummary } from '../tables/fiscal-appropriation-summary'
import { finalGeneralBudgetBasicExpenditure } from '../tables/general-budget-basic-expenditure'
import { finalGeneralBudgetExpenditure } from '../tables/general-budget-expenditure'
import { finalGovernmentFund } from '../tables/government-fund'
import { finalIncome } from '../tables/income'
import { finalIncomeExpenditureSummary } from '../tables/income-expenditure-summary'
import { finalStateCapitalExpenditure } from '../tables/state-capital-expenditure'
import { finalThreePublicExpenses } from '../tables/three-public-expenses'

/**
 * The 部门决算 table set, by number. A province's extra table (支出决算明细表, 项目支出决算表) is one
 * more file here and one more line below: the CLI, the HTTP API, the exports and the page list
 * whatever this catalogue holds. Ids and numbers are stable.
 */
export const FINAL_TABLES: ReadonlyArray<TableProjection> = [
  finalIncomeExpenditureSummary,
  finalIncome,
  finalExpenditure,
  finalFiscalAppropriationSummary,
  finalGeneralBudgetExpenditure,
  finalGeneralBudgetBasicExpenditure,
  finalThreePublicExpenses,
  finalGovernmentFund,
  finalStateCapitalExpenditure,
].sort((a, b) => a.number - b.number)
