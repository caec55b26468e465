import { closeSync, openSync, statSync } from 'node:fs'
import { FolderNotCreated, createPrivateFolders } from '../../private-folders'

/**
 * The SQLite file of a ledger on disk: who may create it, and with which permissions.
 *
 * A read must never leave a file behind (a mistyped --db would otherwise verify an empty log and
 * print "every hash chain is intact"), so only a writer creates the file. The ledger holds budget
 * decisions: the file is created 0600 and its folder 0700; SQLite gives the -wal and -shm files the
 * permissions of the database file.
 */

/** A read asked for a ledger file that does not exist; nothing was created. */
export class LedgerNotFound extends Error {
  override readonly name = 'LedgerNotFound'
  constructor(readonly path: string) {
    super(`no ledger at ${path} (nothing was created)`)
  }
}

/** The file exists but cannot be used as a ledger (not SQLite, no events table, unreadable). */
export class LedgerUnusable extends Error {
  override readonly name = 'LedgerUnusable'
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`cannot use ${path} as a ledger: ${why}`)
  }
}

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))

/** Creates the ledger file (0600) and its folders (0700) if missing, for a writer about to open it. */
export const createLedgerFile = (path: string): void => {
  try {
    createPrivateFolders(path)
  } catch (err) {
    if (err instanceof FolderNotCreated) throw new LedgerUnusable(path, err.message)
    throw err
  }
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch (err) {
    if (code(err) !== 'EEXIST') throw new LedgerUnusable(path, `cannot create the file (${code(err)})`)
  }
}

/** For a reader: the file must exist and be a file; nothing is created. */
export const mustExist = (path: string): void => {
  let isFile: boolean
  try {
    isFile = statSync(path).isFile()
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') throw new LedgerNotFound(path)
    throw new LedgerUnusable(path, code(err))
  }
  if (!isFile) throw new LedgerUnusable(path, 'it is not a file')
}
