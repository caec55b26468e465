import * as E from 'fp-ts/Either'
import { fieldWords } from '../../../domain/codecs/decode'
import { closeYearCommand } from '../../../ledger/opening-closing/close-year'
import { handleCommand } from '../../../ledger/recording/handle-command'
import { actorOf } from '../../access/auth'
import { fail } from '../../wire/problem'
import type { RouteSpec } from '../../route'
import { loadOpenYear, targetOf } from '../../requests/unit-year'
import { RECORDING_PARAMETERS, commandProblem, recordingOptions, recordingResponses, sendRecorded } from './commands'

const KEYS = ['carry', 'recover', 'recoveryNotice', 'reason', 'document', 'effectiveDate']

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

const bad = (errors: ReadonlyArray<{ path: string; reason: string; words: string }>): never =>
  fail('invalid', `the close has ${errors.length} bad field(s); nothing was written`, errors, { words: `有 ${errors.length} 处填写有误，什么也没有写入` })

/** One wish of the body (carry or recover), `{line: "all" | amount in 元}`; 422 naming what is wrong. */
const wishOf = (body: Record<string, unknown>, key: 'carry' | 'recover'): Record<string, string> => {
  const wish = body[key] ?? {}
  if (!isRecord(wish)) return bad([{ path: key, reason: 'expected an object {line: "all" or an amount in 元}', words: `${key}：应为对象 {预算行: "all" 或金额}` }])
  const wrong = Object.entries(wish).filter(([, v]) => typeof v !== 'string')
  if (wrong.length) bad(wrong.map(([k]) => ({ path: `${key}.${k}`, reason: 'expected "all" or an amount in 元 as a decimal string', words: `${key}.${k}：应为 "all" 或金额（文字，如 "1200.00" 或 "1.25万元"）` })))
  return wish as Record<string, string>
}

/** The body's wishes: what each line carries (结转) and what the finance bureau takes back (收回), with its notice. */
const wishesOf = (body: Record<string, unknown>) => {
  const unknown = Object.keys(body).filter((k) => !KEYS.includes(k))
  const noSuchField = `no such field (known fields: ${KEYS.join(', ')})`
  if (unknown.length) bad(unknown.map((k) => ({ path: k, reason: noSuchField, words: fieldWords(k, [noSuchField], '') })))
  const notice = body.recoveryNotice
  if (notice !== undefined && typeof notice !== 'string') bad([{ path: 'recoveryNotice', reason: 'expected the 收回 notice (文号) as text', words: 'recoveryNotice：应为收回通知的文号（文字）' }])
  return { carry: wishOf(body, 'carry'), recover: wishOf(body, 'recover'), ...(notice === undefined ? {} : { recoveryNotice: notice as string }) }
}

/**
 * POST …/close: 年终结账 from a wish (which lines carry what into next year, which the finance
 * bureau takes back), as `budget-ledger close-year --carry --recover` takes it; the ledger
 * (closeYearCommand) states every part of every line, so a form never adds up what is left.
 */
export const postCloseYear: RouteSpec = {
  method: 'post',
  path: '/api/units/:unit/years/:year/close',
  access: 'record',
  jsonBody: true,
  operation: {
    operationId: 'postCloseYear',
    summary: 'Close a budget year (年终结账): the lines named in carry carry that amount (or "all") into next year as 结转, those in recover give it back (收回), everything else left is 结余',
    description: [
      'The body is `{carry: {line: "all" | "1200.00"}, recover: {line: "all" | "1200.00"}, recoveryNotice, reason, document, effectiveDate}`; the ledger turns it into the CloseYear command with 结转, 结余 and 收回 of every line with money left, as `budget-ledger close-year --carry --recover` does. Recovering anything needs recoveryNotice, the finance bureau\'s 收回 notice.',
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
              carry: { type: 'object', additionalProperties: { type: 'string', description: '"all" or an amount in 元, or in 万元 with the suffix ("1.25万元")' } },
              recover: { type: 'object', additionalProperties: { type: 'string', description: '"all" or an amount in 元 (or "1.25万元"), taken back by the finance bureau (收回)' } },
              recoveryNotice: { type: 'string', description: 'the finance bureau\'s 收回 notice (文号); required when anything is recovered' },
              reason: { type: 'string' },
              document: { oneOf: [{ type: 'string' }, { type: 'null' }] },
              effectiveDate: { type: 'string', format: 'date' },
            },
          },
        },
      },
    },
    responses: recordingResponses('the close (carry, recover, recoveryNotice, reason, document, effectiveDate)'),
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const options = await recordingOptions(ctx, req, target)
    const body: unknown = req.body
    if (!isRecord(body)) return bad([{ path: '', reason: 'expected an object {carry, reason, document, effectiveDate}', words: '应为对象 {carry, reason, document, effectiveDate}' }])
    const { carry, ...recovery } = wishesOf(body)
    const { state } = await loadOpenYear(ctx.deps.store, target)
    const command = closeYearCommand(state, carry, recovery)
    if (E.isLeft(command)) {
      const { path, message, words } = command.left
      return fail('invalid', `${message}; nothing was written`, [{ path, reason: message, words }], { words })
    }
    const { carry: _c, recover: _r, recoveryNotice: _n, ...context } = body
    const result = await handleCommand(ctx.deps, target, { ...command.right, ...context }, actorOf(res), options)
    if (E.isLeft(result)) throw commandProblem(result.left)
    await sendRecorded(ctx, res, target, result.right.recorded)
  },
}
