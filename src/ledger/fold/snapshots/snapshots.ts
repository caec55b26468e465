import { monthsInYuan } from '../../../../projections/indicators/execution'
import { logMark } from '../../read-path/shared-mark'
import type { TimePoint } from '../../../domain/time/as-of'
import type Decimal from 'decimal.js'
import { type BudgetYearState, FOLD_VERSION, evolve, forkState, initialState } from '../../../domain/budget-year'
import { streamOf } from '../../../domain/codecs/primitives'
import { timeFold, timeFoldNow } from '../../../metrics/fold-timings'
import type { EventStore } from '../../../store/port'
import { coldStateAt } from './cold-read'
import { type SnapshotBackend, logLookupsOf, restoreTimeline, rowsOf, savedStateOf, snapshotBackendOf } from './snapshot-record'
import { JOURNAL_IN_MEMORY, StoreJournal } from './store-journal'
import type { SqliteLookups } from '../../../store/sqlite/sqlite-lookups'
import { type StreamReader, readerFor } from '../../read-path/stream-reader'
import { dayNumber, toDomainEvent } from '../as-of/time-travel'
import { lastTrue } from '../as-of/last-true'
import { Timeline } from '../as-of/timeline'

/**
 * Time travel without replaying everything (docs/audit.md, "Snapshots").
 *
 * Per stream, an in-process timeline is folded once and then kept up to date with the events
 * appended since: for every revision, the recording time (a running maximum) and the business date
 * it takes effect on (time-travel.ts), and a snapshot of the folded state every `spacing` events
 * (in memory) and every `every` events (also saved, below). An as-of query finds its last revision
 * by binary search, starts from the nearest snapshot at or before it and folds only the tail (fewer
 * than `spacing` events where this process folded the interval, read from the store). An effective
 * query starts from the last snapshot whose events are all in effect by then and folds the tail's
 * events that are.
 *
 * Persisted: on SQLite the snapshots are also saved in the file (snapshot-record.ts), so a new
 * process starts its timeline from the latest saved one and folds only the events after it,
 * instead of the whole stream; a saved snapshot is checked against the log and never trusted over it.
 *
 * Reusing a snapshot safely: the domain's states share one journal (state.ts); a state sees only
 * the entries up to its revision, so a snapshot stays valid however far the timeline has grown.
 * But folding a tail onto a snapshot writes journal entries (and reversal marks) again, which
 * would corrupt the shared journal for every later state. So a tail is always folded onto a
 * fork of the snapshot (forkState: an overlay on its journal, overlay-journal.ts), which costs
 * nothing up front and one small copy per entry the tail touches.
 */
export interface SnapshotOptions {
  /** Events between saved snapshots (default 1000). */
  readonly every?: number
  /** Events between in-memory snapshots (default every / 2): bounds the tail an as-of query folds. */
  readonly spacing?: number
  /** How events are read; default: the fastest the store allows (stream-reader.ts). */
  readonly reader?: StreamReader
  /** Persisted snapshots (snapshot-record.ts); default: the store's own, if it keeps them; false: none. */
  readonly persisted?: SnapshotBackend | false
  /** Unit-years kept folded (default 256): the ones used last; another is folded again when asked for. */
  readonly maxStreams?: number
  /**
   * Journal entries a head holds in memory on SQLite (default JOURNAL_IN_MEMORY); older ones are
   * read from the log by id when a reversal names them (store-journal.ts). Other stores hold all.
   */
  readonly journalInMemory?: number
  /** Snapshots saved per transaction while a fold runs (default SAVE_CHUNK). */
  readonly saveChunk?: number
}

export const DEFAULT_SNAPSHOT_EVERY = 1000
/**
 * Snapshots saved together while a fold runs: each chunk's rows are made, then written in one short
 * transaction, on the folding thread while the read thread reads ahead (docs/speed.md, "Rebuild,
 * saved during the fold"). Small: a chunk (≈ 1–2 ms a row) is a short pause of the fold and a short
 * hold of the write lock, with 16 encoded states in memory; chunks of 4 and 64 cost the same CPU.
 */
export const SAVE_CHUNK = 16
/** A fold from the start has no reversals of a snapshot to know. */
const NO_REVERSALS: ReadonlyMap<string, number> = new Map()
const ignore = (): undefined => undefined
export const DEFAULT_SNAPSHOT_STREAMS = 256
/**
 * In-memory snapshots per saved one: a warm as-of query folds every / (2 × this) events on
 * average instead of every / 2; each costs a state (its changed lines), not a journal.
 */
const HELD_PER_SAVED = 2

/** Where a time-travel read comes from: the revision it ends at and how much was folded for it. */
export interface StateAt {
  readonly state: BudgetYearState
  /** Last revision recorded by asOf (-1: none); the state may leave later-dated ones out. */
  readonly lastRevision: number
  /** Events folded to answer this query (0 when a snapshot or the head answered it whole). */
  readonly folded: number
  /** Events the business-date cut-off left out of the as-of view. */
  readonly leftOut: number
}

/**
 * The timelines of one store's streams. One per store per process (snapshotsFor); safe for
 * concurrent queries; follows appends (including other processes'); rebuilt when the stream
 * turns out not to be the one it folded (its last event is not the one remembered).
 */
export class BudgetYearSnapshots {
  private readonly timelines = new Map<string, Timeline>()
  /** The stream last moved to the end of `timelines` (the most recently used): a read of it again needs no move. */
  private newest: string | undefined
  private readonly every: number
  private readonly spacing: number
  private readonly reader: StreamReader
  private readonly backend: SnapshotBackend | undefined
  private readonly maxStreams: number
  /** Where a head's journal reads the entries it no longer holds; undefined: it holds them all. */
  private readonly log: SqliteLookups | undefined
  private readonly journalInMemory: number
  private readonly saveChunk: number
  /** Streams answered by a cold read (cold-read.ts) and not kept since: what stats() says of them. */
  private readonly coldRead = new Map<string, { events: number; snapshots: number; folded: number; restoredFrom: number | null }>()

  constructor(
    private readonly store: EventStore,
    options: SnapshotOptions = {},
  ) {
    this.every = Math.max(1, Math.floor(options.every ?? DEFAULT_SNAPSHOT_EVERY))
    this.spacing = Math.max(1, Math.floor(options.spacing ?? this.every / HELD_PER_SAVED))
    this.reader = options.reader ?? readerFor(store)
    this.backend = options.persisted === false ? undefined : (options.persisted ?? snapshotBackendOf(store))
    this.maxStreams = Math.max(1, Math.floor(options.maxStreams ?? DEFAULT_SNAPSHOT_STREAMS))
    this.log = this.backend?.log ?? logLookupsOf(store)
    this.journalInMemory = Math.max(1, Math.floor(options.journalInMemory ?? JOURNAL_IN_MEMORY))
    this.saveChunk = Math.max(1, Math.floor(options.saveChunk ?? SAVE_CHUNK))
  }

  /** A timeline to fold a stream from its start, its head's journal lean where the log can be read back by id. */
  private newTimeline(stream: string): Timeline {
    const t = new Timeline(stream, this.every, this.spacing)
    if (this.log) t.head = { ...t.head, journal: new StoreJournal(stream, -1, NO_REVERSALS, this.log, this.journalInMemory) }
    return t
  }

  /**
   * Folds what was appended since the last call; returns the timeline. `mark`: the log version a
   * caller already asked for this read (shared-mark.ts; a department's read asks once for its
   * memberships and all its members), read after the caller's call like the one asked here.
   */
  async sync(stream: string, mark?: Promise<string | undefined>): Promise<Timeline> {
    let tl = this.timelines.get(stream)
    const held = tl !== undefined
    if (!tl) {
      // Kept from here on (until evicted, when a first read is a cold read again).
      this.coldRead.delete(stream)
      tl = this.newTimeline(stream)
      if (this.backend?.rows.writable) tl.crossings = []
    }
    // Most recently used last, so that a city of thousands of unit-years keeps only the ones in use:
    // what the process holds follows its traffic, not the size of the log. The stream used last
    // (one unit-year read again and again) is already there.
    if (!held || stream !== this.newest) {
      this.timelines.delete(stream)
      this.timelines.set(stream, tl)
      this.newest = stream
      while (this.timelines.size > this.maxStreams) this.timelines.delete(this.timelines.keys().next().value!)
    }
    const t = tl
    // Asked now, before the lock, so that the reads queued on it share one read of the mark
    // (shared-mark.ts, which keeps its refusal from being unhandled while this waits for the lock;
    // a mark given by the caller is marked here); the lock keeps the calls' order, and marks are read in that order too.
    if (mark !== undefined) mark.catch(ignore)
    const marked = mark ?? logMark(this.store)
    const run = t.lock.then(async () => {
      // Read before the log: a write landing after it moves the mark, so the next sync looks again.
      const seen = await marked
      if (seen !== undefined && seen === t.seen) return t
      const head = await this.store.streamRevision(stream)
      if (head < t.count - 1 || (t.count > 0 && !(await this.stillHolds(t)))) {
        this.timelines.delete(stream)
        return undefined
      }
      const backend = this.backend
      if (t.count === 0 && head >= 0 && backend) timeFoldNow('snapshot-load', () => (restoreTimeline(t, head, backend, this.journalInMemory) ? t.count : 0))
      if (head >= t.count) await timeFold('catch-up', () => this.fold(t, head))
      t.seen = seen
      return t
    })
    t.lock = run.catch(ignore)
    const synced = await run
    return synced ?? this.sync(stream, mark)
  }

  private async fold(t: Timeline, head: number): Promise<number> {
    const from = t.count
    await this.foldSaving(t, head)
    return t.count - from
  }

  /**
   * Folds the timeline up to `head` and saves its snapshots as the fold closes them, a chunk at a
   * time, while the read thread reads the next pages: the save fills the time the folding thread
   * would spend waiting for them (docs/speed.md, "Rebuild, saved during the fold"); the last chunk
   * is saved after the fold. `folded` hears each event folded, before any save it closes.
   */
  private async foldSaving(t: Timeline, head: number, folded: () => void = ignore): Promise<void> {
    const saving = t.crossings !== undefined
    try {
      await this.reader.range(t.stream, t.count, head, (e) => {
        t.fold(e)
        folded()
        if (t.crossings && t.crossings.length >= this.saveChunk) this.save(t)
      })
      this.save(t)
    } finally {
      // A save that failed stopped this fold's (none written after a row not made); the next fold saves again.
      if (saving) t.crossings ??= []
    }
  }

  /**
   * Saves the snapshots of the intervals folded since the last save: their rows made first, then
   * written in one transaction. Never fails the read or command that folded them: a snapshot not
   * saved is only a slower next start. A row that cannot be made: the rows before it are written,
   * and no more in this fold (rows are saved in order: snapshot-record.ts `extendChain`).
   */
  private save(t: Timeline): void {
    const crossings = t.crossings
    const backend = this.backend
    if (!crossings?.length || !backend) return
    t.crossings = []
    timeFoldNow('snapshot-save', () => {
      try {
        const { rows, failed } = rowsOf(t, crossings, backend)
        backend.rows.write(t.stream, t.every, rows)
        if (failed !== undefined) t.crossings = undefined
      } catch {
        // Derived data: the next writer saves it.
        t.crossings = undefined
        t.reversalsChain = undefined
      }
      return crossings.length * t.every
    })
  }

  /** Snapshot k of a timeline: in memory, else read from the store, else folded from the one before. */
  private async snapshot(t: Timeline, k: number): Promise<BudgetYearState> {
    if (k < 0) return initialState()
    const held = t.snapshots[k]
    if (held) return held
    const saved = this.backend && savedStateOf(t, k, this.backend)
    let state = saved?.state
    if (!state) {
      // Missing or corrupt in the store: never trusted, folded again from the one before.
      const base = await this.snapshot(t, k - 1)
      state = forkState(base)
      await this.reader.range(t.stream, base.revision + 1, (k + 1) * t.every - 1, (e) => {
        state = evolve(state!, toDomainEvent(e))
        t.folded++
        t.hold(state!)
      })
    }
    t.snapshots[k] = state
    return state
  }

  /** The latest snapshot at or before `revision`: held in memory, else the saved one. */
  private async nearest(t: Timeline, revision: number): Promise<BudgetYearState> {
    const held = t.held[Math.floor((revision + 1) / t.spacing) - 1]
    const k = Math.floor((revision + 1) / t.every) - 1
    return held && held.revision > (k + 1) * t.every - 1 ? held : this.snapshot(t, k)
  }

  private async stillHolds(t: Timeline): Promise<boolean> {
    let id: string | undefined
    await this.reader.range(t.stream, t.count - 1, t.count - 1, (e) => (id = e.id))
    return id === t.lastId
  }

  /** The folded state of a unit-year at a point on both axes (absent: no cut-off). */
  async stateAt(unit: string, year: number, at: TimePoint = {}, mark?: Promise<string | undefined>): Promise<StateAt> {
    const stream = streamOf(unit, year)
    // A unit-year held here is never cold: no await (a hop on every warm read) to learn it.
    const cold = this.timelines.has(stream) ? undefined : await this.cold(stream, at)
    if (cold) return cold
    const tl = await this.sync(stream, mark)
    const n = tl.count
    const bound = at.asOf === undefined ? Infinity : Date.parse(at.asOf)
    const last = at.asOf === undefined ? n - 1 : lastTrue(n, (i) => tl.recorded.at(i)! <= bound)
    if (last < 0) return { state: initialState(), lastRevision: -1, folded: 0, leftOut: 0 }
    const effective = at.effective === undefined ? Infinity : dayNumber(at.effective)

    if (tl.maxBusiness.at(last)! <= effective) {
      // Every event of the prefix is in effect: the nearest snapshot and the tail.
      if (last === n - 1) return { state: tl.head, lastRevision: last, folded: 0, leftOut: 0 }
      const base = await this.nearest(tl, last)
      if (base.revision === last) return { state: base, lastRevision: last, folded: 0, leftOut: 0 }
      let state = forkState(base)
      const folded = await timeFold('tail', async () => {
        let n = 0
        await this.reader.range(tl.stream, base.revision + 1, last, (e) => {
          state = evolve(state, toDomainEvent(e))
          n++
          // A timeline restored from the saved rows has none held between them: the tail fills them as it passes.
          tl.hold(state)
        })
        return n
      })
      tl.folded += folded
      return { state, lastRevision: last, folded, leftOut: 0 }
    }

    // Some events are dated later: the last snapshot all of whose events are in effect, then the
    // tail's events that are.
    const usable = Math.floor((last + 1) / tl.spacing)
    const j = lastTrue(usable, (i) => tl.maxBusiness.at((i + 1) * tl.spacing - 1)! <= effective)
    const base = await this.nearest(tl, (j + 1) * tl.spacing - 1)
    const wanted: number[] = []
    for (let r = base.revision + 1; r <= last; r++) if (tl.business.at(r)! <= effective) wanted.push(r)
    let state = forkState(base)
    const folded = await timeFold('tail', async () => {
      let n = 0
      await this.reader.some(tl.stream, wanted, (e) => {
        state = evolve(state, toDomainEvent(e))
        n++
      })
      return n
    })
    tl.folded += folded
    return { state, lastRevision: last, folded, leftOut: last - base.revision - wanted.length }
  }

  /**
   * The first read of a stream by this process, when it has no effective date: from the persisted
   * row at or before its revision and the events after it (cold-read.ts), without restoring the
   * stream's whole as-of index, which grows with the log. Only once: the next read of the stream
   * restores its timeline (a server's later reads are then answered from memory). Undefined when
   * it cannot be answered so: the full path answers. Consistent without a lock: it reads only the
   * append-only log and rows checked against it, up to the head it read first.
   */
  private async cold(stream: string, at: TimePoint): Promise<StateAt | undefined> {
    const backend = this.backend
    if (!backend || at.effective !== undefined || this.timelines.has(stream) || this.coldRead.has(stream)) return undefined
    const head = await this.store.streamRevision(stream)
    if (head < 0) return undefined
    const bound = at.asOf === undefined ? Infinity : Date.parse(at.asOf)
    let r: Awaited<ReturnType<typeof coldStateAt>>
    await timeFold('tail', async () => (r = await coldStateAt(stream, this.every, head, bound, backend, this.reader))?.folded ?? 0)
    if (!r) return undefined
    this.coldRead.set(stream, { events: head + 1, snapshots: r.rows, folded: r.folded, restoredFrom: r.restoredFrom ?? null })
    return { state: r.state, lastRevision: r.lastRevision, folded: r.folded, leftOut: 0 }
  }

  /**
   * The unit-year as it stands and its money spent by business month, at the same revision (the
   * execution view). The months are a copy: later folds do not move them under the caller.
   */
  async latest(unit: string, year: number): Promise<{ state: BudgetYearState; spentByMonth: ReadonlyMap<string, Decimal> }> {
    const tl = await this.sync(streamOf(unit, year))
    return { state: tl.head, spentByMonth: monthsInYuan(tl.spentByMonth) }
  }

  /**
   * After an append by this process (record.ts): when the stream crossed a multiple of `every`, the
   * new events are folded now and the snapshot saved, outside the append's transaction. Never
   * fails: the command is recorded whatever happens here, and the next writer saves what is missed.
   */
  async afterAppend(stream: string, from: number, to: number): Promise<void> {
    if (!this.backend?.rows.writable || Math.floor((to + 1) / this.every) === Math.floor((from + 1) / this.every)) return
    try {
      await this.sync(stream)
    } catch {
      /* derived data */
    }
  }

  /**
   * Saves every snapshot of a stream again from a full fold of the log (`budget-ledger snapshots
   * rebuild`): the stream's saved rows are deleted first, so none of another fold version or
   * interval is left; the snapshots are saved as the fold closes them, and the file checkpointed
   * once after. `onProgress` hears the events folded so far, the last time when every event is
   * folded, before the last chunk's save. Needs a writable SQLite store.
   */
  async rebuild(stream: string, onProgress: (folded: number, total: number) => void = () => undefined): Promise<{ events: number; snapshots: number }> {
    if (!this.backend?.rows.writable) throw new Error(`this store keeps no snapshots of its own (${this.store.kind}, or opened to read)`)
    const backend = this.backend
    const t = this.newTimeline(stream)
    t.crossings = []
    const run = (this.timelines.get(stream)?.lock ?? Promise.resolve()).then(async () => {
      const head = await this.store.streamRevision(stream)
      backend.rows.clear(stream)
      await backend.rows.checkpointedOnce(() =>
        this.foldSaving(t, head, () => {
          if (t.count % 10_000 === 0 || t.count === head + 1) onProgress(t.count, head + 1)
        }),
      )
      this.timelines.delete(stream)
      this.timelines.set(stream, t)
      this.newest = stream
      return { events: t.count, snapshots: backend.rows.count(stream, FOLD_VERSION).current }
    })
    t.lock = run.catch(() => undefined)
    return run
  }

  /**
   * Per stream: events in the timeline, snapshots it has (in memory or in the store), events this
   * process folded for it (head and query tails), and the persisted snapshot a cold start began
   * from (null: none, a full fold); for a stream only read cold (cold-read.ts), the same of that read. For the bench, operators and LEDGER_FOLD_STATS.
   */
  stats(): Array<{ stream: string; events: number; snapshots: number; folded: number; restoredFrom: number | null }> {
    const cold = [...this.coldRead].map(([stream, s]) => ({ stream, ...s }))
    return [...this.timelines.values()].map((t) => ({ stream: t.stream, events: t.count, snapshots: t.snapshots.length, folded: t.folded, restoredFrom: t.restoredFrom ?? null })).concat(cold)
  }
}

const perStore = new WeakMap<EventStore, BudgetYearSnapshots>()

/** The process's snapshot cache of a store (created on first use). */
export const snapshotsFor = (store: EventStore): BudgetYearSnapshots => {
  let s = perStore.get(store)
  if (!s) {
    s = new BudgetYearSnapshots(store)
    perStore.set(store, s)
  }
  return s
}

/** A unit-year at a point in time through the store's snapshot cache (`mark`: see `sync`). */
export const budgetYearAt = (store: EventStore, unit: string, year: number, at: TimePoint = {}, mark?: Promise<string | undefined>): Promise<StateAt> =>
  snapshotsFor(store).stateAt(unit, year, at, mark)
