import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Checkpoint } from '../../store/merkle/checkpoints/checkpoint'
import { createPrivateFolders } from '../../private-folders'

/**
 * Where checkpoints go besides the store, so that deleting or rewriting the log does not take the
 * evidence with it: a folder (one JSON file each, never overwritten), and/or a witness that
 * receives each one by HTTP POST (another party's server, which keeps them).
 */
export interface CheckpointTargets {
  readonly dir?: string
  readonly witnessUrl?: string
}

export class CheckpointNotPublished extends Error {
  override readonly name = 'CheckpointNotPublished'
}

/** The file a checkpoint is written to: sortable by size, then time. */
export const checkpointFileName = (c: Checkpoint): string => `checkpoint-${String(c.treeSize).padStart(12, '0')}-${c.time.replace(/[-:]/g, '').replace('.', '')}.json`

/** Writes and sends the checkpoint; returns where it went, or throws naming what failed. */
export const publishCheckpoint = async (c: Checkpoint, to: CheckpointTargets, fetchImpl: typeof fetch = fetch): Promise<string[]> => {
  if (to.dir === undefined && to.witnessUrl === undefined) throw new CheckpointNotPublished('a checkpoint needs a place outside the store: a folder (--dir, LEDGER_CHECKPOINT_DIR) or a witness URL (--witness, LEDGER_WITNESS_URL)')
  const places: string[] = []
  const text = `${JSON.stringify(c, null, 2)}\n`
  if (to.dir !== undefined) {
    const file = join(to.dir, checkpointFileName(c))
    try {
      createPrivateFolders(file)
      writeFileSync(file, text, { flag: 'wx', mode: 0o644 })
    } catch (err) {
      throw new CheckpointNotPublished(`cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
    }
    places.push(file)
  }
  if (to.witnessUrl !== undefined) {
    let status: number
    try {
      const r = await fetchImpl(to.witnessUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text, signal: AbortSignal.timeout(10_000) })
      status = r.status
    } catch (err) {
      throw new CheckpointNotPublished(`the witness ${to.witnessUrl} could not be reached (${err instanceof Error ? err.message : String(err)})`)
    }
    if (status < 200 || status > 299) throw new CheckpointNotPublished(`the witness ${to.witnessUrl} answered ${status}`)
    places.push(to.witnessUrl)
  }
  return places
}
