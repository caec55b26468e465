import type Database from 'better-sqlite3'
import { VERSIONED_TYPES } from '../../domain/events/event-versions'
import { EVENT_TYPES } from '../../domain/events/events'
import type { EventStore } from '../../store/port'
import { SqliteEventStore } from '../../store/sqlite/sqlite'
import { coreIdleNow } from './core-idle'
import { type EventPage, EventPageBuilder, eachEvent } from './event-page'
import { rangeOnThread } from './read-thread'
import { InstantsInOrder, instantMs } from '../fold/as-of/recording-time'

/**
 * What replaying a stream needs of each event: its identity, payload and the two dates. Reading
 * only this (and, for SQLite, a page at a time instead of all at once) is what makes a full rebuild of
 * a million-event stream fast: the envelope's hashes, actor and reason are left in the file.
 */
export interface ReplayEvent {
  readonly id: string
  readonly revision: number
  readonly type: string
  readonly data: unknown
  /**
   * The recording time in ms since the epoch (Date.parse of metadata.recordedAt: NaN when it does
   * not parse), all that replaying needs of it: the timeline keeps it as a number (timeline.ts).
   * Read as a number where the row is read, so no string of it crosses between threads.
   */
  readonly recordedMs: number
  readonly effectiveDate: string
  /**
   * The stored schema version (metadata.schemaVersion), read only for the event types that have
   * had more than one (VERSIONED_TYPES): for the others the version does not change how they read.
   */
  readonly schemaVersion?: number
}

export interface StreamReader {
  /** Calls `f` for each event with fromRevision ≤ revision ≤ toRevision, in revision order. */
  range(stream: string, fromRevision: number, toRevision: number, f: (e: ReplayEvent) => void): Promise<void>
  /** Calls `f` for each event whose revision is listed (ascending), in revision order. */
  some(stream: string, revisions: ReadonlyArray<number>, f: (e: ReplayEvent) => void): Promise<void>
}

const PAGE = 10_000

/** Any store, through the port: pages of readStream. */
export const portReader = (store: EventStore): StreamReader => {
  const range: StreamReader['range'] = async (stream, fromRevision, toRevision, f) => {
    let from = fromRevision
    while (from <= toRevision) {
      const page = await store.readStream(stream, { fromRevision: from, maxCount: Math.min(PAGE, toRevision - from + 1) })
      if (page.length === 0) return
      for (const e of page) {
        if (e.revision > toRevision) return
        f({ id: e.id, revision: e.revision, type: e.type, data: e.data, recordedMs: instantMs(e.metadata.recordedAt), effectiveDate: e.metadata.effectiveDate, ...versionOf(e.type, e.metadata.schemaVersion) })
      }
      from = page.at(-1)!.revision + 1
    }
  }
  return {
    range,
    async some(stream, revisions, f) {
      // Runs of consecutive revisions are read as one range.
      let i = 0
      while (i < revisions.length) {
        let j = i
        while (j + 1 < revisions.length && revisions[j + 1] === revisions[j]! + 1) j++
        await range(stream, revisions[i]!, revisions[j]!, f)
        i = j + 1
      }
    },
  }
}

type Raw = [revision: number, id: string, type: string, data: string, recordedAt: string, effectiveDate: string, schemaVersion: number | null]
type RawPrefixed = [revision: number, id: string, type: string, data: string, prefix: string]

const EXTRACTED = "revision, id, type, data, json_extract(metadata, '$.recordedAt'), json_extract(metadata, '$.effectiveDate'), json_extract(metadata, '$.schemaVersion')"

/**
 * Whether the dates of an event's metadata can be read from its first 69 characters as it is, the
 * layout the ledger writes: {"recordedAt":"<24 characters>","effectiveDate":"<10 characters>",…
 * with no quote or backslash inside the two values, which are then exactly those JSON strings
 * (RECORDED_AT, EFFECTIVE_DATE) — no JSON parsing. Any other layout is read by json_extract.
 * Parsing the metadata, in SQLite or in JS, was a quarter of the cost of reading a stream. Checked
 * by position and native searches, without a slice or a regular expression per row.
 */
export const plainDatesPrefix = (p: string): boolean =>
  p.length === 69 &&
  p.startsWith('{"recordedAt":"') &&
  p.startsWith('","effectiveDate":"', 39) &&
  p.charCodeAt(68) === 34 &&
  p.indexOf('"', 15) === 39 &&
  p.indexOf('"', 58) === 68 &&
  !p.includes('\\')

/** Where the two values lie in a plainDatesPrefix. */
const RECORDED_AT = [15, 39] as const
const EFFECTIVE_DATE = [58, 68] as const

/**
 * Whether the dates from the prefix are all the event needs: an event of a type that has had
 * several schema versions needs its stored version too, and is read as an odd row (json_extract).
 * Those are the rare events of a year (its opening, allocations, its close); were a frequent type
 * ever versioned, the range queries would need the version as a column of their own.
 */
const fastDates = (type: string, prefix: string): boolean => !VERSIONED_TYPES.has(type) && plainDatesPrefix(prefix)

/**
 * The domain's own string for an event type. SQLite hands a new copy of the type with every row, and
 * the journal keeps each reversible event: a million copies of "ExpenditureRecorded" to allocate,
 * promote and mark, each compared by content in evolve's switch instead of by reference. A type the
 * domain does not know is passed on as read.
 */
const CANONICAL_TYPES = new Map<string, string>(EVENT_TYPES.map((t) => [t, t]))
export const canonicalType = (type: string): string => CANONICAL_TYPES.get(type) ?? type

/** The schemaVersion field of a ReplayEvent: only for a versioned type that stored one, so every reader gives the same events. */
const versionOf = (type: string, stored: unknown): { schemaVersion?: number } => {
  const version = storedVersion(type, stored)
  return version === undefined ? {} : { schemaVersion: version }
}

/** The stored schema version the reader gives: only a versioned type's, and only when stored. */
const storedVersion = (type: string, stored: unknown): number | undefined =>
  VERSIONED_TYPES.has(type) && stored !== undefined && stored !== null ? (stored as number) : undefined

/**
 * The parsed payloads of a page of rows, by one JSON.parse of them joined as an array: one call
 * instead of a thousand, and a thousand fewer strings for the collector. Each payload was written
 * by JSON.stringify of one object (sqlite-append.ts), so the array has exactly one element per row;
 * a payload that is not one JSON value (a damaged file) is found by parsing the page row by row,
 * and named with its stream and revision.
 */
export const payloadsOf = (rows: ReadonlyArray<Raw | RawPrefixed>, stream: string): unknown[] => {
  try {
    const all = JSON.parse(`[${rows.map((r) => r[3]).join(',')}]`) as unknown[]
    if (all.length === rows.length) return all
  } catch {
    /* found below, row by row */
  }
  return rows.map((r) => payloadOf(r, stream))
}

const payloadOf = (r: Raw | RawPrefixed, stream: string): unknown => {
  try {
    return JSON.parse(r[3])
  } catch (err) {
    throw new Error(`the event of ${stream} at revision ${r[0]} is not stored as JSON (${err instanceof Error ? err.message : String(err)})`)
  }
}

/** Rows per page of a SQLite range: pages of ten thousand outlived the young generation and cost the collector more. */
const SQLITE_PAGE = 1000

/**
 * Ranges at least this long are read on a second thread (read-thread.ts): a full fold of a year.
 * Below it (as-of tails, catch-ups), starting the thread would cost more than it saves.
 */
const THREAD_FROM = 20_000

/**
 * true: long ranges on the read thread; false: never;
 * 'when-idle' (default): when a core is idle now (core-idle.ts).
 */
export type ReadThread = boolean | 'when-idle'

type Statements = { range: Database.Statement; one: Database.Statement; some: Database.Statement; head: Database.Statement }
const statements = new WeakMap<Database.Database, Statements>()

const statementsOf = (db: Database.Database): Statements => {
  let q = statements.get(db)
  if (!q) {
    q = {
      head: db.prepare('SELECT max(revision) FROM events WHERE stream = ?').pluck(),
      range: db
        .prepare('SELECT revision, id, type, data, substr(metadata, 1, 69) FROM events WHERE stream = ? AND revision >= ? AND revision <= ? ORDER BY revision')
        .raw(),
      one: db.prepare(`SELECT ${EXTRACTED} FROM events WHERE stream = ? AND revision = ?`).raw(),
      some: db.prepare(`SELECT ${EXTRACTED} FROM events WHERE stream = ? AND revision IN (SELECT value FROM json_each(?)) ORDER BY revision`).raw(),
    }
    statements.set(db, q)
  }
  return q
}

/** A page of a SQLite range: the events of stream with from ≤ revision ≤ to (at most 65,536), in revision order. */
export type SqlitePages = (stream: string, from: number, to: number) => EventPage

/**
 * Pages of a SQLite range by column (event-page.ts), straight from the rows: one query a page
 * (`.all()`: one native call per page costs less than one iterator step per row, and with no
 * iterator holding the connection a row of another layout is simply read on its own), only the two
 * dates taken from the metadata, and each flat payload's values read from its text against its
 * type's shape (flat-payload.ts) instead of parsed into an object to be taken apart again. The one
 * way both threads read: the read thread posts the pages, the folding thread reading alone rebuilds
 * the events from them itself (docs/speed.md, "Rebuild, the read thread's own work").
 */
export const sqlitePages = (db: Database.Database): SqlitePages => {
  const { range, one } = statementsOf(db)
  return (stream, from, to) => {
    const rows = range.all(stream, from, to) as RawPrefixed[]
    const page = new EventPageBuilder(rows.length)
    const times = new InstantsInOrder()
    // The business date of the row before, which most rows share: the same string again is tabled
    // at once, a new slice would be made and hashed.
    let date = ''
    for (const r of rows) {
      // The type as SQLite gave it: a page's few distinct types are made the domain's own by the
      // thread that folds them (eachEvent's typeOf), not each row here on the read thread.
      const type = r[2]
      const prefix = r[4]
      if (fastDates(type, prefix)) {
        if (date === '' || !prefix.startsWith(date, EFFECTIVE_DATE[0])) date = prefix.slice(...EFFECTIVE_DATE)
        page.event(r[0], r[1], type, times.msIn(prefix, ...RECORDED_AT), date, undefined)
      } else {
        const odd = one.get(stream, r[0]) as Raw
        page.event(odd[0], odd[1], type, instantMs(odd[4]), odd[5], storedVersion(type, odd[6]))
      }
      if (!page.text(r[3])) page.parsed(payloadOf(r, stream))
    }
    return page.page()
  }
}

/**
 * SQLite: pages of rows straight from the file (sqlitePages). A long range goes to the read thread
 * when a core is idle; otherwise, and for short ranges, the pages are read on the folding thread.
 */
export const sqliteReader = (db: Database.Database, options: { readonly readThread?: ReadThread } = {}): StreamReader => {
  const thread = options.readThread ?? 'when-idle'
  const { some, head } = statementsOf(db)
  const pageOf = sqlitePages(db)
  /** The event of a row whose dates json_extract read (Raw), its payload parsed already. */
  const extracted = (r: Raw, data: unknown): ReplayEvent => ({ revision: r[0], id: r[1], type: canonicalType(r[2]), data, recordedMs: instantMs(r[4]), effectiveDate: r[5], ...versionOf(r[2], r[6]) })
  return {
    async range(stream, fromRevision, toRevision, f) {
      const last = Math.min(toRevision, (head.get(stream) as number | null) ?? -1)
      if (thread !== false && !db.memory && last - fromRevision + 1 >= THREAD_FROM && (thread === true || (await coreIdleNow())))
        // A structured clone brings every string anew: each type is made the domain's own again.
        return rangeOnThread(db.name, stream, fromRevision, last, canonicalType, f)
      for (let from = fromRevision; from <= last; from += SQLITE_PAGE) eachEvent(pageOf(stream, from, Math.min(last, from + SQLITE_PAGE - 1)), canonicalType, f)
    },
    async some(stream, revisions, f) {
      for (let i = 0; i < revisions.length; i += SQLITE_PAGE) {
        const rows = some.all(stream, JSON.stringify(revisions.slice(i, i + SQLITE_PAGE))) as Raw[]
        const payloads = payloadsOf(rows, stream)
        for (let j = 0; j < rows.length; j++) f(extracted(rows[j]!, payloads[j]))
      }
    },
  }
}

/** The fastest reader the store allows. */
export const readerFor = (store: EventStore): StreamReader =>
  store instanceof SqliteEventStore ? sqliteReader(store.database) : portReader(store)
