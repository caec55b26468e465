import type Database from 'better-sqlite3'
import { prefixRange } from './prefix-range'
import type { EventRow } from './sqlite'
import { type StreamPage, byCodePoint } from '../stream-openings'

/**
 * The stream index of the SQLite store: one row per stream (its last revision and position, and
 * the position of its first event, which orders a listing by first append). Listing the streams of
 * a prefix is then a range scan of this table, whatever the size of the log.
 *
 * Derived data, kept by a trigger on INSERT into events, so every writer keeps it in the
 * transaction of its append, older code paths and raw SQL included. A file written before the
 * index existed gets it filled from its events by the first writer that opens it, once (the fill
 * runs only when the table is created, in the writer's schema transaction). `verify` ignores the
 * index, as it ignores any derived data: the events are the record, and dropping the table lets
 * the next writer rebuild it from them.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS streams (
  stream         TEXT    PRIMARY KEY,
  revision       INTEGER NOT NULL,
  position       INTEGER NOT NULL,
  first_position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS events_stream_index AFTER INSERT ON events
BEGIN
  INSERT INTO streams (stream, revision, position, first_position) VALUES (NEW.stream, NEW.revision, NEW.position, NEW.position)
  ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision, position = excluded.position WHERE excluded.revision > streams.revision;
END;
`

/** What an older file holds, grouped by stream; WHERE true parses the upsert after a SELECT. */
const FILL = `
INSERT INTO streams (stream, revision, position, first_position)
SELECT stream, max(revision), max(position), min(position) FROM events WHERE true GROUP BY stream
ON CONFLICT (stream) DO NOTHING`

export const hasStreamIndex = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'streams'").get() !== undefined

/** Creates the index (and fills it, for a file that had none); for a writer, inside its schema transaction. */
export const applyStreamIndex = (db: Database.Database): void => {
  const created = !hasStreamIndex(db)
  db.exec(SCHEMA)
  if (created) db.exec(FILL)
}

/**
 * Names of the streams starting with `prefix`, in order of first append. A reader of a file no
 * writer of this version opened yet has no index: it falls back to scanning the events.
 */
export const streamLister = (db: Database.Database): ((prefix: string, limit?: number) => string[]) => {
  if (!hasStreamIndex(db)) {
    const scan = db.prepare<[{ p: string; limit: number }], { stream: string }>(
      'SELECT stream FROM events WHERE revision = 0 AND substr(stream, 1, length(@p)) = @p ORDER BY position LIMIT @limit',
    )
    return (prefix, limit = -1) => scan.all({ p: prefix, limit }).map((r) => r.stream)
  }
  const bounded = db.prepare<[{ from: string; to: string; limit: number }], { stream: string }>(
    'SELECT stream FROM streams WHERE stream >= @from AND stream < @to ORDER BY first_position LIMIT @limit',
  )
  const open = db.prepare<[{ from: string; limit: number }], { stream: string }>('SELECT stream FROM streams WHERE stream >= @from ORDER BY first_position LIMIT @limit')
  return (prefix, limit = -1) => {
    const range = prefixRange(prefix)
    const rows = range.to === undefined ? open.all({ from: range.from, limit }) : bounded.all({ from: range.from, to: range.to, limit })
    return rows.map((r) => r.stream)
  }
}

/**
 * A page of the streams starting with a prefix as a range of names: from `lower` (inclusive: the
 * prefix, or the least name past `after`) to `to` (exclusive; none when nothing bounds the prefix).
 * Both bounds are plain comparisons, so the scan of a page starts at the page, not at the prefix.
 */
interface PageRange {
  readonly lower: string
  readonly to: string | undefined
  readonly limit: number
}

const pageRange = (prefix: string, page: StreamPage = {}): PageRange => {
  const range = prefixRange(prefix)
  // The least name after `after` is `after` and U+0000: BINARY collation puts a prefix first.
  const past = page.after === undefined ? undefined : `${page.after}\u0000`
  return { lower: past !== undefined && byCodePoint(past, range.from) > 0 ? past : range.from, to: range.to, limit: page.limit ?? -1 }
}

/** A query of a page of names: given the condition on a name column that keeps the page's range. */
export type PagedSelect = (inRange: (column: string) => string) => string

/** The whole range, for a query of every row (a fill): no parameters. */
export const everything: (column: string) => string = () => 'true'

/** Pages of `select` by prefix, after and limit; both forms (bounded or not) prepared once, `raw` for rows as arrays. */
export const pageLister = <Row>(db: Database.Database, select: PagedSelect, raw = false): ((prefix: string, page?: StreamPage) => Row[]) => {
  const bounded = db.prepare<[{ lower: string; to: string; limit: number }], Row>(select((c) => `${c} >= @lower AND ${c} < @to`)).raw(raw)
  const open = db.prepare<[{ lower: string; limit: number }], Row>(select((c) => `${c} >= @lower`)).raw(raw)
  return (prefix, page) => {
    const { lower, to, limit } = pageRange(prefix, page)
    return to === undefined ? open.all({ lower, limit }) : bounded.all({ lower, to, limit })
  }
}

/**
 * The first events of the streams in a range of names, in name order: a range scan of the index
 * joined to each stream's first row by its position. A file with no index yet (a reader's, before
 * any writer of this version opened it) is scanned for its events' first revisions instead.
 */
export const openingSelect =
  (db: Database.Database): PagedSelect =>
  (inRange) =>
    hasStreamIndex(db)
      ? `SELECT e.* FROM streams s JOIN events e ON e.position = s.first_position WHERE ${inRange('s.stream')} ORDER BY s.stream`
      : `SELECT * FROM events WHERE revision = 0 AND ${inRange('stream')} ORDER BY stream`

/** The first events of the streams starting with `prefix`, in name order, a page at a time. */
export const openingLister = (db: Database.Database): ((prefix: string, page?: StreamPage) => EventRow[]) =>
  pageLister<EventRow>(db, (inRange) => `${openingSelect(db)(inRange)} LIMIT @limit`)
