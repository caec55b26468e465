import type Database from 'better-sqlite3'
import type { RecordedEvent } from '../../envelope'
import type { EventRow } from '../../sqlite/sqlite'
import { consistencyPath } from '../proofs/consistency'
import { Frontier } from './frontier'
import { inclusionPath } from '../proofs/inclusion'
import { eventLeafHash } from './leaf'
import type { PerfectNode } from './perfect-nodes'
import { treeRoot } from './subtree'

/**
 * The Merkle tree over the log, kept in the ledger's SQLite file beside the events: one row per
 * perfect subtree (level 0: the leaf of the event at `position`, in global order). Its own table,
 * created by every writer like the events table, and append-only the same way: UPDATE, DELETE and
 * an insert over an existing node are refused by the file itself. Someone holding the file can
 * still drop the triggers and rewrite it; what they cannot do is make it agree with a checkpoint
 * signed before (docs/audit.md, "Signed checkpoints").
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS merkle_nodes (
  level    INTEGER NOT NULL CHECK (level >= 0),
  idx      INTEGER NOT NULL CHECK (idx >= 0),
  hash     BLOB    NOT NULL CHECK (length(hash) = 32),
  position INTEGER CHECK ((level = 0) = (position IS NOT NULL)),
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS merkle_leaf_position ON merkle_nodes (position) WHERE position IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS merkle_append_only_update BEFORE UPDATE ON merkle_nodes
BEGIN SELECT RAISE(ABORT, 'the Merkle tree is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS merkle_append_only_delete BEFORE DELETE ON merkle_nodes
BEGIN SELECT RAISE(ABORT, 'the Merkle tree is append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS merkle_append_only_replace BEFORE INSERT ON merkle_nodes
WHEN EXISTS (SELECT 1 FROM merkle_nodes WHERE level = NEW.level AND idx = NEW.idx)
  OR (NEW.position IS NOT NULL AND EXISTS (SELECT 1 FROM merkle_nodes WHERE position = NEW.position))
BEGIN SELECT RAISE(ABORT, 'the Merkle tree is append-only: an insert over an existing node refused'); END;
`

export const applyTreeSchema = (db: Database.Database): void => {
  db.exec(SCHEMA)
}

export const hasTreeTable = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'merkle_nodes'").get() !== undefined

/** The event as its row stores it, parsed and nothing else: the leaf is of the stored bytes, never of an upcast reading. */
const recorded = (r: EventRow): RecordedEvent => ({
  // Field by field: V8's copy of a spread row was a measurable part of a leaf (docs/speed.md, "Writes, the commit's SQL").
  position: r.position,
  id: r.id,
  stream: r.stream,
  revision: r.revision,
  type: r.type,
  data: JSON.parse(r.data),
  metadata: JSON.parse(r.metadata),
})

const statements = (db: Database.Database) => ({
  node: db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?'),
  last: db.prepare<[], { idx: number; position: number }>('SELECT idx, position FROM merkle_nodes WHERE level = 0 ORDER BY idx DESC LIMIT 1'),
  leafOf: db.prepare<[number], { idx: number }>('SELECT idx FROM merkle_nodes WHERE position = ?'),
  insert: db.prepare('INSERT INTO merkle_nodes (level, idx, hash, position) VALUES (?, ?, ?, ?)'),
})

/**
 * The tree of one SQLite file; every method runs synchronously on the caller's connection. A file
 * no writer of this version has opened yet has no tree table: read-only, its tree is empty.
 */
export class SqliteTree {
  private prepared: ReturnType<typeof statements> | undefined
  /**
   * The rows without leaves (and the first of them), prepared apart, by the first catchUp: a reader of the tree (verify)
   * prepares only statements of the tree's own table, so it still answers in a file whose events
   * table was dropped under it.
   */
  private rowsAfter: Database.Statement<[number], EventRow> | undefined
  private firstAfterQuery: Database.Statement<[number], number> | undefined

  constructor(private readonly db: Database.Database) {}

  private get q() {
    return (this.prepared ??= statements(this.db))
  }

  /** Whether the file holds a tree at all. */
  get exists(): boolean {
    return this.prepared !== undefined || hasTreeTable(this.db)
  }

  readonly node: PerfectNode = (level, index) => (this.exists ? this.q.node.get(level, index)?.hash : undefined)

  size(): number {
    return this.exists ? (this.q.last.get()?.idx ?? -1) + 1 : 0
  }

  /** The global position of the last event the tree covers (0 when none). */
  lastPosition(): number {
    return this.exists ? (this.q.last.get()?.position ?? 0) : 0
  }

  /**
   * Adds the leaves of every event the tree does not cover yet, in global order: called inside the
   * append's transaction after the events are inserted (so the leaves are of the bytes stored), and
   * when a writer opens a file written before the tree existed. `inserted` is what the caller's
   * transaction inserted (and kept), in order, as the rows hold it: when those are exactly the rows
   * after the tree's last leaf, their leaves are made from them without reading the rows back (the
   * same strings, so the same bytes); otherwise the rows are read. Returns how many it added.
   */
  catchUp(inserted: ReadonlyArray<EventRow> = []): number {
    // One read of the last leaf gives both the tree's size and where the log goes on from (an append's hot path).
    const last = this.exists ? this.q.last.get() : undefined
    const frontier = Frontier.of(this.node, (last?.idx ?? -1) + 1)
    const from = last?.position ?? 0
    const add = (row: EventRow): void => {
      for (const n of frontier.append(eventLeafHash(recorded(row)))) this.q.insert.run(n.level, n.index, n.hash, n.level === 0 ? row.position : null)
    }
    // Positions only grow (AUTOINCREMENT) and only this transaction inserts while it holds the lock,
    // so when the first row after the last leaf is the first one inserted, the rows after it are all the inserted ones.
    if (inserted.length > 0 && this.firstAfter(from) === inserted[0]!.position) {
      inserted.forEach(add)
      return inserted.length
    }
    let added = 0
    // In pages: the connection cannot insert while a read of it is still open.
    const after = (this.rowsAfter ??= this.db.prepare<[number], EventRow>(
      'SELECT position, id, stream, revision, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT 1000',
    ))
    for (let page = after.all(from); page.length > 0; page = after.all(page.at(-1)!.position)) {
      page.forEach(add)
      added += page.length
    }
    return added
  }

  private firstAfter(position: number): number | undefined {
    const first = (this.firstAfterQuery ??= this.db.prepare<[number], number>('SELECT position FROM events WHERE position > ? ORDER BY position LIMIT 1').pluck())
    return first.get(position)
  }

  /** The leaf index of the event at a global position, if the tree covers it. */
  leafIndexAt(position: number): number | undefined {
    return this.exists ? this.q.leafOf.get(position)?.idx : undefined
  }

  root(size = this.size()): Uint8Array {
    return treeRoot(this.node, size)
  }

  inclusionPath(index: number, size: number): Uint8Array[] {
    return inclusionPath(this.node, index, size)
  }

  consistencyPath(from: number, to: number): Uint8Array[] {
    return consistencyPath(this.node, from, to)
  }
}
