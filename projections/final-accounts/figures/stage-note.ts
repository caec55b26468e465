import type { BudgetYearState } from '../../../src/domain/budget-year'

/**
 * What moment a 决算 table shows. Before the year-end close it is the execution report so far:
 * the unspent money is shown as 年末结转和结余 (the balance to date), not yet split or recovered.
 */
export const stageNote = (s: BudgetYearState): string =>
  s.closed
    ? `${s.identity!.year}年已年终结账：年末结转和结余、收回为结账所定之数。`
    : `${s.identity!.year}年尚未年终结账：本表为截至目前的执行情况，决算数为已支出数，年末结转和结余为尚未支出的余额。`
