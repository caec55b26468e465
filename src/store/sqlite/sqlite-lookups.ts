import type Database from 'better-sqlite3'

/**
 * Single events of the log looked up synchronously, for what a persisted snapshot leaves out
 * (src/ledger/fold/snapshots/store-journal.ts) and for checking that a snapshot still matches the log.
 */
export interface LoggedEvent {
  readonly stream: string
  readonly revision: number
  readonly id: string
  readonly type: string
  readonly data: unknown
  readonly schemaVersion?: number
  readonly hash: string
}

type Raw = [stream: string, revision: number, id: string, type: string, data: string, schemaVersion: number | null, hash: string | null]
const COLUMNS = "stream, revision, id, type, data, json_extract(metadata, '$.schemaVersion'), json_extract(metadata, '$.hash')"

const statements = new WeakMap<Database.Database, { byId: Database.Statement; at: Database.Statement; upTo: Database.Statement }>()

const toEvent = (r: Raw | undefined): LoggedEvent | undefined =>
  r && { stream: r[0], revision: r[1], id: r[2], type: r[3], data: JSON.parse(r[4]), ...(r[5] === null ? {} : { schemaVersion: r[5] }), hash: r[6] ?? '' }

export const sqliteLookups = (db: Database.Database) => {
  let q = statements.get(db)
  if (!q) {
    q = {
      byId: db.prepare(`SELECT ${COLUMNS} FROM events WHERE id = ?`).raw(),
      at: db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision = ?`).raw(),
      upTo: db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? AND type IN (SELECT value FROM json_each(?)) ORDER BY revision`).raw(),
    }
    statements.set(db, q)
  }
  const { byId, at, upTo } = q
  return {
    byId: (id: string): LoggedEvent | undefined => toEvent(byId.get(id) as Raw | undefined),
    at: (stream: string, revision: number): LoggedEvent | undefined => toEvent(at.get(stream, revision) as Raw | undefined),
    /** The stream's events of these types up to a revision, in revision order. */
    ofTypesUpTo: (stream: string, revision: number, types: ReadonlyArray<string>): LoggedEvent[] =>
      (upTo.all(stream, revision, JSON.stringify(types)) as Raw[]).map((r) => toEvent(r)!),
  }
}
export type SqliteLookups = ReturnType<typeof sqliteLookups>
