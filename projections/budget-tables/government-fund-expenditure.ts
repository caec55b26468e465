import { fundExpenditureTable } from '../fund-expenditure'

/** 八、政府性基金预算支出情况表: as table 3, for 政府性基金预算 money only. */
export const governmentFundExpenditure = fundExpenditureTable({
  id: 'government-fund-expenditure',
  number: 8,
  title: '政府性基金预算支出情况表',
  source: 'governmentFund',
  what: '政府性基金预算',
})
