import * as E from 'fp-ts/Either'
import { type CellExplanation, explainCell, figuresByCell } from '../../../projections/audit/cell-explain'
import { type HistoryEntry, historyOf } from '../../../projections/audit/history'
import { type HistoryFilter, filterHistory } from '../../../projections/audit/history-filter'
import { reversibleEntries } from '../../../projections/audit/reversible'
import { type TableModel, type TableRef, tableRef } from '../../../projections/table'
import { type CellChange, cellKey, diffTables } from '../../../projections/audit/table-diff'
import type { TimePoint } from '../../domain/time/as-of'
import type { Catalogue } from '../../domain/budget-file/catalogue'
import { streamOf } from '../../domain/codecs/primitives'
import type { EventStore } from '../../store/port'
import { type ConsolidatedCellExplanation, explainConsolidatedCell } from '../../../projections/audit/consolidated-cell-explain'
import { consolidate } from '../../../projections/department/consolidate'
import { departmentYearAt } from './department'
import { foldEvents, loadBudgetYear } from '../fold/load'
import { YearNotOpen, tableProjection } from './tables'
import { asOfPrefix, selectEvents } from '../fold/as-of/time-travel'

/**
 * The auditor's questions, answered from the store: a unit-year's history, what changed in a table
 * between two dates and why, and the events behind a cell. The logic is in projections/ (pure);
 * this reads the stream and selects the events (time-travel.ts).
 */
export interface Target {
  readonly unit: string
  readonly year: number
}

export interface YearHistory {
  readonly unit: string
  readonly year: number
  readonly line?: string
  readonly at: TimePoint
  /** The filter applied, when one was (projections/audit/history-filter.ts). */
  readonly filter?: HistoryFilter
  readonly entries: ReadonlyArray<HistoryEntry>
}

export class UnknownLine extends Error {
  constructor(readonly line: string, readonly target: Target, readonly known: ReadonlyArray<string>) {
    super(`there is no budget line "${line}" in ${target.year} of unit ${target.unit}${known.length ? ` (lines: ${known.join(', ')})` : ''}`)
  }
}

/** Every event of a unit-year (or of one line, or those passing a filter), in order, with running balances. */
export const yearHistory = async (store: EventStore, target: Target, at: TimePoint = {}, line?: string, filter: HistoryFilter = {}): Promise<YearHistory> => {
  const { state, events } = await loadBudgetYear(store, target.unit, target.year, at)
  if (!state.identity) throw new YearNotOpen(target.unit, target.year)
  if (line !== undefined && !state.lines.has(line)) {
    // A line allocated only later (or dated later) has no history yet at this point: say so.
    const all = await loadBudgetYear(store, target.unit, target.year)
    if (!all.state.lines.has(line)) throw new UnknownLine(line, target, [...all.state.lines.keys()])
  }
  const entries = historyOf(events, line === undefined ? {} : { line })
  const filtering = Object.keys(filter).length > 0
  return {
    unit: target.unit,
    year: target.year,
    ...(line === undefined ? {} : { line }),
    at,
    ...(filtering ? { filter } : {}),
    entries: filtering ? filterHistory(entries, filter) : entries,
  }
}

/** The entries of the year as it stands that a correction may still reverse, latest first. */
export const yearReversible = async (store: EventStore, target: Target): Promise<{ unit: string; year: number; revision: number; entries: HistoryEntry[] }> => {
  const { state, events } = await loadBudgetYear(store, target.unit, target.year)
  if (!state.identity) throw new YearNotOpen(target.unit, target.year)
  return { unit: target.unit, year: target.year, revision: state.revision, entries: reversibleEntries(state, historyOf(events)) }
}

export interface ChangedCell extends CellChange {
  /** The events recorded in the window that wrote a figure this cell reads. */
  readonly events: ReadonlyArray<string>
}

export interface TableDiff {
  readonly unit: string
  readonly year: number
  readonly table: TableRef
  /** Recording-time bounds: the events recorded in (from, to]. */
  readonly from: string
  readonly to: string
  readonly effective?: string
  readonly revisions: { readonly from: number; readonly to: number }
  readonly changes: ReadonlyArray<ChangedCell>
  /** Every event recorded in the window (folded into `to`), in order. */
  readonly events: ReadonlyArray<HistoryEntry>
}

/**
 * The cells of a table that print differently as of `to` than as of `from`, each with the events
 * recorded in between that changed it; and every event recorded in between.
 */
export const tableDiff = async (
  store: EventStore,
  target: Target,
  table: string,
  window: { readonly from: string; readonly to: string; readonly effective?: string },
  catalogue: Catalogue,
): Promise<TableDiff> => {
  const projection = tableProjection(table)
  if (Date.parse(window.from) > Date.parse(window.to)) throw new RangeError(`--from ${window.from} is after --to ${window.to}`)
  const all = await store.readStream(streamOf(target.unit, target.year))
  const effective = window.effective === undefined ? {} : { effective: window.effective }
  const before = selectEvents(all, { asOf: window.from, ...effective })
  const after = selectEvents(all, { asOf: window.to, ...effective })
  const fromRevision = asOfPrefix(all, window.from).length - 1
  const toRevision = asOfPrefix(all, window.to).length - 1
  const sFrom = foldEvents(before)
  const sTo = foldEvents(after)
  if (!sTo.identity) throw new YearNotOpen(target.unit, target.year)
  const render = (s: typeof sTo): TableModel | undefined => (s.identity ? projection.render(s, catalogue) : undefined)
  const changes = diffTables(render(sFrom), render(sTo))
  const inWindow = (r: number) => r > fromRevision && r <= toRevision
  const windowEvents = historyOf(after, { revisions: inWindow })

  // Which window events wrote a figure each changed cell reads (in the later table, or the earlier
  // one for a cell whose row is gone).
  const depsTo = figuresByCell(sTo, projection, catalogue)
  const depsFrom = sFrom.identity ? figuresByCell(sFrom, projection, catalogue) : new Map()
  const figuresOf = (c: CellChange) => [...(depsTo.get(cellKey(c)) ?? []), ...(depsFrom.get(cellKey(c)) ?? [])]
  const changesWithEvents = changes.map((c): ChangedCell => {
    let figures = figuresOf(c)
    // A label reads no figure: it changed with its row (as explain has it).
    if (figures.length === 0 && c.kind === 'text')
      figures = changes.filter((x) => x.part === c.part && x.rowKey === c.rowKey).flatMap(figuresOf)
    const events = figures.length === 0 ? [] : historyOf(after, { revisions: inWindow, figures }).map((e) => e.id)
    return { ...c, events }
  })
  return {
    unit: target.unit,
    year: target.year,
    table: tableRef(projection),
    from: window.from,
    to: window.to,
    ...effective,
    revisions: { from: fromRevision, to: toRevision },
    changes: changesWithEvents,
    events: windowEvents,
  }
}

export interface CellAnswer extends CellExplanation {
  readonly unit: string
  readonly year: number
  readonly table: TableRef
  readonly at: TimePoint
}

export class UnknownCell extends Error {}

/** The events behind one cell of a table, at a point in time. */
export const explainTableCell = async (
  store: EventStore,
  target: Target,
  table: string,
  cell: { readonly row: string; readonly column?: string },
  at: TimePoint,
  catalogue: Catalogue,
): Promise<CellAnswer> => {
  const projection = tableProjection(table)
  const { state, events } = await loadBudgetYear(store, target.unit, target.year, at)
  if (!state.identity) throw new YearNotOpen(target.unit, target.year)
  const answer = explainCell(events, state, projection, catalogue, cell.row, cell.column)
  if (E.isLeft(answer)) throw new UnknownCell(answer.left)
  return {
    unit: target.unit,
    year: target.year,
    table: tableRef(projection),
    at,
    ...answer.right,
  }
}

export interface DepartmentCellAnswer extends ConsolidatedCellExplanation<CellAnswer> {
  readonly department: string
  readonly year: number
  readonly table: TableRef
  readonly at: TimePoint
}

/**
 * The events behind one cell of a department's consolidated (合并) table, at a point in time: each
 * unit's part is that unit's own explain of the same cell. The members are read once and the
 * department consolidated from those very reads, so the parts and the sum describe the same log.
 */
export const explainDepartmentCell = async (
  store: EventStore,
  scope: { readonly department: string; readonly year: number },
  table: string,
  cell: { readonly row: string; readonly column?: string },
  at: TimePoint,
  catalogue: Catalogue,
): Promise<DepartmentCellAnswer> => {
  const projection = tableProjection(table)
  const { state: then, members } = await departmentYearAt(store, scope.department, scope.year, at)
  if (!then.identity) throw new YearNotOpen(scope.department, scope.year, 'department')
  const read = await Promise.all(members.map(async (m) => ({ unit: m.identity!.unit.code, ...(await loadBudgetYear(store, m.identity!.unit.code, scope.year, at)) })))
  const state = consolidate({ code: scope.department, name: then.identity.unit.name }, read.map((m) => m.state))
  const ref = tableRef(projection)
  const answer = explainConsolidatedCell(state, read, projection, catalogue, cell.row, cell.column, (unit, explanation): CellAnswer => ({ unit, year: scope.year, table: ref, at, ...explanation }))
  if (E.isLeft(answer)) throw new UnknownCell(answer.left)
  return { department: scope.department, year: scope.year, table: ref, at, ...answer.right }
}
