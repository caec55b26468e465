import { type JournalEntry, REVERSIBLE_TYPES, isReversible } from '../domain/budget-year'
import { WalkedJournal } from '../domain/budget-year/walked-journal'
import type { LoggedEvent, SqliteLookups } from '../store/sqlite-lookups'
import { toDomainEvent } from './time-travel'

/**
 * Entries kept in memory by a head fold on SQLite (a full rebuild, a server's first fold of a
 * year): the reversals of a year mostly name recent events, and an older one is one point read.
 * Sized so that the journal's share of a 1M-event fold (its entries promoted, marked, kept) is
 * gone (docs/speed.md, "The lean journal").
 */
export const JOURNAL_IN_MEMORY = 65_536

/**
 * The journal of a unit-year whose events are in a SQLite log (docs/audit.md, "Snapshots"). The
 * entries up to `baseRevision` are not held: each is read from the log by its event id the first
 * time a reversal (or a command deciding one) names it; later entries are written here by evolve as
 * usual, and when more than `inMemory` are held the oldest are dropped, `baseRevision` moving past
 * them, so a fold of a million events holds a window of them, not all. What a reversal needs of a
 * dropped entry is only its event (in the log) and whether it was reversed, and when: the marks
 * are kept for all, those of the restored snapshot (`reversed`) and those made here.
 *
 * A restored snapshot (snapshot-record.ts, cold-read.ts) starts at its revision; a head fold from
 * the start at -1. Walking the whole journal (rare: the tests, a replay's journal as it was) reads
 * the entries up to `baseRevision` from the log each time, in revision order, then the held ones.
 */
export class StoreJournal extends WalkedJournal {
  /** Reversal marks of the entries dropped from memory (event id → revision of the reversal). */
  private readonly marks = new Map<string, number>()

  constructor(
    private readonly stream: string,
    /** Entries up to this revision come from the log; later ones are all held. */
    private baseRevision: number,
    /** Reversed entries at the snapshot: event id → revision of its reversal (read when first needed: cold-read.ts). */
    private readonly reversed: Pick<ReadonlyMap<string, number>, 'get'>,
    private readonly log: Pick<SqliteLookups, 'byId' | 'ofTypesUpTo'>,
    private readonly inMemory = Infinity,
  ) {
    super()
  }

  override set(id: string, entry: JournalEntry): this {
    this.hold(id, entry)
    return this
  }

  /**
   * The ids held, in the order they came to be, from `next` on: the oldest is found without
   * iterating the Map, whose iteration from the start steps over every slot emptied since its last
   * rehash (quadratic over a million entries: measured, docs/speed.md "The lean journal").
   */
  private order: string[] = []
  private next = 0

  private hold(id: string, entry: JournalEntry): void {
    const before = this.held
    super.set(id, entry)
    if (this.held === before) return // a new entry for an id held (never from evolve): it keeps its place
    this.order.push(id)
    if (this.held > this.inMemory) this.dropOldest()
  }

  /**
   * The entry held longest. Evolve writes entries in revision order and the log's entries come in
   * at or below `baseRevision`, so every entry after the dropped one is still held.
   */
  private dropOldest(): void {
    const id = this.order[this.next++]!
    if (this.next > 4096 && this.next * 2 > this.order.length) {
      this.order = this.order.slice(this.next)
      this.next = 0
    }
    const entry = super.get(id)!
    super.delete(id)
    if (entry.reversedAt !== undefined) this.marks.set(id, entry.reversedAt)
    if (entry.revision > this.baseRevision) this.baseRevision = entry.revision
  }

  private entryOf(e: LoggedEvent): JournalEntry | undefined {
    const { event } = toDomainEvent(e)
    if (!isReversible(event)) return undefined
    const entry: JournalEntry = { revision: e.revision, event }
    const at = this.marks.get(e.id) ?? this.reversed.get(e.id)
    if (at !== undefined) entry.reversedAt = at
    return entry
  }

  private fromLog(id: string): JournalEntry | undefined {
    const e = this.log.byId(id)
    if (!e || e.stream !== this.stream || e.revision > this.baseRevision) return undefined
    const entry = this.entryOf(e)
    if (entry) this.hold(id, entry)
    return entry
  }

  override get(id: string): JournalEntry | undefined {
    return super.get(id) ?? this.fromLog(id)
  }

  /** Every entry up to `baseRevision` read from the log, then the held later ones, in revision order. */
  override *entries(): MapIterator<[string, JournalEntry]> {
    const upTo = this.baseRevision
    for (const e of this.log.ofTypesUpTo(this.stream, upTo, REVERSIBLE_TYPES)) {
      const entry = super.get(e.id) ?? this.entryOf(e)
      if (entry) yield [e.id, entry]
    }
    for (const [id, entry] of super.entries()) if (entry.revision > upTo) yield [id, entry]
  }
}
