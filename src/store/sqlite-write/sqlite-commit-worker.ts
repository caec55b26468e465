import { parentPort, workerData } from 'node:worker_threads'
import { toWire } from './error-wire'
import type { AppendBatch, BatchOutcome } from '../port'
import { SqliteAppender } from './sqlite-append'
import { openDatabase } from '../sqlite/sqlite-driver'

/**
 * The commit worker's thread (sqlite-committer.ts): its own connection to the ledger file, on
 * which it runs the group commits it is sent, one at a time, and answers each once COMMIT has
 * returned, i.e. once the group is durable. The connection is set as the store's writing one is
 * (synchronous=FULL: the commit fsyncs the WAL); the file is already open, in WAL mode, with its
 * schema, in the store's thread.
 */
export interface CommitRequest {
  readonly id: number
  readonly batches: ReadonlyArray<AppendBatch>
}

export type WireOutcome = { readonly ok: true; readonly result: Extract<BatchOutcome, { ok: true }>['result'] } | { readonly ok: false; readonly error: ReturnType<typeof toWire> }

export type CommitReply = { readonly id: number; readonly outcomes: ReadonlyArray<WireOutcome> } | { readonly id: number; readonly failed: ReturnType<typeof toWire> }

const db = openDatabase((workerData as { path: string }).path, { fileMustExist: true })
db.pragma('busy_timeout = 10000')
db.pragma('synchronous = FULL')
const appender = new SqliteAppender(db)

parentPort!.on('message', ({ id, batches }: CommitRequest) => {
  let reply: CommitReply
  try {
    const outcomes = appender.appendGroup(batches).map((o): WireOutcome => (o.ok ? o : { ok: false, error: toWire(o.error) }))
    reply = { id, outcomes }
  } catch (err) {
    reply = { id, failed: toWire(err) }
  }
  parentPort!.postMessage(reply)
})
