import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '../../store/sqlite/sqlite-driver'
import { pageBuffers } from './event-page'
import type { ReadReply, ReadRequest } from './read-thread'
import { sqlitePages } from './stream-reader'

/**
 * The read thread of a long range (read-thread.ts): its own read-only connection to the ledger
 * file, the same pages as the folding thread reads alone (sqlitePages, stream-reader.ts: by column,
 * event-page.ts), posted as they are read, never more than the credits the folding thread has given back.
 */
const { path, stream, from, to, page, credits } = workerData as ReadRequest
const credit = new Int32Array(credits)

const run = async (): Promise<void> => {
  const db = openDatabase(path, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 10000')
    const pageOf = sqlitePages(db)
    for (let a = from; a <= to; a += page) {
      const columns = pageOf(stream, a, Math.min(to, a + page - 1))
      if (columns.ids.length === 0) return
      // Bounded read-ahead: sleeps while the folding thread holds every page it was given credit for.
      while (Atomics.load(credit, 0) <= 0) Atomics.wait(credit, 0, 0)
      Atomics.sub(credit, 0, 1)
      parentPort!.postMessage({ page: columns } satisfies ReadReply, pageBuffers(columns))
    }
  } finally {
    db.close()
  }
}

run().then(
  () => parentPort!.postMessage({ done: true } satisfies ReadReply),
  (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies ReadReply),
)
