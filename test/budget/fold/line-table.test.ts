import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineTable } from '../../../src/domain/budget-year/line-table'
import type { Line } from '../../../src/domain/budget-year'

/** Only the id matters to the table; the version tells one write of a line from another. */
const line = (id: string, version: number) => ({ id, version }) as unknown as Line

describe('the line table (line-table.ts): rows in chunks, an index shared by the branches of a fold', () => {
  it('given random writes (new lines and replacements, past several chunks) on two branches that share the index, then each table reads, iterates and sizes exactly as a plain list of its own writes, and an older table is unchanged', () => {
    const write = fc.record({ branch: fc.boolean(), id: fc.integer({ min: 0, max: 30 }).map((n) => `l${n}`) })
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 120 }), fc.integer({ min: 0, max: 40 }), (writes, forkAt) => {
        // Two branches from one table: the second starts at write `forkAt` of the first, sharing its index (as a snapshot's tail does).
        let tables: [LineTable, LineTable] = [LineTable.empty(), LineTable.empty()]
        let lists: [Line[], Line[]] = [[], []]
        const kept: Array<[LineTable, Line[]]> = []
        writes.forEach(({ branch, id }, k) => {
          if (k === forkAt) {
            tables = [tables[0], tables[0]]
            lists = [lists[0], [...lists[0]]]
          }
          const b = branch && k >= forkAt ? 1 : 0
          const l = line(id, k)
          const at = lists[b].findIndex((x) => x.id === id)
          lists[b] = at >= 0 ? lists[b].map((x, i) => (i === at ? l : x)) : [...lists[b], l]
          tables[b] = tables[b].with(l)
          kept.push([tables[b], lists[b]])
        })
        for (const [table, list] of [...kept, [tables[0], lists[0]] as [LineTable, Line[]], [tables[1], lists[1]] as [LineTable, Line[]]]) {
          expect(table.size).toBe(list.length)
          expect([...table.values()]).toEqual(list)
          expect([...table.keys()]).toEqual(list.map((l) => l.id))
          for (const l of list) expect(table.get(l.id)).toBe(l)
          expect(table.get('l99')).toBeUndefined()
          const forked = table.fork()
          expect([...forked.values()]).toEqual(list)
          for (const l of list) expect(forked.get(l.id)).toBe(l)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('given forks taken at random points of three branches and random writes on each, interleaved, then every table reads, iterates and sizes as a plain list of its own writes (a fork borrows the index until its first new line)', () => {
    const step = fc.oneof(
      fc.record({ fork: fc.constant(false), branch: fc.integer({ min: 0, max: 2 }), id: fc.integer({ min: 0, max: 20 }).map((n) => `l${n}`) }),
      fc.record({ fork: fc.constant(true), branch: fc.integer({ min: 0, max: 2 }), from: fc.integer({ min: 0, max: 2 }) }),
    )
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 150 }), (steps) => {
        const tables = [LineTable.empty(), LineTable.empty(), LineTable.empty()]
        const lists: Line[][] = [[], [], []]
        const kept: Array<[LineTable, Line[]]> = []
        steps.forEach((s, k) => {
          if (s.fork) {
            tables[s.branch] = tables[s.from]!.fork()
            lists[s.branch] = [...lists[s.from]!]
          } else {
            const l = line(s.id, k)
            const list = lists[s.branch]!
            const at = list.findIndex((x) => x.id === s.id)
            lists[s.branch] = at >= 0 ? list.map((x, i) => (i === at ? l : x)) : [...list, l]
            tables[s.branch] = tables[s.branch]!.with(l)
          }
          kept.push([tables[s.branch]!, lists[s.branch]!])
        })
        for (const [table, list] of kept) {
          expect(table.size).toBe(list.length)
          expect([...table.keys()]).toEqual(list.map((l) => l.id))
          for (const l of list) expect(table.get(l.id)).toBe(l)
          expect(table.get('l99')).toBeUndefined()
        }
      }),
      { numRuns: 300 },
    )
  })
})
