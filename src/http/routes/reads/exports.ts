import type { Request, Response } from 'express'
import type { TableSet } from '../../../../projections/table'
import { type TimePoint, describeTimePoint, hasCutOff } from '../../../domain/time/as-of'
import { asciiFileName, csvFile, exportFileName } from '../../../export/files'
import { sendDownload } from '../../responses/download'
import { XLSX_TYPE, budgetWorkbook, tableWorkbook, xlsxBytes } from '../../../export/xlsx'
import { budgetFileAt } from '../../../ledger/reports/budget-export'
import { reportAt } from '../../../ledger/reports/report'
import { addReportSheet } from '../../../export/report-sheet'
import { addBudgetFileSheets } from '../../../ledger/reports/budget-workbook'
import { renderAllTables, renderTable, yearOfState } from '../../../ledger/reports/tables'
import type { RouteContext, RouteSpec } from '../../route'
import { ledgerTimeZone } from '../../requests/time-zone'
import { DEPARTMENT_YEAR, UNIT_YEAR, type YearReader, yearForRead } from '../../responses/year-reader'
import { TIME_PARAMS, timePointQuery } from '../audit/audit'
import { SET_PATH, tableOfSet } from './tables'

/**
 * Downloads of the official tables, 预算 (/tables) and 决算 (/final-tables) alike: one table as CSV
 * or XLSX, a whole set as one workbook, of a unit-year or of a department's consolidated (合并) year
 * (the reader says which, as for the JSON tables). Every role may download what it may read. The
 * workbook is built in memory by src/export/ (pure); this shell only sends the bytes.
 */

/** The workbook says which moment it shows (in the ledger's zone, or the one the request names). */
const asOfNote = (req: Request, at: TimePoint): string | undefined => {
  if (!hasCutOff(at)) return undefined
  const zone = typeof req.query.timeZone === 'string' ? req.query.timeZone : ledgerTimeZone()
  return `数据时点：${describeTimePoint(at, zone)}`
}

/** The year a download shows, at the request's time point; its revision only where it is one stream's. */
const yearToSend = async (reader: YearReader, ctx: RouteContext, req: Request) => {
  const at = timePointQuery(ctx, req)
  const { state } = await yearForRead(reader, ctx, req, at)
  // The reader answered 404 for a year not open, so the state names its unit (or department) and year.
  return { state, at, target: yearOfState(state), revision: reader.oneStream ? state.revision : undefined }
}

const download = (res: Response, type: string, bytes: Buffer | string, ascii: string, name: string, revision: number | undefined): void =>
  sendDownload(res, { type, bytes, ascii, name, ...(revision === undefined ? {} : { revision }) })

const loadTable = async (ctx: RouteContext, req: Request, set: TableSet, reader: YearReader) => {
  const table = tableOfSet(set, String(req.params.table))
  const year = await yearToSend(reader, ctx, req)
  return { ...year, model: renderTable(year.state, table.id, ctx.catalogue, year.target) }
}

const fileResponse = (description: string, type: string) => ({
  description,
  headers: {
    'Content-Disposition': { description: 'attachment, with the Chinese file name as filename* (RFC 6266, RFC 8187)', schema: { type: 'string' } },
    'X-Ledger-Revision': { description: 'the revision of the budget year the file was built from (a unit-year’s; a department’s year has none)', schema: { type: 'string' } },
  },
  content: { [type]: { schema: { type: 'string', ...(type === XLSX_TYPE ? { contentEncoding: 'binary' } : {}) } } },
})

const csvRoute = (set: TableSet, operationId: string, reader: YearReader = UNIT_YEAR): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/${SET_PATH[set]}/:table.csv`,
  access: 'read',
  operation: {
    operationId,
    summary: `One official ${set === 'final' ? '决算 ' : ''}table of ${reader.what} as CSV (UTF-8 with a byte-order mark, for Excel): the title and 单位 lines, then the grid in 万元`,
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The table as a CSV download', 'text/csv') },
  },
  async handle(ctx, req, res) {
    const { model, revision, target } = await loadTable(ctx, req, set, reader)
    download(res, 'text/csv; charset=utf-8', csvFile([model]), asciiFileName(target.unit, target.year, 'csv', model), exportFileName(target.unit, target.year, 'csv', model), revision)
  },
})

const xlsxRoute = (set: TableSet, operationId: string, reader: YearReader = UNIT_YEAR): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/${SET_PATH[set]}/:table.xlsx`,
  access: 'read',
  operation: {
    operationId,
    summary: `One official ${set === 'final' ? '决算 ' : ''}table of ${reader.what} as XLSX in its published layout: title, 单位：万元, merged headers, figures as numbers in 0.00 format`,
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The table as an .xlsx download', XLSX_TYPE) },
  },
  async handle(ctx, req, res) {
    const { model, at, revision, target } = await loadTable(ctx, req, set, reader)
    const note = asOfNote(req, at)
    const bytes = await xlsxBytes(tableWorkbook(model, note ? { asOfNote: note } : {}))
    download(res, XLSX_TYPE, bytes, asciiFileName(target.unit, target.year, 'xlsx', model), exportFileName(target.unit, target.year, 'xlsx', model), revision)
  },
})

const WORKBOOK_PATH: Record<TableSet, string> = { budget: 'workbook.xlsx', final: 'final-workbook.xlsx' }

const workbookRoute = (set: TableSet, operationId: string, reader: YearReader = UNIT_YEAR): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/${WORKBOOK_PATH[set]}`,
  access: 'read',
  operation: {
    operationId,
    summary:
      set === 'final'
        ? `The 部门决算 of ${reader.what} as one XLSX workbook: the 决算 tables, a sheet each (before the year-end close, the execution report so far), then the 决算 情况说明 (sheet 情况说明, one paragraph per row)`
        : reader.oneStream
          ? `The whole budget of ${reader.what} as one XLSX workbook: the eleven official tables, a sheet each, then the budget file (预算明细 and its sheets) that imports back`
          : `The whole budget of ${reader.what} as one XLSX workbook: the eleven official tables, a sheet each (no budget file: the consolidated year is no unit’s to import back)`,
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The workbook as an .xlsx download', XLSX_TYPE) },
  },
  async handle(ctx, req, res) {
    const { state, at, target, revision } = await yearToSend(reader, ctx, req)
    const note = asOfNote(req, at)
    const wb = budgetWorkbook(renderAllTables(state, ctx.catalogue, set), note ? { asOfNote: note } : {})
    // A unit's budget workbook carries its budget file's sheets too, so it imports back (POST /api/budget-files);
    // the 决算's carries its 情况说明, as the published 部门决算 does.
    if (set === 'budget' && reader.oneStream) addBudgetFileSheets(wb, await budgetFileAt(ctx.deps.store, state))
    else if (set === 'final') addReportSheet(wb, (await reportAt(ctx.deps.store, reader.scope(req), state, at, set, ctx.catalogue)).text, note ? { asOfNote: note } : {})
    const bytes = await xlsxBytes(wb)
    download(res, XLSX_TYPE, bytes, asciiFileName(target.unit, target.year, 'xlsx', undefined, set), exportFileName(target.unit, target.year, 'xlsx', undefined, set), revision)
  },
})

export const exportTableCsv = csvRoute('budget', 'exportTableCsv')
export const exportTableXlsx = xlsxRoute('budget', 'exportTableXlsx')
export const exportWorkbook = workbookRoute('budget', 'exportWorkbook')
export const exportFinalTableCsv = csvRoute('final', 'exportFinalTableCsv')
export const exportFinalTableXlsx = xlsxRoute('final', 'exportFinalTableXlsx')
export const exportFinalWorkbook = workbookRoute('final', 'exportFinalWorkbook')
export const exportDepartmentTableCsv = csvRoute('budget', 'exportDepartmentTableCsv', DEPARTMENT_YEAR)
export const exportDepartmentTableXlsx = xlsxRoute('budget', 'exportDepartmentTableXlsx', DEPARTMENT_YEAR)
export const exportDepartmentWorkbook = workbookRoute('budget', 'exportDepartmentWorkbook', DEPARTMENT_YEAR)
export const exportDepartmentFinalTableCsv = csvRoute('final', 'exportDepartmentFinalTableCsv', DEPARTMENT_YEAR)
export const exportDepartmentFinalTableXlsx = xlsxRoute('final', 'exportDepartmentFinalTableXlsx', DEPARTMENT_YEAR)
export const exportDepartmentFinalWorkbook = workbookRoute('final', 'exportDepartmentFinalWorkbook', DEPARTMENT_YEAR)
