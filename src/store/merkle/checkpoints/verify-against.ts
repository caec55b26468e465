import type { KeyObject } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Checkpoint, checkCheckpoint } from './checkpoint'
import { toHex } from '../tree/hashes'
import { logTreeOf } from '../tree/log-tree'
import type { EventStore } from '../../port'
import { type VerifyReport, verifyLog } from '../../chain/verify'

/**
 * Whether a ledger (a backup, a restored copy, a migrated store) holds, as its first events, exactly
 * the log a signed checkpoint vouched for: the checkpoint's signature with the published key, the
 * log's own chains and tree (verify), and the tree's root at the checkpoint's size. Events after
 * the checkpoint may follow; none of the first treeSize may differ.
 */
export interface CheckpointCheck {
  readonly ok: boolean
  readonly checkpoint?: Checkpoint
  readonly verify?: VerifyReport
  /** Each failure in words, naming the checkpoint and what differs. */
  readonly problems: ReadonlyArray<string>
}

/** `verified`: the store's verify report when the caller has just made it (a backup's check), so the log is not read twice. */
export const verifyAgainstCheckpoint = async (store: EventStore, checkpoint: unknown, publicKey: KeyObject, verified?: VerifyReport): Promise<CheckpointCheck> => {
  const c = checkCheckpoint(checkpoint, publicKey)
  if (!c.ok) return { ok: false, problems: [`the checkpoint is refused: ${c.reason}`] }
  const cp = c.checkpoint
  const report = verified ?? (await verifyLog(store))
  const problems: string[] = []
  if (!report.ok) problems.push('the ledger does not verify on its own (see verify)')
  const tree = logTreeOf(store)
  const size = await tree.size()
  if (size < cp.treeSize) problems.push(`the ledger holds ${size} event(s), fewer than the ${cp.treeSize} the checkpoint of ${cp.time} vouched for`)
  else {
    const root = toHex(await tree.root(cp.treeSize))
    if (root !== cp.rootHash) problems.push(`the ledger's first ${cp.treeSize} event(s) have root ${root}, not the ${cp.rootHash} the checkpoint of ${cp.time} signed: they were altered, removed or moved`)
  }
  return { ok: problems.length === 0, checkpoint: cp, verify: report, problems }
}

/**
 * The latest checkpoint in a folder that the key signed (largest tree, then latest time); others are
 * left out, and so are those signed after `signedBy` (a copy taken before them cannot hold them).
 */
export const latestCheckpoint = (dir: string, publicKey: KeyObject, signedBy?: Date): { file: string; checkpoint: Checkpoint } | undefined => {
  let best: { file: string; checkpoint: Checkpoint } | undefined
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    let value: unknown
    try {
      value = JSON.parse(readFileSync(join(dir, name), 'utf8'))
    } catch {
      continue
    }
    const c = checkCheckpoint(value, publicKey)
    if (!c.ok) continue
    const k = c.checkpoint
    if (signedBy !== undefined && Date.parse(k.time) > signedBy.getTime()) continue
    if (!best || k.treeSize > best.checkpoint.treeSize || (k.treeSize === best.checkpoint.treeSize && k.time > best.checkpoint.time)) best = { file: join(dir, name), checkpoint: k }
  }
  return best
}
