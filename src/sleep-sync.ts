/**
 * Blocks this thread for `ms` without spinning: for the few waits that must stay synchronous (a
 * lock file's retry, the switch to WAL beside another process), where an await would let other work
 * run in between.
 */
export const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
