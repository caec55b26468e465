import { randomUUID } from 'node:crypto'
import type Decimal from 'decimal.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { spentByMonth } from '../../../projections/indicators/execution'
import { type BudgetYearState, type JournalEntry, OverlayJournal, adjustedOf, forkState, initialState } from '../../../src/domain/budget-year'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { BudgetYearSnapshots } from '../../../src/ledger/fold/snapshots/snapshots'
import { type ReplayEvent, type StreamReader, portReader, sqliteReader } from '../../../src/ledger/read-path/stream-reader'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { MemoryEventStore } from '../../../src/store/memory'
import { newEvent } from '../adapters/store-contract'
import { allocate, given, openYear } from '../../support/years/given'
import { STREAM, TARGET, cmd, recorder } from '../../support/ledgers/audit-ledger'
import { DAY, START, commandOf, dateOf, query, step, view } from '../../support/years/random-year'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * Snapshot-accelerated time travel (src/ledger/fold/snapshots/snapshots.ts) against the full replay
 * (loadBudgetYear): for random ledgers (adjustments, spending, transfers, reversals, new lines;
 * back-dated and future-dated business dates; a recording clock that sometimes runs behind) and
 * random points on both axes, every table, every line's figures and every reversal decision agree.
 */
const months = (m: ReadonlyMap<string, Decimal>) => [...m].map(([k, v]) => [k, v.toFixed(2)]).sort()

describe('snapshots: as-of answers from snapshots equal a full replay', () => {
  it('given random ledgers and random points in time, when each is answered from snapshots and by full replay, then they agree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 8, maxLength: 36 }),
        fc.array(query, { minLength: 6, maxLength: 14 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        // Journal entries the head holds (store-journal.ts): a handful, so that reversals name entries read back from the log.
        fc.integer({ min: 1, max: 8 }),
        async (steps, queries, every, spacing, journalInMemory) => {
          const db = tempDb('ledger-snapshots-')
          const store = new SqliteEventStore(db.path)
          try {
            const { record, importAt } = recorder(store)
            let clock = START
            await importAt(new Date(clock).toISOString())
            const lines = ['basic', 'p01', 'p02']
            const reversible: string[] = []
            const snapshots = new BudgetYearSnapshots(store, { every, journalInMemory, ...(spacing === undefined ? {} : { spacing }) })
            const check = async (qs: typeof queries) => {
              const first = START
              const last = clock
              for (const q of qs) {
                const at = {
                  ...(q.asOf === null ? {} : { asOf: new Date(first + Math.round(((last - first) * q.asOf) / 1000)).toISOString() }),
                  ...(q.effective === null ? {} : { effective: dateOf(START + q.effective * DAY) }),
                }
                const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, at)
                const fast = await snapshots.stateAt(TARGET.unit, TARGET.year, at)
                expect(view(fast.state, reversible), JSON.stringify(at)).toEqual(view(full.state, reversible))
              }
              // The live spending by month (followed as events are appended) equals the one fold over the list.
              const latest = await snapshots.latest(TARGET.unit, TARGET.year)
              const all = await loadBudgetYear(store, TARGET.unit, TARGET.year)
              expect(months(latest.spentByMonth)).toEqual(months(spentByMonth(all.events)))
              expect(latest.state.revision).toBe(all.state.revision)
            }
            for (const [i, s] of steps.entries()) {
              clock += s.minutes * 60_000
              const c = commandOf(s, lines, reversible)
              if (!c) continue
              const effective = dateOf(Math.min(Math.max(clock + s.shiftDays * DAY, Date.parse('2021-01-01T00:00:00Z')), Date.parse('2021-12-30T00:00:00Z')))
              let recorded: string[]
              try {
                recorded = await record(new Date(clock).toISOString(), c, { effectiveDate: effective, document: '文' })
              } catch {
                continue // refused by the ledger: nothing recorded
              }
              if (c.type === 'AllocateLine') lines.push(c.data.line)
              if (['AddToLine', 'ReduceLine', 'TransferBetweenLines', 'RecordExpenditure'].includes(c.type)) reversible.push(...recorded)
              // Halfway, query: the cache must then follow the events appended after.
              if (i === Math.floor(steps.length / 2)) await check(queries.slice(0, 3))
            }
            await check(queries)
            // Answering from snapshots never disturbed the shared journal: the head still decides alike.
            const head = await snapshots.stateAt(TARGET.unit, TARGET.year)
            const full = await loadBudgetYear(store, TARGET.unit, TARGET.year)
            expect(view(head.state, reversible)).toEqual(view(full.state, reversible))
          } finally {
            await store.close()
            db.remove()
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('given events whose metadata has another layout, when the stream is read from SQLite, then the fast reader agrees with the port', async () => {
    const db = tempDb('ledger-reader-')
    const store = new SqliteEventStore(db.path)
    try {
      const { record, importAt } = recorder(store)
      await importAt('2021-03-01T02:00:00.000Z')
      await record('2021-03-02T02:00:00.000Z', cmd('AddToLine', { line: 'p01', amount: '10.00', category: 'ordinary' }))
      // Written by another tool: the same fields in another order, and a recording time with an offset.
      await store.append(
        'budget-900001-2021',
        [
          {
            id: 'odd-layout',
            type: 'BudgetAdded',
            data: { line: 'p02', amount: '20.00', category: 'ordinary' },
            metadata: { actor: 'tool', role: 'finance', reason: 'r', document: 'd', effectiveDate: '2021-03-04', recordedAt: '2021-03-03T10:00:00+08:00' },
          },
        ],
        'any',
      )
      await record('2021-03-04T02:00:00.000Z', cmd('AddToLine', { line: 'p01', amount: '30.00', category: 'ordinary' }))
      const read = async (reader: StreamReader) => {
        const out: ReplayEvent[] = []
        await reader.range('budget-900001-2021', 0, 100, (e) => out.push(e))
        const some: ReplayEvent[] = []
        await reader.some('budget-900001-2021', [1, 4, 5, 6], (e) => some.push(e))
        return { out, some }
      }
      const fast = await read(sqliteReader(store.database))
      expect(fast).toEqual(await read(portReader(store)))
      expect(fast.out.find((e) => e.id === 'odd-layout')).toMatchObject({ recordedMs: Date.parse('2021-03-03T10:00:00+08:00'), effectiveDate: '2021-03-04' })
      expect(fast.out).toHaveLength(7)
      const at = { asOf: '2021-03-03T02:00:00.000Z' }
      const viaSnapshots = await new BudgetYearSnapshots(store, { every: 2 }).stateAt(TARGET.unit, TARGET.year, at)
      expect(view(viaSnapshots.state, [])).toEqual(view((await loadBudgetYear(store, TARGET.unit, TARGET.year, at)).state, []))
    } finally {
      await store.close()
      db.remove()
    }
  })

  it('given a state resumed from a snapshot, when it folds a reversal, then the snapshot’s journal is untouched and a fork of it is complete', () => {
    const base = new Map([
      ['a', { revision: 1, event: { type: 'BudgetAdded', data: {} } as never }],
      ['b', { revision: 5, event: { type: 'BudgetAdded', data: {} } as never, reversedAt: 7 }],
    ])
    const overlay = new OverlayJournal(base, 5)
    const a = overlay.get('a')!
    a.reversedAt = 6
    expect(base.get('a')!.reversedAt).toBeUndefined()
    // b was reversed at 7 on the branch the base belongs to; the overlay (at 5) must not see it.
    expect(overlay.get('b')!.reversedAt).toBeUndefined()
    overlay.set('c', { revision: 6, event: { type: 'BudgetAdded', data: {} } as never })
    expect(base.has('c')).toBe(false)
    expect(new Map(overlay).size).toBe(3)
    expect(overlay.size).toBe(3)
    const forked = forkState({ ...initialState(), revision: 6, journal: overlay as unknown as BudgetYearState['journal'] })
    expect([...forked.journal.keys()].sort()).toEqual(['a', 'b', 'c'])
  })

  it('given a branch that records entries before it reads the shared ones, when it is walked, then it holds them in revision order as a replay does, and each is found by id', () => {
    const base = new Map<string, JournalEntry>([
      ['a', { revision: 1, event: { type: 'BudgetAdded', data: {} } as never }],
      ['b', { revision: 5, event: { type: 'BudgetAdded', data: {} } as never }],
      ['later', { revision: 8, event: { type: 'BudgetAdded', data: {} } as never }],
    ])
    const overlay = new OverlayJournal(base, 5)
    overlay.set('c', { revision: 6, event: { type: 'BudgetAdded', data: {} } as never })
    overlay.set('d', { revision: 7, event: { type: 'BudgetAdded', data: {} } as never })
    overlay.get('b')!.reversedAt = 7
    expect([...overlay.keys()]).toEqual(['a', 'b', 'c', 'd'])
    expect(overlay.get('d')!.revision).toBe(7)
    expect(overlay.get('later')).toBeUndefined()
    expect([...overlay.values()].map((e) => e.reversedAt)).toEqual([undefined, 7, undefined, undefined])
    expect(base.get('b')!.reversedAt).toBeUndefined()
  })
})

/** An imported year and 40 additions a minute apart; at(i) is when the i-th was recorded, as revision head - 39 + i. */
const givenFortyAdditions = async (store: SqliteEventStore) => {
  const { record, importAt } = recorder(store)
  await importAt('2021-03-01T02:00:00.000Z')
  const at = (i: number) => new Date(Date.parse('2021-03-02T02:00:00.000Z') + i * 60_000).toISOString()
  for (let i = 0; i < 40; i++) await record(at(i), cmd('AddToLine', { line: 'p01', amount: `${i + 1}.01`, category: 'ordinary' }))
  return { at, head: await store.streamRevision(STREAM) }
}

describe('snapshots: in-memory snapshots between the saved ones', () => {
  it('given a unit-year folded by this process, when it is asked as of an instant inside a saved interval, then it folds only the tail since the nearest in-memory snapshot, and answers as a full replay', async () => {
    const db = tempDb('ledger-held-')
    const store = new SqliteEventStore(db.path)
    try {
      const { at, head } = await givenFortyAdditions(store)
      const snapshots = new BudgetYearSnapshots(store, { every: 20, persisted: false })
      await snapshots.stateAt(TARGET.unit, TARGET.year)
      // The last event recorded by at(i) is revision head - 39 + i: one in the second half of a saved interval.
      const i = [...Array(40).keys()].reverse().find((i) => (head - 39 + i + 1) % 20 > 10)!
      const asOf = at(i)
      const fast = await snapshots.stateAt(TARGET.unit, TARGET.year, { asOf })
      const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, { asOf })
      expect(fast.lastRevision).toBe(head - 39 + i)
      expect(fast.folded).toBe((head - 39 + i + 1) % 10)
      expect(view(fast.state, [])).toEqual(view(full.state, []))
    } finally {
      await store.close()
      db.remove()
    }
  })
  it('given a unit-year another process saved rows of, when this process is asked twice inside a saved interval, then the first tail leaves an in-memory snapshot behind and the second folds only from it, both as a full replay', async () => {
    const db = tempDb('ledger-held-restored-')
    const store = new SqliteEventStore(db.path)
    try {
      const { at, head } = await givenFortyAdditions(store)
      await new BudgetYearSnapshots(store, { every: 20 }).stateAt(TARGET.unit, TARGET.year)
      // A new process: its first read is cold, its second restores the timeline from the saved rows.
      const later = new BudgetYearSnapshots(store, { every: 20 })
      await later.stateAt(TARGET.unit, TARGET.year)
      await later.stateAt(TARGET.unit, TARGET.year)
      expect(later.stats()[0]!.restoredFrom).not.toBeNull()
      const i = [...Array(40).keys()].reverse().find((i) => (head - 39 + i + 1) % 20 > 10)!
      const revision = head - 39 + i
      const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, { asOf: at(i) })
      const first = await later.stateAt(TARGET.unit, TARGET.year, { asOf: at(i) })
      const second = await later.stateAt(TARGET.unit, TARGET.year, { asOf: at(i) })
      expect([first.lastRevision, second.lastRevision]).toEqual([revision, revision])
      expect(first.folded).toBe((revision + 1) % 20)
      expect(second.folded).toBe((revision + 1) % 10)
      expect(view(first.state, [])).toEqual(view(full.state, []))
      expect(view(second.state, [])).toEqual(view(full.state, []))
    } finally {
      await store.close()
      db.remove()
    }
  })
})

describe('snapshots: a process keeps only the unit-years in use', () => {
  it('given more unit-years read than the process keeps folded, then only the ones used last stay, and one dropped is folded again to the same state', async () => {
    const store = new MemoryEventStore()
    const units = ['100001', '100002', '100003', '100004', '100005']
    for (const [i, unit] of units.entries()) {
      const { events } = given([openYear(unit), allocate('p01', `${100 + i}.00`, { kind: 'project' })])
      await store.append(`budget-${unit}-2021`, events.map((e) => newEvent(e.type, e.data)), 'no_stream')
    }
    const snapshots = new BudgetYearSnapshots(store, { maxStreams: 3 })
    const first = await snapshots.latest(units[0]!, 2021)
    for (const unit of units.slice(1)) await snapshots.latest(unit, 2021)
    expect(snapshots.stats().map((s) => s.stream)).toEqual(units.slice(2).map((u) => `budget-${u}-2021`))
    await snapshots.latest(units[2]!, 2021)
    const again = await snapshots.latest(units[0]!, 2021)
    expect(snapshots.stats().map((s) => s.stream)).toEqual([units[4], units[2], units[0]].map((u) => `budget-${u}-2021`))
    expect(again.state).toEqual(first.state)
    expect(adjustedOf(again.state.lines.get('p01')!).toFixed(2)).toBe('100.00')
  })
})

describe('snapshots: one read of the log version for the reads asked together', () => {
  it('given two reads asked in one turn of the event loop and another connection’s write acknowledged between them, when they are answered, then the store is asked its log version once and both see the write', async () => {
    const db = tempDb('ledger-shared-mark-')
    const store = new SqliteEventStore(db.path)
    const other = new SqliteEventStore(db.path)
    try {
      const { record, importAt } = recorder(store)
      await importAt('2021-03-01T02:00:00.000Z')
      await record('2021-03-02T02:00:00.000Z', cmd('AddToLine', { line: 'p01', amount: '1.01', category: 'ordinary' }))
      const snapshots = new BudgetYearSnapshots(store)
      const before = (await snapshots.sync(STREAM)).count
      const last = (await store.readStream(STREAM)).at(-1)!
      let asked = 0
      const logVersion = store.logVersion.bind(store)
      store.logVersion = () => {
        asked += 1
        return logVersion()
      }
      const first = snapshots.sync(STREAM)
      // Another process's append, acknowledged before the second read is asked: a mark read at the first call would miss it.
      await other.append(STREAM, [{ id: randomUUID(), type: last.type, data: last.data, metadata: last.metadata }], before - 1)
      const second = snapshots.sync(STREAM)
      expect((await Promise.all([first, second])).map((t) => t.count)).toEqual([before + 1, before + 1])
      expect(asked).toBe(1)
    } finally {
      await other.close()
      await store.close()
      db.remove()
    }
  })
})
