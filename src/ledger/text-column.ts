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
  /** A page read on the thread that folds it: the strings themselves (text and ends unused). */
  readonly strings: string[] | undefined
}

/** `crossing`: as in page-values.ts, the page will cross to another thread; otherwise the strings are kept as they are. */
export class TextColumnBuilder {
  private text = ''
  private n = 0
  private readonly ends: Uint32Array
  private readonly strings: string[] | undefined

  constructor(size: number, crossing = true) {
    this.ends = new Uint32Array(crossing ? size : 0)
    this.strings = crossing ? undefined : []
  }

  /** Appended to, not joined from a list: cheaper (page-values.ts). */
  push(s: string): void {
    if (this.strings) this.strings.push(s)
    else {
      this.text += s
      this.ends[this.n++] = this.text.length
    }
  }

  column(): TextColumn {
    return { text: this.text, ends: this.ends.subarray(0, this.n), strings: this.strings }
  }
}

/** The i-th string of a column, given where the one before ended. */
export const textAt = (c: TextColumn, i: number): string => (c.strings ? c.strings[i]! : c.text.slice(i === 0 ? 0 : c.ends[i - 1], c.ends[i]))
