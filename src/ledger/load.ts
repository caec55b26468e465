import { type BudgetYearState, evolve, initialState } from '../domain/budget-year'
import type { DomainEvent } from '../domain/events'
import { streamOf } from '../domain/primitives'
import type { RecordedEvent } from '../store/envelope'
import type { EventStore } from '../store/port'

export const toDomain = (e: RecordedEvent): { id: string; revision: number; event: DomainEvent } => ({
  id: e.id,
  revision: e.revision,
  // Events were validated by the codecs when decided; the hash chain guards them since.
  event: { type: e.type, data: e.data } as DomainEvent,
})

export const foldEvents = (events: ReadonlyArray<RecordedEvent>, from: BudgetYearState = initialState()): BudgetYearState =>
  events.reduce((s, e) => evolve(s, toDomain(e)), from)

export interface LoadedYear {
  readonly stream: string
  readonly state: BudgetYearState
  readonly events: RecordedEvent[]
}

/** Reads a unit-year's stream and folds it. */
export const loadBudgetYear = async (store: EventStore, unit: string, year: number): Promise<LoadedYear> => {
  const stream = streamOf(unit, year)
  const events = await store.readStream(stream)
  return { stream, state: foldEvents(events), events }
}
