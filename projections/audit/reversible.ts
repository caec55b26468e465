import { type BudgetYearState, isReversed, isReversible, journalEntry } from '../../src/domain/budget-year'
import type { HistoryEntry } from './history'

/**
 * The entries a correction may still reverse (冲销): adjustments, expenditures and detailed special
 * funds of this state that no later reversal has undone, latest first, as a person looks for them.
 */
export const reversibleEntries = (s: BudgetYearState, history: ReadonlyArray<HistoryEntry>): HistoryEntry[] =>
  history
    .filter((e) => {
      const j = journalEntry(s, e.id)
      return j !== undefined && isReversible(j.event) && !isReversed(s, j)
    })
    .reverse()
