import { createHash, hash } from 'node:crypto'

/**
 * SHA-256 in one call. `crypto.hash` (Node ≥ 20.12) hashes without building the Hash object
 * `createHash` makes, which for the short inputs of a commit (each event's chain hash, its Merkle
 * leaf, the tree's nodes) was as much as the hashing itself (docs/speed.md, "Writes, the commit's
 * SQL"); an older Node takes the Hash object. The same digest either way.
 */
const oneShot: typeof hash | undefined = typeof hash === 'function' ? hash : undefined

/** The digest of a text's UTF-8 bytes, as 64 lowercase hex digits. */
export const sha256Hex = (text: string): string => (oneShot ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text, 'utf8').digest('hex'))

/** The digest of bytes, or of a text's UTF-8 bytes. */
export const sha256Bytes = (data: string | Uint8Array): Buffer => (oneShot ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest())
