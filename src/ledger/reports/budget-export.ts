import type { BudgetFile } from '../../domain/budget-file/budget-file'
import { budgetFileOf } from '../../domain/budget-file/budget-file-of'
import type { BudgetYearState } from '../../domain/budget-year'
import { streamOf } from '../../domain/codecs/primitives'
import type { EventStore } from '../../store/port'

/**
 * The budget file of a year as it stands, for the machine-readable sheets of the ledger's own
 * workbook: the state's lines, with the approval date, document and reason of the event that
 * opened the year (the state keeps the figures, the log keeps the metadata).
 */
export const budgetFileAt = async (store: EventStore, state: BudgetYearState): Promise<BudgetFile> => {
  const id = state.identity!
  const [opened] = await store.readStream(streamOf(id.unit.code, id.year), { fromRevision: 0, maxCount: 1 })
  const m: Record<string, unknown> = opened?.metadata ?? {}
  return budgetFileOf(state, {
    approvedOn: typeof m.effectiveDate === 'string' ? m.effectiveDate : `${id.year}-01-01`,
    document: typeof m.document === 'string' ? m.document : null,
    ...(typeof m.reason === 'string' ? { source: m.reason } : {}),
  })
}
