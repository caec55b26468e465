import type Database from 'better-sqlite3'
import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { type CheckpointCheck, type CheckpointTrust, verifyBackupAgainstLatestCheckpoint } from './backup-checkpoint'
import { type MigrateProgress, migrate } from './migrate'
import type { EventStore } from '../port'
import { SqliteEventStore } from '../sqlite/sqlite'
import { openDatabase } from '../sqlite/sqlite-driver'
import { createLedgerFile, mustExist } from '../sqlite/sqlite-file'
import { type VerifyReport, verifyLog } from '../chain/verify'

/**
 * Backups that restore (docs/audit.md, "Backups"). A backup is a SQLite ledger file:
 * - of a SQLite ledger, SQLite's online backup of the file while writers keep writing: a
 *   consistent copy of the log at one moment (readers never block writers in WAL mode);
 * - of an EventStoreDB ledger, a migrate of its log into a new SQLite file.
 * Either way the copy is verified (every hash chain, and the latest signed checkpoint once there
 * are any: backup-checkpoint.ts) before it is given its name: a backup that does not verify is
 * deleted and refused. A restore verifies the backup the same way before it writes anything, and
 * the restored file again after.
 */

export type BackupProgress =
  | { readonly phase: 'copy'; readonly pages: number; readonly totalPages: number; readonly elapsedMs: number }
  | { readonly phase: 'migrate'; readonly migrate: MigrateProgress }
  | { readonly phase: 'verify'; readonly file: string }

export interface CheckedLedger {
  readonly file: string
  /** The whole verify report of the file: events, streams, last position, breaks. */
  readonly verified: VerifyReport
  readonly checkpoint: CheckpointCheck
}

export interface BackupSummary extends CheckedLedger {
  readonly method: 'sqlite-online-backup' | 'migrate'
  readonly elapsedMs: number
}

export interface RestoreSummary {
  readonly from: CheckedLedger
  readonly to: CheckedLedger
  /** The target held a ledger that --force allowed to be replaced. */
  readonly replaced: boolean
  readonly elapsedMs: number
}

/** A backup or restore that stopped on purpose; nothing was left under the name asked for. */
export class BackupRefused extends Error {
  override readonly name = 'BackupRefused'
}

interface Options {
  readonly onProgress?: (p: BackupProgress) => void
  /** The signed checkpoints a copy must hold (absent: checked by its hash chains only, and said so). */
  readonly checkpoints?: CheckpointTrust
  readonly clock?: () => number
}

/** Pages per step of the online copy: a step holds a read lock on the source for that long. */
const PAGES_PER_STEP = 1024
/** The largest step better-sqlite3 takes: the whole rest of the file, in one read transaction. */
const ALL_PAGES = 0x7fffffff

/**
 * SQLite's online backup, page steps with progress. Another connection's write restarts the copy
 * (SQLite's rule): once a step made no headway (a restart, or a source growing as fast as it is
 * copied), the rest is copied in one step, a consistent snapshot under one read transaction, so
 * busy writers cannot make it start over and over.
 */
const copySqlite = async (db: Database.Database, to: string, onStep: (pages: number, total: number) => void): Promise<void> => {
  let lastRemaining = Number.POSITIVE_INFINITY
  let wholeRest = false
  const done = await db.backup(to, {
    progress: ({ totalPages, remainingPages }) => {
      if (remainingPages >= lastRemaining) wholeRest = true
      lastRemaining = remainingPages
      onStep(totalPages - remainingPages, totalPages)
      // Not totalPages: the source may have grown a page since; the largest step copies whatever there is.
      return wholeRest ? ALL_PAGES : PAGES_PER_STEP
    },
  })
  onStep(done.totalPages, done.totalPages)
}

/**
 * A backup is one self-contained file: rollback journal instead of WAL, so that reading it (verify,
 * restore) leaves no -wal or -shm beside it. A ledger restored from it is switched back to WAL by
 * the first writer that opens it.
 */
const asSingleFile = (file: string): void => {
  const db = openDatabase(file)
  try {
    db.pragma('journal_mode = DELETE')
  } finally {
    db.close()
  }
}

/** Opens a ledger file read-only and verifies it: chains, then the checkpoint hook. */
export const checkLedgerFile = async (file: string, onProgress?: (p: BackupProgress) => void, checkpoints?: CheckpointTrust, signedBy?: Date): Promise<CheckedLedger> => {
  onProgress?.({ phase: 'verify', file })
  const store = new SqliteEventStore(file, { readOnly: true })
  try {
    const verified = await verifyLog(store)
    const checkpoint = await verifyBackupAgainstLatestCheckpoint(store, verified, checkpoints, signedBy)
    return { file, verified, checkpoint }
  } finally {
    await store.close()
  }
}

const problemOf = (c: CheckedLedger): string | undefined => {
  const v = c.verified
  if (v.firstEventMissing) return v.firstEventMissing.detail
  const b = v.breaks[0]
  if (b) return `stream ${b.stream} revision ${b.revision} (event ${b.eventId}, position ${b.position}): ${b.detail}`
  if (c.checkpoint.status === 'mismatch') return c.checkpoint.detail
  return undefined
}

const refuseExisting = (file: string, what: string): void => {
  if (existsSync(file)) throw new BackupRefused(`${what} ${file} already exists; choose another name (a backup never overwrites a file)`)
}

/** Backs `source` up into the new file `out`, verified; the partial copy is removed on any failure. */
export const backupLedger = async (source: EventStore, out: string, options: Options = {}): Promise<BackupSummary> => {
  const clock = options.clock ?? Date.now
  const started = clock()
  refuseExisting(out, '--out')
  const partial = `${out}.partial`
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true })
  createLedgerFile(partial)
  let method: BackupSummary['method']
  try {
    if (source instanceof SqliteEventStore) {
      method = 'sqlite-online-backup'
      await copySqlite(source.database, partial, (pages, totalPages) => options.onProgress?.({ phase: 'copy', pages, totalPages, elapsedMs: clock() - started }))
    } else {
      method = 'migrate'
      const target = new SqliteEventStore(partial)
      try {
        await migrate(source, target, { onProgress: (p) => options.onProgress?.({ phase: 'migrate', migrate: p }) })
      } finally {
        await target.close()
      }
    }
    asSingleFile(partial)
    const checked = await checkLedgerFile(partial, options.onProgress, options.checkpoints, new Date(started))
    const problem = problemOf(checked)
    if (problem) throw new BackupRefused(`the copy does not verify, so it is no backup (deleted): ${problem}`)
    refuseExisting(out, '--out')
    renameSync(partial, out)
    return { ...checked, file: out, method, elapsedMs: clock() - started }
  } catch (err) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true })
    throw err
  }
}

/**
 * Restores the backup `from` into the SQLite file `to`. Refuses a target that holds anything
 * unless `force`; verifies the backup before writing and the restored file after. The copy goes
 * through SQLite's backup into the target, so an existing target (and its -wal) is replaced
 * consistently; no server may be using it meanwhile.
 */
export const restoreLedger = async (from: string, to: string, options: Options & { readonly force?: boolean } = {}): Promise<RestoreSummary> => {
  const clock = options.clock ?? Date.now
  const started = clock()
  mustExist(from)
  if (resolve(from) === resolve(to)) throw new BackupRefused(`--from and --to are the same file (${resolve(to)}); nothing to restore`)
  const backup = await checkLedgerFile(from, options.onProgress, options.checkpoints)
  const problem = problemOf(backup)
  if (problem) throw new BackupRefused(`the backup ${from} does not verify; nothing was restored: ${problem}`)
  const replaced = existsSync(to) && statSync(to).size > 0
  if (replaced && !options.force)
    throw new BackupRefused(`${to} already holds a ledger; restore refuses to overwrite it without --force (nothing was written)`)
  createLedgerFile(to)
  const source = new SqliteEventStore(from, { readOnly: true })
  try {
    await copySqlite(source.database, to, (pages, totalPages) => options.onProgress?.({ phase: 'copy', pages, totalPages, elapsedMs: clock() - started }))
  } finally {
    await source.close()
  }
  const restored = await checkLedgerFile(to, options.onProgress, options.checkpoints)
  const again = problemOf(restored)
  if (again || restored.verified.position !== backup.verified.position || restored.verified.events !== backup.verified.events)
    throw new BackupRefused(
      `the restored ${to} is not the backup (${again ?? `${restored.verified.events} events up to position ${restored.verified.position}, the backup ${backup.verified.events} up to ${backup.verified.position}`}): restore again`,
    )
  return { from: backup, to: restored, replaced, elapsedMs: clock() - started }
}
