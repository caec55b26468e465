import { existsSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/**
 * The folders above a file the ledger keeps private (the ledger itself, the tokens file): each
 * missing one created 0700, so whichever of them is made first, the shared folder is private.
 */

/** A folder above `path` could not be created; `code` is the system's answer (ENOENT, EACCES…). */
export class FolderNotCreated extends Error {
  override readonly name = 'FolderNotCreated'
  constructor(
    readonly folder: string,
    readonly code: string,
  ) {
    super(`cannot create the folder ${folder} (${code})`)
  }
}

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))

/**
 * Creates the missing folders above `path`, each 0700. Not mkdirSync's `recursive`: on Node 20 it
 * loops forever where mkdir answers ENOENT for a parent that exists (/proc/nope/x.db), and it
 * makes folders 0755. Here each missing folder is tried once, top down, and the first failure is
 * the answer.
 */
export const createPrivateFolders = (path: string): void => {
  const missing: string[] = []
  // Each step moves to a strictly shorter path: the walk ends at the root at the latest.
  for (let d = dirname(resolve(path)); !existsSync(d); d = dirname(d)) {
    missing.push(d)
    if (dirname(d) === d) break
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, { mode: 0o700 })
    } catch (err) {
      if (code(err) !== 'EEXIST') throw new FolderNotCreated(folder, code(err))
    }
  }
}
