import type { Worker } from 'node:worker_threads'
import { startWorker } from '../../worker-thread'
import { type EventPage, eachEvent } from './event-page'
import type { ReplayEvent } from './stream-reader'

/**
 * A long range of a SQLite ledger file (a full rebuild, a server's first fold of a year) read on a
 * second thread while this one folds. The read thread steps the rows and reads the payloads into
 * a page by column (the same pages as this thread reads alone: sqlitePages, stream-reader.ts); the
 * page crosses as a structured clone (event-page.ts), which costs the folding thread about a fifth
 * of reading and parsing the events itself. JSON text crossing to be parsed here (built by SQLite or joined by the read thread) saved
 * nothing: parsing is the dear part, and a clone, unlike JSON.parse, does not enter every short
 * string value into this thread's string table (docs/speed.md, "Rebuild at 1M", "Pages as one
 * text, and pages across threads").
 *
 * The read thread opens its own read-only connection. The range ends at a revision this thread has
 * already seen in the log, and a stream's events never change once written, so the other connection
 * reads exactly the events this one would.
 */
export interface ReadRequest {
  readonly path: string
  readonly stream: string
  readonly from: number
  readonly to: number
  readonly page: number
  /** One Int32: pages the read thread may still post before the folding thread has folded them. */
  readonly credits: SharedArrayBuffer
}

export type ReadReply = { readonly page: EventPage } | { readonly done: true } | { readonly error: string }

/** Events per posted page: as the folding thread's own pages (stream-reader.ts). */
const PAGE = 1000
/** Pages read ahead of the one being folded: bounds what waits in memory. */
const AHEAD = 4

let started = 0

/** Ranges read on a read thread by this process so far: how a benchmark says whether the thread ran (it runs only when a core is idle). */
export const readThreadRanges = (): number => started

/**
 * Calls `f` for each event of from..to in revision order, read on a second thread; rejects on a read
 * error or when `f` throws. `typeOf` gives each distinct type of a page its string on this thread.
 */
export const rangeOnThread = (path: string, stream: string, from: number, to: number, typeOf: (type: string) => string, f: (e: ReplayEvent) => void): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    started++
    const credits = new SharedArrayBuffer(4)
    const credit = new Int32Array(credits)
    credit[0] = AHEAD
    const worker = workerOf({ path, stream, from, to, page: PAGE, credits } satisfies ReadRequest)
    let settled = false
    const finish = (err?: unknown) => {
      if (settled) return
      settled = true
      worker.removeAllListeners()
      worker.on('error', () => undefined)
      void worker.terminate()
      if (err === undefined) resolve()
      else reject(err)
    }
    worker.on('message', (m: ReadReply) => {
      if ('error' in m) return finish(new Error(m.error))
      if ('done' in m) return finish()
      try {
        eachEvent(m.page, typeOf, f)
      } catch (err) {
        return finish(err)
      }
      Atomics.add(credit, 0, 1)
      Atomics.notify(credit, 0)
    })
    worker.on('error', (err) => finish(err))
    worker.on('exit', (code) => finish(new Error(`the stream read thread stopped (exit code ${code})`)))
  })

/** The read thread (src/worker-thread.ts finds its module). */
const workerOf = (request: ReadRequest): Worker => startWorker(__dirname, 'read-thread-worker', request)
