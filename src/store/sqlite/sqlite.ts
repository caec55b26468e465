import { statSync } from 'node:fs'
import type Database from 'better-sqlite3'
import type { NewEvent, RecordedEvent } from '../envelope'
import { LiveFeed } from '../live-feed'
import type { AppendBatch, AppendResult, BatchOutcome, EventStore, ExpectedRevision, ReadAllOptions, ReadStreamOptions, Subscription } from '../port'
import { LedgerUnusable, createLedgerFile, mustExist } from './sqlite-file'
import { IDEMPOTENCY_KEY, applySchema, firstEventMissing, hasEventsTable } from './sqlite-schema'
import { SqliteTree } from '../merkle/tree/sqlite-tree'
import { openingLister, streamLister } from './sqlite-stream-index'
import type { OpeningSummary, StreamOpening, StreamPage } from '../stream-openings'
import { summaryLister } from './sqlite-opening-index'
import { SqliteAppender } from '../sqlite-write/sqlite-append'
import { SqliteCommitter } from '../sqlite-write/sqlite-committer'
import { openDatabase } from './sqlite-driver'
import { switchToWal } from './sqlite-wal'

const openToWrite = (path: string): Database.Database => {
  if (path !== ':memory:') createLedgerFile(path)
  const db = openDatabase(path)
  try {
    // Wait for another process's lock before anything else, switching to WAL included (sqlite-wal.ts: SQLite's own wait does not cover it).
    db.pragma('busy_timeout = 10000')
    switchToWal(db, path)
    db.pragma('synchronous = FULL')
    const missing = firstEventMissing(db)
    if (missing) throw new LedgerUnusable(path, `${missing.detail}; not opened for writing, which would start an empty log in its place (restore the file from a backup)`)
    applySchema(db)
    // A file written before the tree existed (or by an older version since) gets its missing leaves now.
    // A row that is no longer JSON cannot get a leaf: the file still opens, verify names the row and the tree's lag.
    try {
      db.transaction(() => new SqliteTree(db).catchUp()).immediate()
    } catch {
      /* named by verify */
    }
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

const openToRead = (path: string): Database.Database => {
  mustExist(path)
  const db = openDatabase(path, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 10000')
    if (!hasEventsTable(db)) throw new LedgerUnusable(path, firstEventMissing(db)?.detail ?? 'it has no events table')
    return db
  } catch (err) {
    db.close()
    if (err instanceof LedgerUnusable) throw err
    throw new LedgerUnusable(path, err instanceof Error ? err.message : String(err))
  }
}

/** An event row as stored: payload and metadata as JSON text. */
export interface EventRow {
  position: number
  id: string
  stream: string
  revision: number
  type: string
  data: string
  metadata: string
}

export const toRecorded = (r: EventRow): RecordedEvent => ({
  id: r.id,
  stream: r.stream,
  revision: r.revision,
  position: r.position,
  type: r.type,
  data: JSON.parse(r.data),
  metadata: JSON.parse(r.metadata),
})

/**
 * The embedded default: one SQLite file in WAL mode. The log is append-only in the database
 * itself (sqlite-schema.ts says what the file refuses, whoever issues the statement).
 * Several processes may share the file: appends take the write lock (BEGIN IMMEDIATE) before
 * checking the expected revision, so two writers can never both pass the check.
 * Opened to read, the file must exist and is opened read-only: a read never creates or changes it.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite'
  private readonly db: Database.Database
  private readonly feed: LiveFeed
  /** The file's device and inode when opened (none for :memory:): what fileMoved compares. */
  private readonly file: { dev: number; ino: number } | undefined
  private readonly q
  /** The Merkle tree over the log, in this file (merkle/tree/sqlite-tree.ts); empty in a file no writer of this version opened yet. */
  readonly tree: SqliteTree

  private writer: SqliteAppender | undefined
  /** Group commits on a worker thread (sqlite-committer.ts); none for :memory: (a worker cannot share it) or when turned off. */
  private readonly committer: SqliteCommitter | undefined

  /** commitWorker: group commits on a worker thread (default, for a file opened to write); false keeps them on this thread. */
  constructor(readonly path: string, options: { pollMs?: number; readOnly?: boolean; commitWorker?: boolean } = {}) {
    this.db = options.readOnly ? openToRead(path) : openToWrite(path)
    this.committer = options.readOnly || path === ':memory:' || options.commitWorker === false ? undefined : new SqliteCommitter(path)
    this.file = path === ':memory:' ? undefined : (({ dev, ino }) => ({ dev, ino }))(statSync(path))
    this.tree = new SqliteTree(this.db)
    this.q = {
      head: this.db.prepare<[string], { revision: number; metadata: string }>(
        'SELECT revision, metadata FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      stream: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      byIdempotencyKey: this.db.prepare<[string, string], EventRow>(
        // No ORDER BY: with one, SQLite prefers the (stream, revision) index and scans the stream.
        `SELECT * FROM events WHERE stream = ? AND ${IDEMPOTENCY_KEY} = ?`,
      ),
      all: this.db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      streams: streamLister(this.db),
      openings: openingLister(this.db),
      summaries: summaryLister(this.db),
      last: this.db.prepare<[], { p: number | null }>('SELECT max(position) AS p FROM events'),
      // data_version moves when another connection (another process too) commits; total_changes() counts this connection's own rows.
      logVersion: this.db.prepare<[], string>("SELECT total_changes() || '.' || data_version FROM pragma_data_version()").pluck(),
    }
    // Other processes may append to the same file: poll for their events while someone listens.
    this.feed = new LiveFeed(async (after, maxCount) => this.readAll({ after, maxCount }), options.pollMs ?? 200)
  }

  /** Prepared on the first write: a store opened to read never writes. */
  private get appender(): SqliteAppender {
    return (this.writer ??= new SqliteAppender(this.db))
  }

  async append(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): Promise<AppendResult> {
    const result = this.appender.append(stream, events, expected)
    this.feed.notify()
    return result
  }

  /**
   * Group commit (sqlite-append.ts): every batch in ONE write transaction, each in its own
   * savepoint, one fsync for the group; on the commit worker when the store has one, so the
   * server's thread is free during the fsync. Nothing is returned before the commit is durable,
   * or if it fails (then it throws).
   */
  async appendMany(batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> {
    const outcomes = this.committer ? await this.committer.commit(batches) : this.appender.appendGroup(batches)
    this.feed.notify()
    return outcomes
  }

  async appendTogether(batches: ReadonlyArray<AppendBatch>): Promise<AppendResult[]> {
    const results = this.appender.appendTogether(batches)
    this.feed.notify()
    return results
  }

  logVersion(): string {
    return this.q.logVersion.get()!
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.q.stream.all(stream, options.fromRevision ?? 0, options.maxCount ?? -1).map(toRecorded)
  }

  async readByIdempotencyKey(stream: string, key: string): Promise<RecordedEvent[]> {
    return this.q.byIdempotencyKey.all(stream, key).sort((a, b) => a.revision - b.revision).map(toRecorded)
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.q.all.all(options.after ?? 0, options.maxCount ?? -1).map(toRecorded)
  }

  async streamRevision(stream: string): Promise<number> {
    return this.q.head.get(stream)?.revision ?? -1
  }

  async headPosition(): Promise<number | undefined> {
    return this.q.last.get()?.p ?? undefined
  }

  async listStreams(prefix: string, limit?: number): Promise<string[]> {
    return this.q.streams(prefix, limit)
  }

  async listStreamOpenings(prefix: string, page?: StreamPage): Promise<StreamOpening[]> {
    return this.q.openings(prefix, page).map((r) => ({ stream: r.stream, first: toRecorded(r) }))
  }

  async listOpeningSummaries(prefix: string, page?: StreamPage): Promise<OpeningSummary[]> {
    return this.q.summaries(prefix, page)
  }

  subscribe(after: number | undefined, onEvent: (e: RecordedEvent) => void | Promise<void>): Subscription {
    return this.feed.subscribe(after, onEvent)
  }

  /**
   * Why the file this store has open is no longer the ledger at its path: removed, or replaced by
   * another file (an open SQLite file keeps answering from the old one, so no query would tell).
   * Undefined while it is.
   */
  fileMoved(): string | undefined {
    if (!this.file) return undefined
    let now: { dev: number; ino: number }
    try {
      now = statSync(this.path)
    } catch {
      return `the database file ${this.path} is gone`
    }
    return now.dev === this.file.dev && now.ino === this.file.ino ? undefined : `the database file ${this.path} was replaced by another file since it was opened`
  }

  /** For tests and tools that must reach the file itself (tamper drills, maintenance). */
  get database(): Database.Database {
    return this.db
  }

  async close(): Promise<void> {
    await this.feed.closeAll()
    await this.committer?.close()
    if (this.db.open) this.db.close()
  }
}
