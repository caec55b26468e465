import { type JournalEntry, isReversible } from '../domain/budget-year'
import type { LoggedEvent } from '../store/sqlite-lookups'
import { toDomainEvent } from './time-travel'

/**
 * The journal of a unit-year restored from a persisted snapshot (the lean fold, docs/audit.md
 * "Snapshots"). A snapshot does not carry the journal, which grows with the log (every expenditure
 * and adjustment); it carries only which entries were reversed, and when. An entry recorded up to
 * the snapshot's revision is looked up in the log by its event id the first time a reversal (or a
 * command deciding one) names it, then kept; entries of the tail folded since are written here by
 * evolve as usual. Reading it is all the domain does with a journal (journalEntry): only entries
 * looked up or written so far are held, so iterating it does not list the whole journal.
 */
export class StoreJournal extends Map<string, JournalEntry> {
  constructor(
    private readonly stream: string,
    /** The snapshot's revision: later entries come from the tail's fold, never from the log. */
    private readonly baseRevision: number,
    /** Reversed entries at the snapshot: event id → revision of its reversal. */
    private readonly reversed: ReadonlyMap<string, number>,
    private readonly lookup: (id: string) => LoggedEvent | undefined,
  ) {
    super()
  }

  private fromLog(id: string): JournalEntry | undefined {
    const e = this.lookup(id)
    if (!e || e.stream !== this.stream || e.revision > this.baseRevision) return undefined
    const { event } = toDomainEvent(e)
    if (!isReversible(event)) return undefined
    const entry: JournalEntry = { revision: e.revision, event }
    const at = this.reversed.get(id)
    if (at !== undefined) entry.reversedAt = at
    super.set(id, entry)
    return entry
  }

  override get(id: string): JournalEntry | undefined {
    return super.get(id) ?? this.fromLog(id)
  }

  override has(id: string): boolean {
    return this.get(id) !== undefined
  }
}
