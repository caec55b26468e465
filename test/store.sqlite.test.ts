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
