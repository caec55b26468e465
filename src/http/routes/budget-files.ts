import * as E from 'fp-ts/Either'
import { problemOf } from '../../ledger/handle-command'
import { importBudgetFile } from '../../ledger/import-file'
import { actorOf } from '../auth'
import { etagOf } from '../etag'
import { ETAG_HEADER, problemResponse, response } from '../openapi-parts'
import { ProblemError, fromCommandProblem } from '../problem'
import { type RouteSpec, sendJson } from '../route'

export const postBudgetFile: RouteSpec = {
  method: 'post',
  path: '/api/budget-files',
  access: 'record',
  jsonBody: true,
  operation: {
    operationId: 'importBudgetFile',
    summary: 'Import a budget file (budget-ledger/budget-year@1): opens the year and records its lines as one atomic batch',
    description: 'The format is documented in docs/budget-file.md. Either every command of the file is recorded, or nothing is.',
    tags: ['record'],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/BudgetFile' } } } },
    responses: {
      201: response('Imported', 'ImportResult', { ETag: ETAG_HEADER }),
      409: problemResponse('The budget year already exists (or the file was refused); nothing was written'),
      422: problemResponse('The file does not fit the budget-file codec; errors lists every bad field'),
      503: problemResponse('Too many concurrent changes; try again'),
    },
  },
  async handle(ctx, req, res) {
    const result = await importBudgetFile(ctx.deps, req.body, actorOf(res))
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
