import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type MoneyString, inUnit, yuanFromUnit } from '../../../src/domain/money/money'
import { ledgerDeps } from '../../../src/ledger/deps'
import ExcelJS from 'exceljs'
import { addBudgetFileSheets } from '../../../src/ledger/reports/budget-workbook'
import { importBudgetFile, importBudgetWorkbook } from '../../../src/ledger/recording/import-file'
import type { BudgetFile } from '../../../src/domain/budget-file/budget-file'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { cli } from '../../support/shells/cli'
import { type TestServer, YEAR_PATH, addBody, lineOf, serverForTests } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'
import { fenText } from '../../../src/domain/money/fen'

/**
 * Amounts typed in 万元, as every budget document prints them: converted to 元 once, exactly, in
 * src/domain/money/money.ts, only where the unit is stated (a file's amountUnit, --amount-unit, a suffix).
 */
describe('yuanFromUnit: 万元 to 元, exactly', () => {
  it('given "0.000001" 万元, then it is 0.01 元 (one 分); "12.5" 万元 is 125000.00 元', () => {
    expect(yuanFromUnit('0.000001', '万元')).toEqual(E.right('0.01'))
    expect(yuanFromUnit('12.5', '万元')).toEqual(E.right('125000.00'))
    expect(yuanFromUnit('99999999999.999999', '万元')).toEqual(E.right('999999999999999.99'))
  })

  it('given "0.0000001" 万元, a tenth of a 分, then it is refused saying so', () => {
    expect(yuanFromUnit('0.0000001', '万元')).toEqual(
      E.left('0.0000001 万元 is 0.001 元, not a whole number of 分: 万元 take at most 6 decimals (0.000001 万元 = 0.01 元)'),
    )
  })

  it('given what is not a plain decimal (a float’s exponent, a comma), then it is refused: nothing is guessed', () => {
    expect(E.isLeft(yuanFromUnit('1e-6', '万元'))).toBe(true)
    expect(E.isLeft(yuanFromUnit('12,5', '万元'))).toBe(true)
    expect(E.isLeft(yuanFromUnit('100000000000.01', '万元'))).toBe(true)
  })

  it('property: any 元 amount → 万元 → 元 comes back exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (fen) => {
        const abs = fen < 0n ? -fen : fen
        const yuan = `${fen < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}` as MoneyString
        expect(yuanFromUnit(inUnit(yuan, '万元'), '万元')).toEqual(E.right(yuan))
      }),
      { numRuns: 2000 },
    )
  })
})

const UNIT = '900301'
const fileIn万元 = (amount: string) => ({
  format: 'budget-ledger/budget-year@1',
  amountUnit: '万元',
  unit: { code: UNIT, name: '万元测试单位' },
  unitType: 'administrative',
  year: 2021,
  approvedOn: '2021-02-01',
  source: '万元 test',
  lines: [
    { id: 'basic', kind: 'basic', basicCategory: 'personnel', functionCode: '2010101', fundSource: 'general.appropriation', amount: '12.345678' },
    { id: 'p1', kind: 'project', projectName: '项目一', functionCode: '2150502', fundSource: 'general.appropriation', amount },
    { id: 'p2', kind: 'project', projectName: '项目二', functionCode: '2150502', fundSource: 'general.appropriation', amount: '3000.00元' },
  ],
  earmarks: { 'threePublic.reception': '0.5' },
  previousYear: { total: '100' },
})

describe('a budget file in 万元, through a real SQLite store', () => {
  let db: ReturnType<typeof tempDb>
  let store: SqliteEventStore
  beforeEach(() => {
    db = tempDb('ledger-wan-')
    store = new SqliteEventStore(db.path)
  })
  afterEach(async () => {
    await store.close()
    db.remove()
  })

  it('given amountUnit 万元, when imported, then every amount is recorded in 元 exactly; a suffixed amount keeps its own unit', async () => {
    const r = await importBudgetFile(ledgerDeps(store), fileIn万元('0.000001'), { name: 't', role: 'finance' })
    expect(E.isRight(r), JSON.stringify(E.isLeft(r) && r.left)).toBe(true)
    const { state, events } = await loadBudgetYear(store, UNIT, 2021)
    expect([...state.lines.values()].map((l) => [l.id, fenText(l.initial)])).toEqual([
      ['basic', '123456.78'],
      ['p1', '0.01'],
      ['p2', '3000.00'],
    ])
    expect(state.earmarks['threePublic.reception']!.toFixed(2)).toBe('5000.00')
    expect(state.identity!.previousYear.total).toBe('1000000.00')
    expect(events.find((e) => e.type === 'LineAllocated')!.data).toMatchObject({ amount: '123456.78' })
  })

  it('given a line of "0.0000001" 万元 (a tenth of a 分), when imported, then it is refused naming lines[1].amount and nothing is written', async () => {
    const r = await importBudgetFile(ledgerDeps(store), fileIn万元('0.0000001'), { name: 't', role: 'finance' })
    expect(E.isLeft(r) && r.left.kind === 'invalid' && r.left.errors).toEqual([
      expect.objectContaining({ path: 'lines[1].amount', message: expect.stringContaining('lines[1].amount: 0.0000001 万元 is 0.001 元, not a whole number of 分') }),
    ])
    expect(await store.readStream(`budget-${UNIT}-2021`)).toEqual([])
  })

  it('given an amountUnit the ledger does not know, then it is refused naming amountUnit', async () => {
    const r = await importBudgetFile(ledgerDeps(store), { ...fileIn万元('1'), amountUnit: '千元' }, { name: 't', role: 'finance' })
    expect(E.isLeft(r) && r.left.kind === 'invalid' && r.left.errors.find((e) => e.path === 'amountUnit')).toMatchObject({ expected: 'one of "元", "万元"' })
  })

  it('given a workbook with a 金额单位 row of 万元, when imported, then numeric and text cells are 万元 converted exactly; a tenth of a 分 is refused naming its cell', async () => {
    const workbook = async (p1: string | number) => {
      const { amountUnit: _, ...file } = fileIn万元('1')
      const wb = new ExcelJS.Workbook()
      addBudgetFileSheets(wb, { ...file, lines: file.lines.map((l) => ({ ...l, amount: '0.00' })), earmarks: {}, previousYear: {} } as unknown as BudgetFile)
      const ws = wb.getWorksheet('预算明细')!
      ws.spliceRows(1, 0, ['金额单位', '万元'])
      // rows: 1 金额单位, 2–8 the head, 9 blank, 10 column labels, 11– the lines; G = amount
      ws.getCell('G11').value = 12.345678
      ws.getCell('G12').value = p1
      ws.getCell('G13').value = '0.3'
      return new Uint8Array(await wb.xlsx.writeBuffer())
    }
    const ok = await importBudgetWorkbook(ledgerDeps(store), await workbook('0.000001'), { name: 't', role: 'finance' })
    expect(E.isRight(ok), JSON.stringify(E.isLeft(ok) && ok.left)).toBe(true)
    const { state } = await loadBudgetYear(store, UNIT, 2021)
    expect([...state.lines.values()].map((l) => fenText(l.initial))).toEqual(['123456.78', '0.01', '3000.00'])
    await store.close()
    db.remove()
    db = tempDb('ledger-wan-')
    store = new SqliteEventStore(db.path)
    const bad = await importBudgetWorkbook(ledgerDeps(store), await workbook('0.0000001'), { name: 't', role: 'finance' })
    expect(E.isLeft(bad) && bad.left.kind === 'invalid' && bad.left.errors.map((e) => e.message)).toEqual([expect.stringMatching(/预算明细!G12.*0\.0000001 万元 is 0\.001 元/)])
    expect(await store.readStream(`budget-${UNIT}-2021`)).toEqual([])
  })

  it('through the CLI: spend --amount 0.5 --amount-unit 万元 records 5000.00 元; --amount 0.25万元 records 2500.00 元; a tenth of a 分 is refused naming --amount', async () => {
    const r = await importBudgetFile(ledgerDeps(store), fileIn万元('10'), { name: 't', role: 'finance' })
    expect(E.isRight(r)).toBe(true)
    const spend = (...amount: string[]) =>
      cli(['--db', db.path, 'spend', '--unit', UNIT, '--year', '2021', '--line', 'p1', '--voucher', 'V1', '--reason', '支出', '--date', '2021-05-01', '--json', ...amount])
    const a = await spend('--amount', '0.5', '--amount-unit', '万元')
    expect(a.code, a.stderr).toBe(0)
    expect(JSON.parse(a.stdout).events[0].data.amount).toBe('5000.00')
    const b = await spend('--amount', '0.25万元')
    expect(b.code, b.stderr).toBe(0)
    expect(JSON.parse(b.stdout).events[0].data.amount).toBe('2500.00')
    const c = await spend('--amount', '0.0000001', '--amount-unit', '万元')
    expect(c.code).not.toBe(0)
    expect(c.stderr).toContain('--amount')
    expect(c.stderr).toContain('not a whole number of 分')
    expect(fenText((await loadBudgetYear(store, UNIT, 2021)).state.lines.get('p1')!.spent)).toBe('7500.00')
  })
})

describe('HTTP: an amount with its unit', () => {
  const t: TestServer = serverForTests({ fixture: true })

  it('given {"amount": "1.25万元"}, when posted, then 12500.00 元 is recorded; "0.0000001万元" is refused naming data.amount and nothing is written', async () => {
    const ok = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.25万元') })
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
    expect(ok.body.events[0].data.amount).toBe('12500.00')
    const count = await t.eventCount()
    const bad = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('0.0000001万元') })
    expect(bad.status).toBe(422)
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'data.amount', reason: expect.stringContaining('0.0000001 万元 is 0.001 元') })])
    expect(await t.eventCount()).toBe(count)
    expect((await lineOf(t, 'p01')).added).toBe('12500.00')
  })
})
