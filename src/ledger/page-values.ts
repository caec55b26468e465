/**
 * The values of a page of events as they cross from the read thread (event-page.ts): each event's
 * id, then its flat payload's values, in order. A structured clone costs per string it carries
 * (a tag, a length, a new string on the other side), and a page of a million-event rebuild carried
 * ≈ 6,000 of them: as one value column, the short strings are the characters of one text a page
 * (two: one-byte and wide), one after another, `null`, `true` and `false` only a code, the rest
 * (long strings, numbers) elements as before; the codes are a typed array, handed over, not copied
 * (docs/speed.md, "Rebuild, fewer elements"). The text holds the values' characters only: a clone
 * also pays by the byte, and whole payload texts (≈ 3× the characters) cost more than they saved.
 *
 * Only strings shorter than V8's sliced-string bound cross as spans: a substring of that length or
 * more is a view that keeps its whole parent alive, so an id or value the state keeps would keep
 * its page's text. A shorter one is a copy of its characters, as a cloned string would be.
 */
export interface PageValues {
  /** The short strings' characters, one after another: those of one-byte strings, and the others. */
  readonly narrow: string
  readonly wide: string
  /** Each value's code, in order: below. Undefined: a page read on the thread that folds it, every value an element. */
  readonly codes: Uint8Array | undefined
  /** The values that cross as themselves, in order: strings of SLICED characters or more, numbers. */
  readonly elements: unknown[]
}

/**
 * A value's code: a short string's length (NARROW + length, or WIDE + length: its characters next in
 * that text), or one of the kinds below.
 */
const NARROW = 0
const WIDE = 16
const ELEMENT = 32
const NULL = 33
const TRUE = 34
const FALSE = 35

/** V8's SlicedString::kMinLength: a substring this long is a view into its parent; shorter, a copy. */
const SLICED = 13

/** A character outside Latin-1: a string with one is stored two bytes a character, and so would be a text it joined. */
const WIDE_CHAR = /[^\u0000-\u00ff]/

/** A text longer than this takes no more strings (a string has a bound; a page of many values could pass it). */
const MAX_TEXT = 1 << 24

/**
 * A page's values, written where the page is read: also the sink flat-payload.ts's scanFlat writes
 * to. `crossing`: the page will cross to another thread (the form above); otherwise each value is
 * simply an element, since the text and codes would cost the thread that folds the page more to
 * write and read back than they save it (docs/speed.md, "Rebuild, fewer elements").
 */
export class PageValuesBuilder {
  private codes: Uint8Array
  private n = 0
  private readonly elements: unknown[] = []
  // Appended to, not joined from a list: a few thousand short appends and one flattening cost
  // less than pushing them and joining (docs/speed.md, "Rebuild, fewer elements").
  private narrow = ''
  private wide = ''
  /** The text of the last slice, and whether it has a wide character: a payload's values come one after another. */
  private text = ''
  private textWide = false

  /** `capacity`: the values expected (it grows past them). */
  constructor(
    capacity: number,
    private readonly crossing = true,
  ) {
    this.codes = new Uint8Array(crossing ? Math.max(16, capacity) : 0)
  }

  /** A string value that is the characters [start, end) of `text`. */
  slice(text: string, start: number, end: number): void {
    const length = end - start
    if (!this.crossing) {
      this.elements.push(text.slice(start, end))
      return
    }
    if (length >= SLICED || this.narrow.length + this.wide.length > MAX_TEXT) return this.element(text.slice(start, end))
    if (text !== this.text) {
      this.text = text
      this.textWide = WIDE_CHAR.test(text)
    }
    const value = text.slice(start, end)
    if (this.textWide && WIDE_CHAR.test(value)) {
      this.wide += value
      this.code(WIDE + length)
    } else {
      this.narrow += value
      this.code(NARROW + length)
    }
  }

  /** Any value of a flat payload, or an id. */
  value(v: unknown): void {
    if (!this.crossing) this.elements.push(v)
    else if (typeof v === 'string') this.slice(v, 0, v.length)
    else if (v === null) this.code(NULL)
    else if (v === true) this.code(TRUE)
    else if (v === false) this.code(FALSE)
    else this.element(v)
  }

  values(): PageValues {
    return { narrow: this.narrow, wide: this.wide, codes: this.crossing ? this.codes.subarray(0, this.n) : undefined, elements: this.elements }
  }

  private element(v: unknown): void {
    this.code(ELEMENT)
    this.elements.push(v)
  }

  private code(c: number): void {
    if (this.n === this.codes.length) {
      const grown = new Uint8Array(this.codes.length * 2)
      grown.set(this.codes)
      this.codes = grown
    }
    this.codes[this.n++] = c
  }
}

/** The buffer of a page's values that postMessage can hand over instead of copying. */
export const valuesBuffers = (v: PageValues): ArrayBuffer[] => (v.codes ? [v.codes.buffer as ArrayBuffer] : [])

/** A page's values read back in order (on the folding thread). */
export class PageValuesReader {
  private i = 0
  private narrow = 0
  private wide = 0
  private e = 0
  constructor(private readonly v: PageValues) {}

  next(): unknown {
    const { v } = this
    if (v.codes === undefined) {
      if (this.e === v.elements.length) throw new Error(`invariant: a page's values hold ${v.elements.length}, value ${this.e + 1} was asked for`)
      return v.elements[this.e++]
    }
    const c = v.codes[this.i++]
    if (c === undefined) throw new Error(`invariant: a page's values hold ${v.codes.length}, value ${this.i} was asked for`)
    if (c < WIDE) return v.narrow.slice(this.narrow, (this.narrow += c - NARROW))
    if (c < ELEMENT) return v.wide.slice(this.wide, (this.wide += c - WIDE))
    if (c === ELEMENT) return v.elements[this.e++]
    return c === NULL ? null : c === TRUE
  }
}
