import type Database from 'better-sqlite3'
import { type PageParams, openingSource, pageParams } from './sqlite-stream-index'
import type { OpeningSummary, StreamPage } from './stream-openings'

/**
 * The summaries of the streams' openings (stream-openings.ts OpeningSummary), one row per stream,
 * so that listing or searching units reads these small rows in name order and never an event's
 * JSON. Kept like the streams index: derived data, written by a trigger on INSERT into events in
 * the transaction of the append (any writer, raw SQL included), filled from the events by the
 * first writer that opens an older file, and ignored by `verify` (drop it and the next writer
 * rebuilds it). An opening is never changed, so its row never is: a unit called otherwise in a
 * later year has that year's opening, and its own row.
 */

/** A text field of the opening's JSON, or NULL; guarded so a row damaged by hand never stops an append or an open. */
const textAt = (data: string, path: string) =>
  `CASE WHEN json_valid(${data}) THEN CASE WHEN json_type(${data}, '${path}') = 'text' THEN json_extract(${data}, '${path}') END END`

const COLUMNS = ['stream', 'type', 'name', 'department_code', 'department_name', 'department_role']

/** The summary's values, from a first event's stream, type and data, in the order of COLUMNS. */
const summaryValues = (stream: string, type: string, data: string) => [
  stream,
  type,
  textAt(data, '$.unit.name'),
  textAt(data, '$.department.code'),
  textAt(data, '$.department.name'),
  textAt(data, '$.department.role'),
]

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stream_openings (
  stream          TEXT PRIMARY KEY,
  type            TEXT NOT NULL,
  name            TEXT,
  department_code TEXT,
  department_name TEXT,
  department_role TEXT
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS events_opening_index AFTER INSERT ON events WHEN NEW.revision = 0
BEGIN
  INSERT INTO stream_openings (${COLUMNS.join(', ')}) VALUES (${summaryValues('NEW.stream', 'NEW.type', 'NEW.data').join(', ')}) ON CONFLICT (stream) DO NOTHING;
END;
`

/** The summaries an older file's openings give, from wherever its first events are found (sqlite-stream-index.ts). */
const summariesOf = (db: Database.Database) =>
  `SELECT ${summaryValues('stream', 'type', 'data').map((v, i) => `${v} AS ${COLUMNS[i]}`).join(', ')} FROM (${openingSource(db)}) WHERE true ORDER BY stream`

const hasOpeningIndex = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'stream_openings'").get() !== undefined

/** Creates the index (and fills it, for a file that had none); for a writer, inside its schema transaction, after the streams index. */
export const applyOpeningIndex = (db: Database.Database): void => {
  const created = !hasOpeningIndex(db)
  db.exec(SCHEMA)
  if (created) db.prepare(`INSERT INTO stream_openings (${COLUMNS.join(', ')}) ${summariesOf(db)} ON CONFLICT (stream) DO NOTHING`).run(pageParams(''))
}

interface SummaryRow {
  stream: string
  type: string
  name: string | null
  department_code: string | null
  department_name: string | null
  department_role: string | null
}

const toSummary = (r: SummaryRow): OpeningSummary => ({
  stream: r.stream,
  type: r.type,
  name: r.name,
  department:
    r.department_code !== null && r.department_name !== null && r.department_role !== null ? { code: r.department_code, name: r.department_name, role: r.department_role } : null,
})

/**
 * The summaries of the streams starting with `prefix`, in name order, a page at a time: a range
 * scan of the index's primary key. A reader of a file no writer of this version opened yet
 * extracts them from the first events instead, as the fill would.
 */
export const summaryLister = (db: Database.Database): ((prefix: string, page?: StreamPage) => OpeningSummary[]) => {
  const query = db.prepare<[PageParams], SummaryRow>(
    hasOpeningIndex(db)
      ? `SELECT ${COLUMNS.join(', ')} FROM stream_openings
         WHERE stream >= @from AND (@to IS NULL OR stream < @to) AND (@after IS NULL OR stream > @after) ORDER BY stream LIMIT @limit`
      : summariesOf(db),
  )
  return (prefix, page) => query.all(pageParams(prefix, page)).map(toSummary)
}
