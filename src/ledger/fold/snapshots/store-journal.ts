import { type JournalEntry, REVERSIBLE_TYPES, isReversible } from '../../../domain/budget-year'
import { WalkedJournal } from '../../../domain/budget-year/walked-journal'
import type { LoggedEvent, SqliteLookups } from '../../../store/sqlite/sqlite-lookups'
import { toDomainEvent } from '../as-of/time-travel'

/**
 * Entries a head fold on SQLite (a full rebuild, a server's first fold of a year) keeps in memory:
 * a year's reversals name recent events (at 1M, all within 1,500 events of the reversal), and an
 * older one is one point read of the log (docs/speed.md, "The lean journal"). Few enough that an
 * entry is dropped before the collector promotes it: a window of 65,536 kept every reversible event
 * long enough to be copied to the old generation, ≈ 0.6 µs an event of the folding thread and as
 * much again of the collector's threads, against ≈ 14 µs for each entry read back from the log
 * (docs/speed.md, "Rebuild, the folding thread's own work").
 */
export const JOURNAL_IN_MEMORY = 4_096

/**
 * The journal of a unit-year whose events are in a SQLite log (docs/audit.md, "Snapshots"), lean:
 * a fold of a million events keeps a window of its latest entries, not all of them.
 *
 * - Entries written by evolve go into a ring of the latest `inMemory`, by id and entry, not into a
 *   Map: no hashing per event. When the ring wraps, `baseRevision` moves past the entry it drops.
 *   Beside each id, its tail (idTail): a reversal's scan compares those small integers, side by
 *   side in one array, and compares an id's text only where the tail matches.
 * - Entries up to `baseRevision` (those a restored snapshot did not carry, those the ring dropped)
 *   are read from the log by event id the first time a reversal, or a command deciding one, names
 *   them; the reversals of a restored snapshot (`reversed`) mark them.
 * - An entry once named (found in the ring, newest first, or read from the log) is kept in the Map
 *   itself for good: a reversal marks it in place (evolve), so the marks of every reversal are kept,
 *   and the four lookups of one reversal (the timeline, the business dates, apply, the mark) cost one.
 *
 * A restored snapshot (snapshot-record.ts, cold-read.ts) starts at its revision; a head fold from
 * the start at -1. Walking the whole journal (rare: the tests, a replay's journal as it was) reads
 * the entries up to `baseRevision` from the log each time, in revision order, then the ring's.
 */
export class StoreJournal extends WalkedJournal {
  /** The ring: slot `k % inMemory` holds the k-th entry written (ids and entries side by side). */
  private readonly ids: string[] = []
  private readonly tails: number[] = []
  private readonly ring: JournalEntry[] = []
  private written = 0

  constructor(
    private readonly stream: string,
    /** Entries up to this revision come from the log; later ones are all in the ring. */
    private baseRevision: number,
    /** Reversed entries at the snapshot: event id → revision of its reversal (read when first needed: cold-read.ts). */
    private readonly reversed: Pick<ReadonlyMap<string, number>, 'get'>,
    private readonly log: Pick<SqliteLookups, 'byId' | 'ofTypesUpTo'>,
    private readonly inMemory = Infinity,
  ) {
    super()
  }

  /** Evolve's write of a new entry (in revision order). */
  override set(id: string, entry: JournalEntry): this {
    const slot = this.written % this.inMemory
    const dropped = this.ring[slot]
    if (dropped !== undefined && dropped.revision > this.baseRevision) this.baseRevision = dropped.revision
    this.ids[slot] = id
    this.tails[slot] = idTail(id)
    this.ring[slot] = entry
    this.written++
    return this
  }

  override get(id: string): JournalEntry | undefined {
    const named = super.get(id)
    if (named !== undefined) return named
    const entry = this.inRing(id) ?? this.fromLog(id)
    if (entry !== undefined) super.set(id, entry)
    return entry
  }

  /**
   * Newest first: a reversal names a recent entry, so the scan is short; a miss costs the whole ring.
   * The slots below the next write, then (once the ring has wrapped) those above it: no division a
   * step. Ids of one log share long prefixes (time-ordered UUIDs, the bench's numbered ones), so
   * comparing each slot's id text (≈ 720 slots a reversal at 1M, each a pointer to follow) cost
   * ≈ 2.4 µs a reversal more than the tails do (docs/speed.md, "Rebuild, what limits it").
   */
  private inRing(id: string): JournalEntry | undefined {
    const tail = idTail(id)
    const at = this.written % this.inMemory
    return this.slotsDown(at - 1, 0, tail, id) ?? (this.written >= this.inMemory ? this.slotsDown(this.inMemory - 1, at, tail, id) : undefined)
  }

  /** The entry of `id` in slots `from` down to `to`, by tail first, then by text. */
  private slotsDown(from: number, to: number, tail: number, id: string): JournalEntry | undefined {
    for (let slot = from; slot >= to; slot--) if (this.tails[slot] === tail && this.ids[slot] === id) return this.ring[slot]
    return undefined
  }

  private fromLog(id: string): JournalEntry | undefined {
    const e = this.log.byId(id)
    return !e || e.stream !== this.stream || e.revision > this.baseRevision ? undefined : this.entryOf(e)
  }

  private entryOf(e: LoggedEvent): JournalEntry | undefined {
    const { event } = toDomainEvent(e)
    if (!isReversible(event)) return undefined
    const entry: JournalEntry = { revision: e.revision, event }
    const at = this.reversed.get(e.id)
    if (at !== undefined) entry.reversedAt = at
    return entry
  }

  /** Every entry up to `baseRevision` read from the log, then the ring's later ones, in revision order. */
  override *entries(): MapIterator<[string, JournalEntry]> {
    const upTo = this.baseRevision
    for (const e of this.log.ofTypesUpTo(this.stream, upTo, REVERSIBLE_TYPES)) {
      const entry = super.get(e.id) ?? this.entryOf(e)
      if (entry) yield [e.id, entry]
    }
    const n = Math.min(this.written, this.inMemory)
    for (let k = n; k >= 1; k--) {
      const slot = (this.written - k) % this.inMemory
      const entry = this.ring[slot]!
      if (entry.revision > upTo) yield [this.ids[slot]!, super.get(this.ids[slot]!) ?? entry]
    }
  }
}

/**
 * An id's last four characters, seven bits each, as one small integer (always a V8 small integer: 28
 * bits): where ids of one log differ (a time-ordered UUID's random end, a counter's last digits).
 * Equal ids have equal tails; an id shorter than four characters reads NaN, taken as 0, for the
 * missing ones.
 */
export const idTail = (id: string): number => {
  const n = id.length
  return (id.charCodeAt(n - 1) & 0x7f) | ((id.charCodeAt(n - 2) & 0x7f) << 7) | ((id.charCodeAt(n - 3) & 0x7f) << 14) | ((id.charCodeAt(n - 4) & 0x7f) << 21)
}
