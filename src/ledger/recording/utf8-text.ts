import * as E from 'fp-ts/Either'

/**
 * Text from bytes that must be UTF-8 (an HTTP body, a budget file). A lenient decoder would store
 * every bad byte as U+FFFD, silently changing what was sent, so bad bytes are refused instead,
 * with the offset of the first one so the sender can find it.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

export const decodeUtf8 = (bytes: Uint8Array): E.Either<{ readonly offset: number }, string> => {
  try {
    return E.right(strictUtf8.decode(bytes))
  } catch {
    return E.left({ offset: firstInvalidByte(bytes) })
  }
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629 §4). */
const firstInvalidByte = (b: Uint8Array): number => {
  let i = 0
  while (i < b.length) {
    const x = b[i]!
    if (x < 0x80) {
      i++
      continue
    }
    const more = x >= 0xc2 && x <= 0xdf ? 1 : x >= 0xe0 && x <= 0xef ? 2 : x >= 0xf0 && x <= 0xf4 ? 3 : 0
    if (more === 0 || i + more >= b.length) return i
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const lo = x === 0xe0 ? 0xa0 : x === 0xf0 ? 0x90 : 0x80
    const hi = x === 0xed ? 0x9f : x === 0xf4 ? 0x8f : 0xbf
    if (b[i + 1]! < lo || b[i + 1]! > hi) return i
    for (let k = 2; k <= more; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i
    i += more + 1
  }
  return b.length
}

/** What to tell the sender of bytes that are not UTF-8. */
export const notUtf8 = (what: string, offset: number): string =>
  `${what} is not valid UTF-8 (the first bad byte is at offset ${offset}); send it encoded as UTF-8`
