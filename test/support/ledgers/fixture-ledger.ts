import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** A ledger file recorded by an older commit (scripts/record-fixture-log.ts): its schema, its rows as stored, what it printed. */
export interface FixtureLedger {
  readonly recorded: string
  readonly schema: ReadonlyArray<string>
  readonly rows: ReadonlyArray<{ position: number; id: string; stream: string; revision: number; type: string; data: string; metadata: string }>
  /** By year, the eleven 预算 tables as that commit printed them (`table N --format json`). */
  readonly expected: Readonly<Record<string, ReadonlyArray<unknown>>>
}

export const fixtureLedger = (name: string): FixtureLedger =>
  JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'fixtures', name), 'utf8')) as FixtureLedger

/**
 * Rebuilds the file that commit made, byte for byte where it matters: its own schema statements
 * (tables, indexes, triggers of that day) and every row with the payload and metadata text exactly
 * as stored, positions included. Written with plain SQL, not through today's store.
 */
export const rebuildLedgerFile = (fixture: FixtureLedger, file: string): void => {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.transaction(() => {
      for (const sql of fixture.schema) db.exec(sql)
      const insert = db.prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata) VALUES (@position, @id, @stream, @revision, @type, @data, @metadata)')
      for (const r of fixture.rows) insert.run(r)
    })()
  } finally {
    db.close()
  }
}
