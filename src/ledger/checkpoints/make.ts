import { toHex } from '../../store/merkle/tree/hashes'
import { type Checkpoint, signCheckpoint } from '../../store/merkle/checkpoints/checkpoint'
import type { CheckpointKey } from '../../store/merkle/checkpoints/checkpoint-key'
import { logTreeOf } from '../../store/merkle/tree/log-tree'
import type { EventStore } from '../../store/port'
import { SqliteEventStore } from '../../store/sqlite/sqlite'

export class NoTreeYet extends Error {
  override readonly name = 'NoTreeYet'
}

/** A checkpoint of the store's tree as it is now, signed with the key. */
export const makeCheckpoint = async (store: EventStore, key: CheckpointKey, now: Date): Promise<Checkpoint> => {
  // A file no writer of this version opened has no tree yet: signing its empty tree would vouch for nothing.
  if (store instanceof SqliteEventStore && !store.tree.exists)
    throw new NoTreeYet(`${store.path} has no Merkle tree yet: open it once with a writer of this version (the server, or any recording command), which adds it`)
  const tree = logTreeOf(store)
  const treeSize = await tree.size()
  return signCheckpoint({ treeSize, rootHash: toHex(await tree.root(treeSize)) }, now, key.privateKey, key.publicKey)
}
