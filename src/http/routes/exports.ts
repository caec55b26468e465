import type { Request, Response } from 'express'
import { TABLES, findTable } from '../../../projections'
import type { TableModel } from '../../../projections/table'
import { type TimePoint, describeTimePoint, hasCutOff } from '../../domain/as-of'
import { asciiFileName, csvFile, exportFileName } from '../../export/files'
import { sendDownload } from '../download'
import { XLSX_TYPE, budgetWorkbook, tableWorkbook, xlsxBytes } from '../../export/xlsx'
import { budgetFileAt } from '../../ledger/budget-export'
import { addBudgetFileSheets } from '../../ledger/budget-workbook'
import { renderAllTables, renderTable } from '../../ledger/tables'
import { fail } from '../problem'
import type { RouteContext, RouteSpec } from '../route'
import { loadOpenYear, targetOf } from '../unit-year'
import { ledgerTimeZone } from '../time-zone'
import { TIME_PARAMS, openYearAt, timePointQuery } from './audit'

/**
 * Downloads of the official tables: one table as CSV or XLSX, the whole budget as one workbook of
 * eleven sheets. Every role may download what it may read. The workbook is built in memory by
 * src/export/ (pure); this shell only sends the bytes.
 */

const tableOf = (req: Request) => {
  const id = String(req.params.table)
  const t = findTable(id)
  if (!t) fail('not-found', `no table "${id}": use a number or an id (${TABLES.map((x) => `${x.number} ${x.id}`).join(', ')})`)
  return t!
}

/** The workbook says which moment it shows (in the ledger's zone, or the one the request names). */
const asOfNote = (req: Request, at: TimePoint): string | undefined => {
  if (!hasCutOff(at)) return undefined
  const zone = typeof req.query.timeZone === 'string' ? req.query.timeZone : ledgerTimeZone()
  return `数据时点：${describeTimePoint(at, zone)}`
}

const download = (res: Response, type: string, bytes: Buffer | string, ascii: string, name: string, revision: number): void =>
  sendDownload(res, { type, bytes, ascii, name, revision })

const loadTable = async (ctx: RouteContext, req: Request): Promise<{ model: TableModel; at: TimePoint; revision: number }> => {
  const target = targetOf(req)
  const table = tableOf(req)
  const at = timePointQuery(ctx, req)
  const { state } = hasCutOff(at) ? await openYearAt(ctx, target, at) : await loadOpenYear(ctx.deps.store, target)
  return { model: renderTable(state, table.id, ctx.catalogue), at, revision: state.revision }
}

const fileResponse = (description: string, type: string) => ({
  description,
  headers: {
    'Content-Disposition': { description: 'attachment, with the Chinese file name as filename* (RFC 6266, RFC 8187)', schema: { type: 'string' } },
    'X-Ledger-Revision': { description: 'the revision of the budget year the file was built from', schema: { type: 'string' } },
  },
  content: { [type]: { schema: { type: 'string', ...(type === XLSX_TYPE ? { contentEncoding: 'binary' } : {}) } } },
})

export const exportTableCsv: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/tables/:table.csv',
  access: 'read',
  operation: {
    operationId: 'exportTableCsv',
    summary: 'One official table as CSV (UTF-8 with a byte-order mark, for Excel): the title and 单位 lines, then the grid in 万元',
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The table as a CSV download', 'text/csv') },
  },
  async handle(ctx, req, res) {
    const { model, revision } = await loadTable(ctx, req)
    const target = targetOf(req)
    download(res, 'text/csv; charset=utf-8', csvFile([model]), asciiFileName(target.unit, target.year, 'csv', model), exportFileName(target.unit, target.year, 'csv', model), revision)
  },
}

export const exportTableXlsx: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/tables/:table.xlsx',
  access: 'read',
  operation: {
    operationId: 'exportTableXlsx',
    summary: 'One official table as XLSX in its published layout: title, 单位：万元, merged headers, figures as numbers in 0.00 format',
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The table as an .xlsx download', XLSX_TYPE) },
  },
  async handle(ctx, req, res) {
    const { model, at, revision } = await loadTable(ctx, req)
    const target = targetOf(req)
    const note = asOfNote(req, at)
    const bytes = await xlsxBytes(tableWorkbook(model, note ? { asOfNote: note } : {}))
    download(res, XLSX_TYPE, bytes, asciiFileName(target.unit, target.year, 'xlsx', model), exportFileName(target.unit, target.year, 'xlsx', model), revision)
  },
}

export const exportWorkbook: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/workbook.xlsx',
  access: 'read',
  operation: {
    operationId: 'exportWorkbook',
    summary: 'The whole budget as one XLSX workbook: the eleven official tables, a sheet each, then the budget file (预算明细 and its sheets) that imports back',
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: { 200: fileResponse('The workbook as an .xlsx download', XLSX_TYPE) },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const at = timePointQuery(ctx, req)
    const { state } = hasCutOff(at) ? await openYearAt(ctx, target, at) : await loadOpenYear(ctx.deps.store, target)
    const note = asOfNote(req, at)
    const wb = budgetWorkbook(renderAllTables(state, ctx.catalogue), note ? { asOfNote: note } : {})
    // The budget file's sheets too, so the workbook imports back (POST /api/budget-files).
    addBudgetFileSheets(wb, await budgetFileAt(ctx.deps.store, state))
    const bytes = await xlsxBytes(wb)
    download(res, XLSX_TYPE, bytes, asciiFileName(target.unit, target.year, 'xlsx'), exportFileName(target.unit, target.year, 'xlsx'), state.revision)
  },
}
