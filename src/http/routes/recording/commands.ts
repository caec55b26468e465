import * as E from 'fp-ts/Either'
import type { Request, Response } from 'express'
import { streamOf } from '../../../domain/codecs/primitives'
import { type CommandProblem, handleCommand, resultView } from '../../../ledger/recording/handle-command'
import type { RecordOptions, Recorded } from '../../../ledger/recording/record'
import { indicatorPreview } from '../../../ledger/reports/indicators'
import { actorOf } from '../../access/auth'
import { etagOf, parseIfMatch } from '../../responses/etag'
import { ETAG_HEADER, problemResponse, response } from '../../wire/openapi-parts'
import { ProblemError, fail, fromCommandProblem } from '../../wire/problem'
import { queryOf } from '../../requests/query'
import { type RouteContext, type RouteSpec, sendJson } from '../../route'
import { type Target, targetOf } from '../../requests/unit-year'
import { yearSummary } from '../../../../projections/year-summary'

/** Printable ASCII, as the IETF Idempotency-Key draft describes keys (a UUID fits). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

export const flag = (raw: unknown, name: string): boolean => {
  if (raw === undefined) return false
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  return fail('bad-request', `query ${name}: expected true or false`, [{ path: name, reason: 'expected true or false' }])
}

const idempotencyKeyOf = (req: Request): string | undefined => {
  const key = req.get('idempotency-key')
  if (key === undefined) return undefined
  if (!IDEMPOTENCY_KEY.test(key))
    fail('bad-request', 'Idempotency-Key: expected 1 to 255 printable ASCII characters (a UUID, say)', [
      { path: 'Idempotency-Key', reason: 'expected 1 to 255 printable ASCII characters' },
    ])
  return key
}

/**
 * If-Match → the revision the command must be decided on, or none (latest, retried on conflict).
 * Without If-Match (nearly every command) it answers at once, without a promise; a tag is checked
 * against the store's revision.
 */
const expectedRevisionOf = (ctx: RouteContext, req: Request, target: Target): number | undefined | Promise<number | undefined> => {
  const m = parseIfMatch(req.get('if-match'))
  if (m.kind === 'none') return undefined
  return pinnedRevisionOf(ctx, m, target)
}

const pinnedRevisionOf = async (ctx: RouteContext, m: Exclude<ReturnType<typeof parseIfMatch>, { kind: 'none' }>, target: Target): Promise<number | undefined> => {
  if (m.kind === 'malformed')
    fail('bad-request', `If-Match: expected a strong entity tag such as "7" (the ETag of a read), got ${m.value}`, [
      { path: 'If-Match', reason: 'expected a strong entity tag such as "7"' },
    ])
  if (m.kind === 'revisions' && m.revisions.length === 1) return m.revisions[0]
  const current = await ctx.deps.store.streamRevision(streamOf(target.unit, target.year))
  // `*`: any revision will do, so the command is decided on the latest and retried like one without If-Match.
  if (m.kind === 'any' && current >= 0) return undefined
  if (m.kind === 'revisions' && m.revisions.includes(current)) return current
  throw stale(m.kind === 'revisions' ? m.revisions.join(', ') : '*', current)
}

const stale = (expected: string, current: number) =>
  new ProblemError(
    fromCommandProblem({
      kind: 'stale',
      title: '',
      detail: `If-Match asked for revision ${expected}, but the budget year is at ${current < 0 ? 'no revision (it does not exist)' : `revision ${current}`}; nothing was written`,
      errors: [],
      currentRevision: current,
    }),
    current < 0 ? {} : { ETag: etagOf(current) },
  )

type RecordingOptions = Pick<RecordOptions, 'expectedRevision' | 'dryRun' | 'idempotencyKey'>

/**
 * ?dryRun, If-Match and Idempotency-Key of a request that records in `target`, as the ledger takes
 * them: at once when there is no If-Match to check against the store (a bad parameter throws), else
 * once it is checked (a promise, rejected for a bad one).
 */
export const recordingOptions = (ctx: RouteContext, req: Request, target: Target): RecordingOptions | Promise<RecordingOptions> => {
  const dryRun = flag(queryOf(req).dryRun, 'dryRun')
  const idempotencyKey = idempotencyKeyOf(req)
  const expectedRevision = expectedRevisionOf(ctx, req, target)
  return typeof expectedRevision === 'object' ? expectedRevision.then((r) => optionsOf(r, idempotencyKey, dryRun)) : optionsOf(expectedRevision, idempotencyKey, dryRun)
}

const optionsOf = (expectedRevision: number | undefined, idempotencyKey: string | undefined, dryRun: boolean): RecordingOptions =>
  expectedRevision === undefined
    ? idempotencyKey === undefined ? { dryRun } : { idempotencyKey, dryRun }
    : idempotencyKey === undefined ? { expectedRevision, dryRun } : { expectedRevision, idempotencyKey, dryRun }

/** The query and headers of every route that records: dryRun, If-Match, Idempotency-Key. */
export const RECORDING_PARAMETERS = [
  { name: 'dryRun', in: 'query', required: false, description: 'decide only; write nothing', schema: { type: 'boolean' } },
  { name: 'If-Match', in: 'header', required: false, description: 'the revision the command was decided on, e.g. "7"', schema: { type: 'string' } },
  { name: 'Idempotency-Key', in: 'header', required: false, description: 'a client-chosen key (1-255 printable ASCII); repeats return the first result', schema: { type: 'string', maxLength: 255 } },
]

/** The answers of every route that records (see sendRecorded); `body` names what a 422 is measured against. */
export const recordingResponses = (body: string) => ({
  200: response('Dry run: the events the command would record; nothing was written', 'CommandResult'),
  201: response('Recorded (or replayed for a repeated Idempotency-Key)', 'CommandResult', {
    ETag: ETAG_HEADER,
    'Idempotent-Replayed': { description: 'true when this answers a repeated Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
  }),
  409: problemResponse('Refused by the ledger (code says why: over-spend, unknown-line, …); nothing was written'),
  412: problemResponse('If-Match is not the current revision (currentRevision and ETag say which is); nothing was written'),
  422: problemResponse(`The body does not fit ${body}; errors lists every bad field`),
  503: problemResponse('Too many concurrent changes; try again'),
})

/**
 * The answer to a command recorded (201, its ETag and where its events are) or dry-run (200, the
 * events it would record, the lines after it and the indicators it would change), for every route
 * that records: commands, the year-end close, the next year. `extra` adds a route's own fields.
 */
export const sendRecorded = (ctx: RouteContext, res: Response, target: Target, recorded: Recorded, extra?: Record<string, unknown>): Promise<void> | void => {
  // The view as it is unless a route adds fields: no copy of it per command.
  const view = extra === undefined ? resultView(target, recorded) : { ...resultView(target, recorded), ...extra }
  if (recorded.dryRun) return sendDryRun(ctx, res, target, recorded, view)
  // Recorded: answered at once, without a promise of its own (issue 15, the writes at 64).
  const headers: Record<string, string> = {
    ETag: etagOf(recorded.revision),
    'Cache-Control': 'no-store',
    Location: `/api/units/${target.unit}/years/${target.year}/events?from=${recorded.events[0]?.revision ?? recorded.revision}`,
  }
  if (recorded.repeated) headers['Idempotent-Replayed'] = 'true'
  sendJson(res, 201, view, headers)
}

/** A dry run's answer: the view, and what the command would leave. */
const sendDryRun = async (ctx: RouteContext, res: Response, target: Target, recorded: Recorded, view: object): Promise<void> => {
  // What-if: the indicators after the command, and which would change (src/ledger/reports/indicators.ts).
  const preview = await indicatorPreview(ctx.deps.store, target, recorded.state)
  // The lines after it too, so that a form can show a line's new budget without doing sums itself.
  const lines = yearSummary(recorded.state).lines
  sendJson(res, 200, { ...view, lines, indicators: preview.after ?? null, changes: preview.changes }, { 'Cache-Control': 'no-store' })
}

/** A refusal of the ledger as the problem HTTP answers, with the current revision as ETag where known. */
export const commandProblem = (p: CommandProblem): ProblemError => {
  const headers: Record<string, string> = p.currentRevision !== undefined && p.currentRevision >= 0 ? { ETag: etagOf(p.currentRevision) } : {}
  if (p.kind === 'contended') headers['Retry-After'] = '1'
  return new ProblemError(fromCommandProblem(p), headers)
}

export const postCommand: RouteSpec = {
  method: 'post',
  path: '/api/units/:unit/years/:year/commands',
  access: 'record',
  jsonBody: true,
  lane: true,
  operation: {
    operationId: 'postCommand',
    summary: 'Record a command in a budget year (open, allocate, add, reduce, transfer, spend, reverse, correct, set earmarks and targets)',
    description: [
      'The body is a command `{type, data}` with its context `{reason, document, effectiveDate}`; every event it records carries them and the caller (name and role) in its metadata.',
      'Without If-Match the command is decided against the latest state and retried on a conflict. With If-Match (the ETag of a read) it is decided only on that revision, else 412 with the current revision.',
      'Idempotency-Key: a repeat of the same key returns the first result (header Idempotent-Replayed: true) without recording again.',
      'CorrectEntry (更正) reverses an entry and records its replacement, decided together and appended together: both events, or a refusal and nothing (a refusal of the replacement names data.replacement.…).',
      '?dryRun=true decides and answers 200 with the events it would record, writing nothing, and the lines after it (`lines`, as in the year summary), the indicators after it (`indicators`, `changes`: e.g. "预算调整率 28.10% → 32.40%（目标 ≤30%） 未达标").',
    ].join('\n\n'),
    tags: ['record'],
    parameters: RECORDING_PARAMETERS,
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CommandBody' } } } },
    responses: recordingResponses('the command codecs'),
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const options = recordingOptions(ctx, req, target)
    // Without If-Match the options are known at once: not awaited (a promise and a turn of the microtask queue a command).
    const result = await handleCommand(ctx.deps, target, req.body, actorOf(res), options instanceof Promise ? await options : options)
    if (E.isLeft(result)) throw commandProblem(result.left)
    return sendRecorded(ctx, res, target, result.right.recorded)
  },
}
