import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SqliteEventStore } from '../src/store/sqlite'
import { newEvent, storeContract } from './store-contract'

const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'))
  return { path: join(dir, 'ledger.db'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
}

storeContract('sqlite', async () => {
  const { path, cleanup } = tempDb()
  return { store: new SqliteEventStore(path), reopen: async () => new SqliteEventStore(path), cleanup }
})

describe('sqlite: the log is append-only in the database itself', () => {
  it('refuses UPDATE and DELETE of an event row, even through raw SQL', async () => {
    const { path, cleanup } = tempDb()
    const store = new SqliteEventStore(path)
    try {
      await store.append('budget-1-2021', [newEvent('A', { amount: '1.00' })], 'no_stream')
      const db = store.database
      expect(() => db.prepare("UPDATE events SET data = '{\"amount\":\"2.00\"}'").run()).toThrow(/append-only: UPDATE refused/)
      expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only: DELETE refused/)
      const [e] = await store.readStream('budget-1-2021')
      expect(e!.data).toEqual({ amount: '1.00' })
    } finally {
      await store.close()
      await cleanup()
    }
  })

  it('keeps events across a reopen of the file', async () => {
    const { path, cleanup } = tempDb()
    const a = new SqliteEventStore(path)
    await a.append('budget-1-2021', [newEvent('A'), newEvent('B')], 'no_stream')
    await a.close()
    const b = new SqliteEventStore(path)
    try {
      expect((await b.readStream('budget-1-2021')).map((e) => e.type)).toEqual(['A', 'B'])
    } finally {
      await b.close()
      await cleanup()
    }
  })
})

describe('sqlite: finding a repeated request by its idempotency key', () => {
  it('given a file written before the key index existed, when it is opened, then the index is built and the lookup uses it instead of scanning the stream', async () => {
    const { path, cleanup } = tempDb()
    const a = new SqliteEventStore(path)
    try {
      await a.append('budget-1-2021', [newEvent('A'), newEvent('B', { n: 2 }, { idempotencyKey: 'k' })], 'no_stream')
      a.database.exec('DROP INDEX events_idempotency_key')
    } finally {
      await a.close()
    }
    const b = new SqliteEventStore(path)
    try {
      expect((await b.readByIdempotencyKey('budget-1-2021', 'k')).map((e) => e.type)).toEqual(['B'])
      const plan = b.database
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM events WHERE stream = ? AND iif(json_valid(metadata), json_extract(metadata, '$.idempotencyKey'), NULL) = ?")
        .all('budget-1-2021', 'k') as Array<{ detail: string }>
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX events_idempotency_key/)
    } finally {
      await b.close()
      await cleanup()
    }
  })

  it('given metadata damaged in the file (not JSON any more), when the file is opened again, then it opens, the lookup skips that row and the rest is found', async () => {
    const { path, cleanup } = tempDb()
    const a = new SqliteEventStore(path)
    try {
      await a.append('budget-1-2021', [newEvent('A', { n: 1 }, { idempotencyKey: 'k' }), newEvent('B', { n: 2 }, { idempotencyKey: 'k' })], 'no_stream')
      a.database.exec('DROP TRIGGER events_append_only_update; DROP INDEX events_idempotency_key')
      a.database.prepare("UPDATE events SET metadata = '{\"idempotencyKey\": \"k\", broken' WHERE revision = 0").run()
    } finally {
      await a.close()
    }
    const b = new SqliteEventStore(path)
    try {
      expect((await b.readByIdempotencyKey('budget-1-2021', 'k')).map((e) => e.type)).toEqual(['B'])
    } finally {
      await b.close()
      await cleanup()
    }
  })
})
