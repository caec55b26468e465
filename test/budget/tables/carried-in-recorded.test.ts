import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TableJson } from '../../../projections/render'
import { cli } from '../../support/shells/cli'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * 年初结转和结余 recorded for a year whose previous year is not in the ledger: a 上年结转 line in the
 * budget file (or allocated with the CLI) that names the fund source its money was budgeted from.
 * Hand-computed, 2024 (万元): p1 100.00 年初预算 (财政拨款), cf 20.00 carried in from 财政拨款, co 3.00
 * carried in from 其他收入; spent p1 60.00, cf 5.00 → 年初财政拨款结转和结余 20.00, 年初结转和结余
 * 23.00, 一般公共预算财政拨款 决算数 65.00.
 */
const FILE = {
  format: 'budget-ledger/budget-year@1',
  amountUnit: '万元',
  unit: { code: '900401', name: '结转测试单位', localCode: true },
  unitType: 'administrative',
  year: 2024,
  approvedOn: '2024-01-01',
  lines: [
    { id: 'p1', kind: 'project', projectName: '项目一', functionCode: '2010602', fundSource: 'general.appropriation', amount: '100.00' },
    { id: 'cf', kind: 'project', projectName: '项目一（上年结转）', functionCode: '2010602', fundSource: 'carriedForward', carriedFundSource: 'general.appropriation', amount: '20.00' },
  ],
}

let db: ReturnType<typeof tempDb>
beforeEach(() => {
  db = tempDb('carried-in-')
})
afterEach(() => db.remove())

const run = (...argv: string[]) => cli(['--db', db.path, ...argv])
const write = (content: object): string => {
  const file = path.join(db.dir, 'budget.json')
  writeFileSync(file, JSON.stringify(content))
  return file
}
const table = async (n: string): Promise<TableJson> => JSON.parse((await run('table', n, '--format', 'json')).stdout) as TableJson

describe('年初结转和结余 of a year whose previous year the ledger does not hold', () => {
  it('given a budget file with a 上年结转 line of 财政拨款 and a line allocated from 其他收入 carried in, when spent from, then 表一 and 表四 print the carry-in by source and 表五 counts what was spent from it', async () => {
    expect((await run('import', write(FILE))).code).toBe(0)
    const allocated = await run('allocate', '--line', 'co', '--kind', 'basic', '--function-code', '2010601', '--fund-source', 'carriedForward', '--carried-fund-source', 'otherIncome', '--amount', '3', '--amount-unit', '万元', '--reason', '结转', '--date', '2024-01-02')
    expect(allocated.stderr).toBe('')
    for (const [line, amount, voucher] of [['p1', '60', 'V1'], ['cf', '5', 'V2']] as const)
      expect((await run('spend', '--line', line, '--amount', amount, '--amount-unit', '万元', '--voucher', voucher, '--reason', '支出', '--date', '2024-05-01')).code).toBe(0)

    const f1 = await table('F1')
    expect(f1.rows.find((r) => r[0] === '年初结转和结余')![1]).toBe('23.00')
    const f4 = await table('F4')
    const at = f4.rows.findIndex((r) => r[0] === '年初财政拨款结转和结余')
    expect(f4.rows.slice(at, at + 2).map((r) => [r[0]!.trim(), r[1]])).toEqual([
      ['年初财政拨款结转和结余', '20.00'],
      ['一、一般公共预算财政拨款', '20.00'],
    ])
    const f5 = await table('F5')
    // 年初预算 without the carry-in, 全年预算 with it, 决算数 of both lines
    expect(f5.rows[0]!.slice(2, 5)).toEqual(['100.00', '120.00', '65.00'])
  })

  it('given a year with a 上年结转 line of 财政拨款, when its workbook is exported and imported into an empty ledger, then the line keeps the fund source its money was budgeted from', async () => {
    expect((await run('import', write(FILE))).code).toBe(0)
    const out = path.join(db.dir, 'year.xlsx')
    expect((await run('export', '--table', 'all', '--format', 'xlsx', '--out', out)).code).toBe(0)
    const again = tempDb('carried-in-again-')
    try {
      const imported = await cli(['--db', again.path, 'import', out])
      expect(imported.stderr).toBe('')
      const f4 = JSON.parse((await cli(['--db', again.path, 'table', 'F4', '--format', 'json'])).stdout) as TableJson
      expect(f4.rows.find((r) => r[0] === '年初财政拨款结转和结余')![1]).toBe('20.00')
    } finally {
      again.remove()
    }
  })

  it('when a budget-file line that is not carried in names the fund source of carried money, then the import is refused naming the line, and nothing is written', async () => {
    const bad = { ...FILE, lines: [{ ...FILE.lines[0], carriedFundSource: 'otherIncome' }] }
    const r = await run('import', write(bad))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('lines[0]')
    expect(r.stderr).toContain('carriedForward')
    expect((await run('table', 'F1')).stderr).toContain('no ledger at')
  })
})
