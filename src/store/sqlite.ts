import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { NewEvent, RecordedEvent } from './envelope'
import { chain } from './hash-chain'
import { planAppend } from './append-plan'
import { LiveFeed } from './live-feed'
import type { AppendResult, EventStore, ExpectedRevision, ReadAllOptions, ReadStreamOptions, Subscription } from './port'

/**
 * The embedded default: one SQLite file in WAL mode. The log is append-only in the database
 * itself: triggers refuse UPDATE and DELETE of an event row, whoever issues them.
 * Several processes may share the file: appends take the write lock (BEGIN IMMEDIATE) before
 * checking the expected revision, so two writers can never both pass the check.
 */
/**
 * The idempotency key of an event, for the index that finds a repeated request's events. Guarded by
 * json_valid: metadata damaged in the file must not make the file impossible to open, or verify
 * impossible to run (verify names the damage instead).
 */
const IDEMPOTENCY_KEY = "iif(json_valid(metadata), json_extract(metadata, '$.idempotencyKey'), NULL)"

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT    NOT NULL UNIQUE,
  stream    TEXT    NOT NULL,
  revision  INTEGER NOT NULL CHECK (revision >= 0),
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  UNIQUE (stream, revision)
);
CREATE INDEX IF NOT EXISTS events_idempotency_key ON events (stream, ${IDEMPOTENCY_KEY}) WHERE ${IDEMPOTENCY_KEY} IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
`

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

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite'
  private readonly db: Database.Database
  private readonly feed: LiveFeed
  private readonly q

  constructor(readonly path: string, options: { pollMs?: number } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    this.db = new Database(path)
    // Wait for another process's lock before anything else, switching to WAL included.
    this.db.pragma('busy_timeout = 10000')
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.exec(SCHEMA)
    this.q = {
      head: this.db.prepare<[string], { revision: number; metadata: string }>(
        'SELECT revision, metadata FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      byId: this.db.prepare<[string], { stream: string; revision: number; position: number }>(
        'SELECT stream, revision, position FROM events WHERE id = ?',
      ),
      insert: this.db.prepare(
        'INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (@id, @stream, @revision, @type, @data, @metadata)',
      ),
      stream: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      byIdempotencyKey: this.db.prepare<[string, string], EventRow>(
        // No ORDER BY: with one, SQLite prefers the (stream, revision) index and scans the stream.
        `SELECT * FROM events WHERE stream = ? AND ${IDEMPOTENCY_KEY} = ?`,
      ),
      all: this.db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      streams: this.db.prepare<[{ p: string }], { stream: string }>(
        "SELECT stream FROM events WHERE revision = 0 AND substr(stream, 1, length(@p)) = @p ORDER BY position",
      ),
      positionAt: this.db.prepare<[string, number], { position: number }>(
        'SELECT position FROM events WHERE stream = ? AND revision = ?',
      ),
    }
    // Other processes may append to the same file: poll for their events while someone listens.
    this.feed = new LiveFeed(async (after, maxCount) => this.readAll({ after, maxCount }), options.pollMs ?? 200)
  }

  private readonly appendTx = (stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision) =>
    this.db
      .transaction((): AppendResult => {
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
      })
      .immediate()

  async append(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): Promise<AppendResult> {
    const result = this.appendTx(stream, events, expected)
    this.feed.notify()
    return result
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

  async listStreams(prefix: string): Promise<string[]> {
    return this.q.streams.all({ p: prefix }).map((r) => r.stream)
  }

  subscribe(after: number | undefined, onEvent: (e: RecordedEvent) => void | Promise<void>): Subscription {
    return this.feed.subscribe(after, onEvent)
  }

  /** For tests and tools that must reach the file itself (tamper drills, maintenance). */
  get database(): Database.Database {
    return this.db
  }

  async close(): Promise<void> {
    await this.feed.closeAll()
    if (this.db.open) this.db.close()
  }
}
