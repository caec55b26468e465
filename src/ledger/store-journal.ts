import { type JournalEntry, REVERSIBLE_TYPES, isReversible } from '../domain/budget-year'
import type { LoggedEvent, SqliteLookups } from '../store/sqlite-lookups'
import { toDomainEvent } from './time-travel'

/**
 * The journal of a unit-year restored from a persisted snapshot (the lean fold, docs/audit.md
 * "Snapshots"). A snapshot does not carry the journal, which grows with the log (every expenditure
 * and adjustment); it carries only which entries were reversed, and when. An entry recorded up to
 * the snapshot's revision is looked up in the log by its event id the first time a reversal (or a
 * command deciding one) names it, then kept; entries of the tail folded since are written here by
 * evolve as usual. A reversal needs one entry; a projection that walks the whole journal (the
 * 决算 tables' spending by economic code) makes it read every entry up to the snapshot once, in
 * revision order, as a replay's journal holds them.
 */
export class StoreJournal extends Map<string, JournalEntry> {
  constructor(
    private readonly stream: string,
    /** The snapshot's revision: later entries come from the tail's fold, never from the log. */
    private readonly baseRevision: number,
    /** Reversed entries at the snapshot: event id → revision of its reversal (read when first needed: cold-read.ts). */
    private readonly reversed: Pick<ReadonlyMap<string, number>, 'get'>,
    private readonly log: Pick<SqliteLookups, 'byId' | 'ofTypesUpTo'>,
  ) {
    super()
  }

  private complete = false

  /** Every entry up to the snapshot read from the log, then the tail's, in revision order. */
  private readAll(): void {
    if (this.complete) return
    this.complete = true
    const held = new Map(super.entries())
    super.clear()
    for (const e of this.log.ofTypesUpTo(this.stream, this.baseRevision, REVERSIBLE_TYPES)) {
      const entry = held.get(e.id) ?? this.entryOf(e)
      if (entry) super.set(e.id, entry)
    }
    for (const [id, entry] of held) if (entry.revision > this.baseRevision) super.set(id, entry)
  }

  private entryOf(e: LoggedEvent): JournalEntry | undefined {
    const { event } = toDomainEvent(e)
    if (!isReversible(event)) return undefined
    const entry: JournalEntry = { revision: e.revision, event }
    const at = this.reversed.get(e.id)
    if (at !== undefined) entry.reversedAt = at
    return entry
  }

  override get size(): number {
    this.readAll()
    return super.size
  }

  override entries(): MapIterator<[string, JournalEntry]> {
    this.readAll()
    return super.entries()
  }

  override [Symbol.iterator](): MapIterator<[string, JournalEntry]> {
    return this.entries()
  }

  override keys(): MapIterator<string> {
    this.readAll()
    return super.keys()
  }

  override values(): MapIterator<JournalEntry> {
    this.readAll()
    return super.values()
  }

  override forEach(f: (value: JournalEntry, key: string, map: Map<string, JournalEntry>) => void, thisArg?: unknown): void {
    this.readAll()
    super.forEach(f, thisArg)
  }

  private fromLog(id: string): JournalEntry | undefined {
    if (this.complete) return undefined
    const e = this.log.byId(id)
    if (!e || e.stream !== this.stream || e.revision > this.baseRevision) return undefined
    const entry = this.entryOf(e)
    if (entry) super.set(id, entry)
    return entry
  }

  override get(id: string): JournalEntry | undefined {
    return super.get(id) ?? this.fromLog(id)
  }

  override has(id: string): boolean {
    return this.get(id) !== undefined
  }
}
