import type { Request } from 'express'
import { UnitCode, Year } from '../domain/primitives'
import { type LoadedYear, loadBudgetYear } from '../ledger/load'
import type { EventStore } from '../store/port'
import { fail } from './problem'

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

/** The unit-year, folded; 404 when it has not been opened. */
export const loadOpenYear = async (store: EventStore, target: Target): Promise<LoadedYear> => {
  const loaded = await loadBudgetYear(store, target.unit, target.year)
  if (!loaded.state.identity) fail('not-found', `no budget year ${target.year} for unit ${target.unit} in this ledger`)
  return loaded
}
