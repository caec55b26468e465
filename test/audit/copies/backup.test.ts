import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NewEvent, RecordedEvent } from '../../../src/store/envelope'
import { EventStoreDbStore } from '../../../src/store/eventstoredb/eventstoredb'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { migrate } from '../../../src/store/backup/migrate'
import { backupLedger } from '../../../src/store/backup/backup'
import { startTestEventStore } from '../../esdb/server'
import { cli, cliProcess } from '../../support/shells/cli'
import { type Spawned, TOKEN_ENTRIES, YEAR_PATH, addBody, fixtureBudgetFile, send, spawnServer, stopServer } from '../../support/shells/http'

/**
 * Backups that restore: `backup --out FILE` copies the ledger while the server writes (SQLite's
 * online backup; an EventStoreDB ledger through migrate) and verifies the copy before calling it
 * good; `restore --from FILE [--to FILE]` verifies the backup, refuses to overwrite a ledger
 * without --force, and verifies what it restored. Real server process, real CLI, real files.
 */
const STREAM = 'budget-900001-2021'

const everything = (file: string): RecordedEvent[] => {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT * FROM events ORDER BY position').all() as Array<{ position: number; id: string; stream: string; revision: number; type: string; data: string; metadata: string }>).map((r) => ({
      ...r,
      data: JSON.parse(r.data),
      metadata: JSON.parse(r.metadata),
    }))
  } finally {
    db.close()
  }
}

/** Padding so the file is tens of megabytes and the online copy takes many steps. */
const bulk = (n: number, from: number): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `bulk-${from + i}`,
    type: 'BudgetAdded',
    data: { line: 'p02', amount: '1.00', category: 'ordinary' },
    metadata: { recordedAt: new Date(Date.UTC(2021, 3, 1) + from + i).toISOString(), effectiveDate: '2021-04-01', actor: 'bulk', role: 'finance', reason: `批量追加 ${'理由'.repeat(200)}`, document: '测试〔2021〕9号', schemaVersion: 1 },
  }))

let dir: string
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-backup-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('backup while 16 writers record, and restore', () => {
  let server: Spawned | undefined
  afterEach(async () => {
    if (server) await stopServer(server)
    server = undefined
  })

  it('given a server process with 16 clients recording, when `backup --out` runs meanwhile as its own process, then the backup verifies and the restored ledger equals the source up to the backup\'s last position', async () => {
    const ledger = join(dir, 'ledger.db')
    // The year and its padding are written before the server starts: appending 16,000 events
    // blocks this process for seconds, and a keep-alive socket left idle across that block is a
    // race of the test's own client, not of the server under backup.
    const budgetFile = join(dir, 'budget.json')
    writeFileSync(budgetFile, JSON.stringify(fixtureBudgetFile()))
    const imported = await cli(['--db', ledger, 'import', budgetFile])
    expect(imported.code, imported.stderr).toBe(0)
    const side = new SqliteEventStore(ledger)
    for (let i = 0; i < 16_000; i += 2000) await side.append(STREAM, bulk(2000, i), 'any')
    await side.close()
    // The server signs a checkpoint every 8 events while the writers write (issue 14 §2).
    const keyFile = join(dir, 'keys', 'signer.pem')
    const key = await cli(['checkpoint-key', 'new', '--out', keyFile, '--format', 'json'])
    expect(key.code, key.stderr).toBe(0)
    const publicKeyFile = join(dir, 'signer.pub.pem')
    writeFileSync(publicKeyFile, JSON.parse(key.stdout).publicKey)
    const checkpointDir = join(dir, 'checkpoints')
    server = await spawnServer(dir, {
      LEDGER_DB: ledger,
      LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES),
      LEDGER_USERS_FILE: join(dir, 'users.json'),
      LEDGER_CHECKPOINT_KEY: keyFile,
      LEDGER_CHECKPOINT_DIR: checkpointDir,
      LEDGER_CHECKPOINT_EVERY: '8',
    })
    const url = server.url

    let stop = false
    let recorded = 0
    const statuses: number[] = []
    const writer = async (w: number) => {
      while (!stop) {
        const r = await send(url, 'POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00', w % 2 ? 'p01' : 'basic') })
        statuses.push(r.status)
        if (r.status === 201) recorded++
      }
    }
    const until = async (n: number) => {
      while (recorded < n) await new Promise((r) => setTimeout(r, 20))
    }
    const writers = Array.from({ length: 16 }, (_, w) => writer(w))
    await until(32)
    const before = recorded
    const out = join(dir, 'backups', 'ledger-backup.db')
    const backup = await cliProcess(['--db', ledger, 'backup', '--out', out, '--checkpoint-dir', checkpointDir, '--public-key', publicKeyFile, '--format', 'json'])
    const during = recorded - before
    await until(recorded + 32)
    stop = true
    await Promise.all(writers)

    expect(backup.stderr).toMatch(/copy: \d+\/\d+ pages \(100%\)/)
    expect(backup.stderr).toContain('verify: every hash chain')
    expect(backup.code, backup.stderr).toBe(0)
    const b = JSON.parse(backup.stdout)
    expect(b).toMatchObject({ method: 'sqlite-online-backup', file: out, verified: { ok: true, breaks: [] }, checkpoint: { status: 'verified' } })
    expect(statuses.every((s) => s === 201)).toBe(true)
    expect(during).toBeGreaterThan(0)

    const source = everything(ledger)
    const P: number = b.verified.position
    // The backup holds the log of the latest checkpoint its copy could hold, signed while the writers wrote.
    expect(b.checkpoint.checkpoint.treeSize).toBeGreaterThan(16_000)
    expect(b.checkpoint.checkpoint.treeSize).toBeLessThanOrEqual(b.verified.events)
    // The writers went on after the copy was taken: the source is ahead of the backup.
    expect(source.at(-1)!.position).toBeGreaterThan(P)
    expect(source.filter((e) => e.position <= P && e.type === 'BudgetAdded' && e.metadata.actor === 'tester-finance').length).toBeGreaterThan(0)

    const restoredFile = join(dir, 'restored', 'ledger.db')
    const restored = await cli(['restore', '--from', out, '--to', restoredFile, '--format', 'json'])
    expect(restored.code, restored.stderr).toBe(0)
    const r = JSON.parse(restored.stdout)
    expect(r).toMatchObject({ from: { verified: { ok: true, position: P } }, to: { file: restoredFile, verified: { ok: true, position: P, events: b.verified.events } }, replaced: false })
    expect(everything(restoredFile)).toEqual(source.filter((e) => e.position <= P))
    expect(statSync(restoredFile).mode & 0o777).toBe(0o600)
    expect(existsSync(`${out}.partial`)).toBe(false)
    expect((await cli(['--db', restoredFile, 'verify'])).code).toBe(0)
  }, 180_000)
})

describe('the online copy under a writer that never pauses', () => {
  it('given a 20 MB ledger and a writer appending between every step of the copy, when it is backed up, then the copy does not restart forever: it completes with a consistent log that verifies', async () => {
    const file = join(dir, 'busy.db')
    const store = new SqliteEventStore(file)
    for (let i = 0; i < 10_000; i += 2000) await store.append(STREAM, bulk(2000, i), 'any')
    let stop = false
    let n = 10_000
    const writing = (async () => {
      while (!stop) {
        // Several events a time: the file grows by a page or more between any two steps.
        await store.append(STREAM, bulk(4, n), 'any')
        n += 4
        await new Promise((r) => setTimeout(r, 1))
      }
    })()
    const reader = new SqliteEventStore(file, { readOnly: true })
    const pages: string[] = []
    try {
      const b = await backupLedger(reader, join(dir, 'busy-backup.db'), { onProgress: (p) => p.phase === 'copy' && pages.push(`${p.pages}/${p.totalPages}`) })
      expect(b.verified).toMatchObject({ ok: true, breaks: [] })
      expect(b.verified.events).toBeGreaterThanOrEqual(10_000)
      expect(pages.length).toBeGreaterThan(2)
      expect(everything(join(dir, 'busy-backup.db'))).toEqual(everything(file).slice(0, b.verified.events))
    } finally {
      stop = true
      await writing
      await reader.close()
      await store.close()
    }
  }, 60_000)
})

describe('restore refuses what it must not do', () => {
  const ledgerWith = async (file: string, extra = 0) => {
    expect((await cli(['--db', file, 'sample'])).code).toBe(0)
    for (let i = 0; i < extra; i++) expect((await cli(['--db', file, 'add', '--line', 'p01', '--amount', '1.00', '--reason', '追加', '--document', '文〔2021〕1号', '--date', '2021-05-01'])).code).toBe(0)
  }

  it('given a ledger file, when a backup is restored onto it without --force, then it is refused and the ledger is untouched; with --force it is replaced by the backup', async () => {
    const a = join(dir, 'a.db')
    const b = join(dir, 'b.db')
    await ledgerWith(a)
    await ledgerWith(b, 2)
    const backup = join(dir, 'a-backup.db')
    const made = await cli(['--db', a, 'backup', '--out', backup])
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toMatch(/verified\s+\d+ event\(s\) in 1 stream\(s\), up to position \d+: every hash chain is intact/)
    expect(made.stdout).toMatch(/checkpoint\s+no checkpoint folder and key given .*: verified by its hash chains only/)
    const kept = everything(b)

    const refused = await cli(['--db', b, 'restore', '--from', backup])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`${b} already holds a ledger; restore refuses to overwrite it without --force (nothing was written)`)
    expect(everything(b)).toEqual(kept)

    const forced = await cli(['--db', b, 'restore', '--from', backup, '--force'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stdout).toMatch(/replaced\s+the ledger the file held before \(--force\)/)
    expect(everything(b)).toEqual(everything(a))
  })

  it('given a backup, when it is restored onto itself, then it is refused', async () => {
    const a = join(dir, 'a.db')
    await ledgerWith(a)
    const r = await cli(['restore', '--from', a, '--to', a, '--force'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`--from and --to are the same file (${a}); nothing to restore`)
    expect((await cli(['--db', a, 'verify'])).code).toBe(0)
  })

  it('given a backup whose payload byte was changed, when it is restored, then it is refused naming the event and nothing is created', async () => {
    const a = join(dir, 'a.db')
    await ledgerWith(a)
    const backup = join(dir, 'a-backup.db')
    expect((await cli(['--db', a, 'backup', '--out', backup])).code).toBe(0)
    const db = new Database(backup)
    db.exec('DROP TRIGGER events_append_only_update')
    const victim = db.prepare("SELECT id, revision FROM events WHERE type = 'LineAllocated' LIMIT 1").get() as { id: string; revision: number }
    db.prepare("UPDATE events SET data = replace(data, '00\"', '01\"') WHERE id = ?").run(victim.id)
    db.close()
    const target = join(dir, 'new', 'ledger.db')
    const r = await cli(['restore', '--from', backup, '--to', target])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the backup ${backup} does not verify; nothing was restored: stream budget-101065-2021 revision ${victim.revision} (event ${victim.id}`)
    expect(existsSync(target)).toBe(false)
  })

  it('given a ledger whose chain is broken, when it is backed up, then the copy is refused and no file is left under --out', async () => {
    const a = join(dir, 'a.db')
    await ledgerWith(a)
    const db = new Database(a)
    db.exec('DROP TRIGGER events_append_only_update')
    db.prepare("UPDATE events SET data = replace(data, '00\"', '01\"') WHERE revision = 3").run()
    db.close()
    const out = join(dir, 'a-backup.db')
    const r = await cli(['--db', a, 'backup', '--out', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/the copy does not verify, so it is no backup \(deleted\): stream budget-101065-2021 revision 3/)
    expect(existsSync(out)).toBe(false)
    expect(existsSync(`${out}.partial`)).toBe(false)
  })

  it('given an existing file, when a backup is asked to be written there, then it is refused and the file is untouched', async () => {
    const a = join(dir, 'a.db')
    await ledgerWith(a)
    const taken = join(dir, 'taken.db')
    await ledgerWith(taken, 1)
    const kept = everything(taken)
    const r = await cli(['--db', a, 'backup', '--out', taken])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`--out ${taken} already exists; choose another name (a backup never overwrites a file)`)
    expect(everything(taken)).toEqual(kept)
  })
})

describe('backup of an EventStoreDB ledger', () => {
  it('given a ledger on EventStoreDB, when it is backed up, then migrate copies it into a SQLite file that verifies and holds the same events', async () => {
    const esdb = await startTestEventStore({ batchAppend: true })
    try {
      const file = join(dir, 'source.db')
      expect((await cli(['--db', file, 'sample'])).code).toBe(0)
      const store = new EventStoreDbStore(esdb.connectionString)
      const src = new SqliteEventStore(file, { readOnly: true })
      try {
        await migrate(src, store)
      } finally {
        await src.close()
        await store.close()
      }
      const out = join(dir, 'esdb-backup.db')
      const r = await cliProcess(['--store', esdb.connectionString, 'backup', '--out', out, '--format', 'json'])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toMatch(/migrate: \d+\/\d+ events \(100%\)/)
      const b = JSON.parse(r.stdout)
      expect(b).toMatchObject({ method: 'migrate', verified: { ok: true } })
      const strip = (e: RecordedEvent) => ({ id: e.id, stream: e.stream, revision: e.revision, type: e.type, data: e.data, metadata: e.metadata })
      expect(everything(out).map(strip)).toEqual(everything(file).map(strip))
    } finally {
      await esdb.stop()
    }
  }, 120_000)
})
