import type Database from 'better-sqlite3'
import { eachBatch } from '../append-each'
import { planAppend } from '../append-plan'
import type { NewEvent } from '../envelope'
import { chain } from '../chain/hash-chain'
import { SqliteTree } from '../merkle/tree/sqlite-tree'
import type { AppendBatch, AppendResult, BatchOutcome, ExpectedRevision } from '../port'
import type { EventRow } from '../sqlite/sqlite'
import { type StreamHead, StreamHeads } from './stream-heads'

/**
 * The write path of a SQLite ledger file, on one connection: rows checked against the stream's
 * head, hash-chained, inserted, and the Merkle leaves of what was stored added in the same
 * transaction (the tree never lags the log). The store runs it on its own connection, or on the
 * commit worker's (sqlite-commit-worker.ts) so that the fsync does not hold up the event loop;
 * both take the write lock (BEGIN IMMEDIATE) before reading the head, so two writers, in this
 * process or another, never both pass the check. The heads it wrote are remembered while no other
 * connection commits (stream-heads.ts), and the leaves are made from the rows it inserted, not read
 * back (docs/speed.md, "Writes, the committer's own work").
 */
export class SqliteAppender {
  private readonly q
  private readonly tree: SqliteTree
  private readonly one: Database.Transaction<(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision) => AppendResult>
  /** A batch of a group inside a SAVEPOINT (better-sqlite3 nests transactions so): a refused one leaves no trace. */
  private readonly batch: Database.Transaction<(b: AppendBatch) => AppendResult>
  private readonly group: Database.Transaction<(batches: ReadonlyArray<AppendBatch>) => BatchOutcome[]>
  private readonly together: Database.Transaction<(batches: ReadonlyArray<AppendBatch>) => AppendResult[]>
  private readonly heads: StreamHeads
  /** The rows the running transaction inserted and kept, in order: the leaves' input. */
  private inserted: EventRow[] = []

  constructor(db: Database.Database) {
    this.tree = new SqliteTree(db)
    const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
    this.heads = new StreamHeads(() => dataVersion.get()!)
    this.q = {
      head: db.prepare<[string], { revision: number; metadata: string }>('SELECT revision, metadata FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      byId: db.prepare<[string], { stream: string; revision: number; position: number }>('SELECT stream, revision, position FROM events WHERE id = ?'),
      insert: db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (@id, @stream, @revision, @type, @data, @metadata)'),
      positionAt: db.prepare<[string, number], { position: number }>('SELECT position FROM events WHERE stream = ? AND revision = ?'),
    }
    this.one = db.transaction((stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): AppendResult => {
      this.begin()
      const result = this.rows(stream, events, expected)
      this.tree.catchUp(this.inserted)
      return result
    })
    this.batch = db.transaction((b: AppendBatch) => this.rows(b.stream, b.events, b.expected))
    this.group = db.transaction((batches: ReadonlyArray<AppendBatch>): BatchOutcome[] => {
      this.begin()
      const each = eachBatch(batches, (b) => {
        const kept = this.inserted.length
        try {
          return this.batch(b)
        } catch (err) {
          // Its savepoint was rolled back: neither its rows nor any head it may have written stand.
          this.inserted.length = kept
          this.heads.forget()
          throw err
        }
      })
      this.tree.catchUp(this.inserted)
      return each
    })
    this.together = db.transaction((batches: ReadonlyArray<AppendBatch>): AppendResult[] => {
      this.begin()
      const each = batches.map((b) => this.rows(b.stream, b.events, b.expected))
      this.tree.catchUp(this.inserted)
      return each
    })
  }

  /** One batch in its own write transaction: durable (synchronous=FULL) when it returns. */
  append(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): AppendResult {
    return this.committing(() => this.one.immediate(stream, events, expected))
  }

  /**
   * Group commit: every batch in ONE write transaction (BEGIN IMMEDIATE … COMMIT), so the group
   * costs one fsync instead of one per batch; each batch in its own savepoint, so one that fails
   * is rolled back alone. Returns once the commit is durable; throws if it fails.
   */
  appendGroup(batches: ReadonlyArray<AppendBatch>): BatchOutcome[] {
    return this.committing(() => this.group.immediate(batches))
  }

  /** Batches to several streams, all or none (store port appendTogether): the first refused one rolls back every one. */
  appendTogether(batches: ReadonlyArray<AppendBatch>): AppendResult[] {
    return this.committing(() => this.together.immediate(batches))
  }

  /** Inside a write transaction, the lock held: heads still trusted only if nobody else committed since. */
  private begin(): void {
    this.inserted = []
    this.heads.begin()
  }

  /** Runs a write transaction; the heads it wrote are the file's once it has committed, and none is trusted if it failed. */
  private committing<T>(transaction: () => T): T {
    try {
      const result = transaction()
      this.heads.committed()
      return result
    } catch (err) {
      this.heads.forget()
      throw err
    } finally {
      this.inserted = []
    }
  }

  /** One batch's rows, checked against the stream's head; the caller holds the transaction. */
  private rows(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): AppendResult {
    const head = this.head(stream)
    const headRevision = head?.revision ?? -1
    const plan = planAppend(stream, events, expected, headRevision, (id) => this.q.byId.get(id))
    if (plan.kind === 'already-written') {
      return { revision: plan.lastRevision, position: this.q.positionAt.get(stream, plan.lastRevision)!.position }
    }
    const chained = chain(stream, plan.firstRevision, head?.hash ?? '', events)
    const rows = chained.map((e, i): EventRow => {
      const row = { id: e.id, stream, revision: plan.firstRevision + i, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata), position: 0 }
      row.position = Number(this.q.insert.run(row).lastInsertRowid)
      return row
    })
    // Only once every row is in: a batch that throws part-way leaves no head and no rows behind.
    const last = rows.at(-1)!
    this.heads.wrote(stream, { revision: last.revision, hash: chained.at(-1)!.metadata.hash })
    for (const row of rows) this.inserted.push(row)
    return { revision: last.revision, position: last.position }
  }

  /** The stream's head: remembered when this connection wrote it and nobody has committed since, else read. */
  private head(stream: string): StreamHead | undefined {
    const known = this.heads.get(stream)
    if (known) return known
    const row = this.q.head.get(stream)
    return row && { revision: row.revision, hash: (JSON.parse(row.metadata) as { hash: string }).hash }
  }
}
