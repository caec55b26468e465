import type Database from 'better-sqlite3'
import { eachBatch } from './append-each'
import { planAppend } from './append-plan'
import type { NewEvent } from './envelope'
import { chain } from './hash-chain'
import { SqliteTree } from './merkle/sqlite-tree'
import type { AppendBatch, AppendResult, BatchOutcome, ExpectedRevision } from './port'

/**
 * The write path of a SQLite ledger file, on one connection: rows checked against the stream's
 * head, hash-chained, inserted, and the Merkle leaves of what was stored added in the same
 * transaction (the tree never lags the log). The store runs it on its own connection, or on the
 * commit worker's (sqlite-commit-worker.ts) so that the fsync does not hold up the event loop;
 * both take the write lock (BEGIN IMMEDIATE) before reading the head, so two writers, in this
 * process or another, never both pass the check.
 */
export class SqliteAppender {
  private readonly q
  private readonly tree: SqliteTree
  private readonly one: Database.Transaction<(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision) => AppendResult>
  /** A batch of a group inside a SAVEPOINT (better-sqlite3 nests transactions so): a refused one leaves no trace. */
  private readonly batch: Database.Transaction<(b: AppendBatch) => AppendResult>
  private readonly group: Database.Transaction<(batches: ReadonlyArray<AppendBatch>) => BatchOutcome[]>
  private readonly together: Database.Transaction<(batches: ReadonlyArray<AppendBatch>) => AppendResult[]>

  constructor(db: Database.Database) {
    this.tree = new SqliteTree(db)
    this.q = {
      head: db.prepare<[string], { revision: number; metadata: string }>('SELECT revision, metadata FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      byId: db.prepare<[string], { stream: string; revision: number; position: number }>('SELECT stream, revision, position FROM events WHERE id = ?'),
      insert: db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (@id, @stream, @revision, @type, @data, @metadata)'),
      positionAt: db.prepare<[string, number], { position: number }>('SELECT position FROM events WHERE stream = ? AND revision = ?'),
    }
    this.one = db.transaction((stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): AppendResult => {
      const result = this.rows(stream, events, expected)
      this.tree.catchUp()
      return result
    })
    this.batch = db.transaction((b: AppendBatch) => this.rows(b.stream, b.events, b.expected))
    this.group = db.transaction((batches: ReadonlyArray<AppendBatch>): BatchOutcome[] => {
      const each = eachBatch(batches, this.batch)
      this.tree.catchUp()
      return each
    })
    this.together = db.transaction((batches: ReadonlyArray<AppendBatch>): AppendResult[] => {
      const each = batches.map((b) => this.rows(b.stream, b.events, b.expected))
      this.tree.catchUp()
      return each
    })
  }

  /** One batch in its own write transaction: durable (synchronous=FULL) when it returns. */
  append(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): AppendResult {
    return this.one.immediate(stream, events, expected)
  }

  /**
   * Group commit: every batch in ONE write transaction (BEGIN IMMEDIATE … COMMIT), so the group
   * costs one fsync instead of one per batch; each batch in its own savepoint, so one that fails
   * is rolled back alone. Returns once the commit is durable; throws if it fails.
   */
  appendGroup(batches: ReadonlyArray<AppendBatch>): BatchOutcome[] {
    return this.group.immediate(batches)
  }

  /** Batches to several streams, all or none (store port appendTogether): the first refused one rolls back every one. */
  appendTogether(batches: ReadonlyArray<AppendBatch>): AppendResult[] {
    return this.together.immediate(batches)
  }

  /** One batch's rows, checked against the stream's head; the caller holds the transaction. */
  private rows(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): AppendResult {
    const head = this.q.head.get(stream)
    const headRevision = head?.revision ?? -1
    const plan = planAppend(stream, events, expected, headRevision, (id) => this.q.byId.get(id))
    if (plan.kind === 'already-written') {
      return { revision: plan.lastRevision, position: this.q.positionAt.get(stream, plan.lastRevision)!.position }
    }
    const headHash = head ? (JSON.parse(head.metadata) as { hash: string }).hash : ''
    let position = 0
    chain(stream, plan.firstRevision, headHash, events).forEach((e, i) => {
      const info = this.q.insert.run({
        id: e.id,
        stream,
        revision: plan.firstRevision + i,
        type: e.type,
        data: JSON.stringify(e.data),
        metadata: JSON.stringify(e.metadata),
      })
      position = Number(info.lastInsertRowid)
    })
    return { revision: plan.firstRevision + events.length - 1, position }
  }
}
