import type { TimePoint } from '../domain/as-of'
import type { BudgetYearState } from '../domain/budget-year'
import type { EventStore } from '../store/port'
import { budgetYearAt } from './snapshots'

/**
 * The previous unit-year as of the same instant, for the 决算 情况说明's 与上年度相比; undefined
 * when the ledger does not hold it (the recorded previousYear.finalAccounts are used then).
 */
export const previousUnitYearAt = async (store: EventStore, unit: string, year: number, at: TimePoint = {}): Promise<BudgetYearState | undefined> => {
  const { state } = await budgetYearAt(store, unit, year - 1, at)
  return state.identity ? state : undefined
}
