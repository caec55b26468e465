import type { AppendBatch, BatchOutcome, EventStore } from './port'

/**
 * appendMany for an adapter that has no cheaper way: each batch appended on its own, in order. The
 * answers are the same as a group commit's; only the number of commits differs.
 */
export const appendEach = async (store: Pick<EventStore, 'append'>, batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> => {
  const outcomes: BatchOutcome[] = []
  for (const b of batches) {
    try {
      outcomes.push({ ok: true, result: await store.append(b.stream, b.events, b.expected) })
    } catch (error) {
      outcomes.push({ ok: false, error })
    }
  }
  return outcomes
}
