import { type BudgetYearState, evolve, initialState } from '../../domain/budget-year'
import type { DomainEvent } from '../../domain/events/events'
import { streamOf } from '../../domain/codecs/primitives'
import { type StoredDomainEvent, readStoredEvent } from '../../domain/events/stored-event'
import type { RecordedEvent } from '../../store/envelope'
import type { EventStore } from '../../store/port'
import { type TimePoint, hasCutOff } from '../../domain/time/as-of'
import { selectEvents } from './as-of/time-travel'

/** What the fold reads of an event: a stored one, or one decided and not stored yet (record-request.ts). */
export type FoldedEvent = StoredDomainEvent & { readonly metadata: Pick<RecordedEvent['metadata'], 'schemaVersion'> }

/** A stored event as the fold reads it: upcast from its stored version (src/domain/events/stored-event.ts). */
export const toDomain = (e: FoldedEvent): { id: string; revision: number; event: DomainEvent } => readStoredEvent(e, e.metadata.schemaVersion)

export const foldEvents = (events: ReadonlyArray<FoldedEvent>, from: BudgetYearState = initialState()): BudgetYearState =>
  events.reduce((s, e) => evolve(s, toDomain(e)), from)

export interface LoadedYear {
  readonly stream: string
  readonly state: BudgetYearState
  /** The events folded: the whole stream, or those a time-travel query selects (time-travel.ts). */
  readonly events: RecordedEvent[]
}

/**
 * Reads a unit-year's stream and folds it; with `at`, only the events recorded by `at.asOf` and in
 * effect on `at.effective` (src/ledger/fold/as-of/time-travel.ts). A full replay: the reference every faster
 * path (snapshots.ts) must agree with.
 */
export const loadBudgetYear = async (store: EventStore, unit: string, year: number, at?: TimePoint): Promise<LoadedYear> => {
  const stream = streamOf(unit, year)
  const all = await store.readStream(stream)
  const events = hasCutOff(at) ? selectEvents(all, at) : all
  return { stream, state: foldEvents(events), events }
}
