import type { Line } from './state'

/**
 * The lines of a budget year, in allocation order, as a persistent map: each change copies only a
 * small array of references, and the id → position index is shared by every state of the fold
 * (lines are never removed, so an index entry, once written, stays true for every state that holds
 * that many lines). Folding a million events must not rebuild a hash map per event.
 */
export class LineTable implements ReadonlyMap<string, Line> {
  private constructor(
    private readonly rows: ReadonlyArray<Line>,
    private readonly index: Map<string, number>,
  ) {}

  static empty(): LineTable {
    return new LineTable([], new Map())
  }

  get size(): number {
    return this.rows.length
  }

  get(id: string): Line | undefined {
    const i = this.index.get(id)
    const hit = i === undefined ? undefined : this.rows[i]
    if (hit?.id === id) return hit
    // Another branch of the fold (a dry run, a snapshot's tail) may have moved the shared index on.
    return this.rows.find((l) => l.id === id)
  }

  has(id: string): boolean {
    return this.get(id) !== undefined
  }

  /** A table with the line added at the end (a new id) or replaced in place (a known one). */
  with(line: Line): LineTable {
    const at = this.index.get(line.id)
    if (at !== undefined && this.rows[at]?.id === line.id) {
      const rows = this.rows.slice()
      rows[at] = line
      return new LineTable(rows, this.index)
    }
    const found = this.rows.findIndex((l) => l.id === line.id)
    if (found >= 0) {
      const rows = this.rows.slice()
      rows[found] = line
      return new LineTable(rows, this.index)
    }
    this.index.set(line.id, this.rows.length)
    return new LineTable([...this.rows, line], this.index)
  }

  /** A table with its own index, for a branch that must not share one (forkState). */
  fork(): LineTable {
    return new LineTable(this.rows, new Map(this.rows.map((l, i) => [l.id, i])))
  }

  forEach(f: (value: Line, key: string, map: ReadonlyMap<string, Line>) => void): void {
    for (const l of this.rows) f(l, l.id, this)
  }

  *entries(): MapIterator<[string, Line]> {
    for (const l of this.rows) yield [l.id, l]
  }

  *keys(): MapIterator<string> {
    for (const l of this.rows) yield l.id
  }

  *values(): MapIterator<Line> {
    yield* this.rows
  }

  [Symbol.iterator](): MapIterator<[string, Line]> {
    return this.entries()
  }
}

/** Whether a value of the state is one of its keyed collections (a Map, or the lines). */
export const isKeyedCollection = (v: unknown): v is ReadonlyMap<unknown, unknown> => v instanceof Map || v instanceof LineTable
