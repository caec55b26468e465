import Decimal from 'decimal.js'
import type { FinalAccounts, Table } from './final-accounts-fixture'

/** Where a figure of a fixture is, and how it reads: shared by the footing and the rate checks. */

/** A printed figure as a number: the thousands separators dropped, nothing rounded. */
export const figure = (printed: string): Decimal => new Decimal(printed.replace(/,/g, ''))

export type Part = NonNullable<Table['part']>
export type Row = Table['rows'][number]

export const tableOf = (doc: FinalAccounts, title: string, part?: Part): Table | undefined =>
  doc.tables.find((tb) => tb.title === title && tb.part === part)

export const nameOf = (tb: Table): string => (tb.part ? `${tb.title} ${tb.part}` : tb.title)

/** A printed label names a row also with a printed qualifier: "使用非财政拨款结余（含专用结余）". */
export const labelIs = (row: Row, name: string): boolean => row.label === name || row.label.startsWith(`${name}（`)

/** The 总表 number their lines ("八、社会保障和就业支出"); the other tables do not. */
export const NUMBERED = /^[一二三四五六七八九十]+、/
export const unnumbered = (label: string): string => label.replace(NUMBERED, '')

/** A cell to check: where it is, and its value (a blank cell is zero; no such row, column or table is unknown). */
export interface At {
  readonly where: string
  readonly value: Decimal | undefined
}

export const cellAt = (tb: Table | undefined, row: Row | string | undefined, column: string): At => {
  const r = typeof row === 'string' ? tb?.rows.find((x) => labelIs(x, row)) : row
  const label = typeof row === 'string' ? row : (row?.label ?? '?')
  const where = tb ? `${nameOf(tb)}: ${label} (${column})` : `${label} (${column})`
  const index = tb?.columns.indexOf(column) ?? -1
  if (!tb || !r || index < 0) return { where, value: undefined }
  const printed = r.cells[index]
  return { where, value: printed === null || printed === undefined ? new Decimal(0) : figure(printed) }
}
