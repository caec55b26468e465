import type ExcelJS from 'exceljs'
import { FONT, type SheetOptions, heightFor } from './xlsx'

/**
 * The 情况说明 as a worksheet beside the tables it explains: its title, the moment of an as-of
 * view, then one paragraph per row (a row per line of the text, without its indent), wrapped in
 * one wide column so the sheet prints as the document reads. Pure, like the table sheets.
 */
export const REPORT_SHEET = '情况说明'
const WIDTH = 100
/** 一、收入支出决算总体情况: a section heading of the text. */
const HEADING = /^[一二三四五六七八九十]+、/

export const addReportSheet = (wb: ExcelJS.Workbook, text: string, options: SheetOptions = {}): ExcelJS.Worksheet => {
  const ws = wb.addWorksheet(REPORT_SHEET, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  ws.getColumn(1).width = WIDTH
  const [title = '', ...rest] = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  const put = (value: string, font: Partial<ExcelJS.Font>) => {
    const row = ws.addRow([value])
    row.getCell(1).font = { name: FONT, size: 11, ...font }
    row.getCell(1).alignment = { wrapText: true, vertical: 'top', ...(font.size ? { horizontal: 'center' } : {}) }
    row.height = heightFor(value, WIDTH) * (font.size ? 1.4 : 1)
  }
  put(title, { bold: true, size: 16 })
  if (options.asOfNote) put(options.asOfNote, {})
  for (const p of rest) put(p, HEADING.test(p) ? { bold: true } : {})
  return ws
}
