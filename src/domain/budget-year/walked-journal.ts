import type { JournalEntry } from './state'

const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get! as (this: Map<unknown, unknown>) => number

/**
 * A journal whose entries are not all held in the Map itself: a branch's overlay on a shared
 * journal (overlay-journal.ts), a journal that reads older entries from the log
 * (src/ledger/fold/snapshots/store-journal.ts). Such a journal defines `entries()` (in revision order, as a
 * replay's journal holds them) and `get`; every other way of walking it goes through `entries()`.
 */
export class WalkedJournal extends Map<string, JournalEntry> {
  /** The entries held in the Map itself (`size` counts them all). */
  protected get held(): number {
    return mapSize.call(this)
  }

  override get size(): number {
    let n = 0
    for (const _ of this.entries()) n++
    return n
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

  override has(id: string): boolean {
    return this.get(id) !== undefined
  }
}
