import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/domain/budget-file/catalogue'
import { cli } from '../support/shells/cli'
import { FIXTURE, TOKENS, fixtureBudgetFile, startServer, type TestServer } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The CSV of a table, from the CLI (`table --format csv`, `export --format csv`) and over HTTP
 * (`…/tables/:table.csv`): a spreadsheet opening it runs no formula smuggled in as text, and its
 * first lines say whose table, which year and which unit of money, as the text form does.
 */

/** Project names a spreadsheet would take for formulas; 三公 figures whose change is negative. */
const hostileBudgetFile = () => {
  const f = fixtureBudgetFile()
  return {
    ...f,
    lines: [
      f.lines[0],
      { ...f.lines[1], projectName: '=HYPERLINK("http://example.invalid","点此")' },
      { ...f.lines[2], projectName: '@SUM(1+1)' },
      { id: 'p03', kind: 'project', projectName: '+1-2', functionCode: '2060499', fundSource: 'general.appropriation', amount: '1000.00' },
      { id: 'p04', kind: 'project', projectName: '-2+3', functionCode: '2060499', fundSource: 'general.appropriation', amount: '1000.00' },
      { id: 'p05', kind: 'project', projectName: '\t=1+1', functionCode: '2060499', fundSource: 'general.appropriation', amount: '1000.00' },
    ],
    previousYear: { threePublic: { abroad: '0.00', reception: '5000.00', vehicleOperation: '0.00', vehiclePurchase: '0.00' } },
    earmarks: { 'threePublic.abroad': '0.00', 'threePublic.reception': '1000.00', 'threePublic.vehicleOperation': '0.00', 'threePublic.vehiclePurchase': '0.00' },
  }
}

const HOSTILE = ['=HYPERLINK(', '@SUM(1+1)', '+1-2', '-2+3', '=1+1']

/** The rows of a CSV, without the byte-order mark. */
const cellsOf = (csv: string): string[][] => parseCsv(csv.replace(/^\uFEFF/, ''))

const expectGuarded = (csv: string) => {
  const cells = cellsOf(csv).flat()
  for (const h of HOSTILE) {
    const cell = cells.find((c) => c.includes(h))
    expect(cell, h).toBeDefined()
    expect(cell!.startsWith("'"), `${h} → ${cell}`).toBe(true)
  }
  // Nothing a spreadsheet reads as a formula is left, but figures (negative ones too) stay numbers.
  for (const c of cells) if (/^[=+\-@\t\r]/.test(c)) expect(c, c).toMatch(/^-?\d+(\.\d+)?%?$/)
}

const expectHeading = (csv: string, title: string) => {
  const [first, second] = cellsOf(csv)
  expect(first).toEqual([title])
  expect(second).toEqual([`部门名称：测试单位（${FIXTURE.unit}）`, `年度：${FIXTURE.year}`, '单位：万元'])
}

describe('CSV of a table whose text would run as a spreadsheet formula', () => {
  const db = tempDb('ledger-csv-')
  let server: TestServer
  beforeAll(async () => {
    const file = join(db.dir, 'hostile.json')
    writeFileSync(file, JSON.stringify(hostileBudgetFile()))
    const imported = await cli(['--db', db.path, 'import', file])
    expect(imported.code, imported.stderr).toBe(0)
    server = await startServer()
    const r = await server.request('POST', '/api/budget-files', { token: 'finance', body: hostileBudgetFile() })
    expect(r.status).toBe(201)
  })
  afterAll(async () => {
    await server.close()
    db.remove()
  })

  it('when the CLI prints it (table and export), then text cells starting with = + - @ or a tab are kept as text, negative figures stay numbers, and the heading names unit, code, year and 单位', async () => {
    const t11 = await cli(['--db', db.path, 'table', '11', '--format', 'csv'])
    expect(t11.code, t11.stderr).toBe(0)
    expectGuarded(t11.stdout)
    expectHeading(t11.stdout, '部门(单位)预算项目绩效目标汇总表')
    const out = join(db.dir, 't11.csv')
    expect((await cli(['--db', db.path, 'export', '--table', '11', '--format', 'csv', '--out', out])).code).toBe(0)
    const t7 = await cli(['--db', db.path, 'table', '7', '--format', 'csv'])
    expect(cellsOf(t7.stdout)).toContainEqual(['2、公务接待费', '0.10', '0.50', '-0.40', '0.00'])
    expectGuarded((await cli(['--db', db.path, 'export', '--table', 'all', '--format', 'csv'])).stdout)
  })

  it('when it is downloaded over HTTP, then it is the same CSV (behind a byte-order mark)', async () => {
    const get = async (table: string) => {
      const res = await fetch(`${server.url}/api/units/${FIXTURE.unit}/years/${FIXTURE.year}/tables/${table}.csv`, { headers: { authorization: `Bearer ${TOKENS.dashboard}` } })
      expect(res.status).toBe(200)
      return (await res.text()).replace(/^\uFEFF/, '')
    }
    const t11 = await get('11')
    expectGuarded(t11)
    expectHeading(t11, '部门(单位)预算项目绩效目标汇总表')
    expect(cellsOf(await get('7'))).toContainEqual(['2、公务接待费', '0.10', '0.50', '-0.40', '0.00'])
    expect(t11).toBe((await cli(['--db', db.path, 'table', '11', '--format', 'csv'])).stdout)
  })
})
