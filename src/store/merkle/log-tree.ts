import type { RecordedEvent } from '../envelope'
import type { EventStore } from '../port'
import { type EventRow, SqliteEventStore, toRecorded } from '../sqlite'
import { eventLeafHash } from './leaf'
import { MemoryTree } from './memory-tree'

/**
 * The Merkle tree over a store's whole log, in global order (docs/audit.md, "The Merkle tree"):
 * what checkpoints sign and proofs are cut from. SQLite keeps it in the file, written in the
 * append's own transaction; the memory and EventStoreDB stores derive it from the log ($all in
 * global order), caught up with what was appended since whenever it is asked.
 */
export interface LogTree {
  /** Leaves (events) the tree covers now. */
  size(): Promise<number>
  root(size?: number): Promise<Uint8Array>
  /** The leaf index of an event, if the tree covers it, with the event as stored. */
  locate(eventId: string): Promise<{ index: number; event: RecordedEvent } | undefined>
  inclusionPath(index: number, size: number): Promise<Uint8Array[]>
  consistencyPath(from: number, to: number): Promise<Uint8Array[]>
}

class SqliteLogTree implements LogTree {
  constructor(private readonly store: SqliteEventStore) {}
  async size() {
    return this.store.tree.size()
  }
  async root(size?: number) {
    return this.store.tree.root(size)
  }
  async locate(eventId: string) {
    const row = this.store.database.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?').get(eventId)
    const index = row && this.store.tree.leafIndexAt(row.position)
    return row && index !== undefined ? { index, event: toRecorded(row) } : undefined
  }
  async inclusionPath(index: number, size: number) {
    return this.store.tree.inclusionPath(index, size)
  }
  async consistencyPath(from: number, to: number) {
    return this.store.tree.consistencyPath(from, to)
  }
}

class DerivedLogTree implements LogTree {
  private readonly tree = new MemoryTree()
  /** Each event's leaf index, and the position before it (how to read it again: after that one). */
  private readonly index = new Map<string, { index: number; after: number | undefined }>()
  /** Left out at first: the port's "beginning" (an EventStoreDB log may start at position 0). */
  private after: number | undefined

  constructor(private readonly store: EventStore) {}

  private async caughtUp(): Promise<MemoryTree> {
    for (;;) {
      const page = await this.store.readAll(this.after === undefined ? { maxCount: 1000 } : { after: this.after, maxCount: 1000 })
      for (const e of page) {
        this.index.set(e.id, { index: this.tree.size, after: this.after })
        this.tree.append(eventLeafHash(e))
        this.after = e.position
      }
      if (page.length < 1000) return this.tree
    }
  }
  async size() {
    return (await this.caughtUp()).size
  }
  async root(size?: number) {
    return (await this.caughtUp()).root(size)
  }
  async locate(eventId: string) {
    await this.caughtUp()
    const at = this.index.get(eventId)
    if (at === undefined) return undefined
    const [event] = await this.store.readAll(at.after === undefined ? { maxCount: 1 } : { after: at.after, maxCount: 1 })
    return event?.id === eventId ? { index: at.index, event } : undefined
  }
  async inclusionPath(index: number, size: number) {
    return (await this.caughtUp()).inclusionPath(index, size)
  }
  async consistencyPath(from: number, to: number) {
    return (await this.caughtUp()).consistencyPath(from, to)
  }
}

const trees = new WeakMap<EventStore, LogTree>()

/** The tree of a store: one per store object, so a derived tree is built once and then kept up. */
export const logTreeOf = (store: EventStore): LogTree => {
  let t = trees.get(store)
  if (!t) {
    t = store instanceof SqliteEventStore ? new SqliteLogTree(store) : new DerivedLogTree(store)
    trees.set(store, t)
  }
  return t
}
