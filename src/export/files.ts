import { toCsv } from '../../projections/render'
import type { TableModel, TableSet } from '../../projections/table'

/**
 * Export files: their text and their names. Pure; the CLI writes them, the HTTP routes send them.
 */

/**
 * CSV as a download: the CLI's CSV (title and 单位 lines first) behind a UTF-8 byte-order mark,
 * without which Excel, what a finance office opens a CSV with, reads the Chinese as GBK.
 */
export const CSV_BOM = '\uFEFF'
export const CSV_TYPE = 'text/csv; charset=utf-8'

/** One table, or several one after the other with a blank line between them. */
export const csvFile = (models: ReadonlyArray<TableModel>): string => CSV_BOM + models.map(toCsv).join('\r\n')

type Named = Pick<TableModel, 'number' | 'title' | 'set'>

/**
 * 101065-2021-表4-财政拨款收支总体情况表.xlsx, 101065-2021-决算表5-….xlsx; 101065-2021-部门预算.xlsx
 * (or 部门决算.xlsx) for a whole set.
 */
export const exportFileName = (unit: string, year: number, ext: 'csv' | 'xlsx', table?: Named, set: TableSet = 'budget'): string =>
  `${unit}-${year}-${table ? `${table.set === 'final' ? '决算表' : '表'}${table.number}-${table.title}` : set === 'final' ? '部门决算' : '部门预算'}.${ext}`.replace(/[\\/:*?"<>|\s]/g, '')

/** An ASCII stand-in for clients that do not read filename* (RFC 6266 §4.3). */
export const asciiFileName = (unit: string, year: number, ext: 'csv' | 'xlsx', table?: Pick<TableModel, 'number' | 'set'>, set: TableSet = 'budget'): string =>
  `${unit}-${year}-${table ? `${table.set === 'final' ? 'final-table' : 'table'}-${table.number}` : set === 'final' ? 'final-accounts' : 'budget'}.${ext}`

/** Content-Disposition for a download, with the Chinese name as RFC 8187 UTF-8. */
export const attachment = (ascii: string, name: string): string => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
