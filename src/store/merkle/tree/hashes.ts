import { sha256Bytes } from '../../chain/sha256'

/**
 * RFC 9162 §2.1.1 hashing: a leaf and an interior node are hashed with different one-byte
 * prefixes, so a leaf can never be passed off as a node (a second-preimage of the tree).
 */
const LEAF = Buffer.from([0x00])
const NODE = Buffer.from([0x01])

/** SHA-256(0x00 ‖ data); a text's prefix as U+0000, which UTF-8 writes as the one byte 0x00. */
export const leafHash = (data: Uint8Array | string): Buffer => sha256Bytes(typeof data === 'string' ? `\u0000${data}` : Buffer.concat([LEAF, data]))

/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256Bytes(Buffer.concat([NODE, left, right]))

/** MTH({}) = SHA-256 of the empty string: the root of a log with no event yet. */
export const EMPTY_ROOT: Buffer = sha256Bytes(new Uint8Array(0))

export const HASH_BYTES = 32

/** A hash as JSON carries it: 64 lowercase hex digits. */
export const toHex = (h: Uint8Array): string => Buffer.from(h).toString('hex')

export const isHex32 = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s)

export const fromHex = (s: string): Buffer => Buffer.from(s, 'hex')
