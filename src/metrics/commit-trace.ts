import { readFileSync, writeFileSync } from 'node:fs'
import { isMainThread } from 'node:worker_threads'

/**
 * THROWAWAY (writes11): timestamps of the durable write path, on when LEDGER_COMMIT_TRACE names a
 * file; the main thread writes them there as JSON when the process exits.
 */
const FILE = process.env.LEDGER_COMMIT_TRACE
export const tracing = FILE !== undefined && FILE !== ''
/** Epoch ms, comparable across threads. */
export const at = (): number => performance.timeOrigin + performance.now()

/** This thread's CPU and run-queue wait, ns (fresh only right after the thread was switched in). */
export const schedstat = (): [number, number] => {
  const f = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')
  return [Number(f[0]), Number(f[1])]
}

export interface WorkerTrace {
  recv: number
  bodyEnd: number
  end: number
  cpuNs: number
  delayNs: number
}
export const workerMark = { bodyEnd: 0 }

export interface GroupTrace {
  posted: number
  reply: number
  answered: number
  batches: number
  worker?: WorkerTrace
  commands: Array<[number, number, number]>
}
export const http: Array<[number, number]> = []
export const groups: GroupTrace[] = []
export const lastReply = { at: 0, worker: undefined as WorkerTrace | undefined }

if (tracing && isMainThread) {
  process.on('exit', () => writeFileSync(FILE!, JSON.stringify({ http, groups })))
}
