import type { RecordedEvent } from '../../envelope'
import { canonicalJson } from '../../chain/hash-chain'
import { leafHash } from './hashes'

/**
 * The leaf of an event in the Merkle tree over the log: the canonical JSON the hash chain covers
 * (stream, revision, id, type, data and metadata, prevHash included) plus the chain's own hash and
 * the event's global position. The position is in it so that moving an event to another place of
 * the log (swapping two streams' events) changes its leaf even though each stream's chain still
 * holds. This encoding is what an auditor's offline verifier recomputes from an event's JSON, so
 * it must never change for events already stored: a new encoding needs a new LEAF_FORMAT.
 */
export const LEAF_FORMAT = 'budget-ledger/leaf@1'

/** An event as the log stores it and an auditor holds it (RecordedEvent's JSON, read without trusting its types). */
export type LeafEvent = Omit<RecordedEvent, 'data' | 'metadata'> & { readonly data: unknown; readonly metadata: unknown }

export const leafData = (e: LeafEvent): string =>
  canonicalJson({ leaf: LEAF_FORMAT, position: e.position, stream: e.stream, revision: e.revision, id: e.id, type: e.type, data: e.data, metadata: e.metadata })

export const eventLeafHash = (e: LeafEvent): Buffer => leafHash(leafData(e))
