import { describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { type ReplayEvent, type StreamReader, plainDatesPrefix, portReader, sqliteReader } from '../../../src/ledger/read-path/stream-reader'
import type { NewEvent } from '../../../src/store/envelope'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The in-thread SQLite reader (src/ledger/read-path/stream-reader.ts) parses a page of payloads with one
 * JSON.parse. On a real file it must give, event for event, what the store's readStream gives row
 * by row (old schema versions included), and a damaged row must be named, never shifted onto its
 * neighbours.
 */
const STREAM = 'budget-900002-2021'

const meta = (i: number, schemaVersion?: number) => ({
  recordedAt: new Date(Date.UTC(2021, 2, 1, 0, 0, i)).toISOString(),
  effectiveDate: '2021-03-01',
  actor: 'a',
  role: 'finance',
  reason: 'r',
  document: null,
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
})

/** Additions with awkward text, and every 500th event a version-1 allocation (upcast on reading). */
const events = (n: number, from: number): NewEvent[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k
    return i % 500 === 7
      ? {
          id: `e-${i}`,
          type: 'LineAllocated',
          data: { line: `n${i}`, kind: 'basic', basicCategory: null, projectName: null, functionCode: '2150502', economicCode: null, fundSource: 'general.appropriation', amount: '100.00' },
          metadata: meta(i, 1),
        }
      : { id: `e-${i}`, type: 'BudgetAdded', data: { line: `p${i % 7}`, amount: `${i + 1}.05`, category: 'ordinary', note: `引号 " 反斜杠 \\ 逗号, 方括号 ] ${i}` }, metadata: meta(i) }
  })

const withStore = async (n: number, f: (store: SqliteEventStore) => Promise<void>, make: (n: number, from: number) => NewEvent[] = events) => {
  const db = tempDb('stream-reader-')
  const store = new SqliteEventStore(db.path)
  try {
    for (let i = 0; i < n; i += 500) await store.append(STREAM, make(Math.min(500, n - i), i), 'any')
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

const inThread = (store: SqliteEventStore) => sqliteReader(store.database)

/** Changes one stored payload in place (the append-only trigger dropped: a damaged file). */
const damage = (store: SqliteEventStore, revision: number, data: string) => {
  store.database.exec('DROP TRIGGER IF EXISTS events_append_only_update')
  store.database.prepare('UPDATE events SET data = ? WHERE stream = ? AND revision = ?').run(data, STREAM, revision)
}

describe('reading a stream in pages on the folding thread', () => {
  it('given 2,345 events with old-version allocations among them, when ranges across page boundaries are read, then each event equals the store’s row-by-row read', async () => {
    await withStore(2345, async (store) => {
      const whole = await read(portReader(store), 0, Number.MAX_SAFE_INTEGER)
      expect(whole).toHaveLength(2345)
      expect(whole.filter((e) => e.schemaVersion === 1).map((e) => e.id)).toEqual(['e-7', 'e-507', 'e-1007', 'e-1507', 'e-2007'])
      for (const [from, to] of [
        [0, Number.MAX_SAFE_INTEGER],
        [0, 999],
        [999, 1000],
        [3, 2100],
        [2344, 2344],
      ] as const)
        expect(await read(inThread(store), from, to), `${from}..${to}`).toEqual(whole.slice(from, to + 1))
    })
  })

  it('given a payload that is not JSON in the second page, when read, then the read fails naming the stream and revision, and nothing from it on reaches the fold', async () => {
    await withStore(1500, async (store) => {
      damage(store, 1234, '{"line": "p1", "amount": ')
      const seen: number[] = []
      await expect(inThread(store).range(STREAM, 0, 2000, (e) => seen.push(e.revision))).rejects.toThrow(
        /the event of budget-900002-2021 at revision 1234 is not stored as JSON/,
      )
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i))
      expect(seen.length).toBeLessThan(1234)
    })
  })

  it('given a payload that is two JSON values, when read, then it is named and its neighbours keep their own payloads', async () => {
    await withStore(30, async (store) => {
      damage(store, 12, '{"line":"p1"},{"line":"p2"}')
      await expect(read(inThread(store), 0, 29)).rejects.toThrow(/the event of budget-900002-2021 at revision 12 is not stored as JSON/)
      // Read around it, each payload is still the one stored in its own row.
      const before = await read(inThread(store), 0, 11)
      const after = await read(inThread(store), 13, 29)
      const whole = await read(portReader(store), 0, 11)
      expect(before).toEqual(whole)
      expect(after.map((e) => (e.data as { note: string }).note)).toEqual(Array.from({ length: 17 }, (_, k) => `引号 " 反斜杠 \\ 逗号, 方括号 ] ${13 + k}`))
    })
  })

  it('given a fold that throws halfway, when read, then the read rejects with that error and the next read still works', async () => {
    await withStore(1300, async (store) => {
      const reader = inThread(store)
      await expect(
        reader.range(STREAM, 0, 1299, (e) => {
          if (e.revision === 1123) throw new Error('the fold refused revision 1123')
        }),
      ).rejects.toThrow('the fold refused revision 1123')
      expect(await read(reader, 0, 1299)).toHaveLength(1300)
    })
  })
})

/** Whether `f` started a worker thread: thread ids are handed out in order, so a probe's id before and after tells. */
const startsAThread = async (f: () => Promise<unknown>): Promise<boolean> => {
  const probe = async () => {
    const w = new Worker('0', { eval: true })
    const id = w.threadId
    await w.terminate()
    return id
  }
  const before = await probe()
  await f()
  return (await probe()) > before + 1
}

describe('reading a long range on a second thread (src/ledger/read-path/read-thread.ts)', () => {
  // Asked for outright: by default the thread is used only when a core is idle, which a test cannot count on.
  const threaded = (store: SqliteEventStore) => sqliteReader(store.database, { readThread: true })

  it('given 25,000 events with old-version allocations among them, when the whole stream is read, then it is read on a second thread and each event equals the store’s row-by-row read', async () => {
    await withStore(25_000, async (store) => {
      const whole = await read(portReader(store), 0, Number.MAX_SAFE_INTEGER)
      let onThread: ReplayEvent[] = []
      expect(await startsAThread(async () => (onThread = await read(threaded(store), 0, Number.MAX_SAFE_INTEGER)))).toBe(true)
      expect(onThread).toHaveLength(25_000)
      expect(onThread).toEqual(whole)
      // A short range (an as-of tail) stays on the folding thread.
      expect(await startsAThread(() => read(threaded(store), 100, 2100))).toBe(false)
      // And the reader the thread itself uses can be asked to stay put.
      expect(await startsAThread(() => read(sqliteReader(store.database, { readThread: false }), 0, 24_999))).toBe(false)
    })
  }, 120_000)

  it('given 21,000 events among which rows of another metadata layout and a type the domain does not know, when read on the thread, then each event equals the store’s row-by-row read', async () => {
    const db = tempDb('stream-reader-odd-')
    const store = new SqliteEventStore(db.path)
    try {
      for (let i = 0; i < 21_000; i += 500) {
        const batch = events(500, i).map((e, k) => {
          const r = i + k
          // Dates after other keys: not the layout the prefix reader knows, so SQLite's json_extract reads them.
          // Some of them with a recording time of another length (a page's times cross as one text with their ends).
          if (r % 997 === 3) return { ...e, metadata: { actor: 'a', role: 'finance', reason: 'r', document: null, effectiveDate: '2021-04-0' + ((r % 9) + 1), recordedAt: r % 2 ? e.metadata.recordedAt.replace('.000Z', 'Z') : e.metadata.recordedAt } }
          if (r % 4001 === 5) return { ...e, type: 'SomethingNotYetKnown' }
          return e
        })
        await store.append(STREAM, batch, 'any')
      }
      const whole = await read(portReader(store), 0, Number.MAX_SAFE_INTEGER)
      expect(whole.filter((e) => e.type === 'SomethingNotYetKnown')).toHaveLength(6)
      expect(whole.filter((e) => e.effectiveDate.startsWith('2021-04-'))).toHaveLength(22)
      const stored = await store.readStream(STREAM)
      expect(stored.filter((e) => e.metadata.recordedAt.length === 20)).toHaveLength(11)
      // Every recording time as the number Date.parse makes of its stored text, whatever its layout.
      expect(whole.map((e) => e.recordedMs)).toEqual(stored.map((e) => Date.parse(e.metadata.recordedAt)))
      let onThread: ReplayEvent[] = []
      expect(await startsAThread(async () => (onThread = await read(sqliteReader(store.database, { readThread: true }), 0, Number.MAX_SAFE_INTEGER)))).toBe(true)
      expect(onThread).toEqual(whole)
    } finally {
      await store.close()
      db.remove()
    }
  }, 120_000)

  it('given a fold that is slow on some pages and quick on others (the read thread now ahead and waiting for credit, now behind), when a range that ends mid-page is read on the thread, then every event is read once, in order, equal to the store’s row-by-row read', async () => {
    await withStore(21_000, async (store) => {
      const whole = await read(portReader(store), 0, 20_499)
      const seen: ReplayEvent[] = []
      const busy = (ms: number) => {
        const until = performance.now() + ms
        while (performance.now() < until);
      }
      expect(
        await startsAThread(() =>
          threaded(store).range(STREAM, 0, 20_499, (e) => {
            // Every third page's first event holds the fold long enough for the read thread to get ahead.
            if (e.revision % 3000 === 0) busy(30)
            seen.push(e)
          }),
        ),
      ).toBe(true)
      expect(seen).toHaveLength(20_500)
      expect(seen).toEqual(whole)
    })
  }, 120_000)

  it('given a damaged payload deep in a long range, when read on the thread, then the read fails naming the stream and revision, and nothing from it on reaches the fold', async () => {
    await withStore(21_000, async (store) => {
      damage(store, 20_345, '{"line": "p1", "amount": ')
      const seen: number[] = []
      await expect(threaded(store).range(STREAM, 0, Number.MAX_SAFE_INTEGER, (e) => seen.push(e.revision))).rejects.toThrow(
        /the event of budget-900002-2021 at revision 20345 is not stored as JSON/,
      )
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i))
      expect(seen.length).toBeLessThan(20_345)
    })
  }, 120_000)

  it('given a fold that throws halfway through a long range, when read on the thread, then the read rejects with that error and the next read still works', async () => {
    await withStore(21_000, async (store) => {
      const reader = threaded(store)
      await expect(
        reader.range(STREAM, 0, 20_999, (e) => {
          if (e.revision === 12_345) throw new Error('the fold refused revision 12345')
        }),
      ).rejects.toThrow('the fold refused revision 12345')
      expect(await read(reader, 0, 20_999)).toHaveLength(21_000)
    })
  }, 120_000)
})

describe('payloads read from their stored text (src/ledger/read-path/flat-payload.ts)', () => {
  /**
   * Payloads most of which are flat and plain (read from the text against their type's last
   * shape), with a type whose shape changes now and then, escapes, nested values, numbers and
   * booleans among them (those parsed), and every 500th event a version-1 allocation. Ids and
   * vouchers on both sides of the 13 characters from which a string crosses whole (page-values.ts),
   * wide and narrow short strings in one page.
   */
  const mixed = (n: number, from: number): NewEvent[] =>
    Array.from({ length: n }, (_, k) => {
      const i = from + k
      const base = { id: i % 5 === 1 ? `0b7a6c1e-4d2f-4e8a-9c3b-${String(i).padStart(12, '0')}` : `e-${i}`, metadata: meta(i) }
      if (i % 500 === 7) return events(1, i)[0]!
      const voucher = [`V${i}`, `V${String(i).padStart(11, '0')}`, `V${String(i).padStart(12, '0')}`, `凭${String(i).padStart(5, '0')}`][i % 4]
      if (i % 3 === 0)
        return { ...base, type: 'ExpenditureRecorded', data: { line: `p${i % 40}`, amount: `${(i % 9000) + 1}.${i % 100}`, economicCode: null, voucher, threePublic: i % 6 ? null : 'vehicleOperation', procurement: null } }
      if (i % 11 === 4) return { ...base, type: 'BudgetAdded', data: { line: `p${i % 7}`, amount: `${i}.00`, category: 'ordinary', note: `引号 " 反斜杠 \\ ${i}` } }
      if (i % 13 === 5) return { ...base, type: 'BudgetAdded', data: { line: `p${i % 7}`, amount: `${i}.00`, split: { a: i, b: [1, 2] } } }
      if (i % 7 === 2) return { ...base, type: 'BudgetAdded', data: { line: `p${i % 7}`, amount: `${i}.00`, category: 'ordinary', document: '财预〔2021〕596号' } }
      if (i % 17 === 1) return { ...base, type: 'EarmarkSet', data: { line: `p${i % 5}`, count: i, ratio: i / 8, negative: -i, flag: i % 2 === 0, none: null } }
      return { ...base, type: 'BudgetAdded', data: { line: `p${i % 7}`, amount: `${i}.00`, category: 'ordinary' } }
    })

  const withMixed = (n: number, f: (store: SqliteEventStore) => Promise<void>) => withStore(n, f, mixed)

  /** Equal, and each payload's keys in the stored order (toEqual alone would not see the order). */
  const expectSameEvents = (got: ReplayEvent[], want: ReplayEvent[], what: string) => {
    expect(got, what).toEqual(want)
    expect(got.map((e) => JSON.stringify(e.data)), what).toEqual(want.map((e) => JSON.stringify(e.data)))
  }

  it('given 21,000 events of mixed payloads, when read on the folding thread in ranges across page boundaries and whole on the read thread, then every event is read exactly once, in order, and equals the store’s row-by-row read', async () => {
    await withMixed(21_000, async (store) => {
      const whole = await read(portReader(store), 0, Number.MAX_SAFE_INTEGER)
      expect(whole.map((e) => e.revision)).toEqual(Array.from({ length: 21_000 }, (_, i) => i))
      const alone = sqliteReader(store.database, { readThread: false })
      for (const [from, to] of [
        [0, 20_999],
        [999, 1000],
        [1001, 3999],
        [20_998, Number.MAX_SAFE_INTEGER],
      ] as const)
        expectSameEvents(await read(alone, from, to), whole.slice(from, to + 1), `${from}..${to}`)
      let onThread: ReplayEvent[] = []
      expect(await startsAThread(async () => (onThread = await read(sqliteReader(store.database, { readThread: true }), 0, Number.MAX_SAFE_INTEGER)))).toBe(true)
      expectSameEvents(onThread, whole, 'on the read thread')
    })
  }, 120_000)

  it('given a damaged payload in the plain form that is nearly its type’s shape, when read, then the read fails naming the stream and revision, and nothing from its page on reaches the fold', async () => {
    await withMixed(1500, async (store) => {
      for (const text of [
        '{"line":"p1","amount":"1235.00","category":"ordinary"',
        '{"line":"p1","amount":"1235.00","category":"ordinary"}x',
        '{"line":"p1","amount":"1235.00","category":"ordinary"},{"line":"p1","amount":"1.00","category":"ordinary"}',
        '{"line":"p1","amount":01,"category":"ordinary"}',
        '{"line":"p1","amount":"12\n35.00","category":"ordinary"}',
      ]) {
        damage(store, 1235, text)
        const seen: number[] = []
        await expect(sqliteReader(store.database, { readThread: false }).range(STREAM, 0, 1499, (e) => seen.push(e.revision)), text).rejects.toThrow(
          /the event of budget-900002-2021 at revision 1235 is not stored as JSON/,
        )
        expect(seen, text).toEqual(Array.from({ length: 1000 }, (_, i) => i))
      }
    })
  })
})

describe('the dates from a metadata prefix (src/ledger/read-path/stream-reader.ts)', () => {
  const prefix = (recordedAt: string, effectiveDate: string) => JSON.stringify({ recordedAt, effectiveDate, actor: 'a' }).slice(0, 69)
  /** The same layout spliced by hand, so a quote or a backslash sits inside a value at the same length. */
  const spliced = (recordedAt: string, effectiveDate: string) => `{"recordedAt":"${recordedAt}","effectiveDate":"${effectiveDate}","actor":"a"}`.slice(0, 69)

  it('given the layout the ledger writes, then the prefix is plain; given a quote or a backslash inside a value, another order, or another length, then it is not (json_extract reads it)', () => {
    expect(plainDatesPrefix(prefix('2021-07-02T00:00:31.449Z', '2021-07-02'))).toBe(true)
    expect(plainDatesPrefix(prefix('2021-07-02T00:00:31.44"Z', '2021-07-02'))).toBe(false)
    expect(plainDatesPrefix(prefix('2021-07-02T00:00:31.449Z', '2021-07"02'))).toBe(false)
    expect(plainDatesPrefix(prefix('2021-07-02T00:00:31.4\\9Z', '2021-07-02'))).toBe(false)
    expect(plainDatesPrefix(spliced('2021-07-02T00:00:31.449Z', '2021-07-02'))).toBe(true)
    expect(plainDatesPrefix(spliced('2021-07-02T00:00:31.44"Z', '2021-07-02'))).toBe(false)
    expect(plainDatesPrefix(spliced('2021-07-02T00:00:31.449Z', '2021-07"02'))).toBe(false)
    expect(plainDatesPrefix(spliced('2021-07-02T00:00:31.4\\9Z', '2021-07-02'))).toBe(false)
    expect(plainDatesPrefix(spliced('2021-07-02T00:00:31.449Z', '2021-07\\02'))).toBe(false)
    expect(plainDatesPrefix(prefix('2021-07-02T00:00:31.449Z', '2021-7-2'))).toBe(false)
    expect(plainDatesPrefix(prefix('2021-07-02T00:00:31Z', '2021-07-02'))).toBe(false)
    expect(plainDatesPrefix(JSON.stringify({ effectiveDate: '2021-07-02', recordedAt: '2021-07-02T00:00:31.449Z', actor: 'a' }).slice(0, 69))).toBe(false)
  })
})
