import { observeGroupCommit } from '../../metrics/group-commit'
import { timeAppend } from '../../metrics/store-timings'
import * as E from 'fp-ts/Either'
import type { BudgetYearState } from '../../domain/budget-year'
import type { BatchOutcome, EventStore } from '../../store/port'
import type { RecordError, Recorded } from './record'
import { MAX_ATTEMPTS, type PlannedEvent, type RecordRequest, type Settled, afterConflict, backoff, earlierOf, settle } from './record-request'
import { budgetYearAt } from '../fold/snapshots/snapshots'

/**
 * Group commit (issue 15). The requests that arrive together (in one turn of the event loop, or
 * while the group before them is being committed) are decided one after another, each against the
 * state those before it leave (on the same unit-year too: the second is decided on the first's
 * result, not refused as a conflict), and appended in ONE appendMany: on SQLite one transaction
 * and one fsync for the group instead of one per command, which is what bounded durable writes.
 * Each request still gets its own answer, and only once the commit has returned.
 *
 * Pipelined: while a group is being committed (the fsync, on the commit worker), the requests that
 * arrive are decided at once into the next group, on the state the committing group leaves, so
 * that the next group is ready to append the moment the one before it returns; it is appended only
 * then (one commit at a time), and answered only after its own commit.
 *
 * An answer decided on a state not stored yet (a later request of the same unit-year in the
 * group, or a request decided on what the committing group leaves) holds only if what it was
 * decided on was stored: when a batch of a unit-year fails, every request of that unit-year
 * decided on it is decided again in a later group. A head check alone would not catch it: another
 * writer's event can leave the head at the very revision such a request expects.
 */
/**
 * Bounds of a group. Every answer in a group waits for its commit, so a group is kept to what a
 * few milliseconds decide and one transaction writes: 256 requests is 4× the 64 writers the target
 * is measured at (one group usually takes every waiting request), and 4,096 events keeps a group
 * of imports (a budget file is hundreds of events) from holding the write lock long. A request is
 * never split: the first of a group is taken whatever its size.
 */
export const MAX_GROUP_REQUESTS = 256
export const MAX_GROUP_EVENTS = 4096

/** Counts since the process started, for tests and /metrics: commits vs the requests they stored. */
export interface GroupCommitStats {
  /** Durable commits of groups (appendMany calls that stored at least one batch). */
  readonly commits: number
  /** Requests whose events a group commit stored (each its own batch). */
  readonly batches: number
  readonly events: number
  /** The most batches one commit stored. */
  readonly largest: number
  /** Requests decided while the group before them was being committed (the pipeline at work). */
  readonly pipelined: number
}

/** One group committed: its size, for a histogram of batch sizes. */
export interface GroupCommitted {
  readonly batches: number
  readonly events: number
  readonly ms: number
}

const totals = { commits: 0, batches: 0, events: 0, largest: 0, pipelined: 0 }
const listeners = new Set<(g: GroupCommitted) => void>()

export const groupCommitStats = (): GroupCommitStats => ({ ...totals })

/** Calls `listener` after every group commit; returns how to stop. */
export const onGroupCommitted = (listener: (g: GroupCommitted) => void): (() => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

type Answer = E.Either<RecordError, Recorded>

interface Waiting {
  readonly request: RecordRequest
  readonly attempt: number
  readonly resolve: (a: Answer) => void
  readonly reject: (err: unknown) => void
}

interface Decided {
  readonly waiting: Waiting
  readonly settled: Settled
  /** The committing group whose unstored state this was decided on, if any. */
  readonly basis: Group | undefined
}

/** A group: its requests decided in turn, and what they leave for those decided after them. */
class Group {
  readonly decided: Decided[] = []
  /** Per stream: the state the group's requests leave it in, and the group it was first taken from. */
  readonly pending = new Map<string, { state: BudgetYearState; basis: Group | undefined }>()
  /** What each idempotency key (stream + key) recorded in the group. */
  readonly keys = new Map<string, ReadonlyArray<PlannedEvent>>()
  events = 0
  /** Once committed: the streams of which something was not stored. */
  failed: ReadonlySet<string> | undefined

  get full(): boolean {
    return this.decided.length >= MAX_GROUP_REQUESTS || this.events >= MAX_GROUP_EVENTS
  }

  /**
   * Before its commit, once the group it was decided on has been committed: the requests decided on
   * a batch that was not stored leave the group (returned, to be decided again), and with them what
   * they left for those after them.
   */
  unsettled(): Waiting[] {
    const stale = (d: Decided) => d.basis?.failed?.has(d.waiting.request.stream) === true
    const out = this.decided.filter(stale)
    if (out.length === 0) return []
    const kept = this.decided.filter((d) => !stale(d))
    this.decided.splice(0, this.decided.length, ...kept)
    for (const { waiting } of out) {
      const stream = waiting.request.stream
      this.pending.delete(stream)
      for (const k of this.keys.keys()) if (k.startsWith(`${stream}\u0000`)) this.keys.delete(k)
    }
    return out.map((d) => d.waiting)
  }

  /** Once answered, only `failed` is still read (by the group decided on this one): the rest is let go, so that groups do not hold each other in a chain. */
  answered(failed: ReadonlySet<string>): void {
    this.failed = failed
    this.decided.length = 0
    this.pending.clear()
    this.keys.clear()
  }
}

export class GroupCommit {
  private readonly queue: Waiting[] = []
  private forming = new Group()
  private committing: Group | undefined
  private deciding = false

  constructor(private readonly store: EventStore) {}

  submit(request: RecordRequest): Promise<Answer> {
    return new Promise((resolve, reject) => this.enqueue({ request, attempt: 1, resolve, reject }))
  }

  private enqueue(w: Waiting): void {
    this.queue.push(w)
    this.wake()
  }

  /** Deciding starts on the next turn: whatever arrives until then is decided with it. */
  private wake(): void {
    if (this.deciding || this.forming.full) return
    this.deciding = true
    setImmediate(() => {
      void this.decideWaiting().finally(() => {
        this.deciding = false
        this.post()
        if (this.queue.length > 0) this.wake()
      })
    })
  }

  /** Takes waiting requests in order into the forming group, each decided on the latest state: the group's own, the committing group's, or stored. */
  private async decideWaiting(): Promise<void> {
    const group = this.forming
    while (this.queue.length > 0 && !group.full) {
      const waiting = this.queue.shift()!
      const r = waiting.request
      const key = r.options.idempotencyKey === undefined ? undefined : `${r.stream}\u0000${r.options.idempotencyKey}`
      try {
        const committing = this.committing
        const own = group.pending.get(r.stream)
        const prior = own ? undefined : committing?.pending.get(r.stream)
        const basis = own ? own.basis : prior ? committing : undefined
        const latest = own?.state ?? prior?.state ?? (await budgetYearAt(this.store, r.target.unit, r.target.year)).state
        const earlier = (key === undefined ? undefined : (group.keys.get(key) ?? (basis ? committing?.keys.get(key) : undefined))) ?? (await earlierOf(r))
        const settled = settle(r, latest, earlier)
        group.decided.push({ waiting, settled, basis })
        if (committing && !committing.failed) totals.pipelined++
        if (settled.kind !== 'append') continue
        group.pending.set(r.stream, { state: settled.recorded.state, basis })
        if (key !== undefined) group.keys.set(key, settled.recorded.events)
        group.events += settled.recorded.events.length
      } catch (err) {
        waiting.reject(err)
      }
    }
  }

  /** The forming group is appended once nothing is being committed and nothing is being decided. */
  private post(): void {
    if (this.committing || this.deciding) return
    const group = this.forming
    for (const w of group.unsettled()) this.again(w)
    if (group.decided.length === 0) return
    this.forming = new Group()
    this.committing = group
    void this.commit(group).finally(() => {
      this.committing = undefined
      this.post()
      if (this.queue.length > 0) this.wake()
    })
  }

  private async commit(group: Group): Promise<void> {
    const appends = group.decided.filter((d) => d.settled.kind === 'append')
    let outcomes: BatchOutcome[]
    const started = performance.now()
    try {
      outcomes = appends.length === 0 ? [] : await timeAppend(() => this.store.appendMany(appends.map(({ waiting, settled }) => batchOf(waiting.request, settled))))
    } catch (error) {
      outcomes = appends.map(() => ({ ok: false, error }))
    }
    const failed = this.answer(group.decided, outcomes)
    this.count(outcomes, appends, performance.now() - started)
    group.answered(failed)
  }

  /** Answers each request of a committed group; returns the streams of which something was not stored. */
  private answer(group: ReadonlyArray<Decided>, outcomes: ReadonlyArray<BatchOutcome>): Set<string> {
    const failed = new Set<string>()
    let next = 0
    for (const { waiting, settled } of group) {
      const outcome = settled.kind === 'append' ? outcomes[next++]! : undefined
      const stream = waiting.request.stream
      // Decided on what an earlier batch of the group would have stored, and it was not.
      if (failed.has(stream)) this.again(waiting)
      else if (settled.kind === 'answer') waiting.resolve(settled.answer)
      else if (outcome!.ok) waiting.resolve(E.right(settled.recorded))
      else {
        failed.add(stream)
        this.afterFailure(waiting, outcome!.error)
      }
    }
    return failed
  }

  private afterFailure(w: Waiting, error: unknown): void {
    let conflict: RecordError | undefined
    try {
      conflict = afterConflict(w.request, error)
    } catch (err) {
      return w.reject(err)
    }
    if (conflict) w.resolve(E.left(conflict))
    else this.again(w)
  }

  /** Decided again in a later group, after a jittered pause, until it has lost the race too often. */
  private again(w: Waiting): void {
    if (w.attempt >= MAX_ATTEMPTS) return w.resolve(E.left({ kind: 'contended', attempts: w.attempt }))
    void backoff(w.attempt).then(() => this.enqueue({ ...w, attempt: w.attempt + 1 }))
  }

  private count(outcomes: ReadonlyArray<BatchOutcome>, appends: ReadonlyArray<Decided>, ms: number): void {
    const stored = appends.filter((_, i) => outcomes[i]!.ok)
    if (stored.length === 0) return
    const g = { batches: stored.length, events: stored.reduce((n, d) => n + (d.settled.kind === 'append' ? d.settled.recorded.events.length : 0), 0), ms }
    totals.commits++
    totals.batches += g.batches
    totals.events += g.events
    totals.largest = Math.max(totals.largest, g.batches)
    observeGroupCommit(g.batches)
    for (const l of listeners) {
      try {
        l(g)
      } catch {
        // A listener (metrics) failing must not fail the commit it reports: its answers are given already.
      }
    }
  }
}

const batchOf = (r: RecordRequest, s: Settled) => {
  if (s.kind !== 'append') throw new Error('invariant: only an append is a batch')
  return { stream: r.stream, events: s.recorded.events, expected: s.expected }
}

const perStore = new WeakMap<EventStore, GroupCommit>()

/** The process's group commit of a store: one, so that every request to it joins the same groups. */
export const groupCommitFor = (store: EventStore): GroupCommit => {
  let g = perStore.get(store)
  if (!g) {
    g = new GroupCommit(store)
    perStore.set(store, g)
  }
  return g
}
