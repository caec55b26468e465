import type Database from 'better-sqlite3'
import { type PagedSelect, everything, openingSelect, pageLister } from './sqlite-stream-index'
import type { OpeningSummary, StreamPage } from '../stream-openings'

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
const summariesOf =
  (db: Database.Database): PagedSelect =>
  (inRange) =>
    `SELECT ${summaryValues('stream', 'type', 'data').map((v, i) => `${v} AS ${COLUMNS[i]}`).join(', ')} FROM (${openingSelect(db)(inRange)}) WHERE true ORDER BY stream`

const hasOpeningIndex = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'stream_openings'").get() !== undefined

/** Creates the index (and fills it, for a file that had none); for a writer, inside its schema transaction, after the streams index. */
export const applyOpeningIndex = (db: Database.Database): void => {
  const created = !hasOpeningIndex(db)
  db.exec(SCHEMA)
  if (created) db.exec(`INSERT INTO stream_openings (${COLUMNS.join(', ')}) ${summariesOf(db)(everything)} ON CONFLICT (stream) DO NOTHING`)
}

/** A row as read raw (values in the order of COLUMNS): arrays cost a listing of every unit less than objects. */
type SummaryRow = [string, string, string | null, string | null, string | null, string | null]

const toSummary = ([stream, type, name, code, departmentName, role]: SummaryRow): OpeningSummary => ({
  stream,
  type,
  name,
  department: code !== null && departmentName !== null && role !== null ? { code, name: departmentName, role } : null,
})

/**
 * The summaries of the streams starting with `prefix`, in name order, a page at a time: a range
 * scan of the index's primary key. A reader of a file no writer of this version opened yet
 * extracts them from the first events instead, as the fill would.
 */
export const summaryLister = (db: Database.Database): ((prefix: string, page?: StreamPage) => OpeningSummary[]) => {
  const select: PagedSelect = hasOpeningIndex(db) ? (inRange) => `SELECT ${COLUMNS.join(', ')} FROM stream_openings WHERE ${inRange('stream')} ORDER BY stream` : summariesOf(db)
  const page = pageLister<SummaryRow>(db, (inRange) => `${select(inRange)} LIMIT @limit`, true)
  return (prefix, p) => page(prefix, p).map(toSummary)
}
