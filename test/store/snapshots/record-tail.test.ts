import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { TABLES } from '../../../projections'
import { toJson } from '../../../projections/render'
import { ledgerDeps } from '../../../src/ledger/deps'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { recordCommand, recordCommands } from '../../../src/ledger/recording/record'
import { budgetYearAt } from '../../../src/ledger/fold/snapshots/snapshots'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import type { RecordedEvent } from '../../../src/store/envelope'
import type { EventStore, ReadStreamOptions } from '../../../src/store/port'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { ACTOR, STREAM, TARGET, cmd, recorder } from '../../support/ledgers/audit-ledger'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * Recording a command must not replay the unit-year: it decides against the process's snapshot
 * cache, which folds only what was appended since, and finds a repeated request by its
 * idempotency key through the store's index. Measured here by what the commands read from a real
 * SQLite store (counted by a pass-through wrapper), and checked against a full replay.
 */
class CountingStore {
  eventsRead = 0
  constructor(readonly inner: EventStore) {}
  readonly kind = 'counting'
  append: EventStore['append'] = (...a) => this.inner.append(...a)
  readAll: EventStore['readAll'] = (...a) => this.inner.readAll(...a)
  streamRevision: EventStore['streamRevision'] = (...a) => this.inner.streamRevision(...a)
  listStreams: EventStore['listStreams'] = (...a) => this.inner.listStreams(...a)
  subscribe: EventStore['subscribe'] = (...a) => this.inner.subscribe(...a)
  readByIdempotencyKey: EventStore['readByIdempotencyKey'] = (...a) => this.inner.readByIdempotencyKey(...a)
  close = () => this.inner.close()
  async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(stream, options)
    this.eventsRead += events.length
    return events
  }
}

const ctx = { reason: '日常支出', document: null, effectiveDate: '2021-06-01' } as never
const spend = (i: number) => cmd('RecordExpenditure', { line: i % 2 ? 'p01' : 'p02', amount: '1.25', economicCode: null, voucher: `记-${i}`, threePublic: null, procurement: null })
const tablesOf = (state: Parameters<(typeof TABLES)[number]['render']>[0]) => TABLES.map((t) => toJson(t.render(state, bundledCatalogue())))

describe('recording on a long year folds only the tail', () => {
  it('given a year of 1,200 events, when 20 commands are recorded one after another, then they read only what was appended since and the tables equal a full replay', async () => {
    const db = tempDb('record-tail-')
    const sqlite = new SqliteEventStore(db.path)
    try {
      const { importAt } = recorder(sqlite)
      await importAt('2021-03-01T02:00:00.000Z')
      const deps = ledgerDeps(sqlite)
      for (let i = 0; i < 1200; i += 100) {
        const r = await recordCommands(deps, TARGET, Array.from({ length: 100 }, (_, k) => spend(i + k)), ctx, ACTOR)
        if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      }
      const length = (await sqlite.streamRevision(STREAM)) + 1
      expect(length).toBeGreaterThan(1200)

      const store = new CountingStore(sqlite)
      const counted = ledgerDeps(store as unknown as EventStore)
      const first = await recordCommand(counted, TARGET, spend(5000), ctx, ACTOR)
      expect(E.isRight(first)).toBe(true)
      // The first command of a process folds the year once (the cache is cold)…
      expect(store.eventsRead).toBe(length)
      store.eventsRead = 0
      for (let i = 1; i <= 20; i++) {
        const r = await recordCommand(counted, TARGET, spend(5000 + i), ctx, ACTOR, { idempotencyKey: `req-${i}` })
        expect(E.isRight(r) && r.right.revision).toBe(length + i)
      }
      // …and then each one only the event recorded just before it, and its own last event again (the
      // cache checks that the stream it folded is still the one in the store).
      expect(store.eventsRead).toBeLessThanOrEqual(2 * 20)
      // A repeat is answered from the key index, not by reading the stream for its key.
      const read = store.eventsRead
      const again = await recordCommand(counted, TARGET, spend(5007), ctx, ACTOR, { idempotencyKey: 'req-7' })
      expect(E.isRight(again) && again.right.repeated).toBe(true)
      expect(E.isRight(again) && again.right.revision).toBe(length + 7)
      expect(store.eventsRead - read).toBeLessThanOrEqual(2)

      // A dry run decides on a fork of the shared state: nothing is recorded and the cache's state
      // still equals a full replay of the file.
      const dry = await recordCommand(counted, TARGET, spend(6000), ctx, ACTOR, { dryRun: true })
      expect(E.isRight(dry) && dry.right.revision).toBe(length + 21)
      const replay = await loadBudgetYear(sqlite, TARGET.unit, TARGET.year)
      expect(replay.state.revision).toBe(length + 20)
      const cached = await budgetYearAt(store as unknown as EventStore, TARGET.unit, TARGET.year)
      expect(cached.state.revision).toBe(length + 20)
      expect(tablesOf(cached.state)).toEqual(tablesOf(replay.state))
    } finally {
      await sqlite.close()
      db.remove()
    }
  })
})
