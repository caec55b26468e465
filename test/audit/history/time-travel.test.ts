import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TABLES } from '../../../projections'
import { toJson } from '../../../projections/render'
import { endOfDay, parseAsOf, parseEffective } from '../../../src/domain/time/as-of'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { BudgetYearSnapshots } from '../../../src/ledger/fold/snapshots/snapshots'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import type { NewEvent, RecordedEvent } from '../../../src/store/envelope'
import { MemoryEventStore } from '../../../src/store/memory'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { AT, STREAM, TARGET, cmd, recordScenario, recorder, tablesOf } from '../../support/ledgers/audit-ledger'
import { cli } from '../../support/shells/cli'
import { tempDb } from '../../support/ledgers/temp-db'
import { fenText } from '../../../src/domain/money/fen'

const SHANGHAI_END_OF = (day: string) => `${day}T15:59:59.999Z`
const DAYS = ['2021-02-28', ...Array.from({ length: 11 }, (_, i) => `2021-03-${String(i + 1).padStart(2, '0')}`)]

/** The tables an independent store holding only these events shows. */
const tablesOfSeparateStore = async (events: ReadonlyArray<RecordedEvent>) => {
  const separate = new MemoryEventStore()
  if (events.length > 0) {
    const fresh: NewEvent[] = events.map((e) => {
      const { hash: _h, prevHash: _p, ...metadata } = e.metadata
      return { id: e.id, type: e.type, data: e.data, metadata }
    })
    await separate.append(STREAM, fresh, 'no_stream')
  }
  const { state } = await loadBudgetYear(separate, TARGET.unit, TARGET.year)
  return state.identity ? TABLES.map((t) => toJson(t.render(state, bundledCatalogue()))) : []
}

const tableJson = async (db: string, table: number | string, ...flags: string[]) => {
  const r = await cli(['--db', db, 'table', String(table), '--unit', TARGET.unit, '--year', String(TARGET.year), '--format', 'json', ...flags])
  return { ...r, json: r.code === 0 ? JSON.parse(r.stdout) : undefined }
}

describe('time travel: any table as of any day, and at any business date', () => {
  const db = tempDb('ledger-time-travel-')
  let store: SqliteEventStore
  let all: RecordedEvent[]
  let ids: Awaited<ReturnType<typeof recordScenario>>

  beforeAll(async () => {
    store = new SqliteEventStore(db.path)
    ids = await recordScenario(store)
    all = await store.readStream(STREAM)
  })
  afterAll(async () => {
    await store.close()
    db.remove()
  })

  it('given events recorded over eleven days, when each of the eleven tables is asked for as of each day, then it equals what a store holding only the events recorded by then shows', async () => {
    const snapshots = new BudgetYearSnapshots(store, { every: 3, journalInMemory: 2 })
    for (const day of DAYS) {
      const recorded = all.filter((e) => e.metadata.recordedAt <= SHANGHAI_END_OF(day))
      const expected = await tablesOfSeparateStore(recorded)
      const viaSnapshots = await snapshots.stateAt(TARGET.unit, TARGET.year, { asOf: SHANGHAI_END_OF(day) })
      if (expected.length === 0) {
        const r = await tableJson(db.path, 3, '--as-of', day)
        expect(r.code).toBe(1)
        expect(r.stderr).toContain('was not open as of')
        expect(viaSnapshots.state.identity).toBeUndefined()
        continue
      }
      for (const t of TABLES) {
        const r = await tableJson(db.path, t.number, '--as-of', day)
        expect(r.code, `${day} table ${t.number}: ${r.stderr}`).toBe(0)
        expect(r.json, `${day} table ${t.number}`).toEqual(expected[t.number - 1])
        expect(toJson(t.render(viaSnapshots.state, bundledCatalogue())), `${day} table ${t.number} via snapshots`).toEqual(expected[t.number - 1])
      }
    }
  })

  it('given no time-travel flag, when a table is asked for, then it is the ledger as it stands (every event)', async () => {
    for (const t of TABLES) expect((await tableJson(db.path, t.number)).json).toEqual(tablesOf(all)[t.number - 1])
  })

  it('given a correction recorded on day 10 with business date day 3, when table 3 is read at effective day 3, then it shows as of day 11 and not as of day 9', async () => {
    const correction = all.find((e) => e.id === ids.correction)!
    expect(correction.metadata).toMatchObject({ recordedAt: AT.correction, effectiveDate: '2021-03-03' })
    const view = (asOfDay: string) =>
      all.filter((e) => e.metadata.recordedAt <= SHANGHAI_END_OF(asOfDay) && e.metadata.effectiveDate <= '2021-03-03')

    const later = await tableJson(db.path, 3, '--as-of', '2021-03-11', '--effective', '2021-03-03')
    const earlier = await tableJson(db.path, 3, '--as-of', '2021-03-09', '--effective', '2021-03-03')
    expect(later.json).toEqual(tablesOf(view('2021-03-11'))[2])
    expect(earlier.json).toEqual(tablesOf(view('2021-03-09'))[2])
    expect(view('2021-03-11').map((e) => e.id)).toContain(ids.correction)
    expect(view('2021-03-09').map((e) => e.id)).not.toContain(ids.correction)

    // p02 (2060499) is 200000.00 元 at the start: +7000.00 by the correction, at day 3.
    const row = (t: { rows: string[][] }) => t.rows.find((r) => r[0]!.trim() === '2060499')!
    expect(row(earlier.json)[2]).toBe('20.00')
    expect(row(later.json)[2]).toBe('20.70')
    // …and nothing dated after day 3: not the transfer out of p02 (day 4), nor the reduction (day 5).
    expect(row((await tableJson(db.path, 3)).json)[2]).toBe('25.70') // 20.00 + 0.70 − 2.00 − 1.00 + 8.00 (p03, same 项)
  })

  it('given the snapshot cache, when the same bitemporal views are asked for, then they agree with the full replay', async () => {
    const snapshots = new BudgetYearSnapshots(store, { every: 2, journalInMemory: 2 })
    for (const asOf of ['2021-03-03', '2021-03-09', '2021-03-11'])
      for (const effective of ['2021-03-01', '2021-03-03', '2021-03-05', '2021-03-31']) {
        const at = { asOf: SHANGHAI_END_OF(asOf), effective }
        const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, at)
        const fast = await snapshots.stateAt(TARGET.unit, TARGET.year, at)
        for (const t of TABLES)
          expect(toJson(t.render(fast.state, bundledCatalogue())), `${asOf} ${effective} table ${t.number}`).toEqual(
            toJson(t.render(full.state, bundledCatalogue())),
          )
      }
  })

  it('given an event recorded at 2021-03-01T16:30Z, when as-of dates are bare, then they are days in Asia/Shanghai: it is on 2 March there', async () => {
    expect(parseAsOf('2021-03-01', 'Asia/Shanghai', new Date())).toEqual({ _tag: 'Right', right: '2021-03-01T15:59:59.999Z' })
    expect(new Date(endOfDay('2021-03-02', 'Asia/Shanghai')).toISOString()).toBe('2021-03-02T15:59:59.999Z')
    expect(parseEffective('2021-03-01T16:30:00Z', 'Asia/Shanghai', new Date())).toEqual({ _tag: 'Right', right: '2021-03-02' })
    const add = all.find((e) => e.id === ids.add)!
    expect(add.metadata.recordedAt).toBe('2021-03-01T16:30:00.000Z')

    const p01 = (t: { rows: string[][] }) => t.rows.find((r) => r[0]!.trim() === '2150502')![2]
    expect(p01((await tableJson(db.path, 3, '--as-of', '2021-03-01')).json)).toBe('50.00')
    expect(p01((await tableJson(db.path, 3, '--as-of', '2021-03-02')).json)).toBe('60.00')
    // In UTC the same event is on 1 March: the zone is configurable (env or flag).
    const utc = await cli(['--db', db.path, 'table', '3', '--as-of', '2021-03-01', '--format', 'json'], { LEDGER_TIME_ZONE: 'UTC' })
    expect(p01(JSON.parse(utc.stdout))).toBe('60.00')
    expect(p01((await tableJson(db.path, 3, '--as-of', '2021-03-01', '--time-zone', 'UTC')).json)).toBe('60.00')
    // Full timestamps are instants, in any notation.
    expect(p01((await tableJson(db.path, 3, '--as-of', '2021-03-01T16:29:59Z')).json)).toBe('50.00')
    expect(p01((await tableJson(db.path, 3, '--as-of', '2021-03-02T00:30:00+08:00')).json)).toBe('60.00')
  })

  it('given bad time-travel flags, when a table is asked for, then each is named and the exit code is 2', async () => {
    const r = await tableJson(db.path, 3, '--as-of', 'yesterday', '--effective', '2021-02-30')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--as-of: expected a date YYYY-MM-DD')
    expect(r.stderr).toContain('--effective: expected a date YYYY-MM-DD')
    const zone = await tableJson(db.path, 3, '--as-of', '2021-03-01', '--time-zone', 'Mars/Olympus')
    expect(zone.code).toBe(2)
    expect(zone.stderr).toContain('unknown time zone')
  })

  it('given the report, when it is asked for as of a day, then its figures are those of that day', async () => {
    const r = await cli(['--db', db.path, 'report', '--as-of', '2021-03-01'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('80.00') // the fixture's 800000.00 元 before any change
    expect(r.stdout).toContain('as of 2021-03-01 23:59:59 +08:00 (Asia/Shanghai)')
  })
})

describe('the business-date rule: an event takes effect no earlier than what it acts on', () => {
  const db = tempDb('ledger-effective-rule-')
  let store: SqliteEventStore
  let all: RecordedEvent[]
  let late: { spend: string; reversal: string; allocate: string; early: string }

  beforeAll(async () => {
    store = new SqliteEventStore(db.path)
    await recordScenario(store)
    const { record } = recorder(store)
    const [spend] = await record(
      '2021-03-12T03:00:00.000Z',
      cmd('RecordExpenditure', { line: 'p01', amount: '3000.00', economicCode: null, voucher: 'V-0312', threePublic: null, procurement: null }),
      { document: null },
    )
    // A reversal dated before the expenditure it reverses.
    const [reversal] = await record('2021-03-13T03:00:00.000Z', cmd('ReverseEvent', { event: spend }), { effectiveDate: '2021-03-05', document: null })
    // A line allocated with business date 20 March, and spending on it dated 16 March.
    const [allocate] = await record(
      '2021-03-14T03:00:00.000Z',
      cmd('AllocateLine', { line: 'p04', kind: 'project', basicCategory: null, projectName: '项目四', functionCode: '2011308', economicCode: null, fundSource: 'general.appropriation', amount: '9000.00' }),
      { effectiveDate: '2021-03-20' },
    )
    const [early] = await record(
      '2021-03-15T03:00:00.000Z',
      cmd('RecordExpenditure', { line: 'p04', amount: '1000.00', economicCode: null, voucher: 'V-0316', threePublic: null, procurement: null }),
      { effectiveDate: '2021-03-16', document: null },
    )
    late = { spend: spend!, reversal: reversal!, allocate: allocate!, early: early! }
    all = await store.readStream(STREAM)
  })
  afterAll(async () => {
    await store.close()
    db.remove()
  })

  const dated = (d: string, leaveOut: ReadonlyArray<string> = []) => all.filter((e) => e.metadata.effectiveDate <= d && !leaveOut.includes(e.id))

  it('given a reversal dated before its target, when the year is read between the two dates, then neither shows (no crash); from the target’s date on, both do', async () => {
    const snapshots = new BudgetYearSnapshots(store, { every: 4, journalInMemory: 2 })
    const between = await loadBudgetYear(store, TARGET.unit, TARGET.year, { effective: '2021-03-08' })
    expect(between.events.map((e) => e.id)).not.toContain(late.reversal)
    expect(between.events.map((e) => e.id)).not.toContain(late.spend)
    expect(fenText(between.state.lines.get('p01')!.spent)).toBe('0.00')
    expect(tablesOf(between.events)).toEqual(tablesOf(dated('2021-03-08', [late.reversal])))

    const from = await loadBudgetYear(store, TARGET.unit, TARGET.year, { effective: '2021-03-12' })
    expect(from.events.map((e) => e.id)).toEqual(expect.arrayContaining([late.spend, late.reversal]))
    expect(fenText(from.state.lines.get('p01')!.spent)).toBe('0.00')

    for (const effective of ['2021-03-05', '2021-03-08', '2021-03-12']) {
      const fast = await snapshots.stateAt(TARGET.unit, TARGET.year, { effective })
      const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, { effective })
      expect(tablesOf(full.events)).toEqual(TABLES.map((t) => toJson(t.render(fast.state, bundledCatalogue()))))
    }
    for (const t of TABLES) expect((await tableJson(db.path, t.number, '--effective', '2021-03-08')).json).toEqual(tablesOf(between.events)[t.number - 1])
  })

  it('given spending dated before its line’s allocation, when the year is read in between, then it waits for the allocation', async () => {
    const before = await loadBudgetYear(store, TARGET.unit, TARGET.year, { effective: '2021-03-17' })
    expect(before.state.lines.has('p04')).toBe(false)
    expect(before.events.map((e) => e.id)).not.toContain(late.early)
    expect(tablesOf(before.events)).toEqual(tablesOf(dated('2021-03-17', [late.early])))
    const after = await loadBudgetYear(store, TARGET.unit, TARGET.year, { effective: '2021-03-20' })
    expect(fenText(after.state.lines.get('p04')!.spent)).toBe('1000.00')
    const fast = await new BudgetYearSnapshots(store, { every: 5, journalInMemory: 2 }).stateAt(TARGET.unit, TARGET.year, { effective: '2021-03-17' })
    expect(fast.state.lines.has('p04')).toBe(false)
    expect(fast.leftOut).toBeGreaterThanOrEqual(2)
  })
})
