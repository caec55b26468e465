import { fundExpenditureTable } from '../fund-expenditure'

/** 九、国有资本经营预算支出情况表: as table 3, for 国有资本经营预算 money only. */
export const stateCapitalExpenditure = fundExpenditureTable({
  id: 'state-capital-expenditure',
  number: 9,
  title: '国有资本经营预算支出情况表',
  source: 'stateCapital',
  what: '国有资本经营预算',
})
