import type { KeyObject } from 'node:crypto'
import type { EventStore } from '../port'
import type { VerifyReport } from '../chain/verify'
import { latestCheckpoint, verifyAgainstCheckpoint } from '../merkle/checkpoints/verify-against'

/**
 * A backup is called good only when its log verifies AND holds, as its first events, the log the
 * latest signed checkpoint vouched for (docs/audit.md, "Backups that restore"): an older backup
 * restored over a ledger that had grown, or a copy altered and re-chained, is refused here.
 */
export interface CheckpointCheck {
  readonly status: 'verified' | 'no-checkpoint' | 'mismatch'
  /** What was checked, in words; printed by backup and restore. */
  readonly detail: string
  /** The checkpoint checked against, when there was one. */
  readonly checkpoint?: { readonly file: string; readonly treeSize: number; readonly rootHash: string; readonly time: string }
}

/** Where the operator keeps the signed checkpoints, and the published key that signed them. */
export interface CheckpointTrust {
  readonly dir: string
  readonly publicKey: KeyObject
}

/**
 * Against the latest checkpoint signed by `signedBy`: a copy started at that moment must hold it,
 * while the server goes on writing and signing after it. Without `signedBy`, the latest of all,
 * which a ledger put back must hold (a restore of an older backup would lose what was signed since).
 */
export const verifyBackupAgainstLatestCheckpoint = async (backup: EventStore, verified: VerifyReport, trust: CheckpointTrust | undefined, signedBy?: Date): Promise<CheckpointCheck> => {
  if (!trust)
    return { status: 'no-checkpoint', detail: 'no checkpoint folder and key given (LEDGER_CHECKPOINT_DIR with LEDGER_CHECKPOINT_KEY, or --checkpoint-dir with --public-key): verified by its hash chains only' }
  const latest = latestCheckpoint(trust.dir, trust.publicKey, signedBy)
  if (!latest) return { status: 'no-checkpoint', detail: `no checkpoint in ${trust.dir} signed by the key: verified by its hash chains only` }
  const { file, checkpoint: cp } = latest
  const checked = { file, treeSize: cp.treeSize, rootHash: cp.rootHash, time: cp.time }
  const r = await verifyAgainstCheckpoint(backup, cp, trust.publicKey, verified)
  return r.ok
    ? { status: 'verified', detail: `holds the ${cp.treeSize} event(s) the checkpoint ${file} of ${cp.time} signed (root ${cp.rootHash})`, checkpoint: checked }
    : { status: 'mismatch', detail: `against the checkpoint ${file} of ${cp.time} (${cp.treeSize} events): ${r.problems.join('; ')}`, checkpoint: checked }
}
