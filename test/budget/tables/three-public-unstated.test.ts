import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../../support/shells/cli'
import { fixtureBudgetFile } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * Table 7 from a budget file that states 公务接待 only: the 三公 categories it never stated are
 * blank (unknown is not zero) in text, CSV and XLSX, and null in the JSON; the sample, which states
 * its zeros, keeps printing 0.00.
 */
describe('table 7 of a budget that leaves 三公 categories unstated', () => {
  const db = tempDb('ledger-three-public-')
  beforeAll(async () => {
    const file = join(db.dir, 'reception-only.json')
    writeFileSync(file, JSON.stringify({ ...fixtureBudgetFile(), earmarks: { 'threePublic.reception': '21000.00' } }))
    const r = await cli(['--db', db.path, 'import', file])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => db.remove())

  it('when printed as JSON, then the unstated categories are null and the stated one and 共计 are figures', async () => {
    const j = JSON.parse((await cli(['--db', db.path, 'table', '7', '--format', 'json'])).stdout)
    expect(j.rows.map((r: Array<string | null>) => [r[0], r[1]])).toEqual([
      ['共计', '2.10'],
      ['1、因公出国（境）费用', null],
      ['2、公务接待费', '2.10'],
      ['3、公务用车费', null],
      ['其中：（1）公务用车运行维护费', null],
      ['（2）公务用车购置', null],
    ])
    expect(j.notes).toContain('预算未列因公出国（境）费用、公务用车运行维护费、公务用车购置的预算数，该栏留空（未列不等于 0）。')
  })

  it('when printed as text and CSV, then the unstated cells are empty, not 0.00', async () => {
    const text = (await cli(['--db', db.path, 'table', '7'])).stdout
    expect(text).toMatch(/\n1、因公出国（境）费用\s+0\.00\n/)
    expect(text).toMatch(/\n2、公务接待费\s+2\.10\s+0\.00\n/)
    const csv = (await cli(['--db', db.path, 'table', '7', '--format', 'csv'])).stdout
    expect(csv).toContain('\r\n1、因公出国（境）费用,,,,0.00\r\n')
    expect(csv).toContain('\r\n2、公务接待费,2.10,,,0.00\r\n')
  })

  it('when exported as XLSX, then the unstated cells are empty and the stated one is the number 2.1', async () => {
    const out = join(db.dir, 't7.xlsx')
    expect((await cli(['--db', db.path, 'export', '--table', '7', '--format', 'xlsx', '--out', out])).code).toBe(0)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(out)
    const ws = wb.worksheets[0]!
    const rowOf = (label: string) => ws.getRows(1, ws.rowCount)!.find((r) => r.getCell(1).value === label)!
    expect(rowOf('1、因公出国（境）费用').getCell(2).value).toBeNull()
    expect(rowOf('2、公务接待费').getCell(2).value).toBe(2.1)
  })

  it('given the sample, which states its zeros, then table 7 still prints 0.00 for them as the published table does', async () => {
    const sample = tempDb('ledger-three-public-sample-')
    try {
      expect((await cli(['--db', sample.path, 'sample'])).code).toBe(0)
      const j = JSON.parse((await cli(['--db', sample.path, 'table', '7', '--format', 'json'])).stdout)
      expect(j.rows.map((r: Array<string | null>) => [r[0], r[1]])).toEqual([
        ['共计', '2.10'],
        ['1、因公出国（境）费用', '0.00'],
        ['2、公务接待费', '2.10'],
        ['3、公务用车费', '0.00'],
        ['其中：（1）公务用车运行维护费', '0.00'],
        ['（2）公务用车购置', '0.00'],
      ])
    } finally {
      sample.remove()
    }
  })
})
