import { type AppendBatch, type AppendResult, type BatchOutcome, EarlierBatchFailed, type EventStore } from './port'

/**
 * The batches of a group in order, as appendMany takes them: a batch whose stream already had one
 * fail in the group is not tried, having been decided on it (port.ts); each other batch is run by
 * `append`, its error caught into its outcome. Synchronous, for SQLite's one transaction.
 */
export const eachBatch = (batches: ReadonlyArray<AppendBatch>, append: (b: AppendBatch) => AppendResult): BatchOutcome[] => {
  const failed = new Set<string>()
  return batches.map((b): BatchOutcome => {
    if (failed.has(b.stream)) return { ok: false, error: new EarlierBatchFailed(b.stream) }
    try {
      return { ok: true, result: append(b) }
    } catch (error) {
      failed.add(b.stream)
      return { ok: false, error }
    }
  })
}

/**
 * appendMany for an adapter that has no cheaper way: each batch appended on its own, in order, with
 * the same answers as a group commit; only the number of commits differs.
 */
export const appendEach = async (store: Pick<EventStore, 'append'>, batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> => {
  const failed = new Set<string>()
  const outcomes: BatchOutcome[] = []
  for (const b of batches) {
    if (failed.has(b.stream)) {
      outcomes.push({ ok: false, error: new EarlierBatchFailed(b.stream) })
      continue
    }
    try {
      outcomes.push({ ok: true, result: await store.append(b.stream, b.events, b.expected) })
    } catch (error) {
      failed.add(b.stream)
      outcomes.push({ ok: false, error })
    }
  }
  return outcomes
}
