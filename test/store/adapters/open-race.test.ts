import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { LedgerLocked, switchToWal } from '../../../src/store/sqlite/sqlite-wal'
import { cli, cliProcess } from '../../support/shells/cli'
import { FILES } from '../../support/years/department'
import { tempDb } from '../../support/ledgers/temp-db'
import { newEvent } from './store-contract'

/**
 * Processes opening one fresh ledger file at once (two servers started together, CI on a loaded
 * machine): each waits for the others' locks, none dies of SQLITE_BUSY. The switch to WAL is the
 * statement SQLite's busy handler does not cover (src/store/sqlite/sqlite-wal.ts).
 */

/** Another process holding the write lock (BEGIN IMMEDIATE) of a file still in rollback mode, until `holdMs` after it printed "held". */
const holdWriteLock = (path: string, holdMs: number) =>
  new Promise<{ released: Promise<number>; kill: () => void }>((resolve, reject) => {
    const script = `
      const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(path)})
      db.exec('BEGIN IMMEDIATE')
      process.stdout.write('held\\n')
      setTimeout(() => { db.exec('COMMIT'); db.close() }, ${holdMs})`
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const released = new Promise<number>((done) => child.once('exit', (code) => done(code ?? -1)))
    child.once('error', reject)
    child.stdout.setEncoding('utf8').once('data', (t: string) => (t.startsWith('held') ? resolve({ released, kill: () => child.kill() }) : reject(new Error(t))))
  })

/** The file's journal mode and tables, read on a connection of its own. */
const inspect = (path: string): { journal: unknown; tables: string[] } => {
  const db = new Database(path, { readonly: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    return { journal: db.pragma('journal_mode', { simple: true }), tables: tables.map((r) => r.name) }
  } finally {
    db.close()
  }
}

describe('opening one fresh ledger file at once', () => {
  const dbs: ReturnType<typeof tempDb>[] = []
  const fresh = () => {
    const db = tempDb('ledger-open-race-')
    dbs.push(db)
    return db
  }
  afterEach(() => {
    for (const db of dbs.splice(0)) db.remove()
  })

  it('given another process holding the write lock of a fresh file still in rollback mode, when the store opens the file to write, then it waits for the lock instead of failing SQLITE_BUSY, and the file is in WAL mode with its schema', async () => {
    const db = fresh()
    writeFileSync(db.path, '', { mode: 0o600 })
    const holder = await holdWriteLock(db.path, 500)
    try {
      // Before the switch to WAL was retried, this threw "database is locked" at once.
      const store = new SqliteEventStore(db.path, { commitWorker: false })
      try {
        expect(await holder.released).toBe(0)
        await store.append('budget-900001-2021', [newEvent('Probe', { n: 1 })], 'no_stream')
        expect((await store.readStream('budget-900001-2021')).map((e) => e.data)).toEqual([{ n: 1 }])
      } finally {
        await store.close()
      }
    } finally {
      holder.kill()
      await holder.released
    }
    const file = inspect(db.path)
    expect(file.journal).toBe('wal')
    expect(file.tables).toEqual(expect.arrayContaining(['events', 'events_drop_guard', 'merkle_nodes', 'stream_openings', 'streams']))
  }, 60_000)

  it('given another process holding the write lock of a fresh file for longer than the busy timeout, when a connection switches it to WAL, then it fails LedgerLocked naming the file, and the file stays in rollback mode', async () => {
    const db = fresh()
    writeFileSync(db.path, '', { mode: 0o600 })
    const holder = await holdWriteLock(db.path, 60_000)
    const conn = new Database(db.path)
    try {
      conn.pragma('busy_timeout = 100')
      let thrown: unknown
      try {
        switchToWal(conn, db.path)
      } catch (err) {
        thrown = err
      }
      expect(thrown).toBeInstanceOf(LedgerLocked)
      expect((thrown as Error).message).toContain(db.path)
      expect((thrown as Error).message).toContain('database is locked')
    } finally {
      conn.close()
      holder.kill()
      await holder.released
    }
    expect(inspect(db.path)).toEqual({ journal: 'delete', tables: [] })
  }, 60_000)

  it('given six processes importing six units into one fresh file at the same moment, then every one succeeds, the file holds every unit once and verifies intact', async () => {
    const db = fresh()
    const units = Array.from({ length: 6 }, (_, i) => String(930001 + i))
    const paths = units.map((unit) => {
      const file = join(db.dir, `${unit}.json`)
      writeFileSync(file, JSON.stringify({ ...FILES[1], unit: { code: unit, name: `单位${unit}` } }))
      return file
    })
    const runs = await Promise.all(paths.map((file) => cliProcess(['--db', db.path, 'import', file])))
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' })
    const store = new SqliteEventStore(db.path, { readOnly: true })
    try {
      expect((await store.listStreams('budget-')).sort()).toEqual(units.map((u) => `budget-${u}-2021`))
    } finally {
      await store.close()
    }
    const verified = await cli(['--db', db.path, 'verify'])
    expect(verified.code).toBe(0)
  }, 120_000)
})
