import { addSpending, spendingMove } from '../../../../projections/indicators/execution'
import type { Fen } from '../../../domain/money/fen'
import { type BudgetYearState, evolve, initialState, journalEntry } from '../../../domain/budget-year'
import type { ReplayEvent } from '../../read-path/stream-reader'
import { type RevisionColumn, daysColumn, timesColumn } from './revision-column'
import { BusinessDates, toDomainEvent } from './time-travel'

/** A snapshot interval closed by the fold, not yet saved to the store (snapshot-record.ts). */
export interface Crossing {
  readonly k: number
  readonly lastId: string
  /** In 分 (fen.ts); saved in 元 (snapshot-record.ts). */
  readonly spentByMonth: ReadonlyMap<string, Fen>
}

/**
 * One stream's in-process timeline (snapshots.ts): the head state, the as-of index of every
 * revision, and a snapshot every `every` events: in memory, or (after a cold start from a persisted
 * snapshot) read from the store when first needed.
 */
export class Timeline {
  /** Events folded so far; the head state is at revision count - 1. */
  count = 0
  head: BudgetYearState = initialState()
  lastId: string | undefined
  /** Running maximum of recording times (ms) by revision: monotone, so binary-searchable. */
  readonly recorded = timesColumn()
  /** Business date (day number) each event takes effect on. */
  readonly business: RevisionColumn<Int32Array>
  /** Running maximum of `business`: a snapshot serves effective D when its value ≤ D. */
  readonly maxBusiness = daysColumn()
  /** snapshots[k]: the state after revision (k + 1) * every - 1; a hole: saved in the store, not read yet. */
  readonly snapshots: Array<BudgetYearState | undefined> = []
  /**
   * held[j]: the state after revision (j + 1) * spacing - 1, for the revisions this process folded
   * (a hole: before a cold start's restore point). Denser than the saved snapshots, so that an as-of
   * tail is shorter; in memory only, so the file's snapshots keep their interval.
   */
  readonly held: Array<BudgetYearState | undefined> = []
  readonly dates = new BusinessDates()
  /** Money spent by business month at the head, in 分 (projections/indicators/execution.ts): the dashboard's chart, kept live. */
  spentByMonth = new Map<string, Fen>()
  /** Every reversal folded: [reversed event id, revision of the reversal], in revision order. */
  readonly reversals: Array<[string, number]> = []
  /** Intervals closed since the last save, when this process saves snapshots (undefined: it does not, or a save failed in this fold). */
  crossings: Crossing[] | undefined
  /** Events folded by this process for this stream (the head and query tails): for diagnostics. */
  folded = 0
  /**
   * The chain of digests of the `refs` of the persisted rows 0..rows-1 (snapshot-record.ts), as far
   * as this timeline knows them in order; undefined once a row could not be made.
   */
  reversalsChain: { rows: number; digest: string } | undefined = { rows: 0, digest: '' }
  /** The persisted snapshot a cold start began from (its revision), if any. */
  restoredFrom: number | undefined
  /** Keeps `state` in memory when it closes a spacing (the first kept for a revision stays). */
  hold(state: BudgetYearState): void {
    const n = state.revision + 1
    if (n % this.spacing === 0) this.held[n / this.spacing - 1] ??= state
  }

  /**
   * The amount of an expenditure the head's journal knows, by event id: one function for the
   * timeline's life, not a closure over the state before each event (≈ 100 bytes an event to
   * allocate: docs/speed.md, "Rebuild, one event object"); `fold` asks it before folding.
   */
  private readonly expenditureAtHead = (id: string): string | undefined => expenditureAmount(this.head, id)

  /** Serialises syncs: two queries must not fold the same new events twice. */
  lock: Promise<unknown> = Promise.resolve()
  /** The store's log version (port.ts) when this timeline was last synced: unchanged, it is still the head. */
  seen: string | undefined

  constructor(
    readonly stream: string,
    readonly every: number,
    /** Events between in-memory snapshots (`held`). */
    readonly spacing: number = every,
  ) {
    this.business = this.dates.byRevision
  }

  fold(e: ReplayEvent): void {
    if (e.revision !== this.count) throw new Error(`invariant: stream ${this.stream} has a gap at revision ${this.count} (found ${e.revision}); run budget-ledger verify`)
    const before = this.head
    // Read before the fold, while the head is still `before`.
    const move = spendingMove(e, this.expenditureAtHead)
    const event = toDomainEvent(e)
    this.head = evolve(before, event)
    if (event.event.type === 'EventReversed' && journalEntry(before, event.event.data.event)) this.reversals.push([event.event.data.event, e.revision])
    const day = this.dates.record(e, before, this.head)
    addSpending(this.spentByMonth, move)
    this.recorded.push(runningRecorded(this.count > 0 ? this.recorded.at(this.count - 1)! : -Infinity, e.recordedMs))
    const maxDay = this.count > 0 ? this.maxBusiness.at(this.count - 1)! : day
    this.maxBusiness.push(maxDay > day ? maxDay : day)
    this.count++
    this.folded++
    this.lastId = e.id
    this.hold(this.head)
    if (this.count % this.every === 0) {
      const k = this.count / this.every - 1
      this.snapshots[k] = this.head
      this.crossings?.push({ k, lastId: e.id, spentByMonth: new Map(this.spentByMonth) })
    }
  }
}

/**
 * The running recording time after an event (its recording time in ms, ReplayEvent.recordedMs): its
 * own, or its predecessor's when its clock ran behind (or its time does not parse: NaN), so that an
 * as-of view is a prefix of the stream (time-travel.ts).
 */
export const runningRecorded = (previous: number, recordedMs: number): number =>
  Number.isFinite(recordedMs) && recordedMs > previous ? recordedMs : previous

/** The amount of an expenditure the state's journal knows by event id; undefined for any other event. */
const expenditureAmount = (s: BudgetYearState, id: string): string | undefined => {
  const entry = journalEntry(s, id)
  return entry?.event.type === 'ExpenditureRecorded' ? entry.event.data.amount : undefined
}
