import type ExcelJS from 'exceljs'
import { emptyWorkbook } from './exceljs'
import { type TableJson, displayWidth, toJson, unitShown } from '../../projections/render'
import type { TableModel } from '../../projections/table'
import { headerRows } from './layout'

/**
 * The official tables as XLSX, in their published layout: the title row, the 部门名称 / 单位：万元
 * line, the text blocks and labelled figures some tables carry above the grid, the merged
 * multi-level header (layout.ts), the grid with figures as numeric cells in 0.00 format, and the
 * notes. Pure: builds an ExcelJS workbook in memory; writing it anywhere is the caller's business.
 */
export interface SheetOptions {
  /** A line saying what moment the figures are of (an as-of view); shown under the title. */
  readonly asOfNote?: string
}

type Kind = 'text' | 'amount' | 'percent'

export const FONT = '宋体'
const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } }
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN }
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } }
const MIN_WIDTH = 8
const MAX_WIDTH = 48
const LINE_HEIGHT = 15
/** A total row: 合计, 总计, 共计, 本年收入合计, 收入合计：, … */
const TOTAL = /(合计|总计|共计)：?$/

/** Excel's rules for a sheet name: at most 31 characters, none of []:*?/\ . */
export const sheetName = (m: Pick<TableModel, 'number' | 'title'>): string =>
  [...`${m.number} ${m.title}`.replace(/[[\]:*?/\\]/g, '')].slice(0, 31).join('')

/**
 * A figure of the table JSON (万元 as a decimal string, two decimals) as a cell value. Converting
 * to a JS number happens here, at the display edge only: the workbook shows what the JSON says,
 * rounded once already, and 0.00 format shows it with its two decimals. Every such value has at
 * most 15 significant digits (万元 below 10^13), so the number is the decimal exactly as printed.
 */
const figure = (text: string, kind: Kind): { value: number; numFmt: string } | undefined => {
  const t = text.trim()
  if (kind === 'amount' && /^-?\d+(\.\d+)?$/.test(t)) return { value: Number(t), numFmt: '0.00' }
  if (kind === 'percent' && /^-?\d+(\.\d+)?%$/.test(t)) return { value: Number(t.slice(0, -1)) / 100, numFmt: '0.00%' }
  return undefined
}

/** Leading spaces of the JSON (two per level: 类 → 款 → 项) as an indent level and the bare text. */
const indented = (text: string): { level: number; text: string } => {
  const bare = text.trimStart()
  return { level: Math.floor((text.length - bare.length) / 2), text: bare }
}

/** A row's height for `text` wrapped in a column `widthChars` wide. */
export const heightFor = (text: string, widthChars: number): number =>
  Math.max(1, Math.ceil(displayWidth(text) / Math.max(1, widthChars - 1))) * LINE_HEIGHT

/** Adds one table as a worksheet laid out as the published table. */
export const addTableSheet = (wb: ExcelJS.Workbook, model: TableModel, options: SheetOptions = {}): ExcelJS.Worksheet => {
  const j: TableJson = toJson(model)
  const kinds: Kind[] = model.parts.flatMap((p) => p.columns.map((c) => c.kind))
  const n = j.columns.length
  const ws = wb.addWorksheet(sheetName(model), {
    pageSetup: { paperSize: 9, orientation: n > 6 ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    properties: { defaultRowHeight: LINE_HEIGHT },
  })

  // Column widths from what they hold (CJK counts double), bounded; long text wraps.
  const header = headerRows(j.id, j.columns)
  const widths = j.columns.map((_, c) => {
    const leaf = header.flat().find((h) => h.col === c && h.colSpan === 1)
    const texts = [leaf?.label ?? '', ...j.rows.map((r) => r[c] ?? '')]
    const w = Math.max(...texts.map((t) => displayWidth(t.trim()) + (t.length - t.trimStart().length)))
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2))
  })
  widths.forEach((w, c) => (ws.getColumn(c + 1).width = w))
  const totalWidth = widths.reduce((a, b) => a + b, 0)

  const style = (cell: ExcelJS.Cell, extra: Partial<ExcelJS.Style> = {}) => {
    cell.font = { name: FONT, size: 10, ...(extra.font ?? {}) }
    if (extra.alignment) cell.alignment = extra.alignment
    if (extra.border) cell.border = extra.border
    if (extra.fill) cell.fill = extra.fill
    if (extra.numFmt) cell.numFmt = extra.numFmt
  }
  /** A line of text across the whole sheet (merged), wrapped, its height estimated. */
  const fullLine = (text: string, font: Partial<ExcelJS.Font> = {}, horizontal: 'left' | 'center' = 'left') => {
    const row = ws.addRow([text])
    if (n > 1) ws.mergeCells(row.number, 1, row.number, n)
    style(row.getCell(1), { font, alignment: { horizontal, vertical: 'middle', wrapText: true } })
    row.height = Math.max(heightFor(text, totalWidth), font.size ? font.size * 1.6 : LINE_HEIGHT)
    return row
  }

  // Title, then the unit line: 部门名称 on the left, 单位：万元 on the right.
  fullLine(j.title, { size: 16, bold: true }, 'center')
  const who = `部门名称：${unitShown(j)}　　年度：${j.year}${options.asOfNote ? `　　${options.asOfNote}` : ''}`
  const unitRow = ws.addRow([])
  unitRow.getCell(1).value = who
  unitRow.getCell(n).value = n > 1 ? '单位：万元' : `${who}　　单位：万元`
  if (n > 2) ws.mergeCells(unitRow.number, 1, unitRow.number, n - 1)
  style(unitRow.getCell(1), { alignment: { horizontal: 'left', vertical: 'middle' } })
  style(unitRow.getCell(n), { alignment: { horizontal: 'right', vertical: 'middle' } })

  // Text blocks (table 10: 年度履职目标, 年度主要任务) and labelled figures (预算情况).
  for (const s of j.sections ?? []) {
    fullLine(`【${s.title}】`, { bold: true })
    for (const r of s.rows) fullLine(r.join('：'))
  }
  for (const [label, value] of j.summary ?? []) {
    const row = ws.addRow([])
    row.getCell(1).value = label
    if (n > 2) ws.mergeCells(row.number, 1, row.number, n - 1)
    const f = figure(value, 'amount')
    row.getCell(n).value = f ? f.value : value
    style(row.getCell(1), { border: BORDER, alignment: { horizontal: 'left', vertical: 'middle' } })
    style(row.getCell(n), { border: BORDER, alignment: { horizontal: 'right', vertical: 'middle' }, ...(f ? { numFmt: f.numFmt } : {}) })
  }
  if (j.sections || j.summary) ws.addRow([])

  // The header: one sheet row per header level, merged as the layout says.
  const top = ws.rowCount + 1
  for (let level = 0; level < header.length; level++) ws.addRow([])
  for (const [level, cells] of header.entries())
    for (const h of cells) {
      const r = top + level
      ws.getCell(r, h.col + 1).value = h.label
      if (h.colSpan > 1 || h.rowSpan > 1) ws.mergeCells(r, h.col + 1, r + h.rowSpan - 1, h.col + h.colSpan)
    }
  for (let r = top; r < top + header.length; r++)
    for (let c = 1; c <= n; c++)
      style(ws.getCell(r, c), { font: { bold: true }, fill: HEADER_FILL, border: BORDER, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } })
  const headerEnd = top + header.length - 1

  // The grid; a figure not known (null) is a blank cell, never 0.
  for (const cells of j.rows.map((r) => r.map((c) => c ?? ''))) {
    const row = ws.addRow([])
    const total = cells.some((t, c) => kinds[c] === 'text' && TOTAL.test(t.trim()))
    let lines = 1
    cells.forEach((text, c) => {
      const cell = row.getCell(c + 1)
      const kind = kinds[c] ?? 'text'
      const f = figure(text, kind)
      if (f) {
        cell.value = f.value
        style(cell, { numFmt: f.numFmt, border: BORDER, font: { bold: total }, alignment: { horizontal: 'right', vertical: 'middle' } })
        return
      }
      const { level, text: bare } = indented(text)
      cell.value = bare === '' ? null : bare
      lines = Math.max(lines, Math.ceil(displayWidth(bare) / Math.max(1, widths[c]! - 1)))
      style(cell, {
        border: BORDER,
        font: { bold: total },
        alignment: { horizontal: kind === 'text' ? 'left' : 'right', vertical: 'middle', wrapText: true, ...(level > 0 ? { indent: level } : {}) },
      })
    })
    if (lines > 1) row.height = lines * LINE_HEIGHT
  }
  for (const note of j.notes ?? []) {
    ws.addRow([])
    fullLine(`注：${note}`, { size: 9 })
  }

  ws.views = [{ state: 'frozen', ySplit: headerEnd, xSplit: 0, showGridLines: false }]
  ws.pageSetup.printTitlesRow = `${top}:${headerEnd}`
  return ws
}

export const newWorkbook = (): ExcelJS.Workbook => {
  const wb = emptyWorkbook()
  wb.creator = 'budget-ledger'
  return wb
}

/** One table, one sheet. */
export const tableWorkbook = (model: TableModel, options: SheetOptions = {}): ExcelJS.Workbook => {
  const wb = newWorkbook()
  addTableSheet(wb, model, options)
  return wb
}

/** The whole budget: the eleven tables, a sheet each, in table order. */
export const budgetWorkbook = (models: ReadonlyArray<TableModel>, options: SheetOptions = {}): ExcelJS.Workbook => {
  const wb = newWorkbook()
  for (const m of [...models].sort((a, b) => a.number - b.number)) addTableSheet(wb, m, options)
  return wb
}

/** The workbook as the bytes of an .xlsx file. */
export const xlsxBytes = async (wb: ExcelJS.Workbook): Promise<Buffer> => Buffer.from(await wb.xlsx.writeBuffer())

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
