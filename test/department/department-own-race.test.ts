import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Command } from '../../src/domain/events/commands'
import { ledgerDeps } from '../../src/ledger/deps'
import { recordCommand } from '../../src/ledger/recording/record'
import { MemoryEventStore } from '../../src/store/memory'
import type { EventStore } from '../../src/store/port'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { FILES } from '../support/years/department'
import { type Spawned, TOKEN_ENTRIES, send, spawnServer, stopServer } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * Two openings of a 本级 of one department-year, by different units at the same instant: the check
 * reads the members and then writes another stream, so both could pass it; the claim in
 * department-own-<code>-<year> lets exactly one through every time, and the other is refused
 * `second-own-unit` with nothing written.
 */
const ROUNDS = 12
const departmentOf = (round: number) => String(910000 + round * 10)
const ownFile = (round: number, unit: string) => ({
  ...FILES[0],
  unit: { code: unit, name: `单位${unit}` },
  department: { code: departmentOf(round), name: `竞争部门${round}`, role: 'own' },
})
const units = (round: number) => [String(910000 + round * 10 + 1), String(910000 + round * 10 + 2)] as const

/** Which units of a round have a year open, from the store itself. */
const openedIn = async (store: EventStore, round: number) => {
  const streams = await store.listStreams('budget-')
  return units(round).filter((u) => streams.includes(`budget-${u}-2021`))
}

describe('two 本级 openings racing', () => {
  const db = tempDb('ledger-own-race-')
  let a: Spawned
  let b: Spawned

  beforeAll(async () => {
    const env = { LEDGER_DB: db.path, LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES), LEDGER_USERS_FILE: `${db.dir}/users.json` }
    ;[a, b] = await Promise.all([spawnServer(db.dir, env), spawnServer(db.dir, env)])
  }, 120_000)
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopServer))
    db.remove()
  })

  it(`given two server processes on one SQLite file, when each opens a different unit as 本级 of the same department-year at once (${ROUNDS} rounds), then exactly one wins every time and the other is refused second-own-unit with nothing written`, async () => {
    const statuses: number[][] = []
    for (let round = 0; round < ROUNDS; round++) {
      const [ua, ub] = units(round)
      const replies = await Promise.all([
        send(a.url, 'POST', '/api/budget-files', { token: 'finance', body: ownFile(round, ua) }),
        send(b.url, 'POST', '/api/budget-files', { token: 'finance', body: ownFile(round, ub) }),
      ])
      statuses.push(replies.map((r) => r.status).sort())
      for (const r of replies.filter((r) => r.status !== 201)) expect((r.body as { code?: string }).code).toBe('second-own-unit')
    }
    expect(statuses).toEqual(Array.from({ length: ROUNDS }, () => [201, 409]))
    const store = new SqliteEventStore(db.path)
    try {
      for (let round = 0; round < ROUNDS; round++) {
        expect(await openedIn(store, round), `round ${round}`).toHaveLength(1)
        expect((await store.readStream(`department-own-${departmentOf(round)}-2021`)).map((e) => e.data)).toEqual([
          { department: departmentOf(round), year: 2021, unit: (await openedIn(store, round))[0] },
        ])
      }
    } finally {
      await store.close()
    }
  }, 300_000)
})

describe('two 本级 openings racing in one process', () => {
  const actor = { name: 'tester', role: 'finance' }
  const opening = (round: number, unit: string): Command =>
    ({ type: 'OpenBudgetYear', data: { unit: { code: unit, name: `单位${unit}` }, year: 2021, unitType: 'institution', previousYear: {}, department: { code: departmentOf(round), name: '竞争部门', role: 'own' } } }) as Command
  const ctx = { reason: 'test', document: null, effectiveDate: '2021-02-01' }

  /** The memory store as EventStoreDB is to the ledger: no append across streams, so the claim goes first. */
  const withoutTransactions = (store: MemoryEventStore): EventStore => {
    const bare = Object.create(store) as EventStore & { appendTogether?: unknown }
    Object.defineProperty(bare, 'appendTogether', { value: undefined })
    return bare
  }

  for (const [name, make] of [
    ['the memory store (claim and opening in one transaction)', () => new MemoryEventStore()],
    ['a store without transactions across streams, as EventStoreDB (claim first, then the opening)', () => withoutTransactions(new MemoryEventStore())],
  ] as const) {
    it(`given ${name}, when two units open as 本级 of one department-year at once (${ROUNDS} rounds), then exactly one wins and the other is refused second-own-unit with nothing written`, async () => {
      const store = make()
      const deps = ledgerDeps(store, { now: () => new Date('2021-02-02T04:00:00Z') })
      for (let round = 0; round < ROUNDS; round++) {
        const [ua, ub] = units(round)
        const results = await Promise.all([ua, ub].map((u) => recordCommand(deps, { unit: u, year: 2021 }, opening(round, u), ctx, actor)))
        expect(results.filter(E.isRight)).toHaveLength(1)
        const lost = results.find(E.isLeft)!
        expect(lost.left.kind === 'refused' && lost.left.error.code).toBe('second-own-unit')
        expect(await openedIn(store, round)).toHaveLength(1)
      }
    })
  }

  it('given a store without transactions across streams, when the opening fails after its claim (the year is already open), then the claim is released and another unit may open as 本级', async () => {
    const store = withoutTransactions(new MemoryEventStore())
    const deps = ledgerDeps(store, { now: () => new Date('2021-02-02T04:00:00Z') })
    const sub = { ...(opening(99, '910991') as { data: object }).data, department: { code: departmentOf(99), name: '竞争部门', role: 'subordinate' } }
    expect(E.isRight(await recordCommand(deps, { unit: '910991', year: 2021 }, { type: 'OpenBudgetYear', data: sub } as Command, ctx, actor))).toBe(true)
    const again = await recordCommand(deps, { unit: '910991', year: 2021 }, opening(99, '910991'), ctx, actor)
    expect(E.isLeft(again) && again.left.kind === 'refused' && again.left.error.code).toBe('year-already-open')
    expect((await store.readStream(`department-own-${departmentOf(99)}-2021`)).map((e) => e.type)).toEqual([])
    expect(E.isRight(await recordCommand(deps, { unit: '910992', year: 2021 }, opening(99, '910992'), ctx, actor))).toBe(true)
  })
})
