import Decimal from 'decimal.js'
import ExcelJS from 'exceljs'
import { parseCsv } from '../../../src/domain/budget-file/catalogue'

/**
 * A downloaded table read back as the JSON table's rows (cells as text, leading indent dropped), so
 * a test can hold a CSV or XLSX download against GET …/tables/:table.
 */

/** The rows of a one-table CSV download: after its title, 部门名称 and column lines. */
export const csvTableRows = (text: string): string[][] => parseCsv(text.replace(/^\uFEFF/, ''), true).slice(3)

const cellText = (cell: ExcelJS.Cell): string => {
  const v = cell.value
  if (v === null || v === undefined) return ''
  // Figures are numbers in the sheet, shown as 0.00 or 0.00%: read back as the JSON writes them.
  if (typeof v === 'number') return cell.numFmt === '0.00%' ? `${new Decimal(v).times(100).toFixed(2)}%` : new Decimal(v).toFixed(2)
  return String(v)
}

/** Opens an .xlsx download. */
export const readWorkbook = async (bytes: Buffer): Promise<ExcelJS.Workbook> => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  return wb
}

/** The grid of a table's sheet, as many rows and columns as the JSON table has, under its frozen header. */
export const sheetTableRows = (ws: ExcelJS.Worksheet, shape: { readonly columns: ReadonlyArray<string>; readonly rows: ReadonlyArray<unknown> }): string[][] => {
  const headerEnd = (ws.views[0] as { ySplit?: number } | undefined)?.ySplit ?? 0
  return shape.rows.map((_, i) => shape.columns.map((_, c) => cellText(ws.getRow(headerEnd + 1 + i).getCell(c + 1))))
}

/** A JSON table's rows as the downloads show them: null blank, indent dropped. */
export const shownRows = (rows: ReadonlyArray<ReadonlyArray<string | null>>): string[][] => rows.map((r) => r.map((c) => (c ?? '').trimStart()))
