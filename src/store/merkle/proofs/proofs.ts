import type { LeafEvent } from '../tree/leaf'

/**
 * Proofs as JSON (docs/audit.md, "Proofs"): what the ledger hands out and the offline verifier
 * checks. Hashes are hex; the checkpoint a proof is checked against is given beside it.
 */
export const INCLUSION_FORMAT = 'budget-ledger/inclusion-proof@1'
export const CONSISTENCY_FORMAT = 'budget-ledger/consistency-proof@1'

/** An event is the leaf at leafIndex of the tree of the first treeSize events (RFC 9162 §2.1.3). */
export interface InclusionProof {
  readonly format: typeof INCLUSION_FORMAT
  readonly treeSize: number
  readonly leafIndex: number
  /** PATH(leafIndex, D[treeSize]): the leaf's sibling first. Empty when the event is past treeSize. */
  readonly path: ReadonlyArray<string>
  /** The event as the log stores it, whose leaf is proven. */
  readonly event: LeafEvent
}

export interface TreeHead {
  readonly treeSize: number
  readonly rootHash: string
}

/** The tree of `to` extends the tree of `from`: nothing among its first from.treeSize events changed (RFC 9162 §2.1.4). */
export interface ConsistencyProof {
  readonly format: typeof CONSISTENCY_FORMAT
  readonly from: TreeHead
  readonly to: TreeHead
  readonly path: ReadonlyArray<string>
}
