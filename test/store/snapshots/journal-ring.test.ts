import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JournalEntry } from '../../../src/domain/budget-year'
import { StoreJournal, idTail } from '../../../src/ledger/fold/snapshots/store-journal'
import type { LoggedEvent } from '../../../src/store/sqlite/sqlite-lookups'

/**
 * The lean journal's ring (src/ledger/fold/snapshots/store-journal.ts): a lookup finds an entry by its id's tail
 * first, then its text. Whatever the ids (sharing their tails, shorter than a tail, non-ASCII
 * characters whose low seven bits collide), the ring must answer what a scan of its ids alone
 * answers: the entry written for that id if it is among the latest `inMemory` written, else the log's.
 */
const STREAM = 'budget-990001-2021'

/** Ids that differ only before their last four characters, are shorter than four, or collide in seven bits ('Ё' is 0x401, '\u0001' is 1). */
const idArb = fc.tuple(fc.constantFrom('', 'a', 'bench-', '0190b6c2-7d1e-7b3a-9', 'é'), fc.constantFrom('', '1', '01', '0001', 'Ё001', '\u0001001', 'ab12', 'b12', '\u00e1b12')).map(([p, t]) => p + t)

const event = (id: string, revision: number): LoggedEvent => ({ stream: STREAM, revision, id, type: 'BudgetAdded', data: { line: 'p01', amount: `${revision}.00`, category: 'ordinary' }, schemaVersion: 1, hash: '' })

describe('the lean journal ring: lookups by id tail', () => {
  it('idTail: equal ids have equal tails; ids differing in their last four ASCII characters have different ones; a short or empty id has one', () => {
    expect(idTail('bench-500001')).toBe(idTail('other-500001'))
    expect(idTail('bench-500001')).not.toBe(idTail('bench-500002'))
    expect(idTail('bench-500001')).not.toBe(idTail('bench-500011'))
    expect(Number.isInteger(idTail(''))).toBe(true)
    expect(idTail('')).toBe(0)
    expect(idTail('1')).toBe(idTail('\u00001'))
    for (const id of ['', 'x', 'Ё001', '\uffff\uffff\uffff\uffff', '0190b6c2-7d1e-7b3a-9f00-0123456789ab']) expect(idTail(id)).toBeGreaterThanOrEqual(0)
  })

  it('given any unique ids written in turn to a ring of any size, each id asked once answers as a scan of the latest ids does: the written entry itself when held, the log entry when dropped', () => {
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 12 }), fc.array(fc.nat(), { maxLength: 60 }), (ids, inMemory, asks) => {
        const log = ids.map((id, r) => event(id, r))
        const journal = new StoreJournal(STREAM, -1, new Map(), { byId: (id) => log.find((e) => e.id === id), ofTypesUpTo: () => [] }, inMemory)
        const written: JournalEntry[] = []
        // Each id asked once at a point of the writing (the journal keeps an entry once named: a second ask reads that).
        const asked = new Set<string>()
        let next = 0
        for (const [r, id] of ids.entries()) {
          const entry: JournalEntry = { revision: r, event: { type: 'BudgetAdded', data: { line: 'p01', amount: `${r}.00`, category: 'ordinary' } } as JournalEntry['event'] }
          written.push(entry)
          journal.set(id, entry)
          while (next < asks.length && asks[next]! % (ids.length + 1) === r) {
            const target = ids[Math.floor(asks[next]! / (ids.length + 1)) % (r + 1)]!
            next++
            if (asked.has(target)) continue
            asked.add(target)
            const at = ids.indexOf(target)
            const held = at > r - inMemory
            const got = journal.get(target)
            if (held) expect(got).toBe(written[at])
            else expect(got).toEqual({ revision: at, event: expect.objectContaining({ type: 'BudgetAdded' }) })
          }
        }
        // An id never written: no entry (the ring scanned whole, then the log).
        expect(journal.get('never-written')).toBeUndefined()
      }),
      { numRuns: 300 },
    )
  })
})
