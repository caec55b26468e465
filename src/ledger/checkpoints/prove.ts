import { toHex } from '../../store/merkle/tree/hashes'
import { logTreeOf } from '../../store/merkle/tree/log-tree'
import { CONSISTENCY_FORMAT, type ConsistencyProof, INCLUSION_FORMAT, type InclusionProof } from '../../store/merkle/proofs/proofs'
import type { EventStore } from '../../store/port'

/** A proof the log cannot give: the event is not in it, or the tree is smaller than asked. */
export class CannotProve extends Error {
  override readonly name = 'CannotProve'
}

const sizeOf = async (store: EventStore, treeSize: number, what: string): Promise<void> => {
  const size = await logTreeOf(store).size()
  if (treeSize > size) throw new CannotProve(`${what} covers ${treeSize} event(s), but the log holds only ${size}: events were removed since`)
}

/**
 * The inclusion proof of an event under a tree of `treeSize` events (a checkpoint's). An event the
 * tree holds past that size gets its place and an empty path: the verifier then says no checkpoint
 * of that size vouches for it, rather than the ledger hiding the question.
 */
export const proveInclusion = async (store: EventStore, eventId: string, treeSize: number): Promise<InclusionProof> => {
  const tree = logTreeOf(store)
  const at = await tree.locate(eventId)
  if (!at) throw new CannotProve(`event ${eventId} is not in the log (or not yet in its Merkle tree)`)
  await sizeOf(store, treeSize, `the checkpoint`)
  const path = at.index < treeSize ? (await tree.inclusionPath(at.index, treeSize)).map(toHex) : []
  return { format: INCLUSION_FORMAT, treeSize, leafIndex: at.index, path, event: at.event }
}

/** The consistency proof from the tree of `from` events to the tree of `to` events. */
export const proveConsistency = async (store: EventStore, from: number, to: number): Promise<ConsistencyProof> => {
  if (from > to) throw new CannotProve(`no consistency proof from ${from} event(s) to fewer (${to}): give the earlier checkpoint first`)
  await sizeOf(store, to, 'the later checkpoint')
  const tree = logTreeOf(store)
  const path = from === 0 ? [] : (await tree.consistencyPath(from, to)).map(toHex)
  return { format: CONSISTENCY_FORMAT, from: { treeSize: from, rootHash: toHex(await tree.root(from)) }, to: { treeSize: to, rootHash: toHex(await tree.root(to)) }, path }
}
