/**
 * The values of a flat payload (a JSON object whose values are all primitives: most events') read
 * straight from its stored text, given the keys it is expected to have, without JSON.parse.
 *
 * Why: on the read thread of a rebuild, JSON.parse of the payloads was the largest piece after
 * SQLite's own stepping (≈ 1.35 s of CPU per million events), and most of it went into entering
 * every short string value (an amount, a line id, a voucher: a million distinct ones) into V8's
 * string table, and into objects that the page by column (event-page.ts) took apart again at
 * once. Reading the text against a known shape takes the values out as slices, which are never
 * entered in that table: ≈ 0.5 s per million (docs/speed.md, "Rebuild, the read thread's own work").
 *
 * Only the form JSON.stringify writes is read here, strictly: no whitespace, the keys in the shape's
 * order and spelling, no escape and no control character anywhere in the text. Anything else (an
 * escape, another shape, a nested value, a damaged text) answers false, and the caller parses that
 * payload with JSON.parse, which gives the same values, or names the damage.
 */

/** A key with any of these is written escaped: an escape, or a character JSON.parse would refuse inside a string. */
const NOT_PLAIN = /[\u0000-\u001f\\]/

/** A JSON number, exactly as the grammar has it (Number() alone would also take "01", "1." or "0x1"). */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

const QUOTE = 34
const COLON = 58
const COMMA = 44
const OPEN = 123
const CLOSE = 125
const BACKSLASH = 92

/**
 * Whether keys can be matched in a text as they are: a key with a quote, a backslash or a control
 * character is written escaped, and would match something else than itself.
 */
export const plainKeys = (keys: ReadonlyArray<string>): boolean => keys.every((k) => !k.includes('"') && !NOT_PLAIN.test(k))

/**
 * Appends to `out` the values of `text` read as a flat object with exactly `keys`, in that order,
 * and answers true; or answers false, `out` as it was. `keys` must be plainKeys. The values are
 * JSON.parse's own: a string (no escape in it) is its characters, a number the same double.
 */
export const scanFlat = (text: string, keys: ReadonlyArray<string>, out: unknown[]): boolean => {
  // Escapes and control characters are looked for only inside the string values, as they are read:
  // everywhere else each character is matched (the plain keys, the structure, a literal, the number
  // grammar), so none can be there. A whole-text RegExp before the pass cost the read thread
  // ≈ 0.07 s a million more than this (docs/speed.md, "Rebuild, the read thread's CPU").
  if (text.charCodeAt(0) !== OPEN) return false
  if (keys.length === 0) return text.length === 2 && text.charCodeAt(1) === CLOSE
  const start = out.length
  const fail = () => {
    out.length = start
    return false
  }
  let p = 1
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!
    if (text.charCodeAt(p) !== QUOTE || !text.startsWith(key, p + 1) || text.charCodeAt(p + 1 + key.length) !== QUOTE || text.charCodeAt(p + 2 + key.length) !== COLON) return fail()
    p += key.length + 3
    const c = text.charCodeAt(p)
    let end: number
    if (c === QUOTE) {
      // The string ends at the next quote, unless a backslash or a control character comes first
      // (NaN past the end of the text is neither ≥ 32 nor a quote): then it is JSON.parse's.
      end = p + 1
      for (let d = text.charCodeAt(end); d !== QUOTE; d = text.charCodeAt(++end)) if (!(d >= 32) || d === BACKSLASH) return fail()
      out.push(text.slice(p + 1, end))
      end++
    } else if (c === 110 /* n */ && text.startsWith('null', p)) {
      out.push(null)
      end = p + 4
    } else if (c === 116 /* t */ && text.startsWith('true', p)) {
      out.push(true)
      end = p + 4
    } else if (c === 102 /* f */ && text.startsWith('false', p)) {
      out.push(false)
      end = p + 5
    } else {
      NUMBER.lastIndex = p
      if (!NUMBER.test(text)) return fail()
      end = NUMBER.lastIndex
      out.push(Number(text.slice(p, end)))
    }
    if (text.charCodeAt(end) !== (k === keys.length - 1 ? CLOSE : COMMA)) return fail()
    p = end + 1
  }
  return p === text.length ? true : fail()
}
