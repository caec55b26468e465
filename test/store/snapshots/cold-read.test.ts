import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { toJson } from '../../../projections/render'
import { json } from '../../../src/cli/shell/format'
import { type BudgetYearState, FOLD_VERSION } from '../../../src/domain/budget-year'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import { coldStateAt } from '../../../src/ledger/fold/snapshots/cold-read'
import { ledgerDeps } from '../../../src/ledger/deps'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { recordSteps } from '../../../src/ledger/recording/record'
import { snapshotBackendOf } from '../../../src/ledger/fold/snapshots/snapshot-record'
import { BudgetYearSnapshots, snapshotsFor } from '../../../src/ledger/fold/snapshots/snapshots'
import { readerFor } from '../../../src/ledger/read-path/stream-reader'
import { renderTable, yearOfState } from '../../../src/ledger/reports/tables'
import { sha256 } from '../../../src/store/chain/hash-chain'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { ACTOR, STREAM, TARGET, cmd, recorder } from '../../support/ledgers/audit-ledger'
import { YEAR_PATH, addBody, startServer } from '../../support/shells/http'
import { DAY, START, catalogue, randomYear, step, view } from '../../support/years/random-year'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The cold read (src/ledger/fold/snapshots/cold-read.ts): a process's first read of a unit-year without an
 * effective date starts from the persisted row at or before the point's last revision, found
 * without restoring the whole as-of index, and must answer exactly as a full replay, wherever the
 * point falls (before the first row, on a row's last event, inside the tail after the last row);
 * any row it cannot trust sends it to the full path, still right.
 */
const tableJson = (s: BudgetYearState): string => (s.identity ? json(toJson(renderTable(s, '3', catalogue, yearOfState(s)))) : 'not open')

/** A point as fast-check picks it: in the recorded span (per mille, past both ends too), on an event's recording time (±1 ms), or none. */
const instant = fc.oneof(
  fc.record({ kind: fc.constant('span' as const), permille: fc.integer({ min: -100, max: 1100 }) }),
  fc.record({ kind: fc.constant('row-end' as const), pick: fc.nat(1000), delta: fc.constantFrom(-1, 0, 1) }),
  fc.record({ kind: fc.constant('event' as const), pick: fc.nat(1000), delta: fc.constantFrom(-1, 0, 1) }),
  fc.record({ kind: fc.constant('head' as const) }),
)
type Instant = typeof instant extends fc.Arbitrary<infer I> ? I : never

/** The asOf of a picked point, given the recording times by revision and the rows' interval. */
const asOfOf = (p: Instant, recorded: ReadonlyArray<string>, every: number, last: number): string | undefined => {
  if (p.kind === 'head') return undefined
  if (p.kind === 'span') return new Date(START + Math.round(((last - START) * p.permille) / 1000)).toISOString()
  const rows = Math.floor(recorded.length / every)
  const revision = p.kind === 'row-end' && rows > 0 ? ((p.pick % rows) + 1) * every - 1 : p.pick % recorded.length
  return new Date(Date.parse(recorded[revision]!) + p.delta).toISOString()
}

describe('the cold read: the first read of a year from one persisted row', () => {
  it('given random years with rows saved at random intervals and a tail, when a cold process reads any instant, then table 3 is byte-equal to a full replay, the rest of the view equal, and it started from the row at or before the instant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), fc.integer({ min: 1, max: 6 }), fc.nat(10), fc.array(instant, { minLength: 4, maxLength: 10 }), async (steps, every, tail, points) => {
        const db = tempDb('ledger-cold-read-')
        const store = new SqliteEventStore(db.path)
        try {
          const year = await randomYear(store)
          const folded = Math.max(0, steps.length - tail)
          await year.record(steps.slice(0, folded))
          await new BudgetYearSnapshots(store, { every }).latest(TARGET.unit, TARGET.year)
          await year.record(steps.slice(folded))
          const recorded = (await store.readStream(STREAM)).map((e) => e.metadata.recordedAt)
          for (const p of points) {
            // Read at each point: the second read of the one before, a writer, saved the tail's rows.
            const rows = store.database.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'snapshots'").get() ? (store.database.prepare('SELECT count(*) FROM snapshots').pluck().get() as number) : 0
            const asOf = asOfOf(p, recorded, every, year.last)
            const at = asOf === undefined ? {} : { asOf }
            const process = new BudgetYearSnapshots(store, { every })
            const cold = await process.stateAt(TARGET.unit, TARGET.year, at)
            const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, at)
            const label = JSON.stringify({ p, asOf, every, rows })
            expect(tableJson(cold.state), label).toBe(tableJson(full.state))
            expect(view(cold.state, year.reversible), label).toEqual(view(full.state, year.reversible))
            expect(cold.lastRevision, label).toBe(full.events.length - 1)
            const from = Math.min(rows, Math.floor(full.events.length / every))
            expect(process.stats()[0]?.restoredFrom ?? null, label).toBe(from > 0 ? from * every - 1 : null)
            // The second read of the process restores the whole timeline (the full path): the same answer.
            const again = await process.stateAt(TARGET.unit, TARGET.year, at)
            expect(tableJson(again.state), label).toBe(tableJson(full.state))
            expect(process.stats()[0]!.restoredFrom, label).toBe(rows > 0 ? rows * every - 1 : null)
          }
        } finally {
          await store.close()
          db.remove()
        }
      }),
      { numRuns: 30 },
    )
  }, 300_000)

  it('given a year of some two hundred entries, a third of them reversed, when a cold process reads it and walks the journal (the 决算 tables, each entry\'s reversibility), then past the lookups searched in the rows\' text the map of all rows answers, as a replay', async () => {
    const db = tempDb('ledger-cold-many-')
    const store = new SqliteEventStore(db.path)
    try {
      const year = await randomYear(store)
      const day = { minutes: 6 * 60, shiftDays: 0, line: 1, other: 2, amount: 100, pick: 0 }
      const kinds = ['spend', 'spend', 'reverse', 'add', 'spend', 'reverse'] as const
      await year.record(Array.from({ length: 240 }, (_, i) => ({ ...day, kind: kinds[i % kinds.length]!, amount: 100 + i, pick: i })))
      await new BudgetYearSnapshots(store, { every: 10 }).latest(TARGET.unit, TARGET.year)
      expect(year.reversible.length).toBeGreaterThan(64)
      const process = new BudgetYearSnapshots(store, { every: 10 })
      const cold = await process.stateAt(TARGET.unit, TARGET.year, {})
      expect(process.stats()[0]?.restoredFrom).toBeGreaterThan(0)
      const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, {})
      expect(view(cold.state, year.reversible)).toEqual(view(full.state, year.reversible))
    } finally {
      await store.close()
      db.remove()
    }
  }, 120_000)
})

/** A year of a dozen events or more, a day apart, with rows every 2 saved; `asOf`: an instant halfway, `base`: the row a cold read of it starts from. */
const savedYear = async () => {
  const db = tempDb('ledger-cold-fallback-')
  const store = new SqliteEventStore(db.path)
  const year = await randomYear(store)
  const day = { minutes: 24 * 60, shiftDays: 0, line: 1, other: 2, amount: 100, pick: 0 }
  const kinds = ['spend', 'add', 'spend', 'reverse', 'spend', 'reduce', 'spend', 'reverse', 'add', 'spend', 'spend'] as const
  await year.record(kinds.map((kind, i) => ({ ...day, kind, amount: 100 + i, pick: i })))
  await new BudgetYearSnapshots(store, { every: 2 }).latest(TARGET.unit, TARGET.year)
  const recorded = (await store.readStream(STREAM)).map((e) => e.metadata.recordedAt)
  const middle = Math.floor(recorded.length / 2) + 1 // even: the row before it is a whole interval behind
  const asOf = new Date(Date.parse(recorded[middle]!) + 1).toISOString()
  expect(recorded[middle + 1]! > asOf).toBe(true)
  return { db, store, year, asOf, base: Math.floor((middle + 1) / 2) * 2 - 1 }
}

describe('the cold read: rows it cannot trust', () => {
  const damages: ReadonlyArray<[string, string]> = [
    ['a segment changed in the file (its digest fails)', "UPDATE snapshots SET segment = zeroblob(24) WHERE revision = $BASE"],
    ['the first row missing', 'DELETE FROM snapshots WHERE revision = 1'],
    ['rows of another fold version', `UPDATE snapshots SET fold_version = ${FOLD_VERSION + 1}`],
    ['a row the log no longer holds (another last hash)', "UPDATE snapshots SET last_hash = 'ff' WHERE revision = $BASE"],
    ['a state that is not JSON', "UPDATE snapshots SET state = 'garbled', state_digest = '" + sha256('garbled') + "' WHERE revision = $BASE"],
  ]
  for (const [what, sql] of damages)
    it(`given ${what}, when a cold process reads the year as of an instant halfway, then the cold read declines and the full path answers as a replay`, async () => {
      const { db, store, year, asOf, base } = await savedYear()
      try {
        const backend = snapshotBackendOf(store)!
        const head = await store.streamRevision(STREAM)
        const before = await coldStateAt(STREAM, 2, head, Date.parse(asOf), backend, readerFor(store))
        expect(before?.restoredFrom).toBe(base)
        store.database.exec(sql.replaceAll('$BASE', String(base)))
        expect(await coldStateAt(STREAM, 2, head, Date.parse(asOf), backend, readerFor(store))).toBeUndefined()
        const answer = await new BudgetYearSnapshots(store, { every: 2 }).stateAt(TARGET.unit, TARGET.year, { asOf })
        const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, { asOf })
        expect(tableJson(answer.state)).toBe(tableJson(full.state))
        expect(view(answer.state, year.reversible)).toEqual(view(full.state, year.reversible))
      } finally {
        await store.close()
        db.remove()
      }
    })

  const lost: ReadonlyArray<[string, string]> = [
    ['the rows\' reversals emptied (the chain in the state refuses them)', "UPDATE snapshot_reversals SET reversals = '[]'"],
    ['the rows\' reversals missing', 'DROP TABLE snapshot_reversals'],
  ]
  for (const [what, sql] of lost)
    it(`given ${what}, when a cold process reads the year as of an instant halfway and each entry's reversibility, then the reversals come from the log and all equals a replay`, async () => {
      const { db, store, year, asOf, base } = await savedYear()
      try {
        const reversed = store.database.prepare("SELECT count(*) FROM snapshot_reversals WHERE reversals <> '[]'").pluck().get() as number
        expect(reversed).toBeGreaterThan(0)
        store.database.exec(sql)
        const process = new BudgetYearSnapshots(store, { every: 2 })
        const answer = await process.stateAt(TARGET.unit, TARGET.year, { asOf })
        expect(process.stats()[0]!.restoredFrom).toBe(base)
        const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, { asOf })
        expect(view(answer.state, year.reversible)).toEqual(view(full.state, year.reversible))
      } finally {
        await store.close()
        db.remove()
      }
    })

  it('given rows saved before the chain of reversals existed (a state without it), when a cold process reads the year, then the cold read declines and the full path answers as a replay', async () => {
    const { db, store, year, asOf } = await savedYear()
    try {
      const rows = store.database.prepare('SELECT revision, state FROM snapshots').all() as Array<{ revision: number; state: string }>
      for (const r of rows) {
        const { reversalsChain: _dropped, ...older } = JSON.parse(r.state) as Record<string, unknown>
        const text = JSON.stringify(older)
        store.database.prepare('UPDATE snapshots SET state = ?, state_digest = ? WHERE revision = ?').run(text, sha256(text), r.revision)
      }
      const head = await store.streamRevision(STREAM)
      expect(await coldStateAt(STREAM, 2, head, Date.parse(asOf), snapshotBackendOf(store)!, readerFor(store))).toBeUndefined()
      const process = new BudgetYearSnapshots(store, { every: 2 })
      const answer = await process.stateAt(TARGET.unit, TARGET.year, { asOf })
      expect(view(answer.state, year.reversible)).toEqual(view((await loadBudgetYear(store, TARGET.unit, TARGET.year, { asOf })).state, year.reversible))
      // The full path restored the latest row, which it still trusts (its segment digest holds).
      expect(process.stats()[0]!.restoredFrom).toBe(rows.length * 2 - 1)
    } finally {
      await store.close()
      db.remove()
    }
  })
})

describe('the cold read: the server', () => {
  it('given a file of 1,303 events with a row saved at 999, when a new server answers table 3, then a write, then table 3 and table 3 as of the first day, then each equals a full replay, the first from the row and the events after it', async () => {
    const db = tempDb('ledger-cold-server-')
    const writer = new SqliteEventStore(db.path)
    let clock = new Date('2021-03-01T02:00:00Z')
    const deps = ledgerDeps(writer, { now: () => clock })
    await recorder(writer).importAt(clock.toISOString())
    const spend = (b: number, i: number): Command => cmd('RecordExpenditure', { line: i % 2 ? 'p01' : 'p02', amount: '1.25', economicCode: null, voucher: `V${b}-${i}`, threePublic: null, procurement: null })
    for (const [b, n] of [
      [0, 700],
      [1, 599],
    ] as const) {
      clock = new Date(Date.parse('2021-03-02T02:00:00Z') + b * DAY)
      const ctx = { reason: `批量支出 ${b}`, document: '文', effectiveDate: clock.toISOString().slice(0, 10) } as CommandContext
      expect(E.isRight(await recordSteps(deps, TARGET, [{ ctx, commands: Array.from({ length: n }, (_, i) => spend(b, i)) }], ACTOR))).toBe(true)
    }
    await writer.close()
    const t = await startServer({ file: db.path })
    try {
      const replay = async (asOf?: string) => tableJson((await loadBudgetYear(t.store, TARGET.unit, TARGET.year, asOf === undefined ? {} : { asOf })).state)
      const get = async (query = '') => {
        const r = await t.request('GET', `${YEAR_PATH}/tables/3${query}`, { token: 'dashboard' })
        expect(r.status).toBe(200)
        return json(r.body)
      }
      expect(await get()).toBe(await replay())
      expect(snapshotsFor(t.store).stats()).toEqual([{ stream: STREAM, events: 1303, snapshots: 1, folded: 303, restoredFrom: 999 }])
      const added = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('3.50') })
      expect(added.status).toBe(201)
      expect(await get()).toBe(await replay())
      const firstDay = '2021-03-02T12:00:00Z'
      expect(await get(`?asOf=${firstDay}`)).toBe(await replay(firstDay))
      expect(t.logged).toEqual([])
    } finally {
      await t.close()
      db.remove()
    }
  }, 120_000)
})
