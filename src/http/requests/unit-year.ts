import type { Request } from 'express'
import { UnitCode, Year } from '../../domain/codecs/primitives'
import type { BudgetYearState } from '../../domain/budget-year'
import { budgetYearAt } from '../../ledger/fold/snapshots/snapshots'
import type { EventStore } from '../../store/port'
import { fail } from '../wire/problem'

export interface Target {
  readonly unit: string
  readonly year: number
}

/** The unit-year named by the path (:unit, :year); 404 when it cannot name one. */
export const targetOf = (req: Request): Target => {
  const { unit, year } = req.params as Record<string, string | undefined>
  const n = year !== undefined && /^\d{4}$/.test(year) ? Number(year) : NaN
  if (unit === undefined || !UnitCode.is(unit) || !Year.is(n)) fail('not-found', 'no such budget year: the address needs a unit code of 3-12 digits and a year such as 2021')
  return { unit: unit as string, year: n }
}

/**
 * The unit-year as it stands now; 404 when it has not been opened. Through the same snapshot cache
 * as the as-of reads: a read folds only the events appended since the last one, not the whole stream.
 */
export const loadOpenYear = async (store: EventStore, target: Target): Promise<{ state: BudgetYearState }> => {
  const { state } = await budgetYearAt(store, target.unit, target.year)
  return { state: openedOrNotFound(state, target) }
}

/** 404 for a unit-year that is not open: in the ledger as it stands (now), or at the time-travel point asked for (then). */
export const yearNotFound = (target: Target, when: 'now' | 'then' = 'now'): never =>
  fail('not-found', `no budget year ${target.year} for unit ${target.unit} ${when === 'then' ? 'at that point in time' : 'in this ledger'}`)

/** The state of a unit-year that has been opened; 404 otherwise. */
export const openedOrNotFound = (state: BudgetYearState, target: Target, when: 'now' | 'then' = 'now'): BudgetYearState =>
  state.identity ? state : yearNotFound(target, when)
