import { observeGroupCommit } from '../metrics/group-commit'
import { timeAppend } from '../metrics/store-timings'
import * as E from 'fp-ts/Either'
import type { BudgetYearState } from '../domain/budget-year'
import type { BatchOutcome, EventStore } from '../store/port'
import type { RecordError, Recorded } from './record'
import { MAX_ATTEMPTS, type PlannedEvent, type RecordRequest, type Settled, afterConflict, backoff, earlierOf, settle } from './record-request'
import { budgetYearAt } from './snapshots'

/**
 * Group commit (issue 15). The requests that arrive together (in one turn of the event loop, or
 * while the group before them is being decided and committed) are decided one after another, each
 * against the state those before it leave (on the same unit-year too: the second is decided on the
 * first's result, not refused as a conflict), and appended in ONE appendMany: on SQLite one
 * transaction and one fsync for the group instead of one per command, which is what bounded
 * durable writes. Each request still gets its own answer, and only once the commit has returned.
 *
 * An answer decided on a state the group had not stored yet (a later request of the same
 * unit-year) holds only if what it was decided on was stored: when a batch of a unit-year fails,
 * every later request of that unit-year in the group is decided again in a later group.
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
}

/** One group committed: its size, for a histogram of batch sizes. */
export interface GroupCommitted {
  readonly batches: number
  readonly events: number
  readonly ms: number
}

const totals = { commits: 0, batches: 0, events: 0, largest: 0 }
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
}

export class GroupCommit {
  private readonly queue: Waiting[] = []
  private busy = false

  constructor(private readonly store: EventStore) {}

  submit(request: RecordRequest): Promise<Answer> {
    return new Promise((resolve, reject) => this.enqueue({ request, attempt: 1, resolve, reject }))
  }

  private enqueue(w: Waiting): void {
    this.queue.push(w)
    this.wake()
  }

  /** The next group forms on the next turn: whatever arrives until then joins it. */
  private wake(): void {
    if (this.busy) return
    this.busy = true
    setImmediate(() => {
      void this.commitGroup().finally(() => {
        this.busy = false
        if (this.queue.length > 0) this.wake()
      })
    })
  }

  private async commitGroup(): Promise<void> {
    const group = await this.decideGroup()
    const appends = group.filter((d) => d.settled.kind === 'append')
    let outcomes: BatchOutcome[]
    const started = performance.now()
    try {
      outcomes = appends.length === 0 ? [] : await timeAppend(() => this.store.appendMany(appends.map(({ waiting, settled }) => batchOf(waiting.request, settled))))
    } catch (error) {
      outcomes = appends.map(() => ({ ok: false, error }))
    }
    this.answer(group, outcomes)
    this.count(outcomes, appends, performance.now() - started)
  }

  /** Takes waiting requests in order and decides each on the latest state, stored or left by the group. */
  private async decideGroup(): Promise<Decided[]> {
    const group: Decided[] = []
    /** Per stream: the state the group's requests leave it in, and what each idempotency key recorded. */
    const pending = new Map<string, BudgetYearState>()
    const keys = new Map<string, ReadonlyArray<PlannedEvent>>()
    let events = 0
    while (this.queue.length > 0 && group.length < MAX_GROUP_REQUESTS && events < MAX_GROUP_EVENTS) {
      const waiting = this.queue.shift()!
      const r = waiting.request
      const key = r.options.idempotencyKey === undefined ? undefined : `${r.stream}\u0000${r.options.idempotencyKey}`
      try {
        const latest = pending.get(r.stream) ?? (await budgetYearAt(this.store, r.target.unit, r.target.year)).state
        const earlier = (key === undefined ? undefined : keys.get(key)) ?? (await earlierOf(r))
        const settled = settle(r, latest, earlier)
        group.push({ waiting, settled })
        if (settled.kind !== 'append') continue
        pending.set(r.stream, settled.recorded.state)
        if (key !== undefined) keys.set(key, settled.recorded.events)
        events += settled.recorded.events.length
      } catch (err) {
        waiting.reject(err)
      }
    }
    return group
  }

  private answer(group: ReadonlyArray<Decided>, outcomes: ReadonlyArray<BatchOutcome>): void {
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
