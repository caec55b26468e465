import type { TimePoint } from '../../domain/time/as-of'
import type { BudgetYearState } from '../../domain/budget-year'
import type { EventStore } from '../../store/port'
import { departmentYearAt } from './department'
import { budgetYearAt } from '../fold/snapshots/snapshots'

/** What a read is about: one unit-year, or a department's year consolidated (合并). */
export type ReadScope = { readonly unit: string; readonly year: number } | { readonly department: string; readonly year: number }

/** The state a read shows at `at`: the unit-year's, or the department's consolidated one (identity undefined when not open then). */
export const readScopeAt = async (store: EventStore, scope: ReadScope, at: TimePoint): Promise<BudgetYearState> =>
  'department' in scope ? (await departmentYearAt(store, scope.department, scope.year, at)).state : (await budgetYearAt(store, scope.unit, scope.year, at)).state

/**
 * The year before, as of the same instant, for the 决算 情况说明's 与上年度相比; undefined when the
 * ledger does not hold it (the 决算 figures recorded with the year's opening are used then).
 */
export const previousYearAt = async (store: EventStore, scope: ReadScope, at: TimePoint): Promise<BudgetYearState | undefined> => {
  const before = await readScopeAt(store, { ...scope, year: scope.year - 1 }, at)
  return before.identity ? before : undefined
}
