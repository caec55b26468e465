import * as E from 'fp-ts/Either'
import type { BudgetYearState } from '../../domain/budget-year'
import type { Command, CommandContext } from '../../domain/events/commands'
import type { DomainError } from '../../domain/codecs/errors'
import type { NewEvent } from '../../store/envelope'
import { timeAppend } from '../../metrics/store-timings'
import type { Actor, LedgerDeps } from '../deps'
import { groupCommitFor } from './group-commit'
import { MAX_ATTEMPTS, afterConflict, backoff, earlierOf, recordRequest, settle } from './record-request'
import { budgetYearAt, snapshotsFor } from '../fold/snapshots/snapshots'
import { OwnClaimTaken, claimingAppend, departmentOpeningRefusal, ownClaimOfSteps } from '../opening-closing/department-opening'

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
 * names the step). With group commit on (deps.groupCommit), a request that writes joins the group
 * being formed (group-commit.ts) and is answered once the group's commit returned.
 */
export const recordSteps = async (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  steps: ReadonlyArray<BatchStep>,
  actor: Actor,
  options: RecordOptions = {},
  request: unknown = steps,
): Promise<E.Either<RecordError, Recorded>> => {
  const refusal = departmentOpeningRefusal(deps.store, steps)
  const refused = refusal === undefined ? undefined : await refusal
  if (refused) return E.left(refused)
  const r = recordRequest(deps, target, steps, actor, options, request)
  // An opening of a 本级 is written with its claim (department-opening.ts), on its own: openings are rare.
  const own = ownClaimOfSteps(steps)
  if (deps.groupCommit && !options.dryRun && !own) return groupCommitFor(deps.store).submit(r)
  const append = own ? claimingAppend(deps, own) : deps.store.append.bind(deps.store)
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // The latest state through the process's snapshot cache: it folds only what was appended since
    // the last read, so a command on a year of a million events costs milliseconds, not a replay.
    const { state: latest } = await budgetYearAt(deps.store, target.unit, target.year)
    // Looked up after the state was read: a first request recorded up to its revision is found here,
    // and one recorded after it makes the append below fail on its expected revision and retry.
    const settled = settle(r, latest, await earlierOf(r))
    if (settled.kind === 'answer') return settled.answer
    try {
      await timeAppend(() => append(r.stream, settled.recorded.events, settled.expected))
      await snapshotsFor(deps.store).afterAppend(r.stream, latest.revision, settled.recorded.revision)
      return E.right(settled.recorded)
    } catch (err) {
      if (err instanceof OwnClaimTaken) return E.left(err.refusal)
      const answer = afterConflict(r, err)
      if (answer) return E.left(answer)
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
