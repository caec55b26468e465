import type { TimePoint } from '../domain/as-of'
import type Decimal from 'decimal.js'
import { addSpending, spendingMove } from '../../projections/indicators/execution'
import { type BudgetYearState, evolve, forkState, initialState, journalEntry } from '../domain/budget-year'
import { streamOf } from '../domain/primitives'
import { timeFold } from '../metrics/fold-timings'
import type { EventStore } from '../store/port'
import { type ReplayEvent, type StreamReader, readerFor } from './stream-reader'
import { BusinessDates, dayNumber, toDomainEvent } from './time-travel'

/**
 * Time travel without replaying everything (docs/audit.md, "Snapshots").
 *
 * Per stream, an in-process timeline is folded once and then kept up to date with the events
 * appended since: for every revision, the recording time (a running maximum) and the business date
 * it takes effect on (time-travel.ts), and a snapshot of the folded state every `every` events.
 * An as-of query finds its last revision by binary search, starts from the nearest snapshot at or
 * before it and folds only the tail (fewer than `every` events, read from the store). An effective
 * query starts from the last snapshot whose events are all in effect by then and folds the tail's
 * events that are.
 *
 * Reusing a snapshot safely: the domain's states share one journal (state.ts); a state sees only
 * the entries up to its revision, so a snapshot stays valid however far the timeline has grown.
 * But folding a tail onto a snapshot writes journal entries (and reversal marks) again, which
 * would corrupt the shared journal for every later state. So a tail is always folded onto a
 * fork of the snapshot (forkState: an overlay on its journal, overlay-journal.ts), which costs
 * nothing up front and one small copy per entry the tail touches.
 */
export interface SnapshotOptions {
  /** Events between snapshots (default 1000): bounds the tail an as-of query folds. */
  readonly every?: number
  /** How events are read; default: the fastest the store allows (stream-reader.ts). */
  readonly reader?: StreamReader
  /** Unit-years kept folded (default 256): the ones used last; another is folded again when asked for. */
  readonly maxStreams?: number
}

export const DEFAULT_SNAPSHOT_EVERY = 1000
export const DEFAULT_SNAPSHOT_STREAMS = 256

/** The highest index i in [0, n) with ok(i), for ok monotone (true…true false…false); -1 if none. */
const lastTrue = (n: number, ok: (i: number) => boolean): number => {
  let lo = 0
  let hi = n - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (ok(mid)) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

class Timeline {
  /** Events folded so far; the head state is at revision count - 1. */
  count = 0
  head: BudgetYearState = initialState()
  lastId: string | undefined
  /** Running maximum of recording times (ms) by revision: monotone, so binary-searchable. */
  readonly recorded: number[] = []
  /** Business date (day number) each event takes effect on. */
  readonly business: number[]
  /** Running maximum of `business`: a snapshot serves effective D when its value ≤ D. */
  readonly maxBusiness: number[] = []
  /** snapshots[k]: the state after revision (k + 1) * every - 1. */
  readonly snapshots: BudgetYearState[] = []
  private readonly dates = new BusinessDates()
  /** Money spent by business month at the head (projections/indicators/execution.ts): the dashboard's chart, kept live. */
  readonly spentByMonth = new Map<string, Decimal>()
  /** Serialises syncs: two queries must not fold the same new events twice. */
  lock: Promise<unknown> = Promise.resolve()
  /** The store's log version (port.ts) when this timeline was last synced: unchanged, it is still the head. */
  seen: string | undefined

  constructor(
    readonly stream: string,
    readonly every: number,
  ) {
    this.business = this.dates.byRevision
  }

  fold(e: ReplayEvent): void {
    if (e.revision !== this.count) throw new Error(`invariant: stream ${this.stream} has a gap at revision ${this.count} (found ${e.revision}); run budget-ledger verify`)
    const before = this.head
    this.head = evolve(before, toDomainEvent(e))
    const day = this.dates.record(e, before, this.head)
    addSpending(this.spentByMonth, spendingMove(e, (id) => expenditureAmount(before, id)))
    const t = Date.parse(e.recordedAt)
    const prev = this.count > 0 ? this.recorded[this.count - 1]! : -Infinity
    this.recorded.push(Number.isFinite(t) && t > prev ? t : prev)
    this.maxBusiness.push(this.count > 0 ? Math.max(this.maxBusiness[this.count - 1]!, day) : day)
    this.count++
    this.lastId = e.id
    if (this.count % this.every === 0) this.snapshots.push(this.head)
  }
}

/** Where a time-travel read comes from: the revision it ends at and how much was folded for it. */
export interface StateAt {
  readonly state: BudgetYearState
  /** Last revision recorded by asOf (-1: none); the state may leave later-dated ones out. */
  readonly lastRevision: number
  /** Events folded to answer this query (0 when a snapshot or the head answered it whole). */
  readonly folded: number
  /** Events the business-date cut-off left out of the as-of view. */
  readonly leftOut: number
}

/**
 * The timelines of one store's streams. One per store per process (snapshotsFor); safe for
 * concurrent queries; follows appends (including other processes'); rebuilt when the stream
 * turns out not to be the one it folded (its last event is not the one remembered).
 */
export class BudgetYearSnapshots {
  private readonly timelines = new Map<string, Timeline>()
  private readonly every: number
  private readonly reader: StreamReader
  private readonly maxStreams: number

  constructor(
    private readonly store: EventStore,
    options: SnapshotOptions = {},
  ) {
    this.every = Math.max(1, Math.floor(options.every ?? DEFAULT_SNAPSHOT_EVERY))
    this.reader = options.reader ?? readerFor(store)
    this.maxStreams = Math.max(1, Math.floor(options.maxStreams ?? DEFAULT_SNAPSHOT_STREAMS))
  }

  /** Folds what was appended since the last call; returns the timeline. */
  async sync(stream: string): Promise<Timeline> {
    let tl = this.timelines.get(stream)
    if (!tl) tl = new Timeline(stream, this.every)
    // Most recently used last, so that a city of thousands of unit-years keeps only the ones in use:
    // what the process holds follows its traffic, not the size of the log.
    this.timelines.delete(stream)
    this.timelines.set(stream, tl)
    while (this.timelines.size > this.maxStreams) this.timelines.delete(this.timelines.keys().next().value!)
    const t = tl
    const run = t.lock.then(async () => {
      // Read before the log: a write landing after it moves the mark, so the next sync looks again.
      const mark = this.store.logVersion?.()
      if (mark !== undefined && mark === t.seen) return t
      const head = await this.store.streamRevision(stream)
      if (head < t.count - 1 || (t.count > 0 && !(await this.stillHolds(t)))) {
        this.timelines.delete(stream)
        return undefined
      }
      if (head >= t.count) await timeFold('catch-up', () => this.fold(t, head))
      t.seen = mark
      return t
    })
    t.lock = run.catch(() => undefined)
    const synced = await run
    return synced ?? this.sync(stream)
  }

  private async fold(t: Timeline, head: number): Promise<number> {
    const from = t.count
    await this.reader.range(t.stream, from, head, (e) => t.fold(e))
    return t.count - from
  }

  private async stillHolds(t: Timeline): Promise<boolean> {
    let id: string | undefined
    await this.reader.range(t.stream, t.count - 1, t.count - 1, (e) => (id = e.id))
    return id === t.lastId
  }

  /** The folded state of a unit-year at a point on both axes (absent: no cut-off). */
  async stateAt(unit: string, year: number, at: TimePoint = {}): Promise<StateAt> {
    const tl = await this.sync(streamOf(unit, year))
    const n = tl.count
    const bound = at.asOf === undefined ? Infinity : Date.parse(at.asOf)
    const last = at.asOf === undefined ? n - 1 : lastTrue(n, (i) => tl.recorded[i]! <= bound)
    if (last < 0) return { state: initialState(), lastRevision: -1, folded: 0, leftOut: 0 }
    const effective = at.effective === undefined ? Infinity : dayNumber(at.effective)

    if (tl.maxBusiness[last]! <= effective) {
      // Every event of the prefix is in effect: the nearest snapshot and the tail.
      if (last === n - 1) return { state: tl.head, lastRevision: last, folded: 0, leftOut: 0 }
      const k = Math.floor((last + 1) / tl.every) - 1
      const base = k >= 0 ? tl.snapshots[k]! : initialState()
      if (base.revision === last) return { state: base, lastRevision: last, folded: 0, leftOut: 0 }
      let state = forkState(base)
      const folded = await timeFold('tail', async () => {
        let n = 0
        await this.reader.range(tl.stream, base.revision + 1, last, (e) => {
          state = evolve(state, toDomainEvent(e))
          n++
        })
        return n
      })
      return { state, lastRevision: last, folded, leftOut: 0 }
    }

    // Some events are dated later: the last snapshot all of whose events are in effect, then the
    // tail's events that are.
    const usable = Math.floor((last + 1) / tl.every)
    const k = lastTrue(usable, (i) => tl.maxBusiness[(i + 1) * tl.every - 1]! <= effective)
    const base = k >= 0 ? tl.snapshots[k]! : initialState()
    const wanted: number[] = []
    for (let r = base.revision + 1; r <= last; r++) if (tl.business[r]! <= effective) wanted.push(r)
    let state = forkState(base)
    const folded = await timeFold('tail', async () => {
      let n = 0
      await this.reader.some(tl.stream, wanted, (e) => {
        state = evolve(state, toDomainEvent(e))
        n++
      })
      return n
    })
    return { state, lastRevision: last, folded, leftOut: last - base.revision - wanted.length }
  }

  /**
   * The unit-year as it stands and its money spent by business month, at the same revision (the
   * execution view). The months are a copy: later folds do not move them under the caller.
   */
  async latest(unit: string, year: number): Promise<{ state: BudgetYearState; spentByMonth: ReadonlyMap<string, Decimal> }> {
    const tl = await this.sync(streamOf(unit, year))
    return { state: tl.head, spentByMonth: new Map(tl.spentByMonth) }
  }

  /** Events folded and snapshots kept, per stream: for the bench and for operators. */
  stats(): Array<{ stream: string; events: number; snapshots: number }> {
    return [...this.timelines.values()].map((t) => ({ stream: t.stream, events: t.count, snapshots: t.snapshots.length }))
  }
}

const perStore = new WeakMap<EventStore, BudgetYearSnapshots>()

/** The process's snapshot cache of a store (created on first use). */
export const snapshotsFor = (store: EventStore): BudgetYearSnapshots => {
  let s = perStore.get(store)
  if (!s) {
    s = new BudgetYearSnapshots(store)
    perStore.set(store, s)
  }
  return s
}

/** The amount of an expenditure the state's journal knows by event id; undefined for any other event. */
const expenditureAmount = (s: BudgetYearState, id: string): string | undefined => {
  const entry = journalEntry(s, id)
  return entry?.event.type === 'ExpenditureRecorded' ? entry.event.data.amount : undefined
}

/** A unit-year at a point in time through the store's snapshot cache. */
export const budgetYearAt = (store: EventStore, unit: string, year: number, at: TimePoint = {}): Promise<StateAt> =>
  snapshotsFor(store).stateAt(unit, year, at)
