import type ExcelJS from 'exceljs'
import { displayWidth } from '../../projections/render'
import { newWorkbook } from './xlsx'

/**
 * A history as XLSX: the rows of projections/audit/history-sheet.ts on one sheet, the title line, a bold
 * frozen header, every cell text (a revision or a balance list is read, not summed). Pure.
 */
export const historyWorkbook = (rows: ReadonlyArray<ReadonlyArray<string>>): ExcelJS.Workbook => {
  const wb = newWorkbook()
  const ws = wb.addWorksheet('事件记录')
  for (const r of rows) ws.addRow([...r])
  ws.getRow(1).font = { bold: true, size: 12 }
  ws.getRow(2).font = { bold: true }
  const n = Math.max(0, ...rows.slice(1).map((r) => r.length))
  for (let c = 1; c <= n; c++) {
    const widest = Math.max(...rows.slice(1).map((r) => displayWidth(r[c - 1] ?? '')))
    ws.getColumn(c).width = Math.min(60, Math.max(8, widest + 2))
  }
  ws.views = [{ state: 'frozen', ySplit: 2, xSplit: 0 }]
  return wb
}
