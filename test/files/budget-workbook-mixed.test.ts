import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { XLSX_TYPE } from '../../src/export/xlsx'
import { cliProcess } from '../support/shells/cli'
import { startServer } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The budget workbook takes what the JSON budget file takes: a mixed 项 (basic and project money in
 * one row) and amounts in 万元 (the sheet says so in its 金额单位 row), read by the same decoding.
 * The template's rows: 1–7 the head, 8 blank (where the 金额单位 row goes), 9 the column labels,
 * 10– the lines; G 金额, H 基本支出类别, I 其中基本支出, J 其中项目支出.
 */
describe('a budget workbook with a mixed 项 in 万元, through the CLI process and a real SQLite file', () => {
  let dir: ReturnType<typeof tempDb>
  beforeEach(() => (dir = tempDb('ledger-xlsx-mixed-')))
  afterEach(() => dir.remove())

  const workbook = async (edit: (ws: ExcelJS.Worksheet) => void): Promise<string> => {
    const file = join(dir.dir, 'budget.xlsx')
    const made = await cliProcess(['template', '--out', file])
    expect(made.code, made.stderr).toBe(0)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.getWorksheet('预算明细')!
    expect(ws.getCell('I9').text).toBe('其中基本支出')
    expect(ws.getCell('J9').text).toBe('其中项目支出')
    ws.getRow(8).values = ['金额单位', '万元']
    ws.getCell('G10').value = 120
    ws.getCell('G11').value = '30.00005'
    ws.getRow(12).values = ['x1', '', '综合业务', '2010301', '', 'general.appropriation', '', 'personnel', 100, '25.00005']
    edit(ws)
    await wb.xlsx.writeFile(file)
    return file
  }

  it('given a row with 其中基本支出 and 其中项目支出 in 万元, when imported, then it is two lines (x1.basic, x1.project) in exact 元, as the JSON file records it', async () => {
    const file = await workbook(() => {})
    const r = await cliProcess(['--db', dir.path, 'import', file])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const initial = async (line: string) => {
      const v = await cliProcess(['--db', dir.path, 'line', line, '--format', 'json'])
      expect(v.code, v.stderr).toBe(0)
      return JSON.parse(v.stdout).figures.initial.yuan as string
    }
    expect(await initial('basic')).toBe('1200000.00')
    expect(await initial('p01')).toBe('300000.50')
    expect(await initial('x1.basic')).toBe('1000000.00')
    expect(await initial('x1.project')).toBe('250000.50')
  })

  it('given bad cells of a mixed 项 (a tenth of a 分 in 万元, a kind beside its parts), when imported, then each is named by sheet, row and column and nothing is written', async () => {
    const tenth = await cliProcess(['--db', dir.path, 'import', await workbook((ws) => (ws.getCell('J12').value = '0.0000001'))])
    expect(tenth.code).toBe(1)
    expect(tenth.stderr).toContain('nothing was written')
    expect(tenth.stderr).toMatch(/预算明细!J12: 0\.0000001 万元 is 0\.001 元, not a whole number of 分/)
    const kind = await cliProcess(['--db', dir.path, 'import', await workbook((ws) => (ws.getCell('B12').value = 'basic'))])
    expect(kind.code).toBe(1)
    expect(kind.stderr).toMatch(/预算明细!B12: a mixed 项 \(basicAmount and projectAmount\) is both kinds/)
    expect(existsSync(dir.path)).toBe(false)
  })

  it('given the same bad cell sent over HTTP, when posted, then the 422 names the cell in English and in Chinese', async () => {
    const file = await workbook((ws) => (ws.getCell('J12').value = '0.0000001'))
    const t = await startServer()
    try {
      const r = await t.request('POST', '/api/budget-files', { token: 'finance', rawBody: readFileSync(file), headers: { 'content-type': XLSX_TYPE } })
      expect(r.status).toBe(422)
      expect(r.body.errors).toEqual([
        {
          path: '预算明细!J12',
          reason: expect.stringContaining('0.0000001 万元 is 0.001 元'),
          words: '预算明细!J12：应为以万元为单位、至多六位小数的金额（精确到分），实际为 "0.0000001"',
        },
      ])
      expect(await t.eventCount()).toBe(0)
    } finally {
      await t.close()
    }
  })
})
