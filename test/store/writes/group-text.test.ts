import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventMetadata } from '../../../src/store/envelope'
import type { AppendBatch, BatchOutcome } from '../../../src/store/port'
import { groupText } from '../../../src/store/sqlite-write/group-text'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { openDatabase } from '../../../src/store/sqlite/sqlite-driver'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * A group crosses to the commit worker as one JSON text when its values are plain, else by
 * structured clone as before (src/store/sqlite-write/group-text.ts; docs/speed.md, "Writes, the
 * ids' clock and the group's text"). What must not change: the bytes stored. Before, the worker's
 * appender always ran on a structured clone of the group; so the reference here is a store without
 * the worker (its appender on this thread) given `structuredClone(group)`: the same appender on
 * the same value. Every group goes to both, and both files must hold the same rows and Merkle nodes.
 */
let worker: SqliteEventStore
let reference: SqliteEventStore
const temps = [tempDb('group-text-'), tempDb('group-text-ref-')]
beforeAll(() => {
  worker = new SqliteEventStore(temps[0]!.path)
  reference = new SqliteEventStore(temps[1]!.path, { commitWorker: false })
})
afterAll(async () => {
  await Promise.all([worker.close(), reference.close()])
  for (const t of temps) t.remove()
})

/** What a file holds, read on a connection of its own. */
const rowsOf = (s: SqliteEventStore) => {
  const db = openDatabase(s.path, { readonly: true })
  try {
    return {
      events: db.prepare('SELECT id, stream, revision, type, data, metadata, position FROM events ORDER BY position').all(),
      nodes: db.prepare('SELECT level, idx, hex(hash) AS hash FROM merkle_nodes ORDER BY level, idx').all(),
    }
  } finally {
    db.close()
  }
}
const outcomeOf = (o: BatchOutcome) => (o.ok ? o.result : { refused: (o.error as Error).name })

let ids = 0
let streams = 0
const metadata = (extra: Record<string, unknown> = {}): EventMetadata => ({ recordedAt: '2026-11-29T23:00:00.000Z', actor: '测试', role: 'finance', reason: '压测', document: null, ...extra }) as EventMetadata
const group = (datas: ReadonlyArray<unknown>, extra?: Record<string, unknown>): AppendBatch[] => {
  const stream = `s-${++streams}`
  return datas.map((data, i) => ({ stream: i % 2 === 0 ? stream : `${stream}-b`, expected: 'any', events: [{ id: `e-${++ids}`, type: 'BudgetAdded', data, metadata: metadata(extra) }] }))
}
/** Both stores take the group; their answers must be the same. */
const appendToBoth = async (batches: AppendBatch[]) => {
  const [mine, before] = await Promise.all([worker.appendMany(batches), reference.appendMany(structuredClone(batches))])
  expect(mine.map(outcomeOf)).toEqual(before.map(outcomeOf))
}

describe('the group to the commit worker as JSON text', () => {
  it('given generated groups of plain JSON values (with undefined, -0, NaN, ±Infinity, lone surrogates, deep nesting), then most cross as text, and the stored events and Merkle nodes are those the structured clone gave', async () => {
    const value = fc.oneof(fc.jsonValue(), fc.constantFrom(undefined, -0, NaN, Infinity, -Infinity, '\ud800', { amount: '0.10', note: undefined }, [undefined, 1]))
    const data = fc.dictionary(fc.string(), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 5 })
    let asText = 0
    let groups = 0
    await fc.assert(
      fc.asyncProperty(fc.array(data, { minLength: 1, maxLength: 6 }), fc.dictionary(fc.string(), value, { maxKeys: 2 }), async (datas, extra) => {
        const batches = group(datas, extra)
        groups++
        if (groupText(batches) !== undefined) asText++
        await appendToBoth(batches)
      }),
      { numRuns: 150 },
    )
    expect(asText).toBeGreaterThan(groups / 2)
    expect(rowsOf(worker)).toEqual(rowsOf(reference))
  })

  it('given values JSON would carry as others (a Date, boxed values, a Map, class instances with and without toJSON, holes, an own __proto__ key, a cycle), then each group crosses by clone (an object of null prototype as text), and what is stored (and refused) is what it was', async () => {
    class Money {
      constructor(readonly yuan: string) {}
      toJSON() {
        return 'money'
      }
    }
    class Plain {
      readonly yuan = '1.00'
    }
    const cycle: Record<string, unknown> = { a: 1 }
    cycle.self = cycle
    const odd: ReadonlyArray<unknown> = [
      { at: new Date(1e12) },
      { n: new Number(3), s: new String('s'), b: new Boolean(false) },
      { m: new Map([[1, 2]]), set: new Set([1]) },
      { k: new Money('1.00') },
      { k: new Plain() },
      { holes: [, 1] }, // eslint-disable-line no-sparse-arrays
      JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as unknown,
      cycle,
    ]
    for (const data of odd) {
      const batches = group([{ amount: '1.00' }, data])
      expect(groupText(batches)).toBeUndefined()
      await appendToBoth(batches)
    }
    // A null prototype is plain: JSON carries its keys as the clone does.
    const bare = group([Object.assign(Object.create(null) as object, { bare: 'yes', nested: Object.assign(Object.create(null) as object, { n: 1 }) })])
    expect(groupText(bare)).toBeDefined()
    await appendToBoth(bare)
    const withDate = group([{ amount: '1.00' }], { at: new Date(0) })
    expect(groupText(withDate)).toBeUndefined()
    await appendToBoth(withDate)
    expect(rowsOf(worker)).toEqual(rowsOf(reference))
  })

  it('given a function or a symbol in an event, then the group is refused whole as before (the clone cannot carry it), and nothing of it is written', async () => {
    const before = rowsOf(worker).events.length
    for (const data of [{ f: () => 1 }, { s: Symbol('s') }]) {
      const batches = group([{ amount: '1.00' }, data])
      expect(groupText(batches)).toBeUndefined()
      await expect(worker.appendMany(batches)).rejects.toThrow(/could not be cloned/)
    }
    expect(rowsOf(worker).events.length).toBe(before)
  })
})
