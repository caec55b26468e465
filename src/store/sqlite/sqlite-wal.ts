import type Database from 'better-sqlite3'
import { sleepSync } from '../../sleep-sync'

/**
 * Switching a ledger file to WAL, beside other processes opening it at the same moment.
 *
 * `PRAGMA journal_mode = WAL` on a file still in rollback mode (a fresh one) reads page 1 and then
 * upgrades that read to the exclusive lock; SQLite calls no busy handler for such an upgrade, so
 * when another connection holds the reserved lock (two servers started at once, both switching),
 * the pragma fails with SQLITE_BUSY at once, whatever busy_timeout says (docs/speed.md, "Opening
 * one fresh file at once"). The switch is retried here, with a backoff like SQLite's own busy
 * handler, for as long as busy_timeout would have waited; once a process has switched the file,
 * the pragma of every other is a read that changes nothing.
 */

/** Another process held the file's lock for the whole wait: nothing was written by this one. */
export class LedgerLocked extends Error {
  override readonly name = 'LedgerLocked'
  constructor(
    readonly path: string,
    waitedMs: number,
  ) {
    super(`cannot open ${path} to write: another process held its lock for ${waitedMs} ms while this one switched it to WAL (database is locked)`)
  }
}

/** The waits between tries, in ms, as SQLite's busy handler spaces them; the last repeats. */
const BACKOFF = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100] as const

const isBusy = (err: unknown): boolean => typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY')

/** Sets WAL on `db` (the file at `path`), retrying SQLITE_BUSY for as long as the connection's busy_timeout. */
export const switchToWal = (db: Database.Database, path: string): void => {
  const waitMs = db.pragma('busy_timeout', { simple: true }) as number
  const until = Date.now() + waitMs
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL')
      return
    } catch (err) {
      if (!isBusy(err)) throw err
      const left = until - Date.now()
      if (left <= 0) throw new LedgerLocked(path, waitMs)
      sleepSync(Math.min(left, BACKOFF[Math.min(attempt, BACKOFF.length - 1)]!))
    }
  }
}
