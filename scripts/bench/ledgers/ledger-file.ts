import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { snapshotsFor } from '../../../src/ledger/fold/snapshots/snapshots'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { STREAM, build, say } from './seed'

/** The tokens the measured processes accept: a reader and a writer, as a dashboard and finance staff hold them. */
export const TOKENS = { read: 'bench-dashboard-token-0123456789abcdef', write: 'bench-finance-token-0123456789abcdef' }
export const TOKEN_ENTRIES = JSON.stringify([
  { token: TOKENS.read, name: 'bench-dashboard', role: 'dashboard' },
  { token: TOKENS.write, name: 'bench-finance', role: 'finance' },
])

export interface LedgerFile {
  readonly dir: string
  readonly path: string
  readonly events: number
  /** A fresh copy for a run that writes, so every run starts from the same ledger. */
  copy(name: string): string
  /** What a server on `path` needs in its environment. */
  serverEnv(path: string): NodeJS.ProcessEnv
  remove(): void
}

/**
 * Builds the synthetic unit-year of `events` events, lets the store add its Merkle leaves, and saves
 * its snapshots (`snapshots rebuild`), all before anything is timed: a ledger as the recording path
 * leaves it, which saves a snapshot whenever an append crosses a multiple of 1000.
 */
export const ledgerFile = async (events: number, seed = 2021): Promise<LedgerFile> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'))
  const path = join(dir, 'ledger.db')
  const store = new SqliteEventStore(path)
  build(store, events, seed)
  await store.close()
  const reopened = new SqliteEventStore(path) // catches the tree up with the rows written straight into the file
  const head = await reopened.streamRevision(STREAM)
  say('  saving its snapshots…\n')
  await snapshotsFor(reopened).rebuild(STREAM)
  await reopened.close()
  if (head + 1 !== events) throw new Error(`invariant: the ledger holds ${head + 1} events, not ${events}`)
  writeFileSync(join(dir, 'users.json'), '[]\n')
  return {
    dir,
    path,
    events,
    copy: (name) => {
      const to = join(dir, `${name}.db`)
      copyFileSync(path, to)
      // On disk before the run: else the run's first fsync (the rebuild's clear of its old rows, a
      // server's first commit) waits for the copy's own writeback, 0.31 s at 1M (docs/speed.md,
      // "Rebuild, what limits it"): the bench's cost, not the ledger's.
      const fd = openSync(to, 'r+')
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      return to
    },
    serverEnv: (db) => ({ LEDGER_DB: db, LEDGER_TOKENS: TOKEN_ENTRIES, LEDGER_USERS_FILE: join(dir, 'users.json') }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
