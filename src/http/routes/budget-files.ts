import * as E from 'fp-ts/Either'
import { problemOf } from '../../ledger/handle-command'
import ExcelJS from 'exceljs'
import { XLSX_TYPE, xlsxBytes } from '../../export/xlsx'
import { addTemplateSheets } from '../../ledger/budget-workbook'
import { importBudgetFile, importBudgetWorkbook } from '../../ledger/import-file'
import { actorOf } from '../auth'
import { sendDownload } from '../download'
import { etagOf } from '../etag'
import { ETAG_HEADER, problemResponse, response } from '../openapi-parts'
import { ProblemError, fromCommandProblem } from '../problem'
import { type RouteSpec, sendJson } from '../route'

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
      'The format is documented in docs/budget-file.md: JSON, or an XLSX workbook in the layout of GET /api/budget-files/template.xlsx (or the workbook this ledger exports), every bad cell named by sheet, row and column. Either every command of the file is recorded, or nothing is.',
    tags: ['record'],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/BudgetFile' } },
        [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
      },
    },
    responses: {
      201: response('Imported', 'ImportResult', { ETag: ETAG_HEADER }),
      409: problemResponse('The budget year already exists (or the file was refused); nothing was written'),
      422: problemResponse('The file does not fit the budget-file codec; errors lists every bad field'),
      503: problemResponse('Too many concurrent changes; try again'),
    },
  },
  async handle(ctx, req, res) {
    const result = Buffer.isBuffer(req.body) ? await importBudgetWorkbook(ctx.deps, req.body, actorOf(res)) : await importBudgetFile(ctx.deps, req.body, actorOf(res))
    if (E.isLeft(result)) {
      const p = problemOf(result.left, 'the budget file')
      throw new ProblemError(fromCommandProblem(p), p.kind === 'contended' ? { 'Retry-After': '1' } : {})
    }
    const r = result.right
    const unit = r.file.unit.code
    const year = r.file.year
    sendJson(
      res,
      201,
      { unit, year, name: r.file.unit.name, revision: r.revision, lines: r.file.lines.length, events: r.events.length, href: `/api/units/${unit}/years/${year}` },
      { ETag: etagOf(r.revision), Location: `/api/units/${unit}/years/${year}`, 'Cache-Control': 'no-store' },
    )
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
    const wb = new ExcelJS.Workbook()
    addTemplateSheets(wb)
    sendDownload(res, { type: XLSX_TYPE, bytes: await xlsxBytes(wb), ascii: 'budget-template.xlsx', name: '预算导入模板.xlsx' })
  },
}
