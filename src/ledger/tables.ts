import type { BudgetYearState } from '../domain/budget-year'
import type { Catalogue } from '../domain/catalogue'
import { TABLES, findTable } from '../../projections'
import type { TableModel, TableProjection } from '../../projections/table'

export class UnknownTable extends Error {
  constructor(readonly requested: string) {
    super(`no table "${requested}": use a number 1-11 or an id (${TABLES.map((t) => t.id).join(', ')})`)
  }
}

export class YearNotOpen extends Error {
  constructor(readonly unit: string, readonly year: number) {
    super(`no budget year ${year} for unit ${unit} in this ledger`)
  }
}

export const tableProjection = (idOrNumber: string): TableProjection => {
  const t = findTable(idOrNumber)
  if (!t) throw new UnknownTable(idOrNumber)
  return t
}

/** One table of a folded budget year. */
export const renderTable = (state: BudgetYearState, idOrNumber: string, catalogue: Catalogue): TableModel => {
  const t = tableProjection(idOrNumber)
  if (!state.identity) throw new YearNotOpen('?', 0)
  return t.render(state, catalogue)
}

export const renderAllTables = (state: BudgetYearState, catalogue: Catalogue): TableModel[] =>
  TABLES.map((t) => t.render(state, catalogue))
