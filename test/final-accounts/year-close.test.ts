import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { indicatorReport } from '../../projections/indicators/indicators'
import { displayWidth } from '../../projections/render'
import type { Command, CommandContext } from '../../src/domain/events/commands'
import { closeYearCommand } from '../../src/ledger/opening-closing/close-year'
import { type LedgerDeps, ledgerDeps } from '../../src/ledger/deps'
import { importBudgetFile } from '../../src/ledger/recording/import-file'
import { loadBudgetYear } from '../../src/ledger/fold/load'
import { openNextYear } from '../../src/ledger/opening-closing/open-next-year'
import { type RecordError, recordCommand } from '../../src/ledger/recording/record'
import { renderTable } from '../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { cli } from '../support/shells/cli'
import { expectConsistentLedger } from '../support/ledgers/consistent-ledger'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The year-end close and the carry-over into the next year, through a real SQLite file and the
 * application layer (src/ledger). Unit 900201, 2021 (元):
 *   basic 100,000.00 · p1 500,000.00 · p2 200,000.00
 *   spent: basic 90,000.00 · p1 420,000.00 · p2 200,000.00 (fully spent)
 *   available: basic 10,000.00 · p1 80,000.00 · p2 0.00
 *   close: basic 结余 10,000.00 · p1 结转 50,000.00 + 结余 30,000.00 → carry-over 50,000.00
 */
const UNIT = '900201'
const file = (year: number) => ({
  format: 'budget-ledger/budget-year@1',
  unit: { code: UNIT, name: '结账测试单位' },
  unitType: 'administrative',
  year,
  approvedOn: `${year}-02-01`,
  document: `测试〔${year}〕1号`,
  source: 'year-close test',
  lines: [
    { id: 'basic', kind: 'basic', basicCategory: 'operating', functionCode: '2010101', economicCode: '302', fundSource: 'general.appropriation', amount: '100000.00' },
    { id: 'p1', kind: 'project', projectName: '项目一', functionCode: '2150502', economicCode: '302', fundSource: 'general.appropriation', amount: '500000.00' },
    { id: 'p2', kind: 'project', projectName: '项目二', functionCode: '2060499', fundSource: 'general.appropriation', amount: '200000.00' },
  ],
})
const actor = { name: 'tester', role: 'finance' }
const at = (effectiveDate: string, reason = 'test'): CommandContext => ({ reason, document: null, effectiveDate })
const spend = (line: string, amount: string): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: `V-${line}`, threePublic: null, procurement: null } }) as Command
const closeWith = (lines: Array<{ line: string; carryOver: string; balance: string }>): Command => ({ type: 'CloseYear', data: { lines } }) as Command
const THE_CLOSE = [
  { line: 'basic', carryOver: '0.00', balance: '10000.00' },
  { line: 'p1', carryOver: '50000.00', balance: '30000.00' },
]

const refusalOf = (r: E.Either<RecordError, unknown>) => (E.isLeft(r) && r.left.kind === 'refused' ? r.left.error : undefined)

describe('the year-end close and the carry-over, through a real SQLite store', () => {
  let db: ReturnType<typeof tempDb>
  let store: SqliteEventStore
  let deps: LedgerDeps
  const target = { unit: UNIT, year: 2021 }

  beforeEach(async () => {
    db = tempDb('ledger-close-')
    store = new SqliteEventStore(db.path)
    deps = ledgerDeps(store)
    expect(E.isRight(await importBudgetFile(deps, file(2021), actor))).toBe(true)
    for (const [line, amount] of [['basic', '90000.00'], ['p1', '420000.00'], ['p2', '200000.00']] as const)
      expect(E.isRight(await recordCommand(deps, target, spend(line, amount), at('2021-11-30'), actor))).toBe(true)
  })
  afterEach(async () => {
    await store.close()
    db.remove()
  })

  it('given the year is closed, when anything is spent, then it is refused with a clear error and nothing is written', async () => {
    expect(E.isRight(await recordCommand(deps, target, closeWith(THE_CLOSE), at('2021-12-31', '年终结账'), actor))).toBe(true)
    const before = (await store.readStream('budget-900201-2021')).length
    const e = refusalOf(await recordCommand(deps, target, spend('p1', '1.00'), at('2021-12-31'), actor))
    expect(e).toMatchObject({ code: 'year-closed' })
    expect(e!.message).toBe('budget year 2021 of unit 900201 is closed: it takes no more changes')
    // nor any other change: an addition, a second close
    expect(refusalOf(await recordCommand(deps, target, { type: 'AddToLine', data: { line: 'p1', amount: '1.00', category: 'ordinary' } } as Command, { ...at('2021-12-31'), document: 'X' }, actor))).toMatchObject({ code: 'year-closed' })
    expect(refusalOf(await recordCommand(deps, target, closeWith(THE_CLOSE), at('2021-12-31'), actor))).toMatchObject({ code: 'year-closed' })
    expect((await store.readStream('budget-900201-2021')).length).toBe(before)
    expect((await loadBudgetYear(store, UNIT, 2021)).state.closed).toBe(true)
  })

  it('when a line’s 结转 + 结余 is not exactly its available amount, then the close is refused naming the line and the amounts', async () => {
    const e = refusalOf(
      await recordCommand(deps, target, closeWith([THE_CLOSE[0]!, { line: 'p1', carryOver: '50000.00', balance: '29999.99' }]), at('2021-12-31'), actor),
    )
    expect(e).toMatchObject({ code: 'close-mismatch', path: 'data.lines[1]' })
    expect(e!.message).toBe(
      'line "p1": 结转 50000.00 元 + 结余 29999.99 元 = 79999.99 元, but its available amount is 80000.00 元 (adjusted 500000.00 元 − spent 420000.00 元)',
    )
    expect((await loadBudgetYear(store, UNIT, 2021)).state.closed).toBe(false)
  })

  it('when a line with money left is not split, then the close is refused naming it', async () => {
    const e = refusalOf(await recordCommand(deps, target, closeWith([THE_CLOSE[1]!]), at('2021-12-31'), actor))
    expect(e).toMatchObject({ code: 'close-missing-line' })
    expect(e!.message).toContain('"basic" (10000.00 元 available)')
    // a fully spent line (p2) may be left out, and a line named twice is refused
    expect(refusalOf(await recordCommand(deps, target, closeWith([...THE_CLOSE, THE_CLOSE[1]!]), at('2021-12-31'), actor))).toMatchObject({ code: 'close-duplicate-line' })
  })

  it('given the close, then the closed year’s tables still show its budget and all agree; its 结转结余率 is 90,000 / 800,000 = 11.25%', async () => {
    await recordCommand(deps, target, closeWith(THE_CLOSE), at('2021-12-31'), actor)
    const tables = await expectConsistentLedger(store, UNIT, 2021)
    expect(tables[0]!.totals.income!.toFixed(2)).toBe('800000.00')
    const { state } = await loadBudgetYear(store, UNIT, 2021)
    // (10,000 + 50,000 + 30,000) / 800,000 = 0.1125
    expect(indicatorReport(state).indicators.find((i) => i.id === 'carry-over')).toMatchObject({ value: '11.25', status: 'no target' })
  })

  it('when the next year is opened, then its table 1 shows 上年结转 = the closed year’s carry-over (50,000.00 元 = 5.00 万元)', async () => {
    await recordCommand(deps, target, closeWith(THE_CLOSE), at('2021-12-31'), actor)
    const opened = await openNextYear(deps, target, actor)
    expect(E.isRight(opened)).toBe(true)
    if (E.isLeft(opened)) return
    expect(opened.right.carriedOver).toBe('50000.00')
    expect(opened.right.events.map((e) => e.type)).toEqual(['BudgetYearOpened', 'LineAllocated'])
    expect(opened.right.events[1]!.data).toEqual({
      line: 'cf-p1',
      kind: 'project',
      basicCategory: null,
      projectName: '项目一',
      functionCode: '2150502',
      economicCode: '302',
      fundSource: 'carriedForward',
      amount: '50000.00',
      carriedFrom: { year: 2021, line: 'p1' },
      carriedFundSource: 'general.appropriation',
    })
    const next = await loadBudgetYear(store, UNIT, 2022)
    const t1 = renderTable(next.state, '1', bundledCatalogue(), { unit: UNIT, year: 2022 })
    expect(t1.totals.carriedForward!.toFixed(2)).toBe('50000.00')
    const income = t1.parts.find((p) => p.name === 'income')!
    const row = income.rows.find((r) => r.cells[0] === '上年结转')!
    expect(String(row.cells[1])).toBe('50000')
    await expectConsistentLedger(store, UNIT, 2022)
    // the carried money can be spent in the new year
    expect(E.isRight(await recordCommand(deps, { unit: UNIT, year: 2022 }, spend('cf-p1', '50000.00'), at('2022-03-01'), actor))).toBe(true)
  })

  it('when the next year is opened twice, then the second time is refused: a line is carried once', async () => {
    await recordCommand(deps, target, closeWith(THE_CLOSE), at('2021-12-31'), actor)
    expect(E.isRight(await openNextYear(deps, target, actor))).toBe(true)
    const again = await openNextYear(deps, target, actor)
    expect(refusalOf(again as E.Either<RecordError, unknown>)).toMatchObject({ code: 'line-exists' })
  })

  it('given the next year’s own budget was imported first, when it is opened with the carry-over, then only the carried lines are added', async () => {
    await recordCommand(deps, target, closeWith(THE_CLOSE), at('2021-12-31'), actor)
    expect(E.isRight(await importBudgetFile(deps, file(2022), actor))).toBe(true)
    const opened = await openNextYear(deps, target, actor)
    expect(E.isRight(opened) && opened.right.events.map((e) => e.type)).toEqual(['LineAllocated'])
    const t1 = renderTable((await loadBudgetYear(store, UNIT, 2022)).state, '1', bundledCatalogue(), { unit: UNIT, year: 2022 })
    expect(t1.totals.currentIncome!.toFixed(2)).toBe('800000.00')
    expect(t1.totals.carriedForward!.toFixed(2)).toBe('50000.00')
    expect(t1.totals.income!.toFixed(2)).toBe('850000.00')
    await expectConsistentLedger(store, UNIT, 2022)
  })

  it('given a year not closed, when the next year is opened, then it is refused and nothing is written', async () => {
    const r = await openNextYear(deps, target, actor)
    expect(E.isLeft(r) && r.left.kind).toBe('source-not-closed')
    expect(await store.listStreams('budget-900201-2022')).toEqual([])
  })

  it('closeYearCommand puts everything not carried into 结余, and refuses carrying more than is left', async () => {
    const { state } = await loadBudgetYear(store, UNIT, 2021)
    const c = closeYearCommand(state, { p1: '50000.00' })
    expect(E.isRight(c) && c.right.data).toEqual({ lines: THE_CLOSE })
    const all = closeYearCommand(state, { p1: 'all' })
    expect(E.isRight(all) && all.right.data).toEqual({ lines: [THE_CLOSE[0], { line: 'p1', carryOver: '80000.00', balance: '0.00' }] })
    expect(closeYearCommand(state, { p1: '80000.01' })).toEqual(
      E.left(expect.objectContaining({ path: 'carry.p1', message: 'line "p1": cannot carry over 80000.01 元, it has only 80000.00 元 left' })),
    )
  })

  it('through the CLI: close-year --carry, open-next-year, then table 1 of the next year prints 上年结转 5.00', async () => {
    const close = await cli(['--db', db.path, 'close-year', '--unit', UNIT, '--year', '2021', '--carry', 'p1=50000.00', '--date', '2021-12-31'])
    expect(close.code, close.stderr).toBe(0)
    expect(close.stdout).toMatch(/^p1 项目一\s+50,000\.00\s+30,000\.00$/m)
    expect(close.stdout).toMatch(/结转结余率\s+11.25% no target/)
    const open = await cli(['--db', db.path, 'open-next-year', '--unit', UNIT, '--year', '2021'])
    expect(open.code, open.stderr).toBe(0)
    expect(open.stdout).toMatch(/上年结转\s+50000.00 元/)
    const t1 = await cli(['--db', db.path, 'table', '1', '--unit', UNIT, '--year', '2022', '--format', 'json'])
    expect(t1.code, t1.stderr).toBe(0)
    const rows: string[][] = JSON.parse(t1.stdout).rows
    expect(rows.find((r) => r[0] === '上年结转')![1]).toBe('5.00')
    const spendAfter = await cli(['--db', db.path, 'spend', '--unit', UNIT, '--year', '2021', '--line', 'p1', '--amount', '1.00', '--voucher', 'V', '--reason', 'late', '--date', '2021-12-31'])
    expect(spendAfter.code).toBe(1)
    expect(spendAfter.stderr).toContain('is closed: it takes no more changes')
  })

  it('through the CLI: close-year --carry and --recover with the finance bureau’s notice; the rest is 结余, and 收回 is no 结转结余', async () => {
    const args = ['--db', db.path, 'close-year', '--unit', UNIT, '--year', '2021', '--carry', 'p1=50000.00', '--recover', 'p1=20000.00', '--recover', 'basic=all', '--date', '2021-12-31']
    const noNotice = await cli(args)
    expect(noNotice.code).toBe(1)
    expect(noNotice.stderr).toContain('data.recoveryNotice')
    const close = await cli([...args, '--recovery-notice', '财收〔2021〕12号', '--json'])
    expect(close.code, close.stderr).toBe(0)
    const out = JSON.parse(close.stdout)
    expect(out.lines).toEqual([
      { line: 'basic', carryOver: '0.00', balance: '0.00', recovered: '10000.00' },
      { line: 'p1', carryOver: '50000.00', balance: '10000.00', recovered: '20000.00' },
    ])
    expect(out.recoveryNotice).toBe('财收〔2021〕12号')
    // 结转结余率 counts 结转 + 结余 only: (50,000 + 10,000) / 800,000 = 7.50%
    expect(out.carryOverRate.value).toBe('7.50')
    const events = await store.readStream('budget-900201-2021')
    expect(events.at(-1)!.data).toMatchObject({ recoveryNotice: '财收〔2021〕12号' })
    await expectConsistentLedger(store, UNIT, 2021)
  })

  it('through the CLI in text: each line shows 结转, 结余 and 收回 aligned', async () => {
    const close = await cli(['--db', db.path, 'close-year', '--unit', UNIT, '--year', '2021', '--recover', 'p1=all', '--recovery-notice', '财收〔2021〕12号', '--date', '2021-12-31', '--dry-run'])
    expect(close.code, close.stderr).toBe(0)
    // Lines are named as the tables name them (id and name), in columns a person can read down.
    expect(close.stdout).not.toMatch(/line p1/)
    expect(close.stdout).toMatch(/^预算行\s+结转（元）\s+结余（元）\s+收回（元）$/m)
    expect(close.stdout).toMatch(/^p1 项目一\s+0\.00\s+0\.00\s+80,000\.00$/m)
    expect(close.stdout).toMatch(/^basic 基本支出·公用经费\s/m)
    const grid = close.stdout.split('\n').slice(close.stdout.split('\n').findIndex((l) => l.startsWith('预算行'))).slice(0, 3)
    expect(new Set(grid.map(displayWidth)).size).toBe(1)
    expect(close.stdout).toMatch(/收回依据\s+财收〔2021〕12号/)
  })

  it('when a line claims to carry from an earlier year, then it must be 上年结转 money from an earlier year, carried once', async () => {
    const next = { unit: UNIT, year: 2022 }
    await recordCommand(deps, next, { type: 'OpenBudgetYear', data: { unit: { code: UNIT, name: '结账测试单位' }, year: 2022, unitType: 'administrative', previousYear: {} } } as Command, at('2022-01-01'), actor)
    const line = (id: string, fundSource: string, carriedFrom: { year: number; line: string }): Command =>
      ({ type: 'AllocateLine', data: { line: id, kind: 'project', basicCategory: null, projectName: '项目一', functionCode: '2150502', economicCode: null, fundSource, amount: '1.00', carriedFrom } }) as Command
    expect(refusalOf(await recordCommand(deps, next, line('x1', 'general.appropriation', { year: 2021, line: 'p1' }), at('2022-01-01'), actor))).toMatchObject({ code: 'carried-from', path: 'data.fundSource' })
    expect(refusalOf(await recordCommand(deps, next, line('x2', 'carriedForward', { year: 2022, line: 'p1' }), at('2022-01-01'), actor))).toMatchObject({ code: 'carried-from', path: 'data.carriedFrom.year' })
    expect(E.isRight(await recordCommand(deps, next, line('x3', 'carriedForward', { year: 2021, line: 'p1' }), at('2022-01-01'), actor))).toBe(true)
    const again = refusalOf(await recordCommand(deps, next, line('x4', 'carriedForward', { year: 2021, line: 'p1' }), at('2022-01-01'), actor))
    expect(again).toMatchObject({ code: 'carried-from' })
    expect(again!.message).toBe('line "p1" of 2021 is already carried forward, as line "x3"')
  })
})
