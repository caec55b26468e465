/**
 * A column of strings of a page (event-page.ts) as one text and where each ends: one string of the
 * structured clone instead of a thousand, and a typed array handed over (docs/speed.md, "Rebuild,
 * fewer elements"). Read back, each is a slice of the text: from 13 characters on, V8 makes a slice a
 * view that keeps the whole text alive. The text holds this column's characters only, so whatever of
 * it is kept costs at most what keeping every one of its strings would: for the recording times
 * (24 characters, of which the fold keeps only the instant) that bound is what is wanted; a column
 * whose few kept values would each hold a page's worth of others (ids) belongs in page-values.ts.
 */
export interface TextColumn {
  readonly text: string
  readonly ends: Uint32Array
}

export class TextColumnBuilder {
  private text = ''
  private n = 0
  private readonly ends: Uint32Array

  constructor(size: number) {
    this.ends = new Uint32Array(size)
  }

  /** Appended to, not joined from a list: cheaper (page-values.ts). */
  push(s: string): void {
    this.text += s
    this.ends[this.n++] = this.text.length
  }

  column(): TextColumn {
    return { text: this.text, ends: this.ends.subarray(0, this.n) }
  }
}

/** The i-th string of a column, given where the one before ended. */
export const textAt = (c: TextColumn, i: number): string => c.text.slice(i === 0 ? 0 : c.ends[i - 1], c.ends[i])
