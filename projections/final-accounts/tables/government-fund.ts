import { fundIncomeExpenditureTable } from './fund-income-expenditure'

/** 决算表八、政府性基金预算财政拨款收入支出决算表. */
export const finalGovernmentFund = fundIncomeExpenditureTable({
  id: 'final-government-fund',
  number: 8,
  title: '政府性基金预算财政拨款收入支出决算表',
  kind: 'governmentFund',
  what: '政府性基金预算',
})
