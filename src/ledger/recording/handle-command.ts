import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'
import { amountsInYuan } from '../../domain/money/amount-unit'
import { Command, CommandContext } from '../../domain/events/commands'
import { type FieldError, decode, fieldWords, show } from '../../domain/codecs/decode'
import type { DomainErrorCode } from '../../domain/codecs/errors'
import type { Actor, LedgerDeps } from '../deps'
import type { ImportError } from './import-file'
import { type RecordError, type RecordOptions, type Recorded, recordCommand } from './record'

/**
 * The one way a shell (HTTP, CLI) asks the ledger to record a command: a body
 * `{type, data, reason, document, effectiveDate}` is decoded with the domain codecs, then
 * recorded with recordCommand. Either a result, or a problem a person can act on. No business
 * rule lives here or in the shells; they only translate (status codes, exit codes, flags).
 */

/** One bad field of the input: where, and why, in a person's words. */
export interface FieldIssue {
  /** Dotted path into the body, e.g. "data.amount"; "" for the body as a whole. */
  readonly path: string
  readonly reason: string
  /** The reason in Chinese, for people: a refusal of the ledger, or a field the codecs refuse. */
  readonly words?: string
}

export type ProblemKind =
  /** The body does not fit the codecs (wrong type, missing or unknown field, bad amount). */
  | 'invalid'
  /** The ledger refused it given the budget year as it stands (a DomainError). */
  | 'refused'
  /** The caller decided on a revision that is no longer the latest (If-Match). */
  | 'stale'
  /** Other writers kept winning the race; trying again later will do. */
  | 'contended'
  /** The Idempotency-Key was already used for a different request. */
  | 'key-reused'

/** A problem-like failure: what went wrong, in words, with every bad field. Nothing was written. */
export interface CommandProblem {
  readonly kind: ProblemKind
  readonly title: string
  readonly detail: string
  readonly errors: ReadonlyArray<FieldIssue>
  /** The refusal in Chinese, for people (detail stays English, for programs). */
  readonly words?: string
  /** For refusals: the domain error's code (e.g. "over-spend"). */
  readonly code?: DomainErrorCode
  /** For stale requests: the revision the unit-year is at now. */
  readonly currentRevision?: number
}

export interface CommandOutcome {
  readonly command: Command
  readonly recorded: Recorded
}

/** The keys a command body may have; anything else is refused rather than silently dropped. */
const BODY_KEYS = ['type', 'data', 'reason', 'document', 'effectiveDate'] as const

/** The member codecs of the Command union, by command type. */
const MEMBERS = new Map<string, t.Type<Command, unknown, unknown>>(Command.types.map((c) => [c.name, c as t.Type<Command, unknown, unknown>]))
export const COMMAND_TYPES: ReadonlyArray<string> = [...MEMBERS.keys()]

export const issuesOf = (errors: ReadonlyArray<FieldError>): FieldIssue[] =>
  errors.map((e) => {
    const prefix = `${e.path || '(input)'}: `
    const reason = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message
    return e.words === undefined ? { path: e.path, reason } : { path: e.path, reason, words: e.words }
  })

const invalid = (issues: ReadonlyArray<FieldIssue>, what = 'the command'): CommandProblem => ({
  kind: 'invalid',
  title: 'Invalid input',
  detail: `${what} has ${issues.length} bad field(s); nothing was written`,
  errors: issues,
  words: `有 ${issues.length} 处填写有误，什么也没有写入`,
})

const noSuchField = `no such field (known fields: ${BODY_KEYS.join(', ')})`

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Decodes a command body. The type picks the codec first, so errors speak of that command's
 * fields only (not of every alternative of the union).
 */
export const decodeCommandBody = (body: unknown): E.Either<CommandProblem, { command: Command; context: CommandContext }> => {
  if (!isRecord(body))
    return E.left(invalid([{ path: '', reason: 'expected an object {type, data, reason, document, effectiveDate}', words: fieldWords('', ['an object'], show(body)) }]))
  const issues: FieldIssue[] = Object.keys(body)
    .filter((k) => !(BODY_KEYS as ReadonlyArray<string>).includes(k))
    .map((k) => ({ path: k, reason: noSuchField, words: fieldWords(k, [noSuchField], '') }))

  const member = typeof body.type === 'string' ? MEMBERS.get(body.type) : undefined
  let command: Command | undefined
  if (!member) {
    const oneOf = `one of ${COMMAND_TYPES.map((t) => JSON.stringify(t)).join(', ')}`
    issues.push({ path: 'type', reason: `expected ${oneOf}`, words: fieldWords('type', [oneOf], show(body.type)) })
  } else {
    // Amounts are 元 unless they say otherwise ("12.5万元"): converted once, before the codec.
    const data = amountsInYuan(body.data, undefined, 'data')
    const decoded = E.isLeft(data) ? data : decode(member)({ type: body.type, data: data.right })
    if (E.isLeft(decoded)) issues.push(...issuesOf(decoded.left))
    else command = decoded.right
  }
  // A missing document is the same as "no document": adjustments then say they need one.
  const ctx = decode(CommandContext)({
    reason: body.reason,
    document: 'document' in body ? body.document : null,
    effectiveDate: body.effectiveDate,
  })
  if (E.isLeft(ctx)) issues.push(...issuesOf(ctx.left))
  if (issues.length > 0 || command === undefined || E.isLeft(ctx)) return E.left(invalid(issues))
  return E.right({ command, context: ctx.right })
}

/** Opening a year through the address of another unit-year would file it under the wrong stream. */
const targetIssues = (command: Command, target: { unit: string; year: number }): FieldIssue[] => {
  if (command.type !== 'OpenBudgetYear') return []
  const issues: FieldIssue[] = []
  if (command.data.unit.code !== target.unit)
    issues.push({ path: 'data.unit.code', reason: `must be the unit the command is sent to (${target.unit}), got ${JSON.stringify(command.data.unit.code)}` })
  if (command.data.year !== target.year)
    issues.push({ path: 'data.year', reason: `must be the year the command is sent to (${target.year}), got ${command.data.year}` })
  return issues
}

/** Any failure of recording, as a problem. */
export const problemOf = (e: ImportError | RecordError, what = 'the command'): CommandProblem => {
  switch (e.kind) {
    case 'invalid':
      return invalid(issuesOf(e.errors), what)
    case 'refused':
      return {
        kind: 'refused',
        title: 'Refused by the ledger',
        detail: `${e.error.message}; nothing was written`,
        errors: e.error.path === undefined ? [] : [{ path: e.error.path, reason: e.error.message, words: e.error.words }],
        words: e.error.words,
        code: e.error.code,
      }
    case 'stale':
      return {
        kind: 'stale',
        title: 'The budget year has changed',
        detail: `the request was decided on revision ${e.expected}, but the budget year is now at revision ${e.actual}; nothing was written: read it again and retry`,
        errors: [],
        currentRevision: e.actual,
      }
    case 'contended':
      return {
        kind: 'contended',
        title: 'Too many concurrent changes',
        detail: `other changes to this budget year kept arriving first (${e.attempts} attempts); nothing was written: try again`,
        errors: [],
      }
    case 'key-reused':
      return {
        kind: 'key-reused',
        title: 'Idempotency key reused',
        detail: `the idempotency key "${e.key}" was already used for a different request; nothing was written: use a new key for a new request`,
        errors: [{ path: 'Idempotency-Key', reason: 'already used for a different request' }],
      }
  }
}

/**
 * body + target + actor → the recorded result, or a problem. Options carry the shell's
 * concurrency and retry controls: expectedRevision (If-Match), dryRun, idempotencyKey.
 */
export const handleCommand = async (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  body: unknown,
  actor: Actor,
  options: Pick<RecordOptions, 'expectedRevision' | 'dryRun' | 'idempotencyKey'> = {},
): Promise<E.Either<CommandProblem, CommandOutcome>> => {
  const decoded = decodeCommandBody(body)
  if (E.isLeft(decoded)) return decoded
  const { command, context } = decoded.right
  const mismatch = targetIssues(command, target)
  if (mismatch.length > 0) return E.left(invalid(mismatch))
  const recorded = await recordCommand(deps, target, command, context, actor, options)
  return E.isLeft(recorded) ? E.left(problemOf(recorded.left)) : E.right({ command, recorded: recorded.right })
}

/** The wire form of a result (HTTP body, CLI --json). Dry-run events have no id: nothing was stored. */
export interface ResultView {
  readonly unit: string
  readonly year: number
  readonly revision: number
  readonly dryRun: boolean
  /** True when an Idempotency-Key matched an earlier request and nothing new was recorded. */
  readonly replayed: boolean
  readonly events: ReadonlyArray<{ id?: string; type: string; revision: number; data: unknown }>
}

export const resultView = (target: { unit: string; year: number }, r: Recorded): ResultView => ({
  unit: target.unit,
  year: target.year,
  revision: r.revision,
  dryRun: r.dryRun,
  replayed: Boolean(r.repeated),
  // Literals, not a spread of a conditional object: one object an event (the answer to every command).
  events: r.events.map((e) => (r.dryRun ? { type: e.type, revision: e.revision, data: e.data } : { id: e.id, type: e.type, revision: e.revision, data: e.data })),
})
