import type { JournalEntry } from './state'

/**
 * The journal of a branch of the fold (forkState): a dry run, a command decided against a shared
 * state, an as-of query folding a tail onto a snapshot. Entries up to `baseRevision` come from the
 * shared journal, which it never writes to: an entry is copied on first read, so a reversal's mark
 * lands on the copy, and new entries stay here. Forking costs nothing up front, however many
 * entries the shared journal holds (a million on a long year), and one small copy per entry the
 * branch touches.
 */
export class OverlayJournal extends Map<string, JournalEntry> {
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

  override has(id: string): boolean {
    return this.get(id) !== undefined
  }

  override get size(): number {
    let n = super.size
    for (const [id, e] of this.base) if (e.revision <= this.baseRevision && !super.has(id)) n++
    return n
  }

  /** In revision order, as a replay's journal holds them: the shared entries up to the fork, then the branch's own. */
  override *entries(): MapIterator<[string, JournalEntry]> {
    for (const [id, e] of this.base) if (e.revision <= this.baseRevision) yield [id, super.get(id) ?? this.fromBase(id)!]
    for (const [id, e] of super.entries()) if (e.revision > this.baseRevision) yield [id, e]
  }

  override [Symbol.iterator](): MapIterator<[string, JournalEntry]> {
    return this.entries()
  }

  override *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k
  }

  override *values(): MapIterator<JournalEntry> {
    for (const [, v] of this.entries()) yield v
  }

  override forEach(f: (value: JournalEntry, key: string, map: Map<string, JournalEntry>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) f.call(thisArg, v, k, this)
  }
}
