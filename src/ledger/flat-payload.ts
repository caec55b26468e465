/**
 * The values of a flat payload (a JSON object whose values are all primitives: most events') read
 * straight from its stored text, given the keys it is expected to have, without JSON.parse.
 *
 * Why: on the read thread of a rebuild, JSON.parse of the payloads was the largest piece after
 * SQLite's own stepping (≈ 1.35 s of CPU per million events), and most of it went into entering
 * every short string value (an amount, a line id, a voucher: a million distinct ones) into V8's
 * string table, and into objects that the page by column (event-page.ts) took apart again at
 * once. Reading the text against a known shape takes the values out as spans of the text, never
 * entered in that table: ≈ 0.5 s per million (docs/speed.md, "Rebuild, the read thread's own work").
 *
 * Only the form JSON.stringify writes is read here, strictly: no whitespace, the keys in the shape's
 * order and spelling, no escape and no control character anywhere in the text. Anything else (an
 * escape, another shape, a nested value, a damaged text) answers false, and the caller parses that
 * payload with JSON.parse, which gives the same values, or names the damage.
 */

/** A text with any of these goes to JSON.parse: an escape, or a character JSON.parse would refuse inside a string. */
const NOT_PLAIN = /[\u0000-\u001f\\]/

/** A JSON number, exactly as the grammar has it (Number() alone would also take "01", "1." or "0x1"). */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

const QUOTE = 34
const COLON = 58
const COMMA = 44
const OPEN = 123
const CLOSE = 125

/**
 * Whether keys can be matched in a text as they are: a key with a quote, a backslash or a control
 * character is written escaped, and would match something else than itself.
 */
export const plainKeys = (keys: ReadonlyArray<string>): boolean => keys.every((k) => !k.includes('"') && !NOT_PLAIN.test(k))

/** Where scanFlat puts the values it reads (page-values.ts's builder: a short string as characters of its page's text). */
export interface FlatValues {
  /** A string value: the characters [start, end) of `text`. */
  slice(text: string, start: number, end: number): void
  value(v: null | boolean | number): void
}

/** Where each value of the text being read lies, [start, end) of its JSON, two numbers a key: nothing is put before the whole text is found plain. */
let found = new Int32Array(64)

/**
 * Puts in `out` the values of `text` read as a flat object with exactly `keys`, in that order, and
 * answers true; or answers false, nothing put. `keys` must be plainKeys. The values are JSON.parse's
 * own: a string (no escape in it) is its characters, a number the same double.
 */
export const scanFlat = (text: string, keys: ReadonlyArray<string>, out: FlatValues): boolean => {
  if (text.charCodeAt(0) !== OPEN || NOT_PLAIN.test(text)) return false
  if (keys.length === 0) return text.length === 2 && text.charCodeAt(1) === CLOSE
  if (found.length < keys.length * 2) found = new Int32Array(keys.length * 2)
  let p = 1
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!
    if (text.charCodeAt(p) !== QUOTE || !text.startsWith(key, p + 1) || text.charCodeAt(p + 1 + key.length) !== QUOTE || text.charCodeAt(p + 2 + key.length) !== COLON) return false
    p += key.length + 3
    const c = text.charCodeAt(p)
    let end: number
    if (c === QUOTE) {
      // No backslash in the text: the next quote ends the string.
      end = text.indexOf('"', p + 1) + 1
      if (end === 0) return false
    } else if ((c === 110 /* n */ && text.startsWith('null', p)) || (c === 116 /* t */ && text.startsWith('true', p))) end = p + 4
    else if (c === 102 /* f */ && text.startsWith('false', p)) end = p + 5
    else {
      NUMBER.lastIndex = p
      if (!NUMBER.test(text)) return false
      end = NUMBER.lastIndex
    }
    if (text.charCodeAt(end) !== (k === keys.length - 1 ? CLOSE : COMMA)) return false
    found[2 * k] = p
    found[2 * k + 1] = end
    p = end + 1
  }
  if (p !== text.length) return false
  for (let k = 0; k < keys.length; k++) {
    const start = found[2 * k]!
    const end = found[2 * k + 1]!
    const c = text.charCodeAt(start)
    if (c === QUOTE) out.slice(text, start + 1, end - 1)
    else if (c === 110) out.value(null)
    else if (c === 116) out.value(true)
    else if (c === 102) out.value(false)
    else out.value(Number(text.slice(start, end)))
  }
  return true
}
