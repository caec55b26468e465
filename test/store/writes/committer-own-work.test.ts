import { afterEach, describe, expect, it } from 'vitest'
import type Database from 'better-sqlite3'
import type { NewEvent } from '../../../src/store/envelope'
import { applyTreeSchema, SqliteTree } from '../../../src/store/merkle/tree/sqlite-tree'
import type { AppendBatch } from '../../../src/store/port'
import { SqliteAppender } from '../../../src/store/sqlite-write/sqlite-append'
import { openDatabase } from '../../../src/store/sqlite/sqlite-driver'
import { applySchema } from '../../../src/store/sqlite/sqlite-schema'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { verifyLog } from '../../../src/store/chain/verify'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The appender makes the Merkle leaves from the rows it inserted and remembers the heads it wrote
 * (docs/speed.md, "Writes, the committer's own work"). What must not change: the leaves are those
 * of the stored bytes, exactly as reading the rows back gives them, and a head another connection
 * moved is never trusted.
 */
const temps: Array<{ remove: () => void }> = []
afterEach(() => {
  for (const t of temps.splice(0)) t.remove()
})

const open = () => {
  const t = tempDb('committer-')
  temps.push(t)
  const db = openDatabase(t.path)
  db.pragma('journal_mode = WAL')
  applySchema(db)
  applyTreeSchema(db)
  return { path: t.path, db }
}

/** A small seeded generator (mulberry32), so a failure names its seed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const TEXTS = ['', 'plain', 'ünïcödé 预算 €', 'quote " and \\ back', 'line\nbreak', '😀 astral', '__proto__', '0.10', '-0']
const value = (r: () => number, depth: number): unknown => {
  const k = Math.floor(r() * (depth > 2 ? 5 : 8))
  if (k === 0) return TEXTS[Math.floor(r() * TEXTS.length)]
  if (k === 1) return Math.floor(r() * 2e9) - 1e9
  if (k === 2) return r() < 0.5 ? null : r() < 0.5
  if (k === 3) return (r() * 1e6).toFixed(2)
  if (k === 4) return r() * 1e-3
  if (k === 5) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1))
  const o: Record<string, unknown> = {}
  for (let i = Math.floor(r() * 5); i > 0; i--) o[TEXTS[Math.floor(r() * TEXTS.length)]! + i] = value(r, depth + 1)
  return o
}

let ids = 0
const event = (r: () => number): NewEvent => ({
  id: `e-${++ids}`,
  type: r() < 0.5 ? 'AllocationAdded' : 'SpendingRecorded',
  data: { amount: (r() * 1e5).toFixed(2), note: value(r, 0), nested: value(r, 1) },
  metadata: { recordedAt: '2026-11-29T09:00:00.000Z', effectiveDate: '2026-01-02', actor: 'gen', role: 'clerk', reason: TEXTS[Math.floor(r() * TEXTS.length)]!, document: r() < 0.5 ? null : '批文 1', ...(r() < 0.3 ? { subject: 'sub|1' } : {}) },
})

const nodes = (db: Database.Database) => db.prepare('SELECT level, idx, hex(hash) AS hash, position FROM merkle_nodes ORDER BY level, idx').all()

/** The tree the appender built, against one built by reading every row back (the way before). */
const treeReadBack = (db: Database.Database) => {
  const copy = open()
  const insert = copy.db.prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata) VALUES (@position, @id, @stream, @revision, @type, @data, @metadata)')
  for (const row of db.prepare('SELECT position, id, stream, revision, type, data, metadata FROM events ORDER BY position').all()) insert.run(row)
  copy.db.transaction(() => new SqliteTree(copy.db).catchUp()).immediate()
  return nodes(copy.db)
}

const verified = async (path: string) => {
  const store = new SqliteEventStore(path)
  try {
    return await verifyLog(store)
  } finally {
    await store.close?.()
  }
}

describe("the commit's own work: leaves from the rows inserted, heads remembered", () => {
  it.each([1, 2, 3])('gives the leaves that reading the rows back gives, on generated groups with refusals (seed %i)', async (seed) => {
    const r = random(seed)
    const { path, db } = open()
    const appender = new SqliteAppender(db)
    const streams = ['unit-1-2026', 'unit-2-2026', 'unit-3-2026', 'unit-4-2025']
    const heads = new Map<string, number>()
    let refused = 0
    for (let g = 0; g < 25; g++) {
      const batches: AppendBatch[] = Array.from({ length: 1 + Math.floor(r() * 8) }, () => {
        const stream = streams[Math.floor(r() * streams.length)]!
        const wrong = r() < 0.15
        const expected = wrong ? (heads.get(stream) ?? -1) + 5 : r() < 0.3 ? 'any' : (heads.get(stream) ?? 'no_stream')
        return { stream, expected, events: Array.from({ length: 1 + Math.floor(r() * 3) }, () => event(r)) }
      })
      const outcomes = appender.appendGroup(batches)
      outcomes.forEach((o, i) => {
        if (o.ok) heads.set(batches[i]!.stream, o.result.revision)
        else refused++
      })
    }
    expect(refused).toBeGreaterThan(0)
    expect(nodes(db).length).toBeGreaterThan(100)
    expect(nodes(db)).toEqual(treeReadBack(db))
    db.close()
    const report = await verified(path)
    expect(report.ok).toBe(true)
    expect(report.tree.ok).toBe(true)
  })

  it('gives the leaves of the stored strings whatever the data was (dates, boxed values, holes, functions, toJSON, class instances, odd strings and numbers)', () => {
    const r = random(5)
    const { db } = open()
    const appender = new SqliteAppender(db)
    class Amount {
      constructor(readonly yuan: string) {}
    }
    const sparse: unknown[] = [1]
    sparse[3] = 'x'
    const nullPrototype = Object.assign(Object.create(null) as object, { b: 1, a: ['\ud800 lone', '😀'] })
    // Most are stored by JSON.stringify otherwise than the chain's canonical form encodes them: the leaf must be of what was stored.
    const odd: unknown[] = [
      new Date('2026-01-02T00:00:00Z'),
      { when: new Date(0), n: Object(5) as unknown, s: Object('s') as unknown },
      sparse,
      [undefined, null],
      { f: () => 1, kept: 'yes' },
      { toJSON: () => ({ replaced: true }) },
      new Amount('1.00'),
      new Map([['k', 1]]),
      nullPrototype,
      { '__proto__': { inner: 1 }, 'quote"': 'a\\b', control: '\u0001\u001f', '-0': -0, big: 1e21, tiny: 5e-324 },
    ]
    let kept = 0
    for (let g = 0; g < 12; g++) {
      const batches: AppendBatch[] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, b) => ({
        stream: `s-${b % 3}`,
        expected: 'any',
        events: [0, 1].map(() => ({ ...event(r), data: { amount: '1.00', odd: odd[Math.floor(r() * odd.length)] } })),
      }))
      for (const o of appender.appendGroup(batches)) if (o.ok) kept++
    }
    // A __proto__ key of a literal sets the prototype: give one as JSON.parse gives it, an own key.
    const own = JSON.parse('{"__proto__":{"x":[1,{"b":2,"a":1}]},"a":"é"}') as unknown
    expect(appender.append('s-own', [{ ...event(r), data: own }], 'any').revision).toBe(0)
    expect(kept).toBeGreaterThan(20)
    expect(nodes(db).length).toBeGreaterThan(2 * kept)
    expect(nodes(db)).toEqual(treeReadBack(db))
  })

  it('chains onto the head another connection wrote, never a remembered one', async () => {
    const { path, db } = open()
    const other = openDatabase(path)
    const mine = new SqliteAppender(db)
    const theirs = new SqliteAppender(other)
    const r = random(7)
    expect(mine.appendGroup([{ stream: 's', expected: 'no_stream', events: [event(r), event(r)] }])[0]).toMatchObject({ ok: true, result: { revision: 1 } })
    expect(theirs.append('s', [event(r)], 1).revision).toBe(2)
    // Remembered at 1, the head is at 2: 'any' must land at 3 on the other's hash, a stale 1 would refuse or fork.
    expect(mine.appendGroup([{ stream: 's', expected: 'any', events: [event(r)] }])[0]).toMatchObject({ ok: true, result: { revision: 3 } })
    expect(mine.appendGroup([{ stream: 's', expected: 2, events: [event(r)] }])[0]).toMatchObject({ ok: false })
    expect(theirs.appendTogether([{ stream: 's', expected: 3, events: [event(r)] }])[0]!.revision).toBe(4)
    expect(mine.append('s', [event(r)], 4).revision).toBe(5)
    expect(nodes(db)).toEqual(treeReadBack(db))
    other.close()
    db.close()
    const report = await verified(path)
    expect(report).toMatchObject({ ok: true, events: 6 })
  })

  it('forgets the heads of a group whose batch was refused part-way, and of a transaction that failed', async () => {
    const { path, db } = open()
    const appender = new SqliteAppender(db)
    const r = random(11)
    const a = event(r)
    // The third batch's second event cannot be stored (its data's toJSON throws, which the chain's
    // canonical form never calls): refused inside its savepoint after its first row was inserted.
    const unstorable: NewEvent = { ...event(r), data: { toJSON: () => { throw new Error('not storable') } } }
    const outcomes = appender.appendGroup([
      { stream: 's', expected: 'no_stream', events: [a] },
      { stream: 't', expected: 'no_stream', events: [event(r)] },
      { stream: 's', expected: 0, events: [event(r), unstorable] },
    ])
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false])
    expect(appender.appendGroup([{ stream: 's', expected: 0, events: [event(r)] }])[0]).toMatchObject({ ok: true, result: { revision: 1 } })
    // A whole transaction refused (appendTogether's second batch expects wrongly): nothing of it stands.
    expect(() => appender.appendTogether([{ stream: 't', expected: 0, events: [event(r)] }, { stream: 's', expected: 9, events: [event(r)] }])).toThrow()
    expect(appender.append('t', [event(r)], 0).revision).toBe(1)
    expect(nodes(db)).toEqual(treeReadBack(db))
    db.close()
    const report = await verified(path)
    expect(report).toMatchObject({ ok: true, events: 4 })
  })
})
