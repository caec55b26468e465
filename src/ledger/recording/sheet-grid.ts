import type ExcelJS from 'exceljs'
import { emptyWorkbook } from '../../export/exceljs'
import { parseCsv } from '../../domain/budget-file/catalogue'
import { type AmountUnit, Yuan, splitUnitSuffix } from '../../domain/money/money'
import { type FieldError, fieldWords } from '../../domain/codecs/decode'
import * as E from 'fp-ts/Either'
import { decodeUtf8, notUtf8 } from './utf8-text'

/**
 * A spreadsheet as the importers see it, whether it came from an XLSX sheet or a CSV file: named
 * rows of cells, each a string, a number, a date or empty. Reading and checking the cells is the
 * same for both forms, so a bad cell is named the same way (`预算明细!G12`, `vouchers.csv!E7`).
 */
export type CellValue = string | number | Date | boolean | null
export interface SheetGrid {
  readonly name: string
  /** rows[0] is spreadsheet row 1; cells[0] is column A. */
  readonly rows: ReadonlyArray<ReadonlyArray<CellValue>>
}

/** Excel's column letters: 0 → A, 25 → Z, 26 → AA. */
export const columnLetter = (index: number): string => {
  let n = index + 1
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

/** `预算明细!G12` for row index 11, column index 6 (both from 0). */
export const cellRef = (sheet: string, row: number, column: number): string => `${sheet}!${columnLetter(column)}${row + 1}`

/** A bad cell, as the FieldError every other input reports: the path is the cell. */
export const cellError = (ref: string, expected: string, got: string): FieldError => ({
  path: ref,
  expected,
  got,
  message: `${ref}: expected ${expected}, got ${got}`,
  words: fieldWords(ref, [expected], got),
})

const isEmpty = (v: CellValue | undefined): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '')

export const cellAt = (grid: SheetGrid, row: number, column: number): CellValue => grid.rows[row]?.[column] ?? null

export const rowIsEmpty = (row: ReadonlyArray<CellValue> | undefined): boolean => (row ?? []).every((v) => isEmpty(v))

/** How a cell is shown in a message: text quoted, a number as its shortest form. */
export const showCell = (v: CellValue): string =>
  v === null ? 'an empty cell' : v instanceof Date ? `the date ${isoDay(v)}` : typeof v === 'number' ? `the number ${String(v)}` : JSON.stringify(v)

const isoDay = (d: Date): string => d.toISOString().slice(0, 10)

/** A cell as text, trimmed; undefined when empty. Numbers by their shortest form, dates as YYYY-MM-DD. */
export const cellText = (v: CellValue): string | undefined => {
  if (isEmpty(v)) return undefined
  if (v instanceof Date) return isoDay(v)
  return String(v).trim()
}

const MONEY_TEXT = /^-?\d+(\.\d{1,2})?$/

/**
 * A cell as an amount in 元, a decimal string with two decimals, or why not. A numeric cell is
 * converted from the shortest decimal form of its binary value (what Excel itself shows), exactly by
 * decimal.js: 1234.5 is "1234.50"; 12.345 is refused rather than rounded, since the cell says more
 * than a 分 and the ledger will not guess which 分 was meant.
 */
export const cellMoney = (v: CellValue): { ok: string } | { expected: string; got: string } | undefined => {
  if (isEmpty(v)) return undefined
  const expected = 'a decimal amount in 元 with at most two decimals'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { expected, got: showCell(v) }
    const d = new Yuan(String(v))
    if (d.decimalPlaces() > 2) return { expected: `${expected} (the cell holds ${d.toFixed()}, more than a 分: round it in the sheet)`, got: showCell(v) }
    return { ok: d.toFixed(2) }
  }
  const text = typeof v === 'string' ? v.trim() : ''
  if (!MONEY_TEXT.test(text)) return { expected, got: showCell(v) }
  return { ok: new Yuan(text).toFixed(2) }
}

/**
 * A cell as an amount typed in the sheet's unit, as text for the one conversion of typed amounts
 * (src/domain/money/amount-unit.ts) to take, like an amount of a JSON file: a numeric cell by the exact
 * decimal form of what Excel shows; a text cell as written, with its own unit if it says one
 * ("1.25万元"). A cell in 元 is checked here (cellMoney), so its refusal speaks of the cell.
 */
export const cellAmount = (v: CellValue, unit: AmountUnit): { ok: string } | { expected: string; got: string } | undefined => {
  if (isEmpty(v)) return undefined
  const text = typeof v === 'string' ? v.trim() : undefined
  if (unit === '元' && (text === undefined || splitUnitSuffix(text).unit === undefined)) return cellMoney(v)
  if (text !== undefined) return { ok: text }
  return typeof v === 'number' && Number.isFinite(v) ? { ok: new Yuan(String(v)).toFixed() } : { expected: `a decimal amount in ${unit}`, got: showCell(v) }
}

/** A cell as a date YYYY-MM-DD: a date cell (Excel keeps dates as UTC days) or text. */
export const cellDate = (v: CellValue): string | undefined => (v instanceof Date ? isoDay(v) : cellText(v))

/** The value a cell of an ExcelJS sheet holds: formulas by their result, rich text as its text. */
const excelValue = (c: ExcelJS.CellValue): CellValue => {
  if (c === null || c === undefined) return null
  if (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean' || c instanceof Date) return c
  if (typeof c === 'object' && 'richText' in c) return c.richText.map((r) => r.text).join('')
  if (typeof c === 'object' && 'result' in c) return excelValue((c.result ?? null) as ExcelJS.CellValue)
  if (typeof c === 'object' && 'text' in c) return String(c.text)
  if (typeof c === 'object' && 'error' in c) return String(c.error)
  return String(c)
}

/** The sheets of an XLSX workbook as grids. */
export const workbookGrids = async (bytes: Uint8Array): Promise<SheetGrid[]> => {
  const wb = emptyWorkbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  return wb.worksheets.map((ws) => {
    const rows: CellValue[][] = []
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: CellValue[] = []
      row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = excelValue(cell.value)))
      rows[n - 1] = Array.from(cells, (c) => c ?? null)
    })
    return { name: ws.name, rows: Array.from(rows, (r) => r ?? []) }
  })
}

/** XLSX files are ZIP archives: they start with "PK\x03\x04". */
export const isXlsx = (bytes: Uint8Array): boolean => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

/** CSV text as one grid of text cells: a CSV amount is never read as a float. Row numbers count blank rows too. */
export const csvGrid = (name: string, text: string): SheetGrid => ({ name, rows: parseCsv(text.replace(/^\uFEFF/, ''), true) })

/** The first sheet of a workbook, or the CSV file as one sheet named after the file. */
export const firstSheet = async (bytes: Uint8Array, name: string): Promise<E.Either<string, SheetGrid>> => {
  if (isXlsx(bytes)) {
    try {
      const [first] = await workbookGrids(bytes)
      return first ? E.right(first) : E.left(`${name}: the workbook has no sheet`)
    } catch (err) {
      return E.left(`${name}: not a readable XLSX workbook: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const text = decodeUtf8(bytes)
  return E.isLeft(text) ? E.left(`${notUtf8(name, text.left.offset)} (save the CSV as UTF-8)`) : E.right(csvGrid(name, text.right))
}
