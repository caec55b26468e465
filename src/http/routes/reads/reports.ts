import { createHash } from 'node:crypto'
import type { TableSet } from '../../../../projections/table'
import { reportAt } from '../../../ledger/reports/report'
import { IF_NONE_MATCH } from '../../wire/openapi-parts'
import { sendYearRead } from '../../responses/cached-read'
import type { RouteSpec } from '../../route'
import { DEPARTMENT_YEAR, UNIT_YEAR, type YearReader } from '../../responses/year-reader'
import { READ_CACHE } from './units'
import { TIME_PARAMS } from '../audit/audit'

/**
 * The 情况说明 of a year, 预算 (/report) and 决算 (/final-report), for a unit-year or a department's
 * consolidated year: the same JSON as `budget-ledger report [--final] --format json`, or its text.
 */
const REPORT_PATH: Record<TableSet, string> = { budget: 'report', final: 'final-report' }
const TEXT = 'text/plain; charset=utf-8'

/**
 * The tag of what is sent, not of the year's revision: the 决算 情况说明 also reads last year, which
 * may change while this year does not; and the text and the JSON are two representations.
 */
const contentTag = (type: string, body: string): string => `"${createHash('sha256').update(type).update('\n').update(body).digest('base64url').slice(0, 27)}"`

const reportRoute = (set: TableSet, operationId: string, reader: YearReader): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/${REPORT_PATH[set]}`,
  access: 'read',
  lane: true,
  operation: {
    operationId,
    summary:
      set === 'final'
        ? `The 决算 情况说明 of ${reader.what}: the text, its comparisons with 年初预算 and with last year’s 决算 (last year as the ledger held it at the same instant, else the figures recorded with the year’s opening), and the 类 shares`
        : `The 预算 情况说明 (Part 2) of ${reader.what}, as text`,
    description: [
      `The same JSON as \`budget-ledger report${set === 'final' ? ' --final' : ''} --format json\`; with \`Accept: text/plain\`, the text alone (what \`budget-ledger report${set === 'final' ? ' --final' : ''}\` prints). Amounts in 万元, rates in percent.`,
      'The ETag is the answer’s own (a hash of the body and its media type), since the 决算 情况说明 changes when last year does; none for an asOf / effective read.',
    ].join('\n\n'),
    tags: ['read'],
    parameters: [IF_NONE_MATCH, ...TIME_PARAMS],
    responses: {
      200: {
        description: 'The 情况说明',
        headers: { ETag: { description: 'the answer’s entity tag (none for an asOf / effective read)', schema: { type: 'string' } } },
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/Report' } },
          'text/plain': { schema: { type: 'string', description: 'the 情况说明 as people read it' } },
        },
      },
      304: { description: 'Not modified since the ETag in If-None-Match' },
    },
  },
  async handle(ctx, req, res) {
    const plain = req.accepts(['application/json', 'text/plain']) === 'text/plain'
    const type = plain ? TEXT : 'application/json; charset=utf-8'
    await sendYearRead(ctx, req, res, {
      reader,
      what: `${REPORT_PATH[set]}:${plain ? 'text' : 'json'}`,
      beyondTheYear: true,
      headers: { 'Cache-Control': READ_CACHE, Vary: 'Accept' },
      render: async (state, at) => {
        const report = await reportAt(ctx.deps.store, reader.scope(req), state, at, set, ctx.catalogue)
        const body = plain ? report.text : JSON.stringify(report)
        return { body, contentType: type, etag: contentTag(type, body) }
      },
    })
  },
})

export const getReport = reportRoute('budget', 'getReport', UNIT_YEAR)
export const getFinalReport = reportRoute('final', 'getFinalReport', UNIT_YEAR)
export const getDepartmentReport = reportRoute('budget', 'getDepartmentReport', DEPARTMENT_YEAR)
export const getDepartmentFinalReport = reportRoute('final', 'getDepartmentFinalReport', DEPARTMENT_YEAR)
