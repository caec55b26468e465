import type { RecordedEvent } from '../../envelope'
import type { EventStore } from '../../port'
import { type EventRow, SqliteEventStore, toRecorded } from '../../sqlite/sqlite'
import { eventLeafHash } from './leaf'
import { Frontier } from './frontier'
import { MemoryTree } from './memory-tree'

/**
 * The Merkle tree over a store's whole log, in global order (docs/audit.md, "The Merkle tree"):
 * what checkpoints sign and proofs are cut from. SQLite keeps it in the file, written in the
 * append's own transaction; the memory and EventStoreDB stores derive it from the log ($all in
 * global order): its frontier caught up with what was appended since whenever it is asked, the
 * rest read again for a proof.
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

/**
 * The tree of a store that keeps none (memory, EventStoreDB), derived from $all. What it holds
 * does not grow with the log: only the frontier (log2 n hashes), caught up with the events
 * appended since it was last asked, answers the size and the root now, which is what a checkpoint
 * signs. A proof or an older root (an audit's question, rare) reads $all again from the
 * beginning and builds the tree it needs for that answer only.
 */
class DerivedLogTree implements LogTree {
  private frontier = new Frontier()
  /** Left out at first: the port's "beginning" (an EventStoreDB log may start at position 0). */
  private after: number | undefined

  constructor(private readonly store: EventStore) {}

  /** The log's events in global order, a page at a time, from the beginning or after a position. */
  private async *events(after: number | undefined): AsyncGenerator<RecordedEvent> {
    for (;;) {
      const page = await this.store.readAll(after === undefined ? { maxCount: PAGE } : { after, maxCount: PAGE })
      yield* page
      if (page.length < PAGE) return
      after = page.at(-1)!.position
    }
  }

  private async caughtUp(): Promise<Frontier> {
    for await (const e of this.events(this.after)) {
      this.frontier.append(eventLeafHash(e))
      this.after = e.position
    }
    return this.frontier
  }

  /** The whole tree of the first `size` events (all of them when undefined), read again from $all. */
  private async rebuilt(size?: number): Promise<MemoryTree> {
    const tree = new MemoryTree()
    if (size === 0) return tree
    for await (const e of this.events(undefined)) {
      tree.append(eventLeafHash(e))
      if (tree.size === size) break
    }
    return tree
  }

  async size() {
    return (await this.caughtUp()).size
  }
  async root(size?: number) {
    const now = await this.caughtUp()
    return size === undefined || size === now.size ? now.root() : (await this.rebuilt(size)).root(size)
  }
  async locate(eventId: string) {
    await this.caughtUp()
    let index = 0
    for await (const e of this.events(undefined)) {
      if (index >= this.frontier.size) return undefined
      if (e.id === eventId) return { index, event: e }
      index++
    }
    return undefined
  }
  async inclusionPath(index: number, size: number) {
    return (await this.rebuilt(size)).inclusionPath(index, size)
  }
  async consistencyPath(from: number, to: number) {
    return (await this.rebuilt(to)).consistencyPath(from, to)
  }
}

const PAGE = 1000

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
