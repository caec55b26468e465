import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { createPrivateFolders } from '../../private-folders'
import { sleepSync } from '../../sleep-sync'

/**
 * An exclusive lock between processes on one file (the users file, the sessions file): a lock file
 * beside it created with O_EXCL, holding who took it. The CLI and a running server both
 * read-modify-write under it, so two writers at the same instant each see the other's change.
 * A lock whose holder died (its pid is gone on this host) or that is older than any holder keeps
 * one (STALE_MS) is taken over. Held for a read and a write of a small file only: synchronous.
 */
export const STALE_MS = 10_000
const WAIT_MS = 5_000

export class FileLockError extends Error {}

interface Holder {
  readonly pid: number
  readonly host: string
  readonly at: string
}


const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The lock's text when its holder is gone or it is too old, else undefined (held, or already released). */
const staleText = (lock: string, now: number): string | undefined => {
  let text: string
  let age: number
  try {
    text = readFileSync(lock, 'utf8')
    age = now - statSync(lock).mtimeMs
  } catch {
    return undefined
  }
  let holder: Partial<Holder> = {}
  try {
    holder = JSON.parse(text) as Holder
  } catch {
    // Half-written by a holder that died between create and write: judged by age alone.
  }
  const dead = holder.host === hostname() && typeof holder.pid === 'number' && !alive(holder.pid)
  return dead || age > STALE_MS ? text : undefined
}

/**
 * Removes a stale lock. Renamed away first and checked to be the one judged stale: if another
 * process took it over in between, that live lock is put back (link refuses to overwrite a newer one).
 */
const breakStale = (lock: string, text: string): void => {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`
  try {
    renameSync(lock, aside)
  } catch {
    return
  }
  try {
    if (readFileSync(aside, 'utf8') !== text) linkSync(aside, lock)
  } catch {
    // A newer lock is already in place: it stands.
  }
  unlinkSync(aside)
}

const acquire = (lock: string): number => {
  const deadline = Date.now() + WAIT_MS
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      const fd = openSync(lock, 'wx', 0o600)
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() } satisfies Holder))
      return fd
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new FileLockError(`cannot create the lock ${lock}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
    }
    const stale = staleText(lock, Date.now())
    if (stale !== undefined) {
      breakStale(lock, stale)
      continue
    }
    if (Date.now() > deadline) {
      let holder = ''
      try {
        holder = readFileSync(lock, 'utf8')
      } catch {
        // released just now: the next try takes it
        continue
      }
      throw new FileLockError(`${lock} is held by another process (${holder}) for more than ${WAIT_MS / 1000} s; if no budget-ledger is running, remove it`)
    }
    sleepSync(pause)
  }
}

/** Runs f while holding the lock of file (file + ".lock"); the lock is released however f ends. */
export const withFileLock = <T>(file: string, f: () => T): T => {
  createPrivateFolders(file)
  const lock = `${file}.lock`
  const fd = acquire(lock)
  try {
    return f()
  } finally {
    closeSync(fd)
    unlinkSync(lock)
  }
}
