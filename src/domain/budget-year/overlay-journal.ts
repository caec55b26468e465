import type { JournalEntry } from './state'
import { WalkedJournal } from './walked-journal'

/**
 * The journal of a branch of the fold (forkState): a dry run, a command decided against a shared
 * state, an as-of query folding a tail onto a snapshot. Entries up to `baseRevision` come from the
 * shared journal, which it never writes to: an entry is copied on first read, so a reversal's mark
 * lands on the copy, and new entries stay here. Forking costs nothing up front, however many
 * entries the shared journal holds (a million on a long year), and one small copy per entry the
 * branch touches.
 */
export class OverlayJournal extends WalkedJournal {
  constructor(
    private readonly base: ReadonlyMap<string, JournalEntry>,
    private readonly baseRevision: number,
  ) {
    super()
  }

  private fromBase(id: string): JournalEntry | undefined {
    const e = this.base.get(id)
    if (!e || e.revision > this.baseRevision) return undefined
    const copy: JournalEntry = { revision: e.revision, event: e.event }
    if (e.reversedAt !== undefined && e.reversedAt <= this.baseRevision) copy.reversedAt = e.reversedAt
    super.set(id, copy)
    return copy
  }

  override get(id: string): JournalEntry | undefined {
    return super.get(id) ?? this.fromBase(id)
  }

  override get size(): number {
    let n = this.held
    for (const [id, e] of this.base) if (e.revision <= this.baseRevision && super.get(id) === undefined) n++
    return n
  }

  /** In revision order, as a replay's journal holds them: the shared entries up to the fork, then the branch's own. */
  override *entries(): MapIterator<[string, JournalEntry]> {
    for (const [id, e] of this.base) if (e.revision <= this.baseRevision) yield [id, super.get(id) ?? this.fromBase(id)!]
    for (const [id, e] of super.entries()) if (e.revision > this.baseRevision) yield [id, e]
  }
}
