import type { NewEvent } from './envelope'
import { DuplicateEventId, type ExpectedRevision, WrongExpectedRevision, expectedMatches } from './port'

/** Where an id already sits in the log, as an adapter looks it up. */
export interface StoredAt {
  readonly stream: string
  readonly revision: number
}

export type AppendPlan =
  | { readonly kind: 'write'; readonly firstRevision: number }
  | { readonly kind: 'already-written'; readonly lastRevision: number }

/**
 * The one decision every adapter makes before writing, so they all agree:
 * a batch already stored at this place is an idempotent no-op; an id stored elsewhere is refused;
 * otherwise the expected revision must match the stream's head.
 */
export const planAppend = (
  stream: string,
  events: ReadonlyArray<NewEvent>,
  expected: ExpectedRevision,
  head: number,
  lookup: (id: string) => StoredAt | undefined,
): AppendPlan => {
  if (events.length === 0) throw new RangeError('append needs at least one event')
  if (events.length > 10_000) throw new RangeError('append takes at most 10000 events at once')
  const ids = new Set(events.map((e) => e.id))
  if (ids.size !== events.length) throw new DuplicateEventId(events.find((e, i) => events.findIndex((x) => x.id === e.id) !== i)!.id)
  const first = lookup(events[0]!.id)
  if (first) {
    const sameBatch =
      first.stream === stream &&
      events.every((e, i) => {
        const at = lookup(e.id)
        return at !== undefined && at.stream === stream && at.revision === first.revision + i
      })
    if (!sameBatch) throw new DuplicateEventId(events[0]!.id)
    const originalExpected = first.revision - 1
    if (expected === 'any' || expected === originalExpected || (expected === 'no_stream' && first.revision === 0))
      return { kind: 'already-written', lastRevision: first.revision + events.length - 1 }
    throw new WrongExpectedRevision(stream, expected, head)
  }
  for (const e of events) if (lookup(e.id)) throw new DuplicateEventId(e.id)
  if (!expectedMatches(expected, head)) throw new WrongExpectedRevision(stream, expected, head)
  return { kind: 'write', firstRevision: head + 1 }
}
