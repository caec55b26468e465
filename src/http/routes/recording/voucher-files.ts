import * as E from 'fp-ts/Either'
import type { Request } from 'express'
import { XLSX_TYPE } from '../../../export/xlsx'
import { problemOf } from '../../../ledger/recording/handle-command'
import { firstSheet, isXlsx } from '../../../ledger/recording/sheet-grid'
import { MAX_VOUCHER_ROWS, importVoucherFile, voucherColumnsHelp } from '../../../ledger/recording/voucher-file'
import { actorOf } from '../../access/auth'
import { etagOf } from '../../responses/etag'
import { problemResponse } from '../../wire/openapi-parts'
import { ProblemError, fail, fromCommandProblem } from '../../wire/problem'
import { type Answer, NDJSON_TYPE, answerOfProblem, openProgress, wantsProgress } from '../../responses/progress-stream'
import type { Actor } from '../../../ledger/deps'
import { type RouteContext, type RouteSpec, sendJson } from '../../route'
import { targetOf } from '../../requests/unit-year'
import { flag } from './commands'

const CSV = 'text/csv'

const RESULT = {
  type: 'object',
  properties: {
    unit: { type: 'string' },
    year: { type: 'integer' },
    rows: { type: 'integer' },
    total: { type: 'string', description: '元, two decimals' },
    dryRun: { type: 'boolean' },
    repeated: { type: 'boolean', description: 'the same file was imported before: nothing was recorded again' },
    events: { type: 'integer' },
    revision: { type: 'integer' },
    firstRecordedAt: { type: 'string' },
  },
}

/** POST a voucher file (CSV or XLSX): checked whole, recorded as one atomic batch, or previewed. */
export const postVoucherFile: RouteSpec = {
  method: 'post',
  path: '/api/units/:unit/years/:year/voucher-files',
  access: 'record',
  fileBody: [XLSX_TYPE, CSV],
  operation: {
    operationId: 'importVoucherFile',
    summary: 'Record expenditure vouchers in bulk from a CSV or XLSX file (one voucher per row), all or nothing',
    description: [
      `The first row names the columns: ${voucherColumnsHelp()}. A CSV is UTF-8; of a workbook the first sheet is read. At most ${MAX_VOUCHER_ROWS} rows.`,
      'Every row is checked against the year in order (a row\'s spending counts against the rows after it); any bad cell (bad date, unknown line, ambiguous function code, over-spend, …) is named by sheet, row and column in errors, and nothing is written.',
      '?dryRun=true checks and answers 200 with what would be recorded. The same file again answers 200 with repeated: true and records nothing. Documented in docs/vouchers.md.',
      `With Accept: ${NDJSON_TYPE} the answer is 200 and a stream of JSON lines: {"checked":1000,"rows":5000} every 1,000 rows as they are checked, then {"status":…,"body":…}, the answer the request would otherwise have had (a problem included).`,
    ].join('\n\n'),
    tags: ['record'],
    parameters: [
      { name: 'dryRun', in: 'query', required: false, description: 'check only; write nothing', schema: { type: 'boolean' } },
      { name: 'document', in: 'query', required: false, description: 'the approval document the vouchers are recorded on', schema: { type: 'string', maxLength: 200 } },
      { name: 'file', in: 'query', required: false, description: "the file's name, which the cell references of a CSV use (vouchers.csv when not given; a workbook's name its sheet)", schema: { type: 'string', maxLength: 200 } },
    ],
    requestBody: {
      required: true,
      content: { [CSV]: { schema: { type: 'string' } }, [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
    },
    responses: {
      200: {
        description: `A dry run (nothing was written), or a repeat of a file already imported; or, with Accept: ${NDJSON_TYPE}, the progress stream`,
        content: { 'application/json': { schema: RESULT }, [NDJSON_TYPE]: { schema: { type: 'string', description: 'JSON lines: {checked, rows}…, then {status, body}' } } },
      },
      201: { description: 'Recorded, every row, as one batch', content: { 'application/json': { schema: RESULT } } },
      409: problemResponse('Refused by the ledger; nothing was written'),
      422: problemResponse('Bad cells: errors names each by sheet, row and column; nothing was written'),
      503: problemResponse('Too many concurrent changes; try again'),
    },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const dryRun = flag(req.query.dryRun, 'dryRun')
    const name = fileNameOf(req.query.file)
    const stream = wantsProgress(req) ? openProgress(res) : undefined
    const work = voucherAnswer(ctx, req, target, { dryRun, name, actor: actorOf(res), ...(stream ? { onProgress: stream.progress } : {}) })
    if (stream) return stream.end(await work.catch(answerOfProblem))
    const answer = await work
    sendJson(res, answer.status, answer.body, answer.headers)
  },
}

/** The name a client gives its file (a person's 凭证-4月.csv reads better in a bad cell's reference than vouchers.csv): its last part, printable. */
const fileNameOf = (raw: unknown): string | undefined => {
  if (raw === undefined) return undefined
  const name = typeof raw === 'string' ? raw.split(/[\\/]/).pop()! : ''
  // eslint-disable-next-line no-control-regex
  if (name === '' || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) return fail('bad-request', 'query file: expected a file name of 1-200 printable characters', [{ path: 'file', reason: 'expected a file name of 1-200 printable characters' }])
  return name
}

/** The file checked (and recorded, unless a dry run): what the route answers, progress told as the rows are checked. */
const voucherAnswer = async (
  ctx: RouteContext,
  req: Request,
  target: { unit: string; year: number },
  options: { readonly dryRun: boolean; readonly name: string | undefined; readonly actor: Actor; readonly onProgress?: (checked: number, rows: number) => void },
): Promise<Answer> => {
  const { dryRun, name, actor, onProgress } = options
  const document = typeof req.query.document === 'string' && req.query.document !== '' ? req.query.document : null
  const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  const grid = await firstSheet(bytes, name ?? (isXlsx(bytes) ? 'vouchers.xlsx' : 'vouchers.csv'))
  if (E.isLeft(grid)) return fail('invalid', `${grid.left}; nothing was written`)
  const result = await importVoucherFile(ctx.deps, target, grid.right, { document, dryRun, ...(onProgress ? { onProgress } : {}) }, actor)
  if (E.isLeft(result)) {
    const e = result.left
    if (e.kind === 'not-open') return fail('not-found', e.message)
    const p = problemOf(e, 'the voucher file')
    throw new ProblemError(fromCommandProblem(p), p.kind === 'contended' ? { 'Retry-After': '1' } : {})
  }
  const r = result.right
  return { status: r.dryRun || r.repeated ? 200 : 201, body: { unit: target.unit, year: target.year, ...r }, headers: { 'Cache-Control': 'no-store', ...(r.dryRun ? {} : { ETag: etagOf(r.revision) }) } }
}
