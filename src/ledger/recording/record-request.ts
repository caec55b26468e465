import * as E from 'fp-ts/Either'
import { type BudgetYearState, decide, forkState } from '../../domain/budget-year'
import type { CommandContext } from '../../domain/events/commands'
import type { DomainError } from '../../domain/codecs/errors'
import { currentVersion } from '../../domain/events/event-versions'
import type { DomainEvent } from '../../domain/events/events'
import { streamOf } from '../../domain/codecs/primitives'
import type { NewEvent } from '../../store/envelope'
import { canonicalJson, sha256 } from '../../store/chain/hash-chain'
import { type ExpectedRevision, WrongExpectedRevision } from '../../store/port'
import type { Actor, LedgerDeps } from '../deps'
import { foldEvents } from '../fold/load'
import type { BatchStep, RecordError, RecordOptions, Recorded } from './record'

/**
 * One request to record (recordSteps), prepared once, and what it comes to against a given state:
 * the one decision both ways of recording make (record.ts one at a time, group-commit.ts in
 * groups), so they answer alike.
 */
export interface RecordRequest {
  readonly deps: LedgerDeps
  readonly target: { readonly unit: string; readonly year: number }
  readonly stream: string
  readonly steps: ReadonlyArray<BatchStep>
  readonly actor: Actor
  readonly options: RecordOptions
  /** For every event: the caller's metadata, and the idempotency key with the request's fingerprint. */
  readonly metadata: Record<string, unknown>
  /** What the request asked for, so a repeat of its idempotency key can be told from a different request. */
  readonly fingerprint?: string
}

export type PlannedEvent = NewEvent & { revision: number }

/** The metadata of a request that adds none: one shared empty object (it is only ever spread into each event's). */
const NO_METADATA: Record<string, unknown> = Object.freeze({})

export const recordRequest = (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  steps: ReadonlyArray<BatchStep>,
  actor: Actor,
  options: RecordOptions,
  request: unknown,
): RecordRequest => {
  const stream = streamOf(target.unit, target.year)
  if (options.idempotencyKey === undefined)
    // The common case written out: no spreads of conditional objects for every command (docs/speed.md, "Writes, the main thread's allocations").
    return { deps, target, stream, steps, actor, options, metadata: options.metadata === undefined ? NO_METADATA : { ...options.metadata } }
  const fingerprint = sha256(canonicalJson(request))
  const metadata = { ...options.metadata, idempotencyKey: options.idempotencyKey, requestFingerprint: fingerprint }
  return { deps, target, stream, steps, actor, options, metadata, fingerprint }
}

/** What a request comes to against a state: an answer already, or events to append on top of it. */
export type Settled =
  | { readonly kind: 'answer'; readonly answer: E.Either<RecordError, Recorded> }
  | { readonly kind: 'append'; readonly expected: ExpectedRevision; readonly recorded: Recorded }

const answer = (a: E.Either<RecordError, Recorded>): Settled => ({ kind: 'answer', answer: a })

/** What the request's idempotency key recorded before, in the store (none without a key, or for a dry run). */
export const earlierOf = (r: RecordRequest): Promise<ReadonlyArray<PlannedEvent>> =>
  r.options.idempotencyKey === undefined || r.options.dryRun ? Promise.resolve([]) : r.deps.store.readByIdempotencyKey(r.stream, r.options.idempotencyKey)

/**
 * The request decided against `latest`, the unit-year as it stands, given what its idempotency key
 * recorded before (`earlier`, read after `latest`: see recordSteps).
 */
export const settle = (r: RecordRequest, latest: BudgetYearState, earlier: ReadonlyArray<PlannedEvent>): Settled => {
  const { options, stream } = r
  if (earlier.length > 0 && earlier[0]!.metadata.requestFingerprint !== r.fingerprint) return answer(E.left({ kind: 'key-reused', key: options.idempotencyKey! }))
  if (earlier.length > 0) return answer(E.right({ stream, revision: earlier.at(-1)!.revision, events: earlier, state: latest, dryRun: false, repeated: true }))
  if (options.expectedRevision !== undefined && options.expectedRevision !== latest.revision)
    return answer(E.left({ kind: 'stale', expected: options.expectedRevision, actual: latest.revision }))

  const decided = decideAll(latest, r)
  if (E.isLeft(decided)) return answer(E.left({ kind: 'refused', error: decided.left.error, ...(r.steps.length > 1 ? { step: decided.left.step } : {}) }))
  const { events, state } = decided.right
  if (options.dryRun || events.length === 0) return answer(E.right({ stream, revision: state.revision, events, state, dryRun: Boolean(options.dryRun) }))
  return { kind: 'append', expected: latest.revision === -1 ? 'no_stream' : latest.revision, recorded: { stream, revision: state.revision, events, state, dryRun: false } }
}

/**
 * A failed append, as the request's answer: a lost race is 'stale' for a caller who pinned the
 * revision (If-Match), else undefined (decide again). Anything but a lost race is thrown.
 */
export const afterConflict = (r: RecordRequest, err: unknown): RecordError | undefined => {
  if (!(err instanceof WrongExpectedRevision)) throw err
  return r.options.expectedRevision === undefined ? undefined : { kind: 'stale', expected: r.options.expectedRevision, actual: err.actual }
}

/** How many times a request is decided again after losing a race before it is answered 'contended'. */
export const MAX_ATTEMPTS = 50

/** Jittered, bounded: contention on one line resolves in a few rounds. */
export const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(50, attempt * 2) * Math.random()))

const decideAll = (
  start: BudgetYearState,
  { steps, deps, actor, metadata }: RecordRequest,
): E.Either<{ error: DomainError; step: number }, { events: PlannedEvent[]; state: BudgetYearState }> => {
  // Each command is decided against the state its predecessors leave, on a fork: the start is the
  // snapshot cache's shared state, which must not see events that may never be recorded.
  let state = forkState(start)
  const events: PlannedEvent[] = []
  const byStep: PlannedEvent[][] = []
  const now = deps.now()
  const recordedAt = now.toISOString()
  // Every event of the request is recorded at this instant, and its id is stamped with it (deps.ts `newId`).
  const recordedMs = now.getTime()
  // Index loops, not entries() and spread pushes: this runs for every command (issue 15, the writes at 64).
  for (let step = 0; step < steps.length; step++) {
    const { ctx, commands } = steps[step]!
    const mine: PlannedEvent[] = []
    for (const command of typeof commands === 'function' ? commands({ state, events: byStep }) : commands) {
      const decided = decide(state, command, ctx)
      if (E.isLeft(decided)) return E.left({ error: decided.left, step })
      const batch = decided.right.map((e: DomainEvent, i) => ({
        id: deps.newId(recordedMs),
        type: e.type,
        data: e.data,
        revision: state.revision + 1 + i,
        metadata: eventMetadata(ctx, actor, metadata, recordedAt, e.type),
      }))
      state = foldEvents(batch, state)
      for (const e of batch) mine.push(e)
    }
    byStep.push(mine)
    for (const e of mine) events.push(e)
  }
  return E.right({ events, state })
}

const eventMetadata = (ctx: CommandContext, actor: Actor, metadata: Record<string, unknown>, recordedAt: string, type: DomainEvent['type']) => ({
  recordedAt,
  effectiveDate: ctx.effectiveDate,
  actor: actor.name,
  role: actor.role,
  ...(actor.subject === undefined ? {} : { subject: actor.subject }),
  reason: ctx.reason,
  document: ctx.document,
  ...metadata,
  schemaVersion: currentVersion(type),
})

