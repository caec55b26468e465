import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { verifyLog } from '../../../src/store/chain/verify'
import { newEvent, storeContract } from './store-contract'
import { cli } from '../../support/shells/cli'

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

  /** Two streams of events written by the store, then the file left to an attacker holding better-sqlite3 with its defaults. */
  const ledgerFile = async () => {
    const { path, cleanup } = tempDb()
    const store = new SqliteEventStore(path)
    await store.append('budget-1-2021', [newEvent('A', { amount: '1.00' }), newEvent('B', { amount: '2.00' })], 'no_stream')
    await store.append('budget-2-2021', [newEvent('C', { amount: '3.00' })], 'no_stream')
    await store.close()
    return { path, cleanup }
  }
  const rows = (db: Database.Database) => db.prepare('SELECT position, id, stream, revision, type, data, metadata FROM events ORDER BY position').all()
  const verifies = async (path: string) => {
    const r = await cli(['--db', path, 'verify'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('verified 3 event(s) in 2 stream(s)')
  }
  const columns = '(position, id, stream, revision, type, data, metadata)'
  const forged = (r: Record<string, unknown>) => ({ ...r, data: '{"amount":"999.00"}' })

  it('given a ledger file, when an attacker overwrites an event with REPLACE INTO or INSERT OR REPLACE (which fire no DELETE trigger), then the database refuses, the row is intact and verify passes', async () => {
    const { path, cleanup } = await ledgerFile()
    const db = new Database(path)
    try {
      const before = rows(db) as Array<Record<string, unknown>>
      const [first, second, third] = before
      const values = '(@position, @id, @stream, @revision, @type, @data, @metadata)'
      // The same row with other data; then a row that only collides on its id, on (stream, revision), or on position.
      for (const [verb, row] of [
        ['REPLACE INTO', forged(first!)],
        ['INSERT OR REPLACE INTO', forged(second!)],
        ['REPLACE INTO', { ...forged(third!), position: 99 }],
        ['REPLACE INTO', { ...forged(third!), position: 99, id: 'other-id' }],
        ['REPLACE INTO', { ...forged(first!), id: 'other-id', stream: 'budget-9-2021' }],
      ] as const)
        expect(() => db.prepare(`${verb} events ${columns} VALUES ${values}`).run(row), `${verb} ${JSON.stringify(row)}`).toThrow(
          /append-only: an insert over an existing event \(REPLACE\) refused/,
        )
      expect(() => db.prepare("INSERT INTO events (id, stream, revision, type, data, metadata) VALUES ('x', 'budget-1-2021', 1, 'T', '{}', '{}') ON CONFLICT DO UPDATE SET data = excluded.data").run()).toThrow(/append-only/)
      expect(rows(db)).toEqual(before)
    } finally {
      db.close()
    }
    await verifies(path)
    await cleanup()
  })

  it('given a ledger file, when an attacker drops the events table (or a table guarding it first), then the database refuses, the table is intact and verify passes', async () => {
    const { path, cleanup } = await ledgerFile()
    const db = new Database(path)
    try {
      const before = rows(db)
      for (const table of ['events', 'events_drop_guard', 'events_drop_guard_peer'])
        expect(() => db.exec(`DROP TABLE ${table}`), table).toThrow(/FOREIGN KEY constraint failed/)
      expect(() => db.exec('DELETE FROM events_drop_guard')).toThrow(/guard of the events table is fixed/)
      expect(() => db.exec('UPDATE events_drop_guard_peer SET guard = NULL')).toThrow(/guard of the events table is fixed/)
      expect(rows(db)).toEqual(before)
    } finally {
      db.close()
    }
    await verifies(path)
    await cleanup()
  })

  it('given a file written by an older version (no REPLACE trigger, no guard), when a writer opens it, then it gets both, and opening it again changes nothing', async () => {
    const { path, cleanup } = await ledgerFile()
    const old = new Database(path)
    old.pragma('foreign_keys = OFF')
    old.exec(`DROP TRIGGER events_append_only_replace; DROP TRIGGER events_seal_first;
      DROP TABLE events_drop_guard; DROP TABLE events_drop_guard_peer`)
    old.close()
    const schema = () => {
      const db = new Database(path, { readonly: true })
      try {
        return { objects: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all(), guard: db.prepare('SELECT * FROM events_drop_guard').all() }
      } finally {
        db.close()
      }
    }
    await new SqliteEventStore(path).close()
    const upgraded = schema()
    expect(upgraded.guard).toEqual([{ position: 1, peer: 1 }])
    await new SqliteEventStore(path).close()
    expect(schema()).toEqual(upgraded)

    const db = new Database(path)
    try {
      const before = rows(db) as Array<Record<string, unknown>>
      expect(() => db.prepare(`REPLACE INTO events ${columns} VALUES (@position, @id, @stream, @revision, @type, @data, @metadata)`).run(forged(before[2]!))).toThrow(/REPLACE\) refused/)
      expect(() => db.exec('DROP TABLE events')).toThrow(/FOREIGN KEY constraint failed/)
      expect(rows(db)).toEqual(before)
    } finally {
      db.close()
    }
    await verifies(path)
    await cleanup()
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

describe('sqlite: streams are listed from an index kept with the log', () => {
  const indexRows = (db: Database.Database) => db.prepare('SELECT stream, revision, position, first_position FROM streams ORDER BY stream').all()
  const fromEvents = (db: Database.Database) =>
    db.prepare('SELECT stream, max(revision) AS revision, max(position) AS position, min(position) AS first_position FROM events GROUP BY stream ORDER BY stream').all()

  it('given a file written before the index existed, when a reader lists it, a writer opens it, and it is opened again, then the reader scans the events, the writer fills the index once from them, and every listing is the same', async () => {
    const { path, cleanup } = tempDb()
    try {
      const a = new SqliteEventStore(path)
      await a.append('budget-2-2021', [newEvent('A'), newEvent('B')], 'no_stream')
      await a.append('budget-1_1-2021', [newEvent('C')], 'no_stream')
      await a.append('budget-1-2021', [newEvent('D')], 'no_stream')
      await a.append('budget-2-2021', [newEvent('E')], 1)
      await a.append('other-1', [newEvent('F')], 'no_stream')
      const before = { all: await a.listStreams(''), budget: await a.listStreams('budget-'), one: await a.listStreams('budget-1') }
      expect(before.budget).toEqual(['budget-2-2021', 'budget-1_1-2021', 'budget-1-2021'])
      const openings = async (s: SqliteEventStore) => (await s.listStreamOpenings('budget-1', { limit: 5 })).map((o) => [o.stream, o.first.type])
      expect(await openings(a)).toEqual([['budget-1-2021', 'D'], ['budget-1_1-2021', 'C']])
      a.database.exec('DROP TRIGGER events_stream_index; DROP TABLE streams')
      await a.close()

      const reader = new SqliteEventStore(path, { readOnly: true })
      expect({ all: await reader.listStreams(''), budget: await reader.listStreams('budget-'), one: await reader.listStreams('budget-1') }).toEqual(before)
      expect(await openings(reader)).toEqual([['budget-1-2021', 'D'], ['budget-1_1-2021', 'C']])
      await reader.close()

      const writer = new SqliteEventStore(path)
      try {
        expect(indexRows(writer.database)).toEqual(fromEvents(writer.database))
        expect(indexRows(writer.database)).toContainEqual({ stream: 'budget-2-2021', revision: 2, position: 5, first_position: 1 })
        expect({ all: await writer.listStreams(''), budget: await writer.listStreams('budget-'), one: await writer.listStreams('budget-1') }).toEqual(before)
        expect(await openings(writer)).toEqual([['budget-1-2021', 'D'], ['budget-1_1-2021', 'C']])
        const plan = writer.database
          .prepare('EXPLAIN QUERY PLAN SELECT stream FROM streams WHERE stream >= ? AND stream < ? ORDER BY first_position')
          .all('budget-', 'budget.') as Array<{ detail: string }>
        expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH streams USING PRIMARY KEY \(stream>\? AND stream<\?\)/)
      } finally {
        await writer.close()
      }
      const again = new SqliteEventStore(path)
      try {
        expect(indexRows(again.database)).toEqual(fromEvents(again.database))
        // An event written by raw SQL (an older code path) is indexed by the file itself.
        const [d] = await again.readStream('budget-1-2021')
        again.database
          .prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)')
          .run('raw-1', 'budget-3-2021', 0, 'X', '{}', JSON.stringify(d!.metadata))
        expect(indexRows(again.database)).toEqual(fromEvents(again.database))
        expect(await again.listStreams('budget-')).toEqual([...before.budget, 'budget-3-2021'])
      } finally {
        await again.close()
      }
    } finally {
      await cleanup()
    }
  })

  it('given a failed append, then the index is unchanged with the log: it lives in the append’s transaction', async () => {
    const { path, cleanup } = tempDb()
    const store = new SqliteEventStore(path)
    try {
      await store.append('budget-1-2021', [newEvent('A')], 'no_stream')
      const before = indexRows(store.database)
      await expect(store.append('budget-1-2021', [newEvent('B'), newEvent('C')], 5)).rejects.toThrow()
      const taken = newEvent('Taken')
      await store.append('budget-2-2021', [taken], 'no_stream')
      await expect(store.append('budget-3-2021', [newEvent('D'), taken], 'no_stream')).rejects.toThrow()
      expect(indexRows(store.database)).toEqual([...before, { stream: 'budget-2-2021', revision: 0, position: 2, first_position: 2 }])
      expect(await store.listStreams('budget-')).toEqual(['budget-1-2021', 'budget-2-2021'])
    } finally {
      await store.close()
      await cleanup()
    }
  })
})

describe('sqlite: the openings’ summaries are an index kept with the log', () => {
  const summaryRows = (db: Database.Database) => db.prepare('SELECT * FROM stream_openings ORDER BY stream').all()
  const opened = (name: string, department?: { code: string; name: string; role: string }) =>
    newEvent('BudgetYearOpened', { unit: { code: '1', name }, year: 2021, ...(department ? { department } : {}) })

  it('given a file written before the summaries (and the streams index) existed, when a reader lists them, a writer opens it, and raw SQL appends, then the reader extracts them from the first events, the writer fills the index once with the same, the file keeps it, and verify is unchanged', async () => {
    const { path, cleanup } = tempDb()
    try {
      const a = new SqliteEventStore(path)
      await a.append('budget-2-2021', [opened('市教育局', { code: '2', name: '教育系统', role: 'own' }), newEvent('B')], 'no_stream')
      await a.append('budget-1-2021', [opened('旧名')], 'no_stream')
      await a.append('budget-1-2022', [opened('新名')], 'no_stream')
      await a.append('budget-3-2021', [newEvent('D', '{not json')], 'no_stream')
      await a.append('other-1', [newEvent('F')], 'no_stream')
      const before = await a.listOpeningSummaries('budget-')
      expect(before.map((o) => [o.stream, o.name, o.department?.name ?? null])).toEqual([
        ['budget-1-2021', '旧名', null],
        ['budget-1-2022', '新名', null],
        ['budget-2-2021', '市教育局', '教育系统'],
        ['budget-3-2021', null, null],
      ])
      const verified = await verifyLog(a)
      a.database.exec('DROP TRIGGER events_opening_index; DROP TABLE stream_openings; DROP TRIGGER events_stream_index; DROP TABLE streams')
      await a.close()

      const reader = new SqliteEventStore(path, { readOnly: true })
      expect(await reader.listOpeningSummaries('budget-')).toEqual(before)
      expect(await reader.listOpeningSummaries('budget-', { after: 'budget-1-2022', limit: 1 })).toEqual(before.slice(2, 3))
      await reader.close()

      const writer = new SqliteEventStore(path)
      try {
        expect(summaryRows(writer.database)).toHaveLength(5)
        expect(await writer.listOpeningSummaries('budget-')).toEqual(before)
        expect(await verifyLog(writer)).toEqual(verified)
        const plan = writer.database
          .prepare('EXPLAIN QUERY PLAN SELECT * FROM stream_openings WHERE stream >= ? AND stream < ? ORDER BY stream')
          .all('budget-9', 'budget-:') as Array<{ detail: string }>
        expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH stream_openings USING PRIMARY KEY \(stream>\? AND stream<\?\)/)
        // An opening written by raw SQL (an older code path) is summarised by the file itself; a later event of a stream is not.
        const [d] = await writer.readStream('budget-1-2021')
        const raw = writer.database.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)')
        raw.run('raw-1', 'budget-4-2021', 0, 'BudgetYearOpened', JSON.stringify({ unit: { name: '原始' } }), JSON.stringify(d!.metadata))
        raw.run('raw-2', 'budget-4-2021', 1, 'BudgetYearOpened', JSON.stringify({ unit: { name: '后来' } }), JSON.stringify(d!.metadata))
        expect((await writer.listOpeningSummaries('budget-4')).map((o) => o.name)).toEqual(['原始'])
      } finally {
        await writer.close()
      }
      const again = new SqliteEventStore(path)
      try {
        expect(summaryRows(again.database)).toHaveLength(6)
      } finally {
        await again.close()
      }
    } finally {
      await cleanup()
    }
  })

  it('given a failed append, then the summaries are unchanged with the log: they live in the append’s transaction', async () => {
    const { path, cleanup } = tempDb()
    const store = new SqliteEventStore(path)
    try {
      await store.append('budget-1-2021', [opened('一')], 'no_stream')
      const taken = opened('二')
      await store.append('budget-2-2021', [taken], 'no_stream')
      await expect(store.append('budget-3-2021', [opened('三'), taken], 'no_stream')).rejects.toThrow()
      expect((await store.listOpeningSummaries('budget-')).map((o) => o.name)).toEqual(['一', '二'])
    } finally {
      await store.close()
      await cleanup()
    }
  })
})

describe('sqlite: the Merkle tree is kept in the file, append-only, in the append’s transaction', () => {
  const withFile = async (f: (path: string) => Promise<void>) => {
    const { path, cleanup } = tempDb()
    try {
      await f(path)
    } finally {
      await cleanup()
    }
  }
  const leaves = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM merkle_nodes WHERE level = 0').get() as { n: number }).n

  it('given appended events, when the file is read with raw SQL, then it holds one leaf per event and refuses UPDATE, DELETE and REPLACE of its nodes', async () => {
    await withFile(async (path) => {
      const store = new SqliteEventStore(path)
      try {
        await store.append('budget-1-2021', [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream')
        await expect(store.append('budget-1-2021', [newEvent('late')], 0)).rejects.toThrow()
        const db = store.database
        expect(leaves(db)).toBe(3)
        expect(() => db.prepare('UPDATE merkle_nodes SET hash = zeroblob(32)').run()).toThrow(/append-only: UPDATE refused/)
        expect(() => db.prepare('DELETE FROM merkle_nodes').run()).toThrow(/append-only: DELETE refused/)
        expect(() => db.prepare('REPLACE INTO merkle_nodes (level, idx, hash, position) VALUES (0, 0, zeroblob(32), 1)').run()).toThrow(/append-only: an insert over an existing node refused/)
        expect((await verifyLogOf(path)).tree).toMatchObject({ ok: true, size: 3 })
      } finally {
        await store.close()
      }
    })
  })

  it('given a file written before the tree existed, when a writer opens it, then the tree of every event is added, and verify agrees', async () => {
    await withFile(async (path) => {
      const store = new SqliteEventStore(path)
      await store.append('budget-1-2021', [newEvent('A'), newEvent('B')], 'no_stream')
      await store.close()
      const raw = new Database(path)
      raw.exec('DROP TRIGGER merkle_append_only_delete; DELETE FROM merkle_nodes; DROP TABLE merkle_nodes')
      raw.close()
      const reader = new SqliteEventStore(path, { readOnly: true })
      expect((await verifyLog(reader)).tree).toMatchObject({ ok: true, absent: true })
      await reader.close()
      const writer = new SqliteEventStore(path)
      expect(leaves(writer.database)).toBe(2)
      await writer.close()
      expect((await verifyLogOf(path)).tree).toMatchObject({ ok: true, size: 2, problems: [] })
    })
  })

  it('given an event inserted with raw SQL behind the ledger’s back, or an altered leaf, when the log is verified, then verify names the tree’s lag and the leaf that differs', async () => {
    await withFile(async (path) => {
      const store = new SqliteEventStore(path)
      await store.append('budget-1-2021', [newEvent('A'), newEvent('B')], 'no_stream')
      const [a] = await store.readStream('budget-1-2021')
      await store.close()
      const raw = new Database(path)
      raw.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)').run('forged', 'budget-9-2021', 0, 'X', '{}', JSON.stringify({ ...a!.metadata, prevHash: '' }))
      raw.close()
      const lag = await verifyLogOf(path)
      expect(lag.ok).toBe(false)
      expect(lag.tree.problems.join('\n')).toMatch(/the tree covers 2 event\(s\) but the log holds 3: events after position 2 were written without their leaves/)

      const raw2 = new Database(path)
      raw2.exec("DROP TRIGGER merkle_append_only_update; UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 1")
      raw2.close()
      const altered = await verifyLogOf(path)
      expect(altered.tree.problems[0]).toMatch(/^leaf 1 of the tree is 0{64}, but event \S+ \(stream budget-1-2021 revision 1, position 2\) hashes to [0-9a-f]{64}/)
      const r = await cli(['--db', path, 'verify'])
      expect(r.code).toBe(1)
      expect(r.stdout).toContain('BROKEN: the Merkle tree does not agree with the log')
    })
  })
})

const verifyLogOf = async (path: string) => {
  const store = new SqliteEventStore(path, { readOnly: true })
  try {
    return await verifyLog(store)
  } finally {
    await store.close()
  }
}
