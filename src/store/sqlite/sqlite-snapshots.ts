import type Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { sha256 } from '../chain/hash-chain'

/**
 * Persisted snapshots of folded unit-years in the SQLite file (docs/audit.md, "Snapshots"). Derived
 * data, never part of the log: a table of its own beside `events`, outside the hash chains and the
 * Merkle tree, with no append-only triggers (a snapshot is replaced when rebuilt), ignored by
 * verify. Created by the first writer that saves one (CREATE … IF NOT EXISTS), so an older file
 * gets it without a migration step; a reader of a file without it simply finds no snapshot.
 *
 * A row is one snapshot of one stream at one revision, for one snapshot interval (`every`) and one
 * fold version; each of its two parts carries the SHA-256 of its bytes, checked on every read, so
 * a row changed in the file is refused (and rebuilt), never trusted over the log:
 * - `segment` (+ `refs`): the as-of index of the interval the row closes (recording times,
 *   business dates) and the reversals and new entities in it; every row's is read when a process
 *   restores a stream's whole timeline, a few rows' by a cold read (src/ledger/fold/snapshots/cold-read.ts);
 * - `state`: the folded state at the revision, read only for the row a query starts from.
 * Beside it, `snapshot_reversals` holds each row's reversals again, in small rows packed together,
 * for a cold read that needs those of every row up to one, but not their segments (a `refs` can
 * only be read past its row's segment); checked by the chain of digests in the row's state.
 * A file saved before that table existed simply has no such rows: a cold read then declines.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (
  stream         TEXT    NOT NULL,
  every          INTEGER NOT NULL,
  revision       INTEGER NOT NULL,
  fold_version   INTEGER NOT NULL,
  last_id        TEXT    NOT NULL,
  last_hash      TEXT    NOT NULL,
  segment        BLOB    NOT NULL,
  refs           TEXT    NOT NULL,
  segment_digest TEXT    NOT NULL,
  state          TEXT    NOT NULL,
  state_digest   TEXT    NOT NULL,
  PRIMARY KEY (stream, every, revision)
);
CREATE TABLE IF NOT EXISTS snapshot_reversals (
  stream       TEXT    NOT NULL,
  every        INTEGER NOT NULL,
  revision     INTEGER NOT NULL,
  fold_version INTEGER NOT NULL,
  reversals    TEXT    NOT NULL,
  PRIMARY KEY (stream, every, revision)
) WITHOUT ROWID`

export interface SnapshotRow {
  readonly revision: number
  readonly foldVersion: number
  readonly lastId: string
  readonly lastHash: string
  readonly segment: Buffer
  readonly refs: string
  /** The interval's reversals alone (JSON), as in `refs`. */
  readonly reversals: string
  readonly state: string
}

/** A row's index part, when its digest holds. */
export interface SnapshotSegment {
  readonly revision: number
  readonly lastId: string
  readonly lastHash: string
  readonly segment: Buffer
  readonly refs: string
}

const segmentDigest = (segment: Buffer, refs: string): string => createHash('sha256').update(segment).update(refs, 'utf8').digest('hex')

export class SqliteSnapshots {
  constructor(private readonly db: Database.Database) {}

  private readonly prepared = new Map<string, Database.Statement>()

  /** A statement prepared once per connection: a cold read asks for a dozen rows one by one (src/ledger/fold/snapshots/cold-read.ts), a rebuild writes many chunks. */
  private statement(sql: string): Database.Statement {
    let s = this.prepared.get(sql)
    if (!s) this.prepared.set(sql, (s = this.db.prepare(sql)))
    return s
  }

  get writable(): boolean {
    return !this.db.readonly && this.db.open
  }

  private get exists(): boolean {
    return this.statement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'snapshots'").get() !== undefined
  }

  /**
   * The index parts of a stream's snapshots of this interval and fold version, in revision order,
   * up to the first row missing or failing its digest (what follows it cannot be joined on).
   */
  segments(stream: string, every: number, foldVersion: number): SnapshotSegment[] {
    if (!this.exists) return []
    const rows = this.db
      .prepare('SELECT revision, last_id, last_hash, segment, refs, segment_digest FROM snapshots WHERE stream = ? AND every = ? AND fold_version = ? ORDER BY revision')
      .raw()
      .iterate(stream, every, foldVersion) as IterableIterator<[number, string, string, Buffer, string, string]>
    const out: SnapshotSegment[] = []
    for (const [revision, lastId, lastHash, segment, refs, digest] of rows) {
      if (revision !== (out.length + 1) * every - 1 || segmentDigest(segment, refs) !== digest) break
      out.push({ revision, lastId, lastHash, segment, refs })
    }
    return out
  }

  /**
   * The revisions of a stream's rows of this interval up to `head`, in order, up to the first one
   * missing: what a cold read searches (src/ledger/fold/snapshots/cold-read.ts). From the primary key alone, so
   * no row is read: the fold version is checked on the rows read.
   */
  revisions(stream: string, every: number, head: number): number[] {
    if (!this.exists) return []
    const all = this.db
      .prepare('SELECT revision FROM snapshots WHERE stream = ? AND every = ? AND revision <= ? ORDER BY revision')
      .pluck()
      .all(stream, every, head) as number[]
    const gap = all.findIndex((r, k) => r !== (k + 1) * every - 1)
    return gap === -1 ? all : all.slice(0, gap)
  }

  /** The index part of one row, when its digest holds; undefined otherwise. */
  segment(stream: string, every: number, revision: number, foldVersion: number): SnapshotSegment | undefined {
    if (!this.exists) return undefined
    const row = this.statement('SELECT revision, last_id, last_hash, segment, refs, segment_digest FROM snapshots WHERE stream = ? AND every = ? AND revision = ? AND fold_version = ?')
      .raw()
      .get(stream, every, revision, foldVersion) as [number, string, string, Buffer, string, string] | undefined
    if (!row || segmentDigest(row[3], row[4]) !== row[5]) return undefined
    return { revision: row[0], lastId: row[1], lastHash: row[2], segment: row[3], refs: row[4] }
  }

  /**
   * The reversals of the rows up to a revision, in order, unchecked here: the caller checks them
   * against the chain of their digests that the row's state carries (src/ledger/fold/snapshots/snapshot-record.ts).
   */
  reversalsUpTo(stream: string, every: number, revision: number, foldVersion: number): Array<{ revision: number; reversals: string }> {
    if (this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'snapshot_reversals'").get() === undefined) return []
    return this.db
      .prepare('SELECT revision, reversals FROM snapshot_reversals WHERE stream = ? AND every = ? AND fold_version = ? AND revision <= ? ORDER BY revision')
      .all(stream, every, foldVersion, revision) as Array<{ revision: number; reversals: string }>
  }

  /** The state part of one row, when its digest holds; undefined otherwise. */
  state(stream: string, every: number, revision: number, foldVersion: number): string | undefined {
    if (!this.exists) return undefined
    const row = this.db
      .prepare('SELECT state, state_digest FROM snapshots WHERE stream = ? AND every = ? AND revision = ? AND fold_version = ?')
      .get(stream, every, revision, foldVersion) as { state: string; state_digest: string } | undefined
    return row && sha256(row.state) === row.state_digest ? row.state : undefined
  }

  /**
   * Saves rows (replacing any at the same place), in one transaction, without an fsync of its own
   * (synchronous=NORMAL for this transaction alone): a snapshot is derived data, and a server saves
   * them on its main thread, where an fsync stops every request (docs/speed.md, "Writes, waking the
   * committer"). In WAL mode such a commit is never torn, only possibly lost to a power cut, and
   * the next event commit's fsync (synchronous=FULL, the same WAL file) makes it durable with it;
   * one lost is rebuilt from the log, never trusted over it. The rows are made before (a few at a
   * time: src/ledger/fold/snapshots/snapshots.ts `save`), so the write lock is held for the inserts alone.
   */
  write(stream: string, every: number, rows: ReadonlyArray<SnapshotRow>): void {
    if (rows.length === 0) return
    this.db.exec(SCHEMA)
    // Prepared once per connection, after the tables exist: a rebuild writes in many small transactions.
    const insert = this.statement(
      'INSERT OR REPLACE INTO snapshots (stream, every, revision, fold_version, last_id, last_hash, segment, refs, segment_digest, state, state_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const reversals = this.statement('INSERT OR REPLACE INTO snapshot_reversals (stream, every, revision, fold_version, reversals) VALUES (?, ?, ?, ?, ?)')
    const synchronous = this.db.pragma('synchronous', { simple: true }) as number
    this.db.pragma('synchronous = NORMAL')
    try {
      this.db.transaction(() => {
        for (const r of rows) {
          insert.run(stream, every, r.revision, r.foldVersion, r.lastId, r.lastHash, r.segment, r.refs, segmentDigest(r.segment, r.refs), r.state, sha256(r.state))
          reversals.run(stream, every, r.revision, r.foldVersion, r.reversals)
        }
      })()
    } finally {
      this.db.pragma(`synchronous = ${synchronous}`)
    }
  }

  /**
   * Runs `f`, which writes rows in many small transactions (a rebuild: src/ledger/fold/snapshots/snapshots.ts), with
   * this connection's WAL auto-checkpoint off, then checkpoints once (PASSIVE) and turns it back on:
   * one checkpoint of the ≈ 50 MB a rebuild of 1M writes, as one transaction had, not one every
   * 1,000 pages, each with its fsyncs, stalling the fold (docs/speed.md, "Rebuild, saved during the
   * fold"). Only for a connection that commits nothing else meanwhile (the CLI's).
   */
  async checkpointedOnce<T>(f: () => Promise<T>): Promise<T> {
    const pages = this.db.pragma('wal_autocheckpoint', { simple: true }) as number
    this.db.pragma('wal_autocheckpoint = 0')
    try {
      return await f()
    } finally {
      this.db.pragma(`wal_autocheckpoint = ${pages}`)
      this.db.pragma('wal_checkpoint(PASSIVE)')
    }
  }

  /** Removes a stream's snapshots (all of them when no stream is named); returns how many. */
  clear(stream?: string): number {
    if (!this.exists) return 0
    const where = stream === undefined ? '' : ' WHERE stream = ?'
    const args = stream === undefined ? [] : [stream]
    return this.db.transaction(() => {
      if (this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'snapshot_reversals'").get()) this.db.prepare(`DELETE FROM snapshot_reversals${where}`).run(...args)
      return this.db.prepare(`DELETE FROM snapshots${where}`).run(...args).changes
    })()
  }

  /** Rows per stream, for operators (`budget-ledger snapshots status`). */
  count(stream: string, foldVersion: number): { rows: number; current: number; latest: number | null } {
    if (!this.exists) return { rows: 0, current: 0, latest: null }
    return this.db
      .prepare('SELECT count(*) AS rows, coalesce(sum(fold_version = ?), 0) AS current, max(revision) AS latest FROM snapshots WHERE stream = ?')
      .get(foldVersion, stream) as { rows: number; current: number; latest: number | null }
  }
}
