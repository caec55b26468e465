import { randomFillSync } from 'node:crypto'

/**
 * UUIDs as node makes them: 16 bytes from a pool that is refilled from the system's CSPRNG every
 * 128 ids (node's own batch), the version and variant bits set, lower-case hex. Written into one
 * buffer and read out as one flat string: node's `randomUUID` joins 20 pieces, and its cons
 * strings are what a command allocated most after its body (two ids a command, the request's and
 * the event's; docs/speed.md, "Writes, the main thread's allocations").
 */
const BATCH = 128
const pool = Buffer.allocUnsafeSlow(16 * BATCH)
let next = BATCH
const text = Buffer.allocUnsafeSlow(36)
const HEX = Buffer.from('0123456789abcdef', 'latin1')
const DASH = 0x2d
/** The first six bytes of a time-ordered id (version 7), its milliseconds big-endian; of a random one, unused. */
const stamp = new Uint8Array(6)
const MAX_MS = 2 ** 48 - 1

const uuid = (version: 0x40 | 0x70, stamped: number): string => {
  if (next === BATCH) {
    randomFillSync(pool)
    next = 0
  }
  const at = 16 * next++
  let w = 0
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[w++] = DASH
    let b = i < stamped ? stamp[i]! : pool[at + i]!
    if (i === 6) b = (b & 0x0f) | version
    else if (i === 8) b = (b & 0x3f) | 0x80 // variant 10xx (RFC 9562)
    text[w++] = HEX[b >> 4]!
    text[w++] = HEX[b & 0x0f]!
  }
  return text.toString('latin1', 0, 36)
}

/** A random (version 4) UUID: request ids, and anything whose ids need not sort. */
export const randomUUID = (): string => uuid(0x40, 0)

/**
 * A time-ordered (version 7, RFC 9562) UUID: the Unix time in milliseconds (48 bits) given, the
 * event's recording time (deps.ts `newId`), then 74 random bits. Event ids are these, because the
 * events table's UNIQUE index on `id` is a B-tree in id order: random ids put each event of a
 * group commit on a leaf page of that index of its own (up to a page an event, each written to the
 * WAL, fsynced and checkpointed), ids that grow with time put a group's events on the index's last
 * page or two (docs/speed.md, "Writes, CPU a command": the commit worker's CPU a command ×0.81).
 * Ids minted in one millisecond are in random order among themselves, and a clock set back only
 * puts the next ids among earlier ones: the order is for locality, nothing relies on it.
 */
export const timeOrderedUUID = (recordedAt: number): string => {
  // The millisecond comes from the ledger's clock (deps.ts), which tests set: a time before 1970
  // or past 48 bits (year 10889) is stamped at the nearer end, so the id is still a version-7 UUID.
  const ms = recordedAt <= 0 ? 0 : Math.min(recordedAt, MAX_MS)
  const high = Math.floor(ms / 2 ** 32)
  const low = ms >>> 0
  stamp[0] = high >>> 8
  stamp[1] = high
  stamp[2] = low >>> 24
  stamp[3] = low >>> 16
  stamp[4] = low >>> 8
  stamp[5] = low
  return uuid(0x70, 6)
}
