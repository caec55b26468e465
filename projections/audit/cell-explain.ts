import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import type { BudgetYearState } from '../../src/domain/budget-year'
import type { Catalogue } from '../../src/domain/budget-file/catalogue'
import { ZERO } from '../../src/domain/money/money'
import type { RecordedEvent } from '../../src/store/envelope'
import { type HistoryEntry, historyOf, traceFold } from './history'
import { type Path, figuresOf, perturb, showPath } from './state-trace'
import { type TableModel, type TableProjection, tableCode } from '../table'
import { type TableCell, cellKey, cellsOf } from './table-diff'

/**
 * The events behind a cell (docs/audit.md, "Explain"). Two facts, each found by running the real
 * code, so the answer is exact for every table and every event type without a per-table list:
 *
 * 1. the figures a cell reads: the table is rendered again with one figure of the folded state
 *    changed (a line's initial budget, its additions, its spending, an earmark, a previous-year
 *    comparative, a list of targets…); the cell reads the figure when it prints differently;
 * 2. the events behind a figure: those whose fold wrote it (state-trace.ts, changedPaths).
 *
 * A label cell (a code or a name) reads no figure; it is explained by its row: the figures of the
 * row's other cells.
 */

/** For each cell of the table (by cellKey), the figures it reads. */
export const figuresByCell = (state: BudgetYearState, table: TableProjection, catalogue: Catalogue): Map<string, Path[]> => {
  const base = cellsOf(table.render(state, catalogue))
  const deps = new Map<string, Path[]>(base.map((c) => [cellKey(c), []]))
  /** The cells that print differently in the changed state; undefined when the render refuses it. */
  const cellsChangedBy = (changed: BudgetYearState): TableCell[] | undefined => {
    let cells: TableCell[]
    try {
      cells = cellsOf(table.render(changed, catalogue))
    } catch {
      return undefined // a render that refuses the changed figure tells nothing about single cells
    }
    const now = new Map(cells.map((c) => [cellKey(c), c.text]))
    return base.filter((c) => (now.get(cellKey(c)) ?? '') !== c.text)
  }
  for (const figure of figuresOf(state)) {
    for (const c of cellsChangedBy(perturb(state, figure)) ?? []) deps.get(cellKey(c))!.push(figure.path)
  }
  return deps
}

const describeCells = (cells: ReadonlyArray<TableCell>): string =>
  cells
    .slice(0, 12)
    .map((c) => `row ${c.row} "${c.rowKey}" column ${c.column} "${c.columnLabel}"`)
    .join('; ') + (cells.length > 12 ? `; … (${cells.length - 12} more)` : '')

/**
 * A cell from a row and a column as a person names them. Row: a label (a code, a name, a key as
 * diff prints it), else its index in the JSON rows. Column: its label, or its index in the JSON
 * columns. Where a label fits several cells, the answer lists them. Table 10's 预算情况 figures are
 * named by their label alone.
 */
export const resolveCell = (m: TableModel, row: string, column: string | undefined): E.Either<string, TableCell> => {
  const cells = cellsOf(m)
  const r = row.trim()
  const rowsWhere = (ok: (c: TableCell) => boolean) => new Set(cells.filter(ok).map((c) => `${c.part}\u0000${c.row}`))
  // A row's key is unique ("（未细分到款）#2" is the second such row): it wins over a label that several rows print.
  const byKey = rowsWhere((c) => c.rowKey === r)
  const exact = byKey.size > 0 ? byKey : rowsWhere((c) => c.part !== 'summary' && c.kind === 'text' && c.text.trim() === r)
  // "公务接待费" finds "2、公务接待费" when no label is exactly it and only one row contains it.
  const containing = exact.size > 0 || r === '' ? exact : rowsWhere((c) => c.rowKey.includes(r))
  const labelled = containing.size === 1 || exact.size > 0 ? containing : new Set<string>()
  // A label first (codes are numbers too: "2150502"), then an index.
  const byRow =
    labelled.size > 0
      ? cells.filter((c) => labelled.has(`${c.part}\u0000${c.row}`))
      : /^\d+$/.test(r)
        ? cells.filter((c) => c.part !== 'summary' && c.row === Number(r))
        : []
  if (byRow.length === 0) return E.left(`table ${tableCode(m)} has no row ${JSON.stringify(row)}: give a row index (0-based, as in --format json) or a label of the row`)
  const summary = byRow.filter((c) => c.part === 'summary')
  if (summary.length === 1 && byRow.length === 1) return E.right(summary[0]!)
  if (column === undefined) {
    if (summary.length === 1) return E.right(summary[0]!)
    return E.left(`name the column with --column (index or label) for row ${JSON.stringify(row)}`)
  }
  const col = column.trim()
  const byLabel = byRow.filter((c) => c.columnLabel === col)
  const fits = byLabel.length > 0 || !/^\d+$/.test(col) ? byLabel : byRow.filter((c) => c.part !== 'summary' && c.column === Number(col))
  const unique = [...new Map(fits.map((c) => [cellKey(c), c])).values()]
  if (unique.length === 1) return E.right(unique[0]!)
  if (unique.length === 0)
    return E.left(`row ${JSON.stringify(row)} has no column ${JSON.stringify(column)}; its cells: ${describeCells(byRow)}`)
  return E.left(`row ${JSON.stringify(row)} and column ${JSON.stringify(column)} fit ${unique.length} cells; use indexes: ${describeCells(unique)}`)
}

/** An event behind a cell, with what it changed the cell by. */
export interface CellEvent extends HistoryEntry {
  /**
   * For an amount cell: the cell's change by this event, in 元 (a decimal string, negative for a
   * reduction or a reversal); the amounts of a cell's events add up to the cell. null for a label
   * or a percentage.
   */
  readonly amount: string | null
}

export interface CellExplanation {
  readonly cell: TableCell
  /** 'cell': the figures this cell reads; 'row': a label cell, explained by its row's figures. */
  readonly via: 'cell' | 'row'
  /** The figures, e.g. "lines[p01].initial", "earmarks.threePublic.reception". */
  readonly figures: ReadonlyArray<string>
  /** The events that wrote those figures, in order, with their history (running balances). */
  readonly events: ReadonlyArray<CellEvent>
  /** For an amount cell: its exact value in 元, which the events' amounts add up to; else null. */
  readonly total: string | null
  /** Why the cell is not a sum of events (a rate, a label); absent for an amount cell. */
  readonly notASum?: string
}

/** Why a cell of this kind is not a sum of events, for people. */
const NOT_A_SUM: Record<Exclude<TableCell['kind'], 'amount'>, string> = {
  percent: 'a rate: a ratio of figures, not a sum of events; the events listed wrote the figures it divides',
  text: 'a label, not an amount: the events listed wrote the figures its row shows',
}

/**
 * The exact 元 value of an amount cell in a rendered model, found by its key (its row may sit at
 * another index in an earlier model, rows coming in as lines are allocated); 0 where the model has
 * no such cell (yet).
 */
export const amountIn = (m: TableModel | undefined, cell: TableCell): Decimal => {
  const at = m === undefined ? undefined : cellsOf(m).find((c) => cellKey(c) === cellKey(cell))
  const value =
    m === undefined || at === undefined
      ? undefined
      : at.part === 'summary'
        ? m.summary?.[at.row]?.[1]
        : m.parts.find((p) => p.name === at.part)?.rows[at.row]?.cells[at.partColumn]
  return Decimal.isDecimal(value) ? (value as Decimal) : ZERO
}

/**
 * What each listed event changed an amount cell by, in 元: the cell's exact value right after the
 * event less its value after the listed event before it. The events not listed write no figure
 * the cell reads, so the amounts add up to the cell.
 */
const amountsOf = (
  events: ReadonlyArray<RecordedEvent>,
  listed: ReadonlySet<string>,
  table: TableProjection,
  catalogue: Catalogue,
  cell: TableCell,
): Map<string, string> => {
  const out = new Map<string, string>()
  let last = ZERO
  for (const step of traceFold(events)) {
    if (!listed.has(step.event.id)) continue
    let model: TableModel | undefined
    try {
      model = table.render(step.after, catalogue)
    } catch {
      model = undefined // a year not yet opened renders no table
    }
    const now = amountIn(model, cell)
    out.set(step.event.id, now.minus(last).toFixed(2))
    last = now
  }
  return out
}

/**
 * Explains one cell of a table folded from `events` (the events a query selected; `state` is
 * their fold).
 */
export const explainCell = (
  events: ReadonlyArray<RecordedEvent>,
  state: BudgetYearState,
  table: TableProjection,
  catalogue: Catalogue,
  row: string,
  column: string | undefined,
): E.Either<string, CellExplanation> => {
  const model = table.render(state, catalogue)
  const found = resolveCell(model, row, column)
  if (E.isLeft(found)) return found
  return E.right(explainFoundCell(events, state, table, catalogue, model, found.right))
}

/**
 * Explains a cell already found in `model` (the table rendered from `state`): for a department
 * (consolidated-cell-explain.ts), each unit's part is its cell found by key in its own table.
 */
export const explainFoundCell = (
  events: ReadonlyArray<RecordedEvent>,
  state: BudgetYearState,
  table: TableProjection,
  catalogue: Catalogue,
  model: TableModel,
  cell: TableCell,
): CellExplanation => {
  const deps = figuresByCell(state, table, catalogue)
  let figures = deps.get(cellKey(cell)) ?? []
  let via: CellExplanation['via'] = 'cell'
  if (figures.length === 0 && cell.kind === 'text' && cell.part !== 'summary') {
    via = 'row'
    const rowCells = cellsOf(model).filter((c) => c.part === cell.part && c.row === cell.row)
    const seen = new Map<string, Path>()
    for (const c of rowCells) for (const p of deps.get(cellKey(c)) ?? []) seen.set(showPath(p), p)
    figures = [...seen.values()]
  }
  const entries = figures.length === 0 ? [] : historyOf(events, { figures })
  const amounts =
    via === 'cell' && cell.kind === 'amount' ? amountsOf(events, new Set(entries.map((e) => e.id)), table, catalogue, cell) : new Map<string, string>()
  return {
    cell,
    via,
    figures: figures.map(showPath),
    events: entries.map((e) => ({ ...e, amount: amounts.get(e.id) ?? null })),
    ...(cell.kind === 'amount' ? { total: amountIn(model, cell).toFixed(2) } : { total: null, notASum: NOT_A_SUM[cell.kind] }),
  }
}
