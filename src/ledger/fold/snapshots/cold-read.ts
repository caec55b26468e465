import { type BudgetYearState, FOLD_VERSION, evolve, forkState, initialState } from '../../../domain/budget-year'
import { lastTrue } from '../as-of/last-true'
import { type SnapshotBackend, decodeSaved, holdsRow, reversalsChainNext, savedAt } from './snapshot-record'
import { StoreJournal } from './store-journal'
import { lastReversalIn, reversalsMap } from './stored-reversals'
import type { StreamReader } from '../../read-path/stream-reader'
import { toDomainEvent } from '../as-of/time-travel'
import { runningRecorded } from '../as-of/timeline'

/** A cold read's answer: the state, its last revision, the events folded onto the row it started from. */
export interface ColdAnswer {
  readonly state: BudgetYearState
  readonly lastRevision: number
  readonly folded: number
  /** The persisted row it started from (its revision); undefined: from the stream's start. */
  readonly restoredFrom: number | undefined
  /** The stream's rows up to its head. */
  readonly rows: number
}

/**
 * A unit-year as of an instant (`bound`, ms; Infinity: at its head), read by a process that holds no
 * timeline of the stream (docs/speed.md, "Cold start without the whole index"), from the persisted
 * rows (snapshot-record.ts) without restoring the whole as-of index, which grows with the log:
 * - the last revision recorded by the bound is found by a binary search over the rows, reading the
 *   running recording time of a row's last revision from its segment (digest-checked, and the log
 *   must still hold the row's last event), then within the one segment that crosses the bound, or
 *   in the events after the last row;
 * - the row at or before it gives the state: its saved state, and the reversals up to it, read only
 *   if an entry is looked up (LazyReversals below);
 * - the events after that row up to the revision are folded onto it.
 * Undefined whenever any part is missing, corrupt, stale or of an older form: the caller then takes
 * the full path (restoring the timeline), so a bad row costs time, never a wrong answer.
 */
export const coldStateAt = async (stream: string, every: number, head: number, bound: number, backend: SnapshotBackend, reader: StreamReader): Promise<ColdAnswer | undefined> => {
  const revisions = backend.rows.revisions(stream, every, head)
  const rows = revisions.length
  if (rows === 0) return undefined
  const times = new Map<number, Float64Array | undefined>()
  /** Row k's running recording times, when its digest holds and the log still holds its last event. */
  const timesOf = (k: number): Float64Array | undefined => {
    if (!times.has(k)) {
      const s = backend.rows.segment(stream, every, revisions[k]!, FOLD_VERSION)
      const usable = s !== undefined && s.segment.length === every * 12 && holdsRow(stream, s, backend)
      times.set(k, usable ? new Float64Array(new Uint8Array(s.segment).buffer, 0, every) : undefined)
    }
    return times.get(k)
  }
  let broken = false
  const lastTime = (k: number): number => {
    const t = timesOf(k)
    if (!t) broken = true
    return t ? t[every - 1]! : Infinity
  }

  // Row j: the last row whose revisions were all recorded by the bound; its state is where the read starts.
  const j = bound === Infinity ? rows - 1 : lastTrue(rows, (k) => lastTime(k) <= bound)
  if (j >= 0) lastTime(j)
  if (broken) return undefined
  let last: number | undefined // undefined: in the events after the last row, found as they are read
  if (bound === Infinity) last = head
  else if (j < rows - 1) {
    const crossing = timesOf(j + 1)
    if (!crossing) return undefined
    last = (j + 1) * every + lastTrue(every, (i) => crossing[i]! <= bound)
  }

  const base = j < 0 ? initialState() : restoredState(stream, every, j, backend)
  if (!base) return undefined
  const restoredFrom = j < 0 ? undefined : revisions[j]
  if (last === base.revision) return { state: base, lastRevision: last, folded: 0, restoredFrom, rows }
  let state = forkState(base)
  let folded = 0
  let recorded = j < 0 ? -Infinity : lastTime(j)
  let past = false
  await reader.range(stream, base.revision + 1, last ?? head, (e) => {
    if (past) return
    if (last === undefined && (recorded = runningRecorded(recorded, e.recordedMs)) > bound) {
      past = true
      return
    }
    state = evolve(state, toDomainEvent(e))
    folded++
  })
  return { state: folded === 0 ? base : state, lastRevision: base.revision + folded, folded, restoredFrom, rows }
}

/** The saved state of row k on a journal that reads the log, with the reversals of rows 0..k read when first needed. */
const restoredState = (stream: string, every: number, k: number, backend: SnapshotBackend): BudgetYearState | undefined => {
  const revision = (k + 1) * every - 1
  const saved = savedAt(stream, every, revision, backend)
  const chain = saved?.reversalsChain
  if (!saved || chain === undefined) return undefined
  return decodeSaved(saved, new StoreJournal(stream, revision, new LazyReversals(stream, every, revision, chain, backend), backend.log))?.state
}

/**
 * Lookups answered by searching the rows' text (lastReversalIn) before the rows are parsed into
 * one map: each search costs a pass over the rows' text (about 1 MB at 1M events), the map a parse
 * of all of them, worth it only for a read that looks up many entries (a projection walking the
 * journal).
 */
const SEARCHES = 64

/**
 * The reversals up to a row (event id → revision of its reversal), read the first time an entry
 * is looked up in the log (a reversal in the tail, a projection walking the journal): a read that
 * meets none, such as a year's head at a row, never reads them. From `snapshot_reversals` when
 * the rows' chain matches the one the row's state carries, a few lookups by searching their text,
 * more from a map of them all; else, since this may come after the answer was given and must not
 * fail it, from the log itself (every reversal up to the row: slow, but the truth).
 */
class LazyReversals {
  /** Rows 0..k's reversals as stored, once their chain held; null: not trusted, the log answers. */
  private rows: string[] | null | undefined
  private map: Map<string, number> | undefined
  private searches = 0

  constructor(
    private readonly stream: string,
    private readonly every: number,
    private readonly revision: number,
    private readonly chain: string,
    private readonly backend: SnapshotBackend,
  ) {}

  get(id: string): number | undefined {
    if (this.map) return this.map.get(id)
    if (this.rows === undefined) this.rows = this.trustedRows()
    if (this.rows !== null && ++this.searches <= SEARCHES) return lastReversalIn(this.rows, id)
    this.map = this.rows === null ? this.fromLog() : reversalsMap(this.rows)
    this.rows = null
    return this.map.get(id)
  }

  /** The rows' reversals, when there is one row for each up to this one and their chain is the one the row's state carries. */
  private trustedRows(): string[] | null {
    const all = this.backend.rows.reversalsUpTo(this.stream, this.every, this.revision, FOLD_VERSION)
    if (all.length !== (this.revision + 1) / this.every || all.some((r, i) => r.revision !== (i + 1) * this.every - 1)) return null
    if (all.reduce((chain, r) => reversalsChainNext(chain, r.reversals), '') !== this.chain) return null
    return all.map((r) => r.reversals)
  }

  private fromLog(): Map<string, number> {
    const map = new Map<string, number>()
    for (const e of this.backend.log.ofTypesUpTo(this.stream, this.revision, ['EventReversed'])) {
      const { event } = toDomainEvent(e)
      if (event.type === 'EventReversed') map.set(event.data.event, e.revision)
    }
    return map
  }
}
