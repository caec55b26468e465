/**
 * The half-open range of strings that start with `prefix`, in code-point order (SQLite's BINARY
 * collation compares UTF-8 bytes, which orders as code points do): [from, to), `to` undefined when
 * no string bounds it (the empty prefix, or one of U+10FFFF only). An index range scan with it
 * finds exactly the prefixed strings, with no escaping of `%`, `_` or `*` to get wrong.
 */
export const prefixRange = (prefix: string): { from: string; to: string | undefined } => {
  const points = [...prefix].map((c) => c.codePointAt(0)!)
  while (points.length > 0) {
    const last = points.pop()!
    if (last < 0x10ffff) {
      // Surrogates are not characters: the next one after U+D7FF is U+E000.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1
      return { from: prefix, to: String.fromCodePoint(...points, next) }
    }
  }
  return { from: prefix, to: undefined }
}
