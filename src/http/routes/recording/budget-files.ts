import * as E from 'fp-ts/Either'
import { problemOf } from '../../../ledger/recording/handle-command'
import { emptyWorkbook } from '../../../export/exceljs'
import { XLSX_TYPE, xlsxBytes } from '../../../export/xlsx'
import { addTemplateSheets } from '../../../ledger/reports/budget-workbook'
import { importBudgetFile, importBudgetWorkbook } from '../../../ledger/recording/import-file'
import { actorOf } from '../../access/auth'
import { sendDownload } from '../../responses/download'
import { etagOf } from '../../responses/etag'
import { ETAG_HEADER, problemResponse, response } from '../../wire/openapi-parts'
import { ProblemError, fromCommandProblem } from '../../wire/problem'
import { type RouteSpec, sendJson } from '../../route'
import { yearSummary } from '../../../../projections/year-summary'
import { flag } from './commands'

export const postBudgetFile: RouteSpec = {
  method: 'post',
  path: '/api/budget-files',
  access: 'record',
  jsonBody: true,
  fileBody: [XLSX_TYPE],
  operation: {
    operationId: 'importBudgetFile',
    summary: 'Import a budget file (budget-ledger/budget-year@1): opens the year and records its lines as one atomic batch',
    description:
      'The format is documented in docs/budget-file.md: JSON, or an XLSX workbook in the layout of GET /api/budget-files/template.xlsx (or the workbook this ledger exports), every bad cell named by sheet, row and column. Either every command of the file is recorded, or nothing is. ?dryRun=true checks the file against this ledger and answers 200 with what would be recorded (unit-year, lines, totals), writing nothing.',
    tags: ['record'],
    parameters: [{ name: 'dryRun', in: 'query', required: false, description: 'check only; write nothing', schema: { type: 'boolean' } }],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/BudgetFile' } },
        [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
      },
    },
    responses: {
      200: response('Dry run: what the file would record; nothing was written', 'ImportResult'),
      201: response('Imported', 'ImportResult', { ETag: ETAG_HEADER }),
      409: problemResponse('The budget year already exists (or the file was refused); nothing was written'),
      422: problemResponse('The file does not fit the budget-file codec; errors lists every bad field'),
      503: problemResponse('Too many concurrent changes; try again'),
    },
  },
  async handle(ctx, req, res) {
    const options = { dryRun: flag(req.query.dryRun, 'dryRun') }
    const result = Buffer.isBuffer(req.body) ? await importBudgetWorkbook(ctx.deps, req.body, actorOf(res), options) : await importBudgetFile(ctx.deps, req.body, actorOf(res), options)
    if (E.isLeft(result)) {
      const p = problemOf(result.left, 'the budget file')
      throw new ProblemError(fromCommandProblem(p), p.kind === 'contended' ? { 'Retry-After': '1' } : {})
    }
    const r = result.right
    const unit = r.file.unit.code
    const year = r.file.year
    const href = `/api/units/${unit}/years/${year}`
    // The totals are the ledger's fold of what the file records (as the year summary shows them), so a preview needs no sum of its own.
    const body = { unit, year, name: r.file.unit.name, revision: r.revision, dryRun: r.dryRun, lines: r.file.lines.length, events: r.events.length, totals: yearSummary(r.state).totals, href }
    if (r.dryRun) return sendJson(res, 200, body, { 'Cache-Control': 'no-store' })
    sendJson(res, 201, body, { ETag: etagOf(r.revision), Location: href, 'Cache-Control': 'no-store' })
  },
}

export const getBudgetTemplate: RouteSpec = {
  method: 'get',
  path: '/api/budget-files/template.xlsx',
  access: 'read',
  operation: {
    operationId: 'budgetFileTemplate',
    summary: 'The XLSX template of a budget file: one row per line on 预算明细, a sheet explaining each column (填写说明)',
    tags: ['read'],
    responses: { 200: { description: 'The template as an .xlsx download', content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } } },
  },
  async handle(_ctx, _req, res) {
    const wb = emptyWorkbook()
    addTemplateSheets(wb)
    sendDownload(res, { type: XLSX_TYPE, bytes: await xlsxBytes(wb), ascii: 'budget-template.xlsx', name: '预算导入模板.xlsx' })
  },
}
