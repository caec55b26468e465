import type { EventStore } from './port'
import { SqliteEventStore } from './sqlite/sqlite'

/** A stream no ledger has (unit 0): reading it reaches the store and finds nothing. */
const PROBE_STREAM = 'budget-0-0'
export const READY_TIMEOUT_MS = 3000

/**
 * Why the store cannot serve now, or undefined when it can: a real read of the log, bounded in
 * time (an unreachable EventStoreDB would otherwise hold the check for the client's deadline), and
 * for SQLite, that the file open is still the one at its path.
 */
export const whyNotReady = async (store: EventStore, timeoutMs = READY_TIMEOUT_MS): Promise<string | undefined> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the ${store.kind} store did not answer a read within ${timeoutMs} ms`), timeoutMs)
  })
  const read = store.streamRevision(PROBE_STREAM).then(
    () => (store instanceof SqliteEventStore ? store.fileMoved() : undefined),
    (err: unknown) => `the ${store.kind} store failed a read: ${err instanceof Error ? err.message : String(err)}`,
  )
  try {
    return await Promise.race([read, late])
  } finally {
    clearTimeout(timer)
  }
}
