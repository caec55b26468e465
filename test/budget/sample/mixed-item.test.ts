import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { yearEndBalanceOf } from '../../../projections/consistency'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { cli } from '../../support/shells/cli'
import { expectConsistentLedger } from '../../support/ledgers/consistent-ledger'
import { tempDb } from '../../support/ledgers/temp-db'
import { fenText } from '../../../src/domain/money/fen'

/**
 * A 项 whose 年初预算 mixes basic and project money, as documents print it, typed in 万元 (元):
 *   x1 2010301: basic (人员经费) 100 万元 = 1,000,000.00 + project 综合业务 25.00005 万元 = 250,000.50
 *   p2 2010350: project 10 万元 = 100,000.00
 * Tables 3 and 5 print the published split: 2010301 125.00 = 100.00 basic + 25.00 project; 合计
 * 135.00 = 100.00 + 35.00. Then spent: x1.basic 990,000.00, x1.project 200,000.50, p2 100,000.00;
 * close: x1.basic 收回 10,000.00, x1.project 结转 50,000.00:
 *   0 + 1,350,000.50 = 1,290,000.50 + 50,000.00 + 10,000.00
 */
const UNIT = '900501'
const file = (line: object) => ({
  format: 'budget-ledger/budget-year@1',
  amountUnit: '万元',
  unit: { code: UNIT, name: '混合项测试单位' },
  unitType: 'administrative',
  year: 2021,
  approvedOn: '2021-02-01',
  lines: [
    line,
    { id: 'p2', kind: 'project', projectName: '项目二', functionCode: '2010350', fundSource: 'general.appropriation', amount: '10' },
  ],
})
const MIXED = { id: 'x1', functionCode: '2010301', fundSource: 'general.appropriation', basicCategory: 'personnel', projectName: '综合业务', basicAmount: '100', projectAmount: '25.00005' }

describe('a mixed 项 in a budget file, through the CLI and a real SQLite file', () => {
  let db: ReturnType<typeof tempDb>
  const run = (...args: string[]) => cli(['--db', db.path, ...args])
  const importing = async (line: object) => {
    const path = join(db.dir, 'budget.json')
    writeFileSync(path, JSON.stringify(file(line)))
    return run('import', path)
  }
  beforeEach(() => (db = tempDb('ledger-mixed-')))
  afterEach(() => db.remove())

  it('given a 项 with basicAmount and projectAmount, when imported, then it is recorded as two lines and tables 3 and 5 print the published split', async () => {
    const r = await importing(MIXED)
    expect(r.code, r.stderr).toBe(0)
    const store = new SqliteEventStore(db.path)
    const { state } = await loadBudgetYear(store, UNIT, 2021)
    await store.close()
    expect([...state.lines.values()].map((l) => [l.id, l.kind, l.basicCategory, l.projectName, fenText(l.initial)])).toEqual([
      ['x1.basic', 'basic', 'personnel', null, '1000000.00'],
      ['x1.project', 'project', null, '综合业务', '250000.50'],
      ['p2', 'project', null, '项目二', '100000.00'],
    ])
    const row = async (table: string, code: string) => {
      const j = JSON.parse((await run('table', table, '--format', 'json')).stdout)
      return j.rows.find((r: string[]) => r[0]!.trim() === code) as string[]
    }
    expect(await row('3', '2010301')).toEqual(['    2010301', expect.any(String), '125.00', '100.00', '25.00'])
    expect(await row('3', '')).toEqual(['', '合计', '135.00', '100.00', '35.00'])
    // table 5: 合计, 基本支出小计, 人员经费, 公用经费, 未细分, 项目支出
    expect((await row('5', '2010301')).slice(2)).toEqual(['125.00', '100.00', '100.00', '0.00', '0.00', '25.00'])
  })

  it('given spending on both parts and a close, then the year balances: 0 + 1,350,000.50 = 1,290,000.50 + 50,000.00 + 10,000.00', async () => {
    expect((await importing(MIXED)).code).toBe(0)
    for (const [line, amount] of [['x1.basic', '990000.00'], ['x1.project', '200000.50'], ['p2', '10万元']] as const) {
      const s = await run('spend', '--line', line, '--amount', amount, '--voucher', `V-${line}`, '--reason', '支出', '--date', '2021-11-30')
      expect(s.code, s.stderr).toBe(0)
    }
    const c = await run('close-year', '--carry', 'x1.project=all', '--recover', 'x1.basic=all', '--recovery-notice', '财收〔2021〕12号', '--date', '2021-12-31')
    expect(c.code, c.stderr).toBe(0)
    const store = new SqliteEventStore(db.path)
    const { state } = await loadBudgetYear(store, UNIT, 2021)
    expect(Object.fromEntries(Object.entries(yearEndBalanceOf(state)).map(([k, v]) => [k, v.toFixed(2)]))).toEqual({
      carriedIn: '0.00',
      income: '1350000.50',
      spent: '1290000.50',
      carryOver: '50000.00',
      surplus: '0.00',
      recovered: '10000.00',
    })
    await expectConsistentLedger(store, UNIT, 2021)
    await store.close()
  })

  it('when a mixed 项 gives one part only, or a kind beside its parts, then the file is refused naming each field and nothing is written', async () => {
    const { projectAmount: _, ...onePart } = MIXED
    const r = await importing({ ...onePart, kind: 'basic' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('lines[0].projectAmount: a mixed 项 states both parts')
    expect(r.stderr).toContain('lines[0].kind: a mixed 项 (basicAmount and projectAmount) is both kinds')
    const plain = await importing({ id: 'y', functionCode: '2010301', fundSource: 'general.appropriation', amount: '1' })
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain('lines[0].kind: expected "basic" or "project"')
    const store = new SqliteEventStore(db.path)
    expect(await store.readStream(`budget-${UNIT}-2021`)).toEqual([])
    await store.close()
  })
})
