import * as E from 'fp-ts/Either'
import { closeYearCommand } from '../../ledger/close-year'
import { handleCommand } from '../../ledger/handle-command'
import { actorOf } from '../auth'
import { fail } from '../problem'
import type { RouteSpec } from '../route'
import { loadOpenYear, targetOf } from '../unit-year'
import { RECORDING_PARAMETERS, commandProblem, recordingOptions, recordingResponses, sendRecorded } from './commands'

const KEYS = ['carry', 'reason', 'document', 'effectiveDate']

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** The body's carry wish, `{line: "all" | amount in 元}`; 422 naming what is wrong. */
const carryOf = (body: Record<string, unknown>): Record<string, string> => {
  const unknown = Object.keys(body).filter((k) => !KEYS.includes(k))
  if (unknown.length) fail('invalid', `the close has ${unknown.length} bad field(s); nothing was written`, unknown.map((k) => ({ path: k, reason: `no such field (known fields: ${KEYS.join(', ')})` })))
  const carry = body.carry ?? {}
  if (!isRecord(carry)) return fail('invalid', 'the close has 1 bad field(s); nothing was written', [{ path: 'carry', reason: 'expected an object {line: "all" or an amount in 元}' }])
  const bad = Object.entries(carry).filter(([, v]) => typeof v !== 'string')
  if (bad.length) fail('invalid', `the close has ${bad.length} bad field(s); nothing was written`, bad.map(([k]) => ({ path: `carry.${k}`, reason: 'expected "all" or an amount in 元 as a decimal string' })))
  return carry as Record<string, string>
}

/**
 * POST …/close: 年终结账 from a wish (which lines carry what into next year), as `budget-ledger
 * close-year --carry` takes it; the ledger (closeYearCommand) states both parts of every line, so a
 * form never adds up what is left.
 */
export const postCloseYear: RouteSpec = {
  method: 'post',
  path: '/api/units/:unit/years/:year/close',
  access: 'record',
  jsonBody: true,
  operation: {
    operationId: 'postCloseYear',
    summary: 'Close a budget year (年终结账): the lines named in carry carry that amount (or "all") into next year as 结转, everything else left is 结余',
    description: [
      'The body is `{carry: {line: "all" | "1200.00"}, reason, document, effectiveDate}`; the ledger turns it into the CloseYear command with 结转 and 结余 of every line with money left, as `budget-ledger close-year --carry` does.',
      'dryRun, If-Match and Idempotency-Key as for postCommand; the dry run answers the CloseYear event, the lines and the indicators after it (结转结余率).',
    ].join('\n\n'),
    tags: ['record'],
    parameters: RECORDING_PARAMETERS,
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['reason', 'effectiveDate'],
            properties: {
              carry: { type: 'object', additionalProperties: { type: 'string', description: '"all" or an amount in 元' } },
              reason: { type: 'string' },
              document: { oneOf: [{ type: 'string' }, { type: 'null' }] },
              effectiveDate: { type: 'string', format: 'date' },
            },
          },
        },
      },
    },
    responses: recordingResponses('the close (carry, reason, document, effectiveDate)'),
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const options = await recordingOptions(ctx, req, target)
    const body: unknown = req.body
    if (!isRecord(body)) return fail('invalid', 'the close has 1 bad field(s); nothing was written', [{ path: '', reason: 'expected an object {carry, reason, document, effectiveDate}' }])
    const carry = carryOf(body)
    const { state } = await loadOpenYear(ctx.deps.store, target)
    const command = closeYearCommand(state, carry)
    if (E.isLeft(command)) return fail('invalid', `${command.left}; nothing was written`, [{ path: 'carry', reason: command.left }])
    const { carry: _, ...context } = body
    const result = await handleCommand(ctx.deps, target, { ...command.right, ...context }, actorOf(res), options)
    if (E.isLeft(result)) throw commandProblem(result.left)
    await sendRecorded(ctx, res, target, result.right.recorded)
  },
}
