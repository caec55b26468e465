import { fundIncomeExpenditureTable } from './fund-income-expenditure'

/**
 * 决算表九、国有资本经营预算财政拨款收入支出决算表, laid out as 决算表八 (the 普陀区 documents print it
 * so; the id stays that of the earlier 支出决算表 layout, so links and exports keep working).
 */
export const finalStateCapitalExpenditure = fundIncomeExpenditureTable({
  id: 'final-state-capital-expenditure',
  number: 9,
  title: '国有资本经营预算财政拨款收入支出决算表',
  kind: 'stateCapital',
  what: '国有资本经营预算',
})
