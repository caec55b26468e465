import * as E from 'fp-ts/Either'
import { type BudgetYearState, decide, forkState } from '../domain/budget-year'
import type { Command, CommandContext } from '../domain/commands'
import type { DomainError } from '../domain/errors'
import { currentVersion } from '../domain/event-versions'
import type { DomainEvent } from '../domain/events'
import { streamOf } from '../domain/primitives'
import type { NewEvent, RecordedEvent } from '../store/envelope'
import { canonicalJson, sha256 } from '../store/hash-chain'
import { timeAppend } from '../metrics/store-timings'
import { WrongExpectedRevision } from '../store/port'
import type { Actor, LedgerDeps } from './deps'
import { foldEvents } from './load'
import { budgetYearAt } from './snapshots'

export type RecordError =
  /** `step`: which step of a batch of steps (recordSteps) was refused, from 0. */
  | { readonly kind: 'refused'; readonly error: DomainError; readonly step?: number }
  /** The caller decided on a revision that is no longer the latest (HTTP If-Match). */
  | { readonly kind: 'stale'; readonly expected: number; readonly actual: number }
  /** Other writers kept winning the race; the caller may try again. */
  | { readonly kind: 'contended'; readonly attempts: number }
  /** An idempotency key already used for a different request: refused rather than answered wrongly. */
  | { readonly kind: 'key-reused'; readonly key: string }

export interface Recorded {
  readonly stream: string
  /** The stream's revision after recording (or after the dry run, hypothetically). */
  readonly revision: number
  readonly events: ReadonlyArray<NewEvent & { revision: number }>
  /** The state with the events folded in: indicators and tables after the command. */
  readonly state: BudgetYearState
  readonly dryRun: boolean
  /** True when an Idempotency-Key matched an earlier request: nothing new was recorded. */
  readonly repeated?: boolean
}

export interface RecordOptions {
  /** Decide only if the stream is still at this revision (If-Match); otherwise 'stale'. */
  readonly expectedRevision?: number
  /** Decide and fold, but write nothing. */
  readonly dryRun?: boolean
  /** Extra metadata for every event (e.g. synthetic: true for demo data). */
  readonly metadata?: Record<string, unknown>
  /**
   * A client's key for this request (HTTP Idempotency-Key). It is stored in the metadata of the
   * events recorded; a repeat with the same key finds them and returns them instead of recording
   * again. Kept in the log itself, so it holds across restarts, processes and stores.
   */
  readonly idempotencyKey?: string
}

const MAX_ATTEMPTS = 50

/** What the earlier steps of a batch decided: the state they leave and each one's events. */
export interface BatchSoFar {
  readonly state: BudgetYearState
  readonly events: ReadonlyArray<ReadonlyArray<NewEvent & { revision: number }>>
}

/**
 * One step of a batch: its own reason, document and business date, and its commands, or a function
 * of what the steps before it decided (a reversal of an event the same batch records, a close of
 * the state they leave).
 */
export interface BatchStep {
  readonly ctx: CommandContext
  readonly commands: ReadonlyArray<Command> | ((before: BatchSoFar) => ReadonlyArray<Command>)
}

/**
 * command → decide → events → store. Reads the unit-year, decides against its latest state and
 * appends with that state's revision as the expected one, so a concurrent writer can never be
 * overwritten: on a conflict it decides again against the new state (unless the caller pinned a
 * revision, which then is stale). Several commands are decided in sequence and appended as one
 * atomic batch: all of them are recorded, or none.
 */
export const recordCommands = (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  commands: ReadonlyArray<Command>,
  ctx: CommandContext,
  actor: Actor,
  options: RecordOptions = {},
): Promise<E.Either<RecordError, Recorded>> =>
  // The fingerprint keeps the shape it had before batches of steps existed, so keys stored then still match.
  recordSteps(deps, target, [{ ctx, commands }], actor, options, { commands, ctx })

/**
 * Steps, each with its own context, decided in order against the state the earlier ones leave and
 * appended as ONE atomic batch, like recordCommands: every step is recorded, or none (a refusal
 * names the step).
 */
export const recordSteps = async (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  steps: ReadonlyArray<BatchStep>,
  actor: Actor,
  options: RecordOptions = {},
  request: unknown = steps,
): Promise<E.Either<RecordError, Recorded>> => {
  const stream = streamOf(target.unit, target.year)
  // What the request asked for, so a repeat of its idempotency key can be told from a different request.
  const fingerprint = options.idempotencyKey === undefined ? undefined : sha256(canonicalJson(request))
  const metadata = {
    ...options.metadata,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey, requestFingerprint: fingerprint }),
  }
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // The latest state through the process's snapshot cache: it folds only what was appended since
    // the last read, so a command on a year of a million events costs milliseconds, not a replay.
    const { state: latest } = await budgetYearAt(deps.store, target.unit, target.year)
    const revision = latest.revision
    // Looked up after the state was read: a first request recorded up to `revision` is found here,
    // and one recorded after it makes the append below fail on its expected revision and retry.
    const earlier = options.idempotencyKey === undefined || options.dryRun ? [] : await deps.store.readByIdempotencyKey(stream, options.idempotencyKey)
    if (earlier.length > 0 && earlier[0]!.metadata.requestFingerprint !== fingerprint) return E.left({ kind: 'key-reused', key: options.idempotencyKey! })
    if (earlier.length > 0) return E.right({ stream, revision: earlier.at(-1)!.revision, events: earlier, state: latest, dryRun: false, repeated: true })
    if (options.expectedRevision !== undefined && options.expectedRevision !== revision)
      return E.left({ kind: 'stale', expected: options.expectedRevision, actual: revision })

    const decided = decideAll(latest, steps, deps, actor, metadata, stream)
    if (E.isLeft(decided)) return E.left({ kind: 'refused', error: decided.left.error, ...(steps.length > 1 ? { step: decided.left.step } : {}) })
    const { events, state } = decided.right
    if (options.dryRun || events.length === 0)
      return E.right({ stream, revision: state.revision, events, state, dryRun: Boolean(options.dryRun) })
    try {
      await timeAppend(() => deps.store.append(stream, events, revision === -1 ? 'no_stream' : revision))
      return E.right({ stream, revision: state.revision, events, state, dryRun: false })
    } catch (err) {
      if (!(err instanceof WrongExpectedRevision)) throw err
      if (options.expectedRevision !== undefined)
        return E.left({ kind: 'stale', expected: options.expectedRevision, actual: err.actual })
      await backoff(attempt)
    }
  }
  return E.left({ kind: 'contended', attempts: MAX_ATTEMPTS })
}

/** One command, the common case. */
export const recordCommand = (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  command: Command,
  ctx: CommandContext,
  actor: Actor,
  options: RecordOptions = {},
) => recordCommands(deps, target, [command], ctx, actor, options)

const decideAll = (
  start: BudgetYearState,
  steps: ReadonlyArray<BatchStep>,
  deps: LedgerDeps,
  actor: Actor,
  metadata: Record<string, unknown>,
  stream: string,
): E.Either<{ error: DomainError; step: number }, { events: Array<NewEvent & { revision: number }>; state: BudgetYearState }> => {
  // Each command is decided against the state its predecessors leave, on a fork: the start is the
  // snapshot cache's shared state, which must not see events that may never be recorded.
  let state = forkState(start)
  const events: Array<NewEvent & { revision: number }> = []
  const byStep: Array<Array<NewEvent & { revision: number }>> = []
  const recordedAt = deps.now().toISOString()
  for (const [step, { ctx, commands }] of steps.entries()) {
    const mine: Array<NewEvent & { revision: number }> = []
    for (const command of typeof commands === 'function' ? commands({ state, events: byStep }) : commands) {
      const decided = decide(state, command, ctx)
      if (E.isLeft(decided)) return E.left({ error: decided.left, step })
      const batch = decided.right.map((e: DomainEvent, i) => ({
        id: deps.newId(),
        type: e.type,
        data: e.data,
        revision: state.revision + 1 + i,
        metadata: {
          recordedAt,
          effectiveDate: ctx.effectiveDate,
          actor: actor.name,
          role: actor.role,
          ...(actor.subject === undefined ? {} : { subject: actor.subject }),
          reason: ctx.reason,
          document: ctx.document,
          ...metadata,
          schemaVersion: currentVersion(e.type),
        },
      }))
      state = foldEvents(batch.map((e) => asRecorded(e, stream)), state)
      mine.push(...batch)
    }
    byStep.push(mine)
    events.push(...mine)
  }
  return E.right({ events, state })
}

const asRecorded = (e: NewEvent & { revision: number }, stream: string): RecordedEvent => ({
  ...e,
  stream,
  position: -1,
  metadata: { ...e.metadata, prevHash: '', hash: '' },
})

/** Jittered, bounded: contention on one line resolves in a few rounds. */
const backoff = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.min(50, attempt * 2) * Math.random()))
