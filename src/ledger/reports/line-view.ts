import { type LineView, lineView } from '../../../projections/audit/line-view'
import type { TimePoint } from '../../domain/time/as-of'
import type { EventStore } from '../../store/port'
import { type Target, UnknownLine } from './audit'
import { loadBudgetYear } from '../fold/load'
import { YearNotOpen } from './tables'

/** One budget line of a unit-year at a point in time (projections/audit/line-view.ts), from the store. */
export const yearLine = async (store: EventStore, target: Target, line: string, at: TimePoint = {}): Promise<LineView & { at: TimePoint }> => {
  const { state, events } = await loadBudgetYear(store, target.unit, target.year, at)
  if (!state.identity) throw new YearNotOpen(target.unit, target.year)
  const view = lineView(state, events, line)
  if (!view) throw new UnknownLine(line, target, [...state.lines.keys()])
  return { ...view, at }
}
