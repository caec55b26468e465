import { secondOwnRefusal } from '../domain/department-own'
import type { EventStore } from '../store/port'
import { departmentMembers } from './department'
import type { BatchStep, RecordError } from './record'

/**
 * The one rule of an opening that reaches beyond its own unit-year: a department has one 本级 a
 * year. Reads the members the opening's department already has that year (department.ts) and lets
 * the domain decide; the refusal names the step, as decide's refusals do. Commands computed from
 * earlier steps never open a year, so only listed ones are looked at.
 */
export const departmentOpeningRefusal = async (store: EventStore, steps: ReadonlyArray<BatchStep>): Promise<RecordError | undefined> => {
  for (const [step, s] of steps.entries()) {
    if (typeof s.commands === 'function') continue
    for (const c of s.commands) {
      if (c.type !== 'OpenBudgetYear' || c.data.department?.role !== 'own') continue
      const error = secondOwnRefusal(c.data, await departmentMembers(store, c.data.department.code, c.data.year))
      if (error) return { kind: 'refused', error, step }
    }
  }
  return undefined
}
