import * as E from 'fp-ts/Either'
import { PartialContext } from '../../../domain/events/commands'
import { decode } from '../../../domain/codecs/decode'
import { Year, streamOf } from '../../../domain/codecs/primitives'
import { issuesOf, problemOf } from '../../../ledger/recording/handle-command'
import { openNextYear } from '../../../ledger/opening-closing/open-next-year'
import { actorOf } from '../../access/auth'
import { fail } from '../../wire/problem'
import type { RouteSpec } from '../../route'
import { targetOf } from '../../requests/unit-year'
import { RECORDING_PARAMETERS, commandProblem, recordingOptions, recordingResponses, sendRecorded } from './commands'

/**
 * POST …/years/:year/next-year: opens year + 1 with the closed year's 结转 as 上年结转 lines, as
 * `budget-ledger open-next-year` does (src/ledger/opening-closing/open-next-year.ts holds the rule). The path names
 * the closed year; If-Match is that year's revision as read.
 */
export const postNextYear: RouteSpec = {
  method: 'post',
  path: '/api/units/:unit/years/:year/next-year',
  access: 'record',
  jsonBody: true,
  operation: {
    operationId: 'postNextYear',
    summary: 'Open the year after a closed one (开启下一年度), its 结转 carried in as 上年结转 lines',
    description: [
      'The path names the closed year. The body `{reason?, document?, effectiveDate?}` may be empty: the reason then says what is carried, the business date is 1 January of the new year.',
      'Records, in the next year, BudgetYearOpened (unless that year is already open) and one LineAllocated per line carried over (fund source carriedForward, carriedFrom naming the source line), as one atomic batch. Refused (409, code year-not-closed) while the year is not closed.',
      'dryRun and Idempotency-Key as for postCommand; If-Match is the revision of the closed year. The answer is about the new year (its unit, year, revision and events), with carriedOver, the 元 carried in.',
    ].join('\n\n'),
    tags: ['record'],
    parameters: RECORDING_PARAMETERS,
    requestBody: {
      required: false,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: { reason: { type: 'string' }, document: { oneOf: [{ type: 'string' }, { type: 'null' }] }, effectiveDate: { type: 'string', format: 'date' } },
          },
        },
      },
    },
    responses: recordingResponses('{reason, document, effectiveDate}'),
  },
  async handle(ctx, req, res) {
    const source = targetOf(req)
    const next = { unit: source.unit, year: source.year + 1 }
    if (!Year.is(next.year)) fail('invalid', `${next.year} is outside the years the ledger keeps; nothing was written`, [{ path: 'year', reason: 'no next year to open' }])
    const { expectedRevision, ...options } = await recordingOptions(ctx, req, source)
    const context = decode(PartialContext)(req.body ?? {})
    if (E.isLeft(context)) fail('invalid', `the request has ${context.left.length} bad field(s); nothing was written`, issuesOf(context.left))
    if (expectedRevision !== undefined) {
      // The closed year takes no change, but a page that read it before the close decided on something else.
      const current = await ctx.deps.store.streamRevision(streamOf(source.unit, source.year))
      if (current !== expectedRevision) throw commandProblem({ kind: 'stale', title: '', detail: `If-Match asked for revision ${expectedRevision} of ${source.year}, but it is at revision ${current}; nothing was written`, errors: [], currentRevision: current })
    }
    const r = await openNextYear(ctx.deps, source, actorOf(res), options, context.right)
    if (E.isLeft(r)) {
      if (r.left.kind === 'source-not-closed') return fail('refused', `${r.left.message}; nothing was written`, [], { code: 'year-not-closed', words: r.left.words })
      throw commandProblem(problemOf(r.left))
    }
    await sendRecorded(ctx, res, next, r.right, { carriedOver: r.right.carriedOver })
  },
}
