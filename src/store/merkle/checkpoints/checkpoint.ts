import { type KeyObject, createHash, sign, verify } from 'node:crypto'
import { canonicalJson } from '../../chain/hash-chain'
import { isHex32 } from '../tree/hashes'

/**
 * A signed checkpoint (docs/audit.md, "Signed checkpoints"): the size and root of the Merkle tree
 * over the log at a moment, signed with Ed25519 by a key kept outside the database. Like a
 * Certificate Transparency signed tree head (RFC 9162 §4.10): whoever holds one can later demand
 * proof that any event was in the log under it, and that a later log still extends it.
 * The signature covers the canonical JSON of {format, treeSize, rootHash, time, keyId}.
 */
export const CHECKPOINT_FORMAT = 'budget-ledger/checkpoint@1'

export interface CheckpointBody {
  readonly format: typeof CHECKPOINT_FORMAT
  /** Events (leaves) the tree covers: the first treeSize events of the log in global order. */
  readonly treeSize: number
  readonly rootHash: string
  /** When it was signed, ISO-8601 UTC. */
  readonly time: string
  /** SHA-256 (hex) of the public key's DER (SPKI): names the key without trusting the file. */
  readonly keyId: string
}

export interface Checkpoint extends CheckpointBody {
  /** Ed25519 over the canonical JSON of the body, base64. */
  readonly signature: string
}

export const keyIdOf = (publicKey: KeyObject): string => createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')

const message = (b: CheckpointBody): Buffer =>
  Buffer.from(canonicalJson({ format: b.format, treeSize: b.treeSize, rootHash: b.rootHash, time: b.time, keyId: b.keyId }), 'utf8')

export const signCheckpoint = (tree: { treeSize: number; rootHash: string }, time: Date, privateKey: KeyObject, publicKey: KeyObject): Checkpoint => {
  const body: CheckpointBody = { format: CHECKPOINT_FORMAT, treeSize: tree.treeSize, rootHash: tree.rootHash, time: time.toISOString(), keyId: keyIdOf(publicKey) }
  return { ...body, signature: sign(null, message(body), privateKey).toString('base64') }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * A checkpoint read from JSON and checked against the public key the auditor trusts: the shape,
 * then the key (a checkpoint of another key is refused, naming both), then the signature.
 * Returns the reason it is refused, or the checkpoint.
 */
export const checkCheckpoint = (value: unknown, publicKey: KeyObject): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } => {
  if (!isRecord(value) || value.format !== CHECKPOINT_FORMAT) return { ok: false, reason: `not a checkpoint: expected {"format": "${CHECKPOINT_FORMAT}", …}` }
  const { treeSize, rootHash, time, keyId, signature } = value
  if (!(typeof treeSize === 'number' && Number.isInteger(treeSize) && treeSize >= 0)) return { ok: false, reason: 'treeSize: expected a whole number ≥ 0' }
  if (!isHex32(rootHash)) return { ok: false, reason: 'rootHash: expected 64 lowercase hex digits' }
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) return { ok: false, reason: 'time: expected an ISO-8601 time' }
  if (typeof keyId !== 'string') return { ok: false, reason: 'keyId: expected the SHA-256 of the signing key' }
  if (typeof signature !== 'string') return { ok: false, reason: 'signature: expected base64' }
  const trusted = keyIdOf(publicKey)
  if (keyId !== trusted) return { ok: false, reason: `signed by another key: keyId ${keyId}, but the public key given is ${trusted}` }
  const checkpoint: Checkpoint = { format: CHECKPOINT_FORMAT, treeSize, rootHash, time, keyId, signature }
  if (!verify(null, message(checkpoint), publicKey, Buffer.from(signature, 'base64')))
    return { ok: false, reason: 'the signature does not match its content: the checkpoint was altered, or not signed by this key' }
  return { ok: true, checkpoint }
}
