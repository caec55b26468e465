import type Decimal from 'decimal.js'
import { type BudgetYearState, type EncodedState, FOLD_VERSION, type JournalEntry, decodeState, encodeState } from '../domain/budget-year'
import { yuan } from '../domain/money'
import type { EventStore } from '../store/port'
import { SqliteEventStore } from '../store/sqlite'
import { type SqliteLookups, sqliteLookups } from '../store/sqlite-lookups'
import { type SnapshotRow, type SnapshotSegment, SqliteSnapshots } from '../store/sqlite-snapshots'
import { StoreJournal } from './store-journal'
import type { Crossing, Timeline } from './timeline'

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
 */
interface SavedState {
  readonly state: EncodedState
  readonly spentByMonth: ReadonlyArray<[string, string]>
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
  if (!last || last.id !== c.lastId || !state) return undefined
  const refs: SavedRefs = {
    reversals: tl.reversals.filter(([, r]) => r >= from && r <= to),
    creators: tl.dates.createdBetween(from, to),
  }
  const saved: SavedState = { state: encodeState(state), spentByMonth: [...c.spentByMonth].map(([m, v]) => [m, v.toFixed()]) }
  return { revision: to, foldVersion: FOLD_VERSION, lastId: last.id, lastHash: last.hash, segment: segmentOf(tl, from, to), refs: JSON.stringify(refs), state: JSON.stringify(saved) }
}

const parse = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

/** The state of row k, read and decoded, sharing the timeline's journal; undefined when missing, corrupt or stale. */
export const savedStateOf = (tl: Timeline, k: number, backend: SnapshotBackend, journal = tl.head.journal): { state: BudgetYearState; spentByMonth: Map<string, Decimal> } | undefined => {
  const revision = (k + 1) * tl.every - 1
  const text = backend.rows.state(tl.stream, tl.every, revision, FOLD_VERSION)
  const saved = text === undefined ? undefined : parse<SavedState>(text)
  if (!saved || saved.state?.revision !== revision) return undefined
  try {
    return { state: decodeState(saved.state, journal), spentByMonth: new Map(saved.spentByMonth.map(([m, v]) => [m, yuan(v)])) }
  } catch {
    return undefined
  }
}

/**
 * A cold timeline started from the latest usable persisted snapshot at or before the stream's head:
 * the index of every interval up to it, its state, and a journal that reads the log. Returns
 * whether one was used; when none is, the timeline is left empty (a full fold follows).
 */
export const restoreTimeline = (tl: Timeline, head: number, backend: SnapshotBackend): boolean => {
  const segments = backend.rows.segments(tl.stream, tl.every, FOLD_VERSION).filter((s) => s.revision <= head)
  for (let k = segments.length - 1; k >= 0; k--) {
    const last = backend.log.at(tl.stream, segments[k]!.revision)
    if (!last || last.id !== segments[k]!.lastId || last.hash !== segments[k]!.lastHash) continue
    const index = segments.slice(0, k + 1).map(readSegment)
    if (index.some((s) => s === undefined)) continue
    const reversed = new Map(index.flatMap((s) => s!.refs.reversals))
    const journal: Map<string, JournalEntry> = new StoreJournal(tl.stream, segments[k]!.revision, reversed, backend.log)
    const saved = savedStateOf(tl, k, backend, journal)
    if (!saved) continue
    tl.recorded.restore(index.map((s) => s!.recorded))
    tl.dates.restore(index.map((s) => s!.business), index.flatMap((s) => s!.refs.creators))
    let max = -Infinity
    for (const s of index) for (let i = 0; i < s!.business.length; i++) tl.maxBusiness.push((max = Math.max(max, s!.business[i]!)))
    for (const s of index) tl.reversals.push(...s!.refs.reversals)
    tl.head = saved.state
    tl.spentByMonth = saved.spentByMonth
    tl.count = saved.state.revision + 1
    tl.lastId = last.id
    tl.snapshots.length = k + 1
    tl.snapshots[k] = saved.state
    tl.restoredFrom = saved.state.revision
    return true
  }
  return false
}

const readSegment = (s: SnapshotSegment) => {
  const refs = parse<SavedRefs>(s.refs)
  if (!refs || !Array.isArray(refs.reversals) || !Array.isArray(refs.creators) || s.segment.length % 12 !== 0) return undefined
  const n = s.segment.length / 12
  const bytes = new Uint8Array(s.segment) // a copy, aligned for the typed views
  return { recorded: new Float64Array(bytes.buffer, 0, n), business: new Int32Array(bytes.buffer, n * 8, n), refs }
}
