import type { Worker } from 'node:worker_threads'
import { startWorker } from '../../worker-thread'
import { fromWire } from './error-wire'
import type { AppendBatch, BatchOutcome } from '../port'
import type { CommitReply, CommitRequest } from './sqlite-commit-worker'

/**
 * Group commits of a SQLite ledger file run on a worker thread (issue 15). better-sqlite3 is
 * synchronous: on the server's thread a COMMIT's fsync (milliseconds) would stop everything else,
 * the parsing, deciding and answering of the next requests included. On the worker, the server
 * goes on taking requests while a group is made durable, and the next group is as large as what
 * arrived meanwhile. An answer is still given only after the worker's COMMIT has returned.
 *
 * The thread is started on the first commit, and holds the process open only while a commit is
 * under way (a CLI run ends when its work does).
 */
export class SqliteCommitter {
  private worker: Worker | undefined
  private next = 1
  private readonly inFlight = new Set<Promise<BatchOutcome[]>>()
  private readonly waiting = new Map<number, { resolve: (o: BatchOutcome[]) => void; reject: (e: unknown) => void }>()

  constructor(private readonly path: string) {}

  commit(batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> {
    const worker = this.started()
    const id = this.next++
    const answer = new Promise<BatchOutcome[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      if (this.waiting.size === 1) worker.ref()
      worker.postMessage({ id, batches } satisfies CommitRequest)
    })
    this.inFlight.add(answer)
    const done = () => this.inFlight.delete(answer)
    answer.then(done, done)
    return answer
  }

  /** After the commits under way have been answered: closing never leaves a caller without its answer. */
  async close(): Promise<void> {
    await Promise.allSettled(this.inFlight)
    const worker = this.worker
    this.worker = undefined
    if (worker) await worker.terminate()
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = workerOf(this.path)
    worker.on('message', (reply: CommitReply) => this.settle(reply))
    worker.on('error', (err) => this.lost(worker, err))
    worker.on('exit', (code) => this.lost(worker, new Error(`the commit worker stopped (exit code ${code})`)))
    worker.unref()
    this.worker = worker
    return worker
  }

  private settle(reply: CommitReply): void {
    const w = this.waiting.get(reply.id)
    if (!w) return
    this.waiting.delete(reply.id)
    if (this.waiting.size === 0) this.worker?.unref()
    if ('failed' in reply) w.reject(fromWire(reply.failed))
    else w.resolve(reply.outcomes.map((o): BatchOutcome => (o.ok ? o : { ok: false, error: fromWire(o.error) })))
  }

  /** The thread failed or ended: what it was committing is unknown to its callers (as after a crash), and the next commit starts a new one. */
  private lost(worker: Worker, err: unknown): void {
    if (this.worker === worker) this.worker = undefined
    const waiting = [...this.waiting.values()]
    this.waiting.clear()
    for (const w of waiting) w.reject(err)
  }
}

/** The commit worker of a ledger file (src/worker-thread.ts finds its module). */
const workerOf = (path: string): Worker => startWorker(__dirname, 'sqlite-commit-worker', { path })
