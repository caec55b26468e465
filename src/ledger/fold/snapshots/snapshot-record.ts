import { createHash } from 'node:crypto'
import { type BudgetYearState, type EncodedState, FOLD_VERSION, type JournalEntry, decodeState, encodeState } from '../../../domain/budget-year'
import { type Fen, fenOf, toYuan } from '../../../domain/money/fen'
import type { EventStore } from '../../../store/port'
import { SqliteEventStore } from '../../../store/sqlite/sqlite'
import { type SqliteLookups, sqliteLookups } from '../../../store/sqlite/sqlite-lookups'
import { type SnapshotRow, type SnapshotSegment, SqliteSnapshots } from '../../../store/sqlite/sqlite-snapshots'
import { sliceByRevision } from '../as-of/revision-slice'
import { JOURNAL_IN_MEMORY, StoreJournal } from './store-journal'
import type { Crossing, Timeline } from '../as-of/timeline'

/**
 * What a persisted snapshot holds of a timeline (timeline.ts), and a timeline restored from one
 * (docs/audit.md, "Snapshots"). Per interval of `every` events, the row that closes it holds
 * - its segment of the as-of index: the running recording time (float64) and the business date
 *   (int32) of each of its revisions, plus the reversals and the entities created in it: what a
 *   cold start must have of every revision, kept linear in the log (no row repeats another's);
 * - the folded state at its last revision (money as decimal strings), the money spent by business
 *   month, and the id and chained hash of that event: the log must still hold that very event
 *   there, or the row is not used (a restored or replaced file never answers from a stale row).
 * The journal is not saved (it grows with the log): entries are looked up by id (store-journal.ts).
 * What it needs, the reversals up to the row, are in the `refs` of the rows up to it, and again in
 * small rows of their own (sqlite-snapshots.ts); the row's state carries the chain of their digests,
 * so a cold read (cold-read.ts) can take them from those alone, without every row's segment, and
 * still refuse any that changed.
 */
export interface SavedState {
  readonly state: EncodedState
  readonly spentByMonth: ReadonlyArray<[string, string]>
  /** The reversals chain (reversalsChainNext) over rows 0..this one; absent in rows saved before it existed. */
  readonly reversalsChain?: string
}
interface SavedRefs {
  readonly reversals: ReadonlyArray<[string, number]>
  readonly creators: ReadonlyArray<[string, number]>
}

/** Where a store keeps snapshots; undefined for a store that keeps none (memory, EventStoreDB: docs/eventstoredb.md). */
export interface SnapshotBackend {
  readonly rows: SqliteSnapshots
  readonly log: SqliteLookups
}

export const snapshotBackendOf = (store: EventStore): SnapshotBackend | undefined =>
  store instanceof SqliteEventStore ? { rows: new SqliteSnapshots(store.database), log: sqliteLookups(store.database) } : undefined

/** Lookups in the store's log by event id, where it has them (SQLite): what a lean journal reads older entries from (store-journal.ts). */
export const logLookupsOf = (store: EventStore): SqliteLookups | undefined => (store instanceof SqliteEventStore ? sqliteLookups(store.database) : undefined)

/** The chain of the reversals of rows 0..k from that of rows 0..k-1 ('' before row 0). */
export const reversalsChainNext = (previous: string, refs: string): string => createHash('sha256').update(previous).update('\n').update(refs, 'utf8').digest('hex')

/** The chain after row k's reversals, when the timeline knows it up to row k - 1. */
const extendChain = (tl: Timeline, k: number, reversals: string): string | undefined => {
  const chain = tl.reversalsChain
  tl.reversalsChain = chain?.rows === k ? { rows: k + 1, digest: reversalsChainNext(chain.digest, reversals) } : undefined
  return tl.reversalsChain?.digest
}

const segmentOf = (tl: Timeline, from: number, to: number): Buffer => {
  const n = to - from + 1
  const recorded = tl.recorded.slice(from, to)
  const business = tl.business.slice(from, to)
  if (recorded.length !== n || business.length !== n) throw new Error(`invariant: the timeline of ${tl.stream} lacks revisions ${from}..${to}`)
  const out = Buffer.alloc(n * 12)
  Buffer.from(recorded.buffer).copy(out, 0)
  Buffer.from(business.buffer).copy(out, n * 8)
  return out
}

/** The row of an interval the timeline closed; undefined when the log no longer holds its last event. */
export const rowOf = (tl: Timeline, c: Crossing, backend: SnapshotBackend): SnapshotRow | undefined => {
  const to = (c.k + 1) * tl.every - 1
  const from = to - tl.every + 1
  const last = backend.log.at(tl.stream, to)
  const state = tl.snapshots[c.k]
  if (!last || last.id !== c.lastId || !state) {
    tl.reversalsChain = undefined
    return undefined
  }
  const reversals = sliceByRevision(tl.reversals, from, to)
  const refs = JSON.stringify({ reversals, creators: tl.dates.createdBetween(from, to) } satisfies SavedRefs)
  const reversalsText = JSON.stringify(reversals)
  const reversalsChain = extendChain(tl, c.k, reversalsText)
  const saved: SavedState = { state: encodeState(state), spentByMonth: [...c.spentByMonth].map(([m, v]) => [m, toYuan(v).toFixed()]), ...(reversalsChain === undefined ? {} : { reversalsChain }) }
  return { revision: to, foldVersion: FOLD_VERSION, lastId: last.id, lastHash: last.hash, segment: segmentOf(tl, from, to), refs, reversals: reversalsText, state: JSON.stringify(saved) }
}

/**
 * The rows of some closed intervals, all made before any is written, so that the write lock is
 * held only for the inserts (sqlite-snapshots.ts `write`): a server's writers never wait for a row
 * being made. Those the log no longer holds are left out. A row that cannot be made ends the list:
 * the rows before it come back with its error, so the caller writes a whole prefix and nothing
 * after it; the timeline's reversals chain stops there (it no longer follows the saved rows).
 */
export const rowsOf = (tl: Timeline, crossings: ReadonlyArray<Crossing>, backend: SnapshotBackend): { rows: SnapshotRow[]; failed?: unknown } => {
  const rows: SnapshotRow[] = []
  for (const c of crossings) {
    try {
      const row = rowOf(tl, c, backend)
      if (row) rows.push(row)
    } catch (failed) {
      tl.reversalsChain = undefined
      return { rows, failed }
    }
  }
  return { rows }
}

const parse = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

/** The saved state of a stream's row at `revision`, read and parsed; undefined when missing, corrupt or stale. */
export const savedAt = (stream: string, every: number, revision: number, backend: SnapshotBackend): SavedState | undefined => {
  const text = backend.rows.state(stream, every, revision, FOLD_VERSION)
  const saved = text === undefined ? undefined : parse<SavedState>(text)
  return saved && saved.state?.revision === revision ? saved : undefined
}

/** A saved state decoded onto a journal; undefined when it does not decode. */
export const decodeSaved = (saved: SavedState, journal: Map<string, JournalEntry>): { state: BudgetYearState; spentByMonth: Map<string, Fen> } | undefined => {
  try {
    return { state: decodeState(saved.state, journal), spentByMonth: new Map(saved.spentByMonth.map(([m, v]) => [m, fenOf(v)])) }
  } catch {
    return undefined
  }
}

/** The state of row k, read and decoded, sharing the timeline's journal; undefined when missing, corrupt or stale. */
export const savedStateOf = (tl: Timeline, k: number, backend: SnapshotBackend, journal = tl.head.journal): { state: BudgetYearState; spentByMonth: Map<string, Fen> } | undefined => {
  const saved = savedAt(tl.stream, tl.every, (k + 1) * tl.every - 1, backend)
  return saved && decodeSaved(saved, journal)
}

/** Whether a row still describes the log: the log holds its last event, by id and chained hash (so all before it too). */
export const holdsRow = (stream: string, row: Pick<SnapshotSegment, 'revision' | 'lastId' | 'lastHash'>, backend: SnapshotBackend): boolean => {
  const last = backend.log.at(stream, row.revision)
  return last !== undefined && last.id === row.lastId && last.hash === row.lastHash
}

/**
 * A cold timeline started from the latest usable persisted snapshot at or before the stream's head:
 * the index of every interval up to it, its state, and a journal that reads the log (holding at
 * most `journalInMemory` entries). Returns
 * whether one was used; when none is, the timeline is left empty (a full fold follows).
 */
export const restoreTimeline = (tl: Timeline, head: number, backend: SnapshotBackend, journalInMemory = JOURNAL_IN_MEMORY): boolean => {
  const segments = backend.rows.segments(tl.stream, tl.every, FOLD_VERSION).filter((s) => s.revision <= head)
  for (let k = segments.length - 1; k >= 0; k--) {
    if (!holdsRow(tl.stream, segments[k]!, backend)) continue
    const index = segments.slice(0, k + 1).map(readSegment)
    if (index.some((s) => s === undefined)) continue
    const reversed = new Map(index.flatMap((s) => s!.refs.reversals))
    const journal: Map<string, JournalEntry> = new StoreJournal(tl.stream, segments[k]!.revision, reversed, backend.log, journalInMemory)
    const saved = savedStateOf(tl, k, backend, journal)
    if (!saved) continue
    tl.recorded.restore(index.map((s) => s!.recorded))
    tl.dates.restore(index.map((s) => s!.business), index.flatMap((s) => s!.refs.creators))
    tl.maxBusiness.restore(index.map((s) => s!.business))
    tl.maxBusiness.runningMax()
    for (const s of index) tl.reversals.push(...s!.refs.reversals)
    tl.head = saved.state
    tl.spentByMonth = saved.spentByMonth
    tl.count = saved.state.revision + 1
    tl.lastId = segments[k]!.lastId
    tl.reversalsChain = { rows: k + 1, digest: index.reduce((d, s) => reversalsChainNext(d, JSON.stringify(s!.refs.reversals)), '') }
    tl.snapshots.length = k + 1
    tl.snapshots[k] = saved.state
    tl.restoredFrom = saved.state.revision
    return true
  }
  return false
}

/** A row's refs parsed; undefined when they are not what rowOf writes. */
const parseRefs = (text: string): SavedRefs | undefined => {
  const refs = parse<SavedRefs>(text)
  return refs && Array.isArray(refs.reversals) && Array.isArray(refs.creators) ? refs : undefined
}

/** A row's segment as its two columns' bytes (views on the row's own bytes, not copies) and its refs; undefined when it is not what rowOf writes. */
const readSegment = (s: SnapshotSegment) => {
  const refs = parseRefs(s.refs)
  if (!refs || s.segment.length % 12 !== 0) return undefined
  const n = s.segment.length / 12
  return { recorded: s.segment.subarray(0, n * 8), business: s.segment.subarray(n * 8), refs }
}
