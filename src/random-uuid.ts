import { randomFillSync } from 'node:crypto'

/**
 * A random (version 4) UUID, as node's `crypto.randomUUID()` makes it: 16 bytes from a pool that
 * is refilled from the system's CSPRNG every 128 ids (node's own batch), the version and variant
 * bits set, lower-case hex. Written into one buffer and read out as one flat string: node's joins
 * 20 pieces, and its cons strings are what a command allocated most after its body (two ids a
 * command, the request's and the event's; docs/speed.md, "Writes, the main thread's allocations").
 */
const BATCH = 128
const pool = Buffer.allocUnsafeSlow(16 * BATCH)
let next = BATCH
const text = Buffer.allocUnsafeSlow(36)
const HEX = Buffer.from('0123456789abcdef', 'latin1')
const DASH = 0x2d

export const randomUUID = (): string => {
  if (next === BATCH) {
    randomFillSync(pool)
    next = 0
  }
  const at = 16 * next++
  let w = 0
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[w++] = DASH
    let b = pool[at + i]!
    if (i === 6) b = (b & 0x0f) | 0x40 // version 4
    else if (i === 8) b = (b & 0x3f) | 0x80 // variant 10xx (RFC 9562)
    text[w++] = HEX[b >> 4]!
    text[w++] = HEX[b & 0x0f]!
  }
  return text.toString('latin1', 0, 36)
}
