import type { TimePoint } from '../../../domain/time/as-of'
import { type BudgetYearState, evolve, initialState, journalEntry } from '../../../domain/budget-year'
import type { DomainEvent } from '../../../domain/events/events'
import type { RecordedEvent } from '../../../store/envelope'
import { isKeyedCollection } from '../../../domain/budget-year/line-table'
import { type StoredDomainEvent, readStoredEvent } from '../../../domain/events/stored-event'
import { VERSIONED_TYPES } from '../../../domain/events/event-versions'
import { PageEvent } from '../../read-path/event-page'
import { daysColumn } from './revision-column'
import { digits2, digits4 } from './digits'
import { sliceByRevision } from './revision-slice'


/**
 * Which events of a unit-year a time-travel query folds (docs/audit.md, "Time travel").
 *
 * As of T: the events recorded by T. The log is taken in revision order up to the first event
 * recorded after T: an event whose clock ran behind an earlier one's counts as recorded when its
 * predecessor was (recording times are a running maximum), so an as-of view is always a prefix
 * of the stream, exactly what a reader of the ledger could have seen at T.
 *
 * Effective D: of those, the events in effect on business date D. An event cannot take effect
 * before what it acts on exists, so its business date for this purpose is the latest of
 *   - its own effectiveDate,
 *   - the business date of the year's opening (the stream's first event),
 *   - the business date of the event that created each entity it changes (a line, a
 *     recommendation…: found by folding, so new event types are covered), and
 *   - for a reversal, the business date of the event it reverses.
 * So a reversal dated before its target takes effect with its target, an expenditure dated before
 * its line's allocation takes effect with the allocation, and the filtered fold never meets a
 * reference to something it left out. Each date is computed from earlier events only.
 */

/**
 * An event as a replay reads it (its stored schemaVersion beside it), upcast for the fold
 * (src/domain/events/stored-event.ts). A page's event of a type that never had a second version is read as
 * stored, and is its own domain event (PageEvent, event-page.ts): no new object for it.
 */
export const toDomainEvent = (e: StoredDomainEvent & { readonly schemaVersion?: unknown }): { id: string; revision: number; event: DomainEvent } =>
  e instanceof PageEvent && !VERSIONED_TYPES.has(e.type) ? e : readStoredEvent(e, e.schemaVersion)

/**
 * YYYY-MM-DD → 20210301, for cheap comparisons; NaN-safe (a malformed date sorts first). Read
 * digit by digit: it runs once per event of a rebuild, and three slices and Number()s cost more.
 */
export const dayNumber = (date: string): number => {
  const n = date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45 ? digits4(date, 0) * 10000 + digits2(date, 5) * 100 + digits2(date, 8) : slowDayNumber(date)
  return Number.isFinite(n) ? n : 0
}

const slowDayNumber = (date: string): number => Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))

export const showDay = (n: number): string => `${String(Math.floor(n / 10000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`

/** The state's collections of entities (lines, recommendations…): its Map-valued fields, the journal aside. */
const COLLECTIONS: ReadonlyArray<string> = Object.entries(initialState())
  .filter(([k, v]) => isKeyedCollection(v) && k !== 'journal')
  .map(([k]) => k)

/**
 * Folds a stream from its start, unfiltered, and says for each event the business date it takes
 * effect on (the rule above). Events must come in revision order from revision 0.
 */
export class BusinessDates {
  private state: BudgetYearState = initialState()
  /** Business date (day number) by revision. */
  readonly byRevision = daysColumn()
  /** Creator revision of each entity, by "collection\u0000key". */
  private readonly creators = new Map<string, number>()
  /**
   * The same, in the order they were created: revision order, since the domain never removes an
   * entity (a key is created once), so an interval's are found by binary search (sliceByRevision).
   */
  private readonly created: Array<[entity: string, revision: number]> = []
  /** The latest business date any entity of a collection was created on. */
  private readonly latestCreator = new Map<string, number>()

  /** The entities created by events from..to (revisions, inclusive): what a persisted snapshot's interval adds. */
  createdBetween(from: number, to: number): Array<[entity: string, revision: number]> {
    return sliceByRevision(this.created, from, to)
  }

  private create(id: string, revision: number): void {
    this.creators.set(id, revision)
    this.created.push([id, revision])
  }

  /**
   * Dates restored from a persisted snapshot (snapshot-record.ts): the business date of every
   * revision up to it (segments end to end, as bytes) and the creator of every entity; then `record`
   * continues from there.
   */
  restore(byRevision: ReadonlyArray<ArrayBufferView>, creators: ReadonlyArray<[entity: string, revision: number]>): void {
    this.byRevision.restore(byRevision)
    for (const [id, r] of creators) {
      this.create(id, r)
      const c = id.slice(0, id.indexOf('\u0000'))
      const day = this.byRevision.at(r) ?? 0
      if ((this.latestCreator.get(c) ?? 0) < day) this.latestCreator.set(c, day)
    }
  }

  /** Folds the event and returns its business date as a day number. */
  next(e: { id: string; revision: number; type: string; data: unknown; effectiveDate: string; schemaVersion?: unknown }): number {
    const before = this.state
    const after = evolve(before, toDomainEvent(e))
    this.state = after
    return this.record(e, before, after)
  }

  /**
   * The business date of an event some other fold has just folded (before → after), for a caller
   * that folds anyway (snapshots.ts): the dates then cost no second fold. Calls must follow the
   * stream in order, and then `next` must not be used.
   */
  record(e: { revision: number; type: string; data: unknown; effectiveDate: string }, before: BudgetYearState, after: BudgetYearState): number {
    let day = dayNumber(e.effectiveDate)
    const opening = this.byRevision.at(0)
    if (opening !== undefined && opening > day) day = opening
    const b = before as unknown as Record<string, unknown>
    const a = after as unknown as Record<string, unknown>
    let created: Array<[collection: string, id: string]> | undefined
    for (const c of COLLECTIONS) {
      const am = a[c]
      const bm = b[c]
      if (am === bm || !isKeyedCollection(am)) continue
      const old = isKeyedCollection(bm) ? bm : undefined
      // Without a new entity, and with every entity created on or before this event's date, no
      // creator can defer it: the common case skips the walk over the collection.
      if (old && am.size === old.size && (this.latestCreator.get(c) ?? 0) <= day) continue
      for (const [key, v] of am) {
        const prev = old?.get(key)
        if (prev === v) continue
        const id = `${c}\u0000${String(key)}`
        if (prev === undefined) (created ??= []).push([c, id])
        else {
          const creator = this.creators.get(id)
          const d = creator === undefined ? undefined : this.byRevision.at(creator)
          if (d !== undefined && d > day) day = d
        }
      }
    }
    if (e.type === 'EventReversed') {
      const target = journalEntry(before, String((e.data as { event?: unknown }).event))
      const d = target === undefined ? undefined : this.byRevision.at(target.revision)
      if (d !== undefined && d > day) day = d
    }
    if (created)
      for (const [c, id] of created) {
        this.create(id, e.revision)
        if ((this.latestCreator.get(c) ?? 0) < day) this.latestCreator.set(c, day)
      }
    this.byRevision.set(e.revision, day)
    return day
  }
}

/** The as-of prefix: events in revision order up to the first one recorded after `asOf`. */
export const asOfPrefix = <T extends Pick<RecordedEvent, 'metadata'>>(events: ReadonlyArray<T>, asOf: string | undefined): T[] => {
  if (asOf === undefined) return [...events]
  const bound = Date.parse(asOf)
  const end = events.findIndex((e) => !(Date.parse(e.metadata.recordedAt) <= bound))
  return end === -1 ? [...events] : events.slice(0, end)
}

/** The events a time-travel query folds, in revision order (the rules above). */
export const selectEvents = (events: ReadonlyArray<RecordedEvent>, at: TimePoint = {}): RecordedEvent[] => {
  const prefix = asOfPrefix(events, at.asOf)
  if (at.effective === undefined) return prefix
  const bound = dayNumber(at.effective)
  const dates = new BusinessDates()
  return prefix.filter((e) => dates.next({ ...e, effectiveDate: e.metadata.effectiveDate, schemaVersion: e.metadata.schemaVersion }) <= bound)
}
