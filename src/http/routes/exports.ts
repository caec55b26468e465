import type { Request, Response } from 'express'
import type { TableModel, TableSet } from '../../../projections/table'
import { type TimePoint, describeTimePoint, hasCutOff } from '../../domain/as-of'
import { asciiFileName, csvFile, exportFileName } from '../../export/files'
import { sendDownload } from '../download'
import { XLSX_TYPE, budgetWorkbook, tableWorkbook, xlsxBytes } from '../../export/xlsx'
import { budgetFileAt } from '../../ledger/budget-export'
import { reportAt } from '../../ledger/report'
import { addReportSheet } from '../../export/report-sheet'
import { addBudgetFileSheets } from '../../ledger/budget-workbook'
import { renderAllTables, renderTable } from '../../ledger/tables'
import type { RouteContext, RouteSpec } from '../route'
import { loadOpenYear, targetOf } from '../unit-year'
import { ledgerTimeZone } from '../time-zone'
import { TIME_PARAMS, openYearAt, timePointQuery } from './audit'
import { SET_PATH, tableOfSet } from './tables'

/**
 * Downloads of the official tables, 预算 (/tables) and 决算 (/final-tables) alike: one table as CSV
 * or XLSX, a whole set as one workbook. Every role may download what it may read. The workbook is
 * built in memory by src/export/ (pure); this shell only sends the bytes.
 */

/** The workbook says which moment it shows (in the ledger's zone, or the one the request names). */
const asOfNote = (req: Request, at: TimePoint): string | undefined => {
  if (!hasCutOff(at)) return undefined
  const zone = typeof req.query.timeZone === 'string' ? req.query.timeZone : ledgerTimeZone()
  return `数据时点：${describeTimePoint(at, zone)}`
}

const download = (res: Response, type: string, bytes: Buffer | string, ascii: string, name: string, revision: number): void =>
  sendDownload(res, { type, bytes, ascii, name, revision })

const loadTable = async (ctx: RouteContext, req: Request, set: TableSet): Promise<{ model: TableModel; at: TimePoint; revision: number }> => {
  const target = targetOf(req)
  const table = tableOfSet(set, String(req.params.table))
  const at = timePointQuery(ctx, req)
  const { state } = hasCutOff(at) ? await openYearAt(ctx, target, at) : await loadOpenYear(ctx.deps.store, target)
  return { model: renderTable(state, table.id, ctx.catalogue, target), at, revision: state.revision }
}

const fileResponse = (description: string, type: string) => ({
  description,
  headers: {
    'Content-Disposition': { description: 'attachment, with the Chinese file name as filename* (RFC 6266, RFC 8187)', schema: { type: 'string' } },
    'X-Ledger-Revision': { description: 'the revision of the budget year the file was built from', schema: { type: 'string' } },
  },
  content: { [type]: { schema: { type: 'string', ...(type === XLSX_TYPE ? { contentEncoding: 'binary' } : {}) } } },
})

const csvRoute = (set: TableSet, operationId: string): RouteSpec => ({
  method: 'get',
  path: `/api/units/:unit/years/:year/${SET_PATH[set]}/:table.csv`,
  access: 'read',
  operation: {
    operationId,
    summary: `One official ${set === 'final' ? '决算 ' : ''}table as CSV (UTF-8 with a byte-order mark, for Excel): the title and 单位 lines, then the grid in 万元`,
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The table as a CSV download', 'text/csv') },
  },
  async handle(ctx, req, res) {
    const { model, revision } = await loadTable(ctx, req, set)
    const target = targetOf(req)
    download(res, 'text/csv; charset=utf-8', csvFile([model]), asciiFileName(target.unit, target.year, 'csv', model), exportFileName(target.unit, target.year, 'csv', model), revision)
  },
})

const xlsxRoute = (set: TableSet, operationId: string): RouteSpec => ({
  method: 'get',
  path: `/api/units/:unit/years/:year/${SET_PATH[set]}/:table.xlsx`,
  access: 'read',
  operation: {
    operationId,
    summary: `One official ${set === 'final' ? '决算 ' : ''}table as XLSX in its published layout: title, 单位：万元, merged headers, figures as numbers in 0.00 format`,
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The table as an .xlsx download', XLSX_TYPE) },
  },
  async handle(ctx, req, res) {
    const { model, at, revision } = await loadTable(ctx, req, set)
    const target = targetOf(req)
    const note = asOfNote(req, at)
    const bytes = await xlsxBytes(tableWorkbook(model, note ? { asOfNote: note } : {}))
    download(res, XLSX_TYPE, bytes, asciiFileName(target.unit, target.year, 'xlsx', model), exportFileName(target.unit, target.year, 'xlsx', model), revision)
  },
})

const WORKBOOK_PATH: Record<TableSet, string> = { budget: 'workbook.xlsx', final: 'final-workbook.xlsx' }

const workbookRoute = (set: TableSet, operationId: string): RouteSpec => ({
  method: 'get',
  path: `/api/units/:unit/years/:year/${WORKBOOK_PATH[set]}`,
  access: 'read',
  operation: {
    operationId,
    summary:
      set === 'final'
        ? 'The 部门决算 as one XLSX workbook: the 决算 tables, a sheet each (before the year-end close, the execution report so far), then the 决算 情况说明 (sheet 情况说明, one paragraph per row)'
        : 'The whole budget as one XLSX workbook: the eleven official tables, a sheet each, then the budget file (预算明细 and its sheets) that imports back',
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The workbook as an .xlsx download', XLSX_TYPE) },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const at = timePointQuery(ctx, req)
    const { state } = hasCutOff(at) ? await openYearAt(ctx, target, at) : await loadOpenYear(ctx.deps.store, target)
    const note = asOfNote(req, at)
    const wb = budgetWorkbook(renderAllTables(state, ctx.catalogue, set), note ? { asOfNote: note } : {})
    // The budget's workbook carries the budget file's sheets too, so it imports back (POST /api/budget-files);
    // the 决算's carries its 情况说明, as the published 部门决算 does.
    if (set === 'budget') addBudgetFileSheets(wb, await budgetFileAt(ctx.deps.store, state))
    else addReportSheet(wb, (await reportAt(ctx.deps.store, target, state, at, set, ctx.catalogue)).text, note ? { asOfNote: note } : {})
    const bytes = await xlsxBytes(wb)
    download(res, XLSX_TYPE, bytes, asciiFileName(target.unit, target.year, 'xlsx', undefined, set), exportFileName(target.unit, target.year, 'xlsx', undefined, set), state.revision)
  },
})

export const exportTableCsv = csvRoute('budget', 'exportTableCsv')
export const exportTableXlsx = xlsxRoute('budget', 'exportTableXlsx')
export const exportWorkbook = workbookRoute('budget', 'exportWorkbook')
export const exportFinalTableCsv = csvRoute('final', 'exportFinalTableCsv')
export const exportFinalTableXlsx = xlsxRoute('final', 'exportFinalTableXlsx')
export const exportFinalWorkbook = workbookRoute('final', 'exportFinalWorkbook')
