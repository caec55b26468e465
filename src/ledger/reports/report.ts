import { finalReportJson } from '../../../projections/final-accounts/figures/report'
import { budgetReportJson } from '../../../projections/report'
import type { TableSet } from '../../../projections/table'
import type { TimePoint } from '../../domain/time/as-of'
import type { BudgetYearState } from '../../domain/budget-year'
import type { Catalogue } from '../../domain/budget-file/catalogue'
import type { EventStore } from '../../store/port'
import { type ReadScope, previousYearAt } from './read-scope'

/** The 情况说明 of either set as programs read it; `text` is what people read. */
export type ReportJson = ReturnType<typeof budgetReportJson> | ReturnType<typeof finalReportJson>

/**
 * The 情况说明 of a scope's year (`state`, read at `at`), for every shell: the 预算 one from the
 * year alone; the 决算 one compared with last year as the ledger held it at the same instant.
 */
export const reportAt = async (store: EventStore, scope: ReadScope, state: BudgetYearState, at: TimePoint, set: TableSet, catalogue: Catalogue): Promise<ReportJson> =>
  set === 'budget' ? budgetReportJson(state, catalogue) : finalReportJson(state, catalogue, await previousYearAt(store, scope, at))
