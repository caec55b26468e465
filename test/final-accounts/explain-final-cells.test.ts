import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FINAL_TABLES } from '../../projections'
import { cellsOf } from '../../projections/audit/table-diff'
import { tableCode } from '../../projections/table'
import type { TimePoint } from '../../src/domain/time/as-of'
import type { Command } from '../../src/domain/events/commands'
import { explainTableCell } from '../../src/ledger/reports/audit'
import { ledgerDeps } from '../../src/ledger/deps'
import { loadBudgetYear } from '../../src/ledger/fold/load'
import { recordCommand } from '../../src/ledger/recording/record'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { cliProcess } from '../support/shells/cli'
import { allocate, openYear } from '../support/years/given'
import { tempDb } from '../support/ledgers/temp-db'

const catalogue = bundledCatalogue()
const UNIT = '900302'
const TARGET = { unit: UNIT, year: 2021 }

const spend = (line: string, amount: string, economicCode: string | null, threePublic: string | null = null): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode, voucher: `V-${line}-${amount}`, threePublic, procurement: null } }) as Command
const earmark = (earmark: string, amount: string): Command => ({ type: 'SetEarmark', data: { earmark, amount } }) as Command

/**
 * A year that fills every 决算 table (F1–F9): basic money with economic codes (F6), 三公 spending
 * of 财政拨款 and of 事业收入 (F7), 政府性基金 (F8), 国有资本经营 (F9), carried-in money, an
 * expenditure reversed, and a close with 结转, 结余 and 收回. Each command is recorded on its own
 * day; the one marked "late" is recorded in November with a business date in May, so the two time
 * axes see different years.
 */
const STEPS: ReadonlyArray<readonly [recordedOn: string, effective: string, command: Command]> = [
  ['2021-01-04', '2021-01-04', openYear(UNIT, 2021)],
  ['2021-01-05', '2021-01-05', allocate('b1', '1000000.00', { kind: 'basic', basicCategory: 'personnel', functionCode: '2010601', economicCode: '301' })],
  ['2021-01-06', '2021-01-06', allocate('b2', '300000.00', { kind: 'basic', basicCategory: 'operating', functionCode: '2010601', economicCode: '302' })],
  ['2021-01-07', '2021-01-07', allocate('p1', '500000.00', { functionCode: '2010602' })],
  ['2021-01-08', '2021-01-08', allocate('g1', '200000.00', { functionCode: '2120102', fundSource: 'governmentFund' })],
  ['2021-01-09', '2021-01-09', allocate('c1', '100000.00', { functionCode: '223', fundSource: 'stateCapital' })],
  ['2021-01-10', '2021-01-10', allocate('i1', '50000.00', { functionCode: '2060499', fundSource: 'institutionIncome' })],
  ['2021-01-11', '2021-01-11', allocate('cf', '80000.00', { functionCode: '2010602', fundSource: 'carriedForward' })],
  ['2021-01-12', '2021-01-12', earmark('threePublic.abroad', '30000.00')],
  ['2021-01-13', '2021-01-13', earmark('threePublic.reception', '40000.00')],
  ['2021-01-14', '2021-01-14', earmark('threePublic.vehicleOperation', '50000.00')],
  ['2021-02-01', '2021-02-01', { type: 'AddToLine', data: { line: 'p1', amount: '100000.00', category: 'ordinary' } } as Command],
  ['2021-02-02', '2021-02-02', { type: 'ReduceLine', data: { line: 'b2', amount: '20000.00', category: 'ordinary' } } as Command],
  ['2021-02-03', '2021-02-03', { type: 'TransferBetweenLines', data: { from: 'p1', to: 'b2', amount: '10000.00', category: 'ordinary' } } as Command],
  ['2021-03-01', '2021-03-01', spend('b1', '600000.00', '30101')],
  ['2021-03-02', '2021-03-02', spend('b1', '300000.00', '30103')],
  ['2021-03-03', '2021-03-03', spend('b1', '50000.00', '303')],
  ['2021-03-04', '2021-03-04', spend('b1', '1000.00', '30101')],
  ['2021-03-05', '2021-03-05', { type: 'ReverseEvent', data: { event: 'REVERSED' } } as Command],
  ['2021-04-01', '2021-04-01', spend('b2', '200000.00', '30201')],
  ['2021-04-02', '2021-04-02', spend('b2', '30000.00', '30217', 'reception')],
  ['2021-06-01', '2021-06-01', spend('b2', '5000.00', null)],
  ['2021-06-02', '2021-06-02', spend('p1', '20000.00', '30212', 'abroad')],
  ['2021-06-03', '2021-06-03', spend('p1', '430000.00', '30227')],
  ['2021-07-01', '2021-07-01', spend('g1', '150000.00', null)],
  ['2021-07-02', '2021-07-02', spend('c1', '100000.00', null)],
  ['2021-07-03', '2021-07-03', spend('i1', '30000.00', '30217', 'reception')],
  ['2021-07-04', '2021-07-04', spend('cf', '80000.00', null)],
  ['2021-11-20', '2021-05-03', spend('b2', '40000.00', '30231', 'vehicleOperation')], // late
  [
    '2021-12-31',
    '2021-12-31',
    {
      type: 'CloseYear',
      data: {
        lines: [
          { line: 'b1', carryOver: '0.00', balance: '30000.00', recovered: '20000.00' },
          { line: 'b2', carryOver: '0.00', balance: '15000.00', recovered: '0.00' },
          { line: 'p1', carryOver: '100000.00', balance: '40000.00', recovered: '0.00' },
          { line: 'g1', carryOver: '50000.00', balance: '0.00', recovered: '0.00' },
          { line: 'i1', carryOver: '0.00', balance: '20000.00', recovered: '0.00' },
        ],
        recoveryNotice: '财收〔2021〕9号',
      },
    } as Command,
  ],
]

/** The three moments the property is checked at: everything, as of 2 June (recording time), effective 31 May (business date). */
const AXES: ReadonlyArray<readonly [string, TimePoint]> = [
  ['the year as recorded', {}],
  ['as of 2021-06-02 (recording time)', { asOf: '2021-06-02T10:00:00.000Z' }],
  ['effective 2021-05-31 (business date)', { effective: '2021-05-31' }],
]

const db = tempDb('explain-final-')
let store: SqliteEventStore
const ids = new Map<string, string>()

beforeAll(async () => {
  store = new SqliteEventStore(db.path)
  for (const [recordedOn, effectiveDate, command] of STEPS) {
    const deps = ledgerDeps(store, { now: () => new Date(`${recordedOn}T04:00:00Z`) })
    const c = command.type === 'ReverseEvent' ? ({ type: 'ReverseEvent', data: { event: ids.get('b1 1000.00') } } as Command) : command
    const r = await recordCommand(deps, TARGET, c, { reason: 'explain test', document: '测试〔2021〕2号', effectiveDate }, { name: 'tester', role: 'finance' })
    if (E.isLeft(r)) throw new Error(`${c.type} refused: ${JSON.stringify(r.left)}`)
    if (c.type === 'RecordExpenditure') ids.set(`${c.data.line} ${c.data.amount}`, r.right.events[0]!.id!)
  }
})
afterAll(async () => {
  await store.close()
  db.remove()
})

/** What an event is worth to the spending it records: an expenditure its amount, a reversal of one minus it. */
const spendingOf = (e: { type: string; data: unknown; reverses?: string }): Decimal | undefined => {
  if (e.type === 'ExpenditureRecorded') return new Decimal((e.data as { amount: string }).amount)
  if (e.type === 'EventReversed') {
    const reversed = [...ids.entries()].find(([, id]) => id === e.reverses)
    return reversed ? new Decimal(reversed[0].split(' ')[1]!).neg() : undefined
  }
  return undefined
}

describe('explain on every cell of the 决算 tables, through a real SQLite file', () => {
  for (const [name, at] of AXES)
    it(`given ${name}, when each non-blank cell of F1–F9 is explained, then its events' amounts add up to the cell exactly, or the answer says why the cell is not a sum (a rate)`, async () => {
      const { state } = await loadBudgetYear(store, UNIT, 2021, at)
      let checked = 0
      for (const t of FINAL_TABLES) {
        const model = t.render(state, catalogue)
        for (const c of cellsOf(model)) {
          if (c.kind === 'text' || c.text === '') continue
          const a = await explainTableCell(store, TARGET, tableCode(t), { row: c.rowKey, column: String(c.column) }, at, catalogue)
          const where = `${tableCode(t)} ${c.rowKey} / ${c.columnLabel}`
          expect(a.cell.column, where).toBe(c.column)
          expect(a.cell.row, where).toBe(c.row)
          if (c.kind === 'percent') {
            expect(a.total, where).toBeNull()
            expect(a.notASum, where).toMatch(/rate/)
            continue
          }
          const sum = a.events.reduce((s, e) => s.plus(e.amount ?? 'NaN'), new Decimal(0))
          expect(a.total, where).not.toBeNull()
          expect(sum.toFixed(2), where).toBe(a.total)
          expect(new Decimal(a.total!).div(10000).toFixed(2), where).toBe(c.text)
          checked++
        }
      }
      expect(checked).toBeGreaterThan(100)
    })

  it('given the 基本支出决算表 (F6) and the 三公 决算数 (F7), when their cells are explained, then the events are the expenditures and the reversal themselves, each worth its own amount', async () => {
    const f6 = await explainTableCell(store, TARGET, 'F6', { row: '合计', column: '决算数' }, {}, catalogue)
    expect(f6.events.map((e) => [e.type, e.amount])).toEqual([
      ['ExpenditureRecorded', '600000.00'],
      ['ExpenditureRecorded', '300000.00'],
      ['ExpenditureRecorded', '50000.00'],
      ['ExpenditureRecorded', '1000.00'],
      ['EventReversed', '-1000.00'],
      ['ExpenditureRecorded', '200000.00'],
      ['ExpenditureRecorded', '30000.00'],
      ['ExpenditureRecorded', '5000.00'],
      ['ExpenditureRecorded', '40000.00'],
    ])
    expect(f6.total).toBe('1225000.00')
    for (const [table, row] of [
      ['F6', '30101'],
      ['F6', '人员经费'],
      ['F7', '合计'],
      ['F7', '公务接待费'],
      ['F7', '公务用车运行维护费'],
    ] as const) {
      const a = await explainTableCell(store, TARGET, table, { row, column: '决算数' }, {}, catalogue)
      expect(a.events.length, `${table} ${row}`).toBeGreaterThan(0)
      for (const e of a.events) expect(e.amount, `${table} ${row} ${e.type}`).toBe(spendingOf(e)!.toFixed(2))
    }
    // 事业收入 is not 财政拨款: its 接待 spending is not behind the 三公 决算数.
    const reception = await explainTableCell(store, TARGET, 'F7', { row: '公务接待费', column: '决算数' }, {}, catalogue)
    expect(reception.events.map((e) => e.amount)).toEqual(['30000.00'])
  })

  it('given a 基本支出 cell, when explain runs as a process, then it names F6 and prints the expenditures behind the cell and their sum', async () => {
    await store.close()
    const r = await cliProcess(['--db', db.path, 'explain', 'F6', '--row', '30101', '--column', '决算数', '--unit', UNIT, '--year', '2021'])
    store = new SqliteEventStore(db.path)
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('table F6 一般公共预算财政拨款基本支出决算表')
    expect(r.stdout).toContain('3 event(s) behind it')
    expect(r.stdout).toMatch(/add up to 600000\.00 元/)
  })
})
