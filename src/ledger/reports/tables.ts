import type { BudgetYearState } from '../../domain/budget-year'
import type { Catalogue } from '../../domain/budget-file/catalogue'
import { FINAL_TABLES, TABLES, findTable, tablesOf } from '../../../projections'
import type { TableModel, TableProjection, TableSet } from '../../../projections/table'

/** What a table may be called, for refusals: the numbers of both sets and every id. */
export const TABLE_CHOICES = `use a number 1-${TABLES.length} (预算), F1-F${FINAL_TABLES.length} (决算) or an id (${[...TABLES, ...FINAL_TABLES].map((t) => t.id).join(', ')})`

export class UnknownTable extends Error {
  constructor(readonly requested: string) {
    super(`no table "${requested}": ${TABLE_CHOICES}`)
  }
}

export class YearNotOpen extends Error {
  /** `unit`: the unit's code, or the department's when `of` is 'department'. */
  constructor(readonly unit: string, readonly year: number, readonly of: 'unit' | 'department' = 'unit') {
    super(`no budget year ${year} for ${of} ${unit} in this ledger`)
  }
}

export const tableProjection = (idOrNumber: string): TableProjection => {
  const t = findTable(idOrNumber)
  if (!t) throw new UnknownTable(idOrNumber)
  return t
}

/** One table of the unit-year `target`, folded into `state`; a year not open (yet, at that moment) is refused by name. */
export const renderTable = (state: BudgetYearState, idOrNumber: string, catalogue: Catalogue, target: { readonly unit: string; readonly year: number }): TableModel => {
  const t = tableProjection(idOrNumber)
  if (!state.identity) throw new YearNotOpen(target.unit, target.year)
  return t.render(state, catalogue)
}

/** The unit (or department) and year an opened state is of, as renderTable names a year. */
export const yearOfState = (s: BudgetYearState): { unit: string; year: number } => {
  if (!s.identity) throw new Error('invariant: an opened budget year')
  return { unit: s.identity.unit.code, year: s.identity.year }
}

/** Every table of one set (the eleven 预算 tables unless told), in number order. */
export const renderAllTables = (state: BudgetYearState, catalogue: Catalogue, set: TableSet = 'budget'): TableModel[] =>
  tablesOf(set).map((t) => t.render(state, catalogue))
