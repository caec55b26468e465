import type Decimal from 'decimal.js'
import type { Catalogue } from '../src/domain/budget-file/catalogue'
import type { BudgetYearState } from '../src/domain/budget-year'

/**
 * The shape every official table takes before it is printed. Amounts stay exact (元, Decimal)
 * until render, which rounds each cell once to 万元: "sum first, round at display".
 */
export type Cell = Decimal | string | null | typeof UNKNOWN

/**
 * A figure the source never stated: blank for people (text, CSV, XLSX), null in the JSON, and
 * never 0. A plain null is a cell the layout leaves empty.
 */
export const UNKNOWN: unique symbol = Symbol('unknown figure')

export interface Column {
  readonly label: string
  readonly kind: 'text' | 'amount' | 'percent'
  /** Amount columns whose sum this column equals on every row (e.g. 合计 = 基本支出 + 项目支出). */
  readonly sumOf?: ReadonlyArray<number>
}

export interface Row {
  readonly cells: ReadonlyArray<Cell>
  /** Index of the row this one adds up into (类 → 合计, 款 → 类, …); absent for a top row. */
  readonly parent?: number
  /** Display indent: 0 for totals and 类, 1 for 款, 2 for 项. */
  readonly depth?: number
}

/** One block of rows under one header. Tables 1 and 4 set income and expenditure side by side. */
export interface TablePart {
  readonly name: string
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<Row>
}

/** The two published table sets: the 部门预算 (before the year) and the 部门决算 (after it). */
export type TableSet = 'budget' | 'final'

export interface TableModel {
  readonly id: string
  readonly number: number
  readonly title: string
  /** Absent for the 预算 tables; 'final' for the 决算 set, whose numbers start again at 1. */
  readonly set?: 'final'
  readonly unitCode: string
  readonly unitName: string
  /** The unit code was assigned locally (no published 预算单位编码): shown as such. */
  readonly localUnitCode?: true
  readonly year: number
  readonly parts: ReadonlyArray<TablePart>
  /** Labelled figures printed above the grid (table 10's 预算情况, for instance). */
  readonly summary?: ReadonlyArray<readonly [label: string, value: Cell]>
  /** Text blocks above the grid (table 10's 年度履职目标 and 年度主要任务). */
  readonly sections?: ReadonlyArray<{ readonly title: string; readonly rows: ReadonlyArray<ReadonlyArray<string>> }>
  readonly notes?: ReadonlyArray<string>
  /**
   * Named exact figures other tables must agree with (see test/support/ledger-consistency.ts):
   * e.g. { expenditure: …, basic: …, project: … }.
   */
  readonly totals: Readonly<Record<string, Decimal>>
}

/** A projection of one official table: the shared budget-year fold, and a render of its state. */
export interface TableProjection {
  readonly id: string
  readonly number: number
  readonly title: string
  readonly set?: 'final'
  render(state: BudgetYearState, catalogue: Catalogue): TableModel
}

/** The header of every table, from the budget year's identity. */
export const tableHeading = (
  p: Pick<TableProjection, 'id' | 'number' | 'title' | 'set'>,
  s: BudgetYearState,
): Pick<TableModel, 'id' | 'number' | 'title' | 'set' | 'unitCode' | 'unitName' | 'localUnitCode' | 'year'> => {
  if (!s.identity) throw new Error('invariant: a table needs an opened budget year')
  return {
    id: p.id,
    number: p.number,
    title: p.title,
    ...(p.set ? { set: p.set } : {}),
    unitCode: s.identity.unit.code,
    unitName: s.identity.unit.name,
    ...(s.identity.unit.localCode ? { localUnitCode: true as const } : {}),
    year: s.identity.year,
  }
}

/**
 * How people and files name a table: "4" for a 预算 table, "F5" for a 决算 table (the two sets
 * number from 1 each). Accepted wherever a table number is.
 */
export const tableCode = (t: Pick<TableModel, 'number' | 'set'>): string => `${t.set === 'final' ? 'F' : ''}${t.number}`

/** A table as answers name it (diff, explain): its code ("5", "F5"), id, number, set and official title. */
export interface TableRef {
  readonly code: string
  readonly id: string
  readonly number: number
  readonly set: TableSet
  readonly title: string
}

export const tableRef = (t: Pick<TableProjection, 'id' | 'number' | 'title' | 'set'>): TableRef => ({
  code: tableCode(t),
  id: t.id,
  number: t.number,
  set: t.set ?? 'budget',
  title: t.title,
})
