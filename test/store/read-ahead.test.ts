import { describe, expect, it } from 'vitest'
import { type ReplayEvent, type StreamReader, portReader, sqliteReader } from '../../src/ledger/stream-reader'
import type { NewEvent } from '../../src/store/envelope'
import { SqliteEventStore } from '../../src/store/sqlite'
import { readAhead } from '../../src/store/sqlite-read-ahead'
import { tempDb } from '../support/temp-db'

/**
 * The SQLite reader reads a long range on a second thread (src/store/sqlite-read-ahead.ts). Forced
 * on here for short streams and tiny pages, it must give exactly what the in-thread reader and the
 * store's own readStream give, whatever the range and page boundaries, and fail loudly, never hang.
 */
const STREAM = 'budget-900001-2021'

const events = (n: number, from = 0): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `e-${from + i}`,
    type: 'BudgetAdded',
    data: { line: `p${(from + i) % 7}`, amount: `${from + i + 1}.05`, category: 'ordinary', note: '引号 " 与反斜杠 \\ 也原样' },
    metadata: {
      recordedAt: new Date(Date.UTC(2021, 2, 1, 0, 0, from + i)).toISOString(),
      effectiveDate: '2021-03-01',
      actor: 'a',
      role: 'finance',
      reason: 'r',
      document: null,
    },
  }))

const withStore = async (n: number, f: (store: SqliteEventStore) => Promise<void>) => {
  const db = tempDb('read-ahead-')
  const store = new SqliteEventStore(db.path)
  try {
    for (let i = 0; i < n; i += 500) await store.append(STREAM, events(Math.min(500, n - i), i), 'any')
    await f(store)
  } finally {
    await store.close()
    db.remove()
  }
}

const read = async (reader: StreamReader, from: number, to: number) => {
  const out: ReplayEvent[] = []
  await reader.range(STREAM, from, to, (e) => out.push(e))
  return out
}

describe('reading a stream ahead on a second thread', () => {
  it('given a stream of 1,234 events, when ranges are read in pages of 1, 7 and 1,000, then they equal the in-thread reader and the store', async () => {
    await withStore(1234, async (store) => {
      const inThread = sqliteReader(store.database, { readAheadFrom: Number.MAX_SAFE_INTEGER })
      const whole = await read(portReader(store), 0, Number.MAX_SAFE_INTEGER)
      expect(whole).toHaveLength(1234)
      expect(await read(inThread, 0, Number.MAX_SAFE_INTEGER)).toEqual(whole)
      for (const pageSize of [1, 7, 1000])
        for (const [from, to] of [
          [0, Number.MAX_SAFE_INTEGER],
          [3, 1000],
          [999, 1233],
          [1000, 5000],
          [1233, 1233],
        ] as const) {
          const ahead = sqliteReader(store.database, { readAheadFrom: 1, readAhead: { pageSize, ahead: 3 } })
          expect(await read(ahead, from, to), `pages of ${pageSize}, ${from}..${to}`).toEqual(whole.slice(from, to + 1))
        }
    })
  })

  it('given an event written by another tool (metadata in another layout), when read ahead, then its dates are read from the metadata', async () => {
    await withStore(20, async (store) => {
      await store.append(
        STREAM,
        [{ id: 'odd', type: 'BudgetAdded', data: { line: 'p1', amount: '1.00', category: 'ordinary' }, metadata: { actor: 'tool', effectiveDate: '2021-04-02', recordedAt: '2021-04-01T10:00:00+08:00' } as never }],
        'any',
      )
      await store.append(STREAM, events(5, 21), 'any')
      const ahead = await read(sqliteReader(store.database, { readAheadFrom: 1, readAhead: { pageSize: 4 } }), 0, Number.MAX_SAFE_INTEGER)
      expect(ahead).toEqual(await read(portReader(store), 0, Number.MAX_SAFE_INTEGER))
      expect(ahead[20]).toMatchObject({ id: 'odd', recordedAt: '2021-04-01T10:00:00+08:00', effectiveDate: '2021-04-02' })
      expect(ahead.map((e) => e.revision)).toEqual(Array.from({ length: 26 }, (_, i) => i))
    })
  })

  it('given a payload changed to something that is not JSON (the trigger dropped), when read ahead, then the read fails naming the stream and where', async () => {
    await withStore(50, async (store) => {
      store.database.exec('DROP TRIGGER events_append_only_update')
      store.database.prepare('UPDATE events SET data = ? WHERE stream = ? AND revision = 23').run('{"line": "p1", "amount": ', STREAM)
      const ahead = sqliteReader(store.database, { readAheadFrom: 1, readAhead: { pageSize: 10 } })
      const seen: number[] = []
      await expect(ahead.range(STREAM, 0, 100, (e) => seen.push(e.revision))).rejects.toThrow(/budget-900001-2021 from revision 20 on are not all stored as JSON/)
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i))
    })
  })

  it('given a fold that throws halfway, when read ahead, then the read rejects with that error and the next read still works', async () => {
    await withStore(300, async (store) => {
      const ahead = sqliteReader(store.database, { readAheadFrom: 1, readAhead: { pageSize: 16 } })
      await expect(
        ahead.range(STREAM, 0, 299, (e) => {
          if (e.revision === 123) throw new Error('the fold refused revision 123')
        }),
      ).rejects.toThrow('the fold refused revision 123')
      expect(await read(ahead, 0, 299)).toHaveLength(300)
    })
  })

  it('given a file that does not exist, when read ahead, then the read rejects instead of waiting for pages', async () => {
    const db = tempDb('read-ahead-')
    try {
      await expect(readAhead(`${db.dir}/missing.db`, STREAM, 0, 10, () => {})).rejects.toThrow(/unable to open|does not exist|directory/i)
      await expect(readAhead(`${db.dir}/missing.db`, STREAM, 0, 10, () => {}, { pageSize: 0 })).rejects.toThrow(/pageSize ≥ 1/)
    } finally {
      db.remove()
    }
  })
})
