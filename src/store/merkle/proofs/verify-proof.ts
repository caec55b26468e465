import type { KeyObject } from 'node:crypto'
import { type Checkpoint, checkCheckpoint } from '../checkpoints/checkpoint'
import { verifyConsistency } from './consistency'
import { fromHex, isHex32 } from '../tree/hashes'
import { verifyInclusion } from './inclusion'
import { type LeafEvent, eventLeafHash } from '../tree/leaf'
import { CONSISTENCY_FORMAT, type ConsistencyProof, INCLUSION_FORMAT, type InclusionProof } from './proofs'

/**
 * The auditor's offline checks (docs/audit.md, "The offline verifier"): only the published public
 * key, checkpoints, proofs and events, no database and no server. Each answer says what failed and
 * where (which event, which checkpoint). This file and what it imports are all the verifier needs:
 * the RFC 9162 verification algorithms, the checkpoint signature and the event's leaf encoding.
 */
export type Verdict = { readonly ok: true; readonly summary: string } | { readonly ok: false; readonly problem: string }

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)
const isCount = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0
const isPath = (u: unknown): u is string[] => Array.isArray(u) && u.every(isHex32)

const cpName = (c: Checkpoint, label: string) => `${label} (${c.treeSize} event(s), root ${c.rootHash}, signed ${c.time})`

const eventName = (e: LeafEvent) => `event ${e.id} (stream ${e.stream} revision ${e.revision}, position ${e.position})`

const leafEvent = (u: unknown): LeafEvent | undefined =>
  isRecord(u) && typeof u.id === 'string' && typeof u.stream === 'string' && isCount(u.revision) && isCount(u.position) && typeof u.type === 'string' && 'data' in u && 'metadata' in u
    ? (u as unknown as LeafEvent)
    : undefined

/** A checkpoint file's JSON, checked with the trusted key: the refusal names the file. */
export const trustedCheckpoint = (value: unknown, publicKey: KeyObject, where: string): { ok: true; checkpoint: Checkpoint } | { ok: false; problem: string } => {
  const c = checkCheckpoint(value, publicKey)
  return c.ok ? c : { ok: false, problem: `checkpoint ${where} refused: ${c.reason}` }
}

/**
 * That `event` (or the proof's own copy of it) is in the log under the checkpoint, at the place the
 * proof says. `event` given: the auditor's copy, checked instead of the one inside the proof.
 */
export const verifyInclusionProof = (proof: unknown, checkpoint: Checkpoint, where: { proof: string; checkpoint: string }, event?: unknown): Verdict => {
  if (!isRecord(proof) || proof.format !== INCLUSION_FORMAT) return { ok: false, problem: `${where.proof}: not an inclusion proof (expected "format": "${INCLUSION_FORMAT}")` }
  const p = proof as Partial<InclusionProof>
  if (!isCount(p.treeSize) || !isCount(p.leafIndex) || !isPath(p.path)) return { ok: false, problem: `${where.proof}: an inclusion proof needs treeSize, leafIndex and path (hex hashes)` }
  const e = leafEvent(event ?? p.event)
  if (!e) return { ok: false, problem: `${where.proof}: no event to check (the proof's "event", or the event file given, needs id, stream, revision, position, type, data, metadata)` }
  const cp = cpName(checkpoint, `checkpoint ${where.checkpoint}`)
  if (p.treeSize !== checkpoint.treeSize) return { ok: false, problem: `${where.proof} is a proof under a tree of ${p.treeSize} event(s), not under ${cp}` }
  if (p.leafIndex >= checkpoint.treeSize)
    return { ok: false, problem: `${eventName(e)} is leaf ${p.leafIndex} of the log, after the ${checkpoint.treeSize} event(s) ${cp} covers: no checkpoint vouches for it (it was appended after the last checkpoint)` }
  if (!verifyInclusion(eventLeafHash(e), p.leafIndex, p.treeSize, p.path.map(fromHex), fromHex(checkpoint.rootHash)))
    return {
      ok: false,
      problem: `${eventName(e)} is NOT in the log under ${cp} as leaf ${p.leafIndex}: the event, its place in the log, or the log before it is not what was signed (altered, moved or rewritten)`,
    }
  return { ok: true, summary: `${eventName(e)} is leaf ${p.leafIndex} of the log under ${cp}` }
}

/**
 * That the log of `later` extends the log of `earlier`: nothing among the earlier checkpoint's
 * events was changed, removed or reordered. Without a proof, only what the two checkpoints alone
 * show (a log that shrank, or one rewritten at the same size).
 */
export const verifyConsistencyProof = (earlier: Checkpoint, later: Checkpoint, where: { from: string; to: string; proof?: string }, proof?: unknown): Verdict => {
  const a = cpName(earlier, `checkpoint ${where.from}`)
  const b = cpName(later, `checkpoint ${where.to}`)
  if (Date.parse(later.time) < Date.parse(earlier.time)) return { ok: false, problem: `${b} was signed before ${a}: give the earlier checkpoint as --from` }
  if (later.treeSize < earlier.treeSize)
    return { ok: false, problem: `${b} covers fewer events than the earlier ${a}: the log lost its events after the first ${later.treeSize} (truncated)` }
  if (later.treeSize === earlier.treeSize)
    return later.rootHash === earlier.rootHash
      ? { ok: true, summary: `${b} is the same log as ${a}` }
      : { ok: false, problem: `${a} and ${b} cover the same number of events with different roots: the log was rewritten in between` }
  if (proof === undefined) return { ok: false, problem: `the logs of ${a} and ${b} differ in size: a consistency proof is needed (budget-ledger prove consistency)` }
  const name = where.proof ?? 'the proof'
  if (!isRecord(proof) || proof.format !== CONSISTENCY_FORMAT) return { ok: false, problem: `${name}: not a consistency proof (expected "format": "${CONSISTENCY_FORMAT}")` }
  const p = proof as Partial<ConsistencyProof>
  if (!isPath(p.path) || !isRecord(p.from) || !isRecord(p.to)) return { ok: false, problem: `${name}: a consistency proof needs from, to and path (hex hashes)` }
  if (p.from.treeSize !== earlier.treeSize || p.to.treeSize !== later.treeSize)
    return { ok: false, problem: `${name} goes from ${String(p.from.treeSize)} to ${String(p.to.treeSize)} event(s), not from ${a} to ${b}` }
  if (!verifyConsistency(earlier.treeSize, later.treeSize, fromHex(earlier.rootHash), fromHex(later.rootHash), p.path.map(fromHex)))
    return {
      ok: false,
      problem: `the log of ${b} does NOT extend the log of ${a}: among its first ${earlier.treeSize} event(s), some were altered, removed, inserted or moved after the earlier checkpoint was signed`,
    }
  return { ok: true, summary: `the log of ${b} extends the log of ${a}: its first ${earlier.treeSize} event(s) are unchanged` }
}
