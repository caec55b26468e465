import type { Line } from './state'

/** Lines per chunk of a table's rows (a power of two). */
const CHUNK_BITS = 3
const CHUNK = 1 << CHUNK_BITS

/**
 * The lines of a budget year, in allocation order, as a persistent map: each change copies only
 * small arrays of references, and the id → position index is shared by every state of the fold
 * (lines are never removed, so an index entry, once written, stays true for every state that holds
 * that many lines). Folding a million events must not rebuild a hash map per event.
 *
 * The rows are kept in chunks of 8, so a change copies the chunk it falls in and the list of chunks
 * (13 references for 40 lines) rather than every row: the copy of the whole row array was the
 * largest allocation of a rebuild's events (docs/speed.md, "Rebuild, the folding thread's own work").
 */
export class LineTable implements ReadonlyMap<string, Line> {
  private constructor(
    /** Rows 8·c … 8·c + 7 in chunks[c]; every chunk but the last is full. */
    private readonly chunks: ReadonlyArray<ReadonlyArray<Line>>,
    readonly size: number,
    private readonly index: Map<string, number>,
    /** A fork's index is still the table it forked from: copied (from this table's own rows) before its first new line. */
    private readonly indexBorrowed = false,
  ) {}

  static empty(): LineTable {
    return new LineTable([], 0, new Map())
  }

  /** An index of this table's own rows, for a branch that must not write to the one it shares. */
  private ownIndex(): Map<string, number> {
    const index = new Map<string, number>()
    let i = 0
    for (const chunk of this.chunks) for (const l of chunk) index.set(l.id, i++)
    return index
  }

  private row(i: number): Line | undefined {
    return i < this.size ? this.chunks[i >> CHUNK_BITS]![i & (CHUNK - 1)] : undefined
  }

  /** The position of line `id`: the shared index's, unless another branch of the fold (a dry run, a snapshot's tail) moved it on. */
  private positionOf(id: string): number {
    const i = this.index.get(id)
    if (i !== undefined && this.row(i)?.id === id) return i
    for (let j = 0; j < this.size; j++) if (this.row(j)!.id === id) return j
    return -1
  }

  get(id: string): Line | undefined {
    const i = this.positionOf(id)
    return i < 0 ? undefined : this.row(i)
  }

  has(id: string): boolean {
    return this.get(id) !== undefined
  }

  /** A table with the line added at the end (a new id) or replaced in place (a known one). */
  with(line: Line): LineTable {
    const at = this.positionOf(line.id)
    const chunks = this.chunks.slice()
    if (at >= 0) {
      const chunk = chunks[at >> CHUNK_BITS]!.slice()
      chunk[at & (CHUNK - 1)] = line
      chunks[at >> CHUNK_BITS] = chunk
      return new LineTable(chunks, this.size, this.index, this.indexBorrowed)
    }
    const index = this.indexBorrowed ? this.ownIndex() : this.index
    index.set(line.id, this.size)
    const last = this.size & (CHUNK - 1)
    if (last === 0) chunks.push([line])
    else chunks[chunks.length - 1] = [...chunks[chunks.length - 1]!, line]
    return new LineTable(chunks, this.size + 1, index)
  }

  /** A table with its own index, for a branch that must not share one (forkState). */
  fork(): LineTable {
    // Every command is decided on a fork, and most add no line: the fork reads the shared index (a
    // position it does not hold is checked against its own rows, as positionOf does) and makes its
    // own only when it adds a line.
    return new LineTable(this.chunks, this.size, this.index, true)
  }

  forEach(f: (value: Line, key: string, map: ReadonlyMap<string, Line>) => void): void {
    for (const l of this.values()) f(l, l.id, this)
  }

  *entries(): MapIterator<[string, Line]> {
    for (const l of this.values()) yield [l.id, l]
  }

  *keys(): MapIterator<string> {
    for (const l of this.values()) yield l.id
  }

  *values(): MapIterator<Line> {
    for (const chunk of this.chunks) yield* chunk
  }

  [Symbol.iterator](): MapIterator<[string, Line]> {
    return this.entries()
  }
}

/** Whether a value of the state is one of its keyed collections (a Map, or the lines). */
export const isKeyedCollection = (v: unknown): v is ReadonlyMap<unknown, unknown> => v instanceof Map || v instanceof LineTable
