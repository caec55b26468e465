/**
 * One number per revision of a stream (recording time, business date, their running maxima), kept in
 * a typed array that doubles as it fills: at a million revisions a plain array costs a cold start
 * its rebuild element by element and the heap its boxing; a typed one is restored from a persisted
 * snapshot's segments by copying bytes (docs/speed.md, "Cold start at 1,000,000 events").
 */
type Typed = Float64Array | Int32Array

export class RevisionColumn<T extends Typed> {
  private data: T
  private n = 0

  constructor(private readonly make: (size: number) => T) {
    this.data = make(1024)
  }

  get length(): number {
    return this.n
  }

  /** The value at revision i; undefined past the end, as a plain array reads. */
  at(i: number): number | undefined {
    return i >= 0 && i < this.n ? this.data[i] : undefined
  }

  push(v: number): void {
    this.set(this.n, v)
  }

  /** Sets revision i; past the end the column grows to i + 1 (a gap reads 0, never a real date or time). */
  set(i: number, v: number): void {
    if (!Number.isInteger(i) || i < 0) throw new Error(`invariant: revision ${i} is not a whole number ≥ 0`)
    if (i >= this.data.length) this.grow(i + 1)
    this.data[i] = v
    if (i >= this.n) this.n = i + 1
  }

  /** A copy of revisions from..to (inclusive). */
  slice(from: number, to: number): T {
    return this.data.slice(from, Math.min(to, this.n - 1) + 1) as T
  }

  /**
   * Replaces the whole column by these parts end to end (a restore from persisted segments): each
   * part is this column's values as bytes (a typed array of its kind, or the bytes of a segment read
   * from the store), copied straight into one allocation. No part is copied into a typed array of
   * its own first: at a million revisions those copies were 12 MB of short-lived native memory that
   * the C heap kept as its high-water mark (docs/speed.md, "Memory at 1M").
   */
  restore(parts: ReadonlyArray<ArrayBufferView>): void {
    const size = this.data.BYTES_PER_ELEMENT
    let bytes = 0
    for (const p of parts) {
      if (p.byteLength % size !== 0) throw new Error(`invariant: a part of ${p.byteLength} bytes is not a whole number of ${size}-byte values`)
      bytes += p.byteLength
    }
    const total = bytes / size
    this.data = this.make(Math.max(1024, total + (total >> 3)))
    const into = new Uint8Array(this.data.buffer)
    let at = 0
    for (const p of parts) {
      into.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at)
      at += p.byteLength
    }
    this.n = total
  }

  /** Sets every revision to the running maximum of the values up to it (in place). */
  runningMax(): void {
    let max = -Infinity
    for (let i = 0; i < this.n; i++) this.data[i] = max = Math.max(max, this.data[i]!)
  }

  private grow(atLeast: number): void {
    let size = this.data.length
    while (size < atLeast) size *= 2
    const next = this.make(size)
    next.set(this.data.subarray(0, this.n))
    this.data = next
  }
}

export const timesColumn = (): RevisionColumn<Float64Array> => new RevisionColumn((n) => new Float64Array(n))
export const daysColumn = (): RevisionColumn<Int32Array> => new RevisionColumn((n) => new Int32Array(n))
