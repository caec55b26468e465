import { randomBytes } from 'node:crypto'
import { renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { createPrivateFolders } from '../../private-folders'

/**
 * The ledger's private files beside the events (the users file, the sessions file): mode 0600 in
 * folders made 0700, always written whole to a temp file and renamed over, so a reader sees the old
 * file or the new one, never half of one. Throws the system's error (its code names what failed).
 */
export const writePrivateFile = (file: string, text: string): void => {
  createPrivateFolders(file)
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' })
    renameSync(tmp, file)
  } catch (err) {
    try {
      unlinkSync(tmp)
    } catch {
      // never created, or already renamed
    }
    throw err
  }
}

/**
 * What tells one version of a file from the next (inode after a rename, size, modification time),
 * or "none" when there is no file: a reader re-reads the file only when this changed.
 */
export const fileVersion = (file: string): string => {
  try {
    const s = statSync(file)
    return `${s.ino}:${s.size}:${s.mtimeMs}`
  } catch {
    return 'none'
  }
}
