import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { XLSX_TYPE } from '../../src/export/xlsx'
import { cli } from '../support/shells/cli'
import { startServer } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

const TABLE_NUMBERS = Array.from({ length: 11 }, (_, i) => i + 1)

const load = async (path: string) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(path)
  return wb
}

const tablesOf = async (db: string) => {
  const out: string[] = []
  for (const n of TABLE_NUMBERS) {
    const r = await cli(['--db', db, 'table', String(n), '--format', 'json'])
    expect(r.code, r.stderr).toBe(0)
    out.push(r.stdout)
  }
  return out
}

describe('budget files as XLSX through the CLI and a real SQLite file', () => {
  let dir: ReturnType<typeof tempDb>
  beforeEach(() => (dir = tempDb('ledger-xlsx-')))
  afterEach(() => dir.remove())

  it('given the template, when written and imported as it is, then its example year is recorded with both lines', async () => {
    const file = join(dir.dir, 'budget-template.xlsx')
    expect((await cli(['template', '--out', file])).code).toBe(0)
    const wb = await load(file)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['预算明细', '上年对比', '专项额度', '整体绩效目标', '项目绩效目标', '填写说明'])
    expect(wb.getWorksheet('填写说明')!.getCell('C9').text).toBe('行号')

    const r = await cli(['--db', dir.path, 'import', file, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ unit: '900001', year: 2021, lines: 2 })
    const t3 = JSON.parse((await cli(['--db', dir.path, 'table', '3', '--format', 'json'])).stdout)
    expect(JSON.stringify(t3.rows)).toContain('150.00')
  })

  it('given a filled template with a numeric 1234.5, when imported, then the line holds 1234.50 元', async () => {
    const file = join(dir.dir, 'budget.xlsx')
    await cli(['template', '--out', file])
    const wb = await load(file)
    wb.getWorksheet('预算明细')!.getCell('G11').value = 1234.5
    await wb.xlsx.writeFile(file)
    expect((await cli(['--db', dir.path, 'import', file])).code).toBe(0)
    const history = await cli(['--db', dir.path, 'history', '--line', 'p01', '--format', 'json'])
    expect(history.stdout).toContain('"1234.50"')
  })

  it('given three bad cells, when imported, then each is named by sheet, row and column and no ledger is written', async () => {
    const file = join(dir.dir, 'bad.xlsx')
    await cli(['template', '--out', file])
    const wb = await load(file)
    const ws = wb.getWorksheet('预算明细')!
    ws.getCell('G10').value = '12,5'
    ws.getCell('G11').value = 12.345
    ws.getCell('D11').value = '99'
    await wb.xlsx.writeFile(file)
    const r = await cli(['--db', dir.path, 'import', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('nothing was written')
    expect(r.stderr).toContain('预算明细!G10: expected a decimal amount in 元 with at most two decimals, got "12,5"')
    expect(r.stderr).toContain('预算明细!G11: expected a decimal amount in 元 with at most two decimals (the cell holds 12.345, more than a 分: round it in the sheet), got the number 12.345')
    expect(r.stderr).toMatch(/预算明细!D11: expected .*function code/)
    expect(existsSync(dir.path)).toBe(false)
  })

  it('given the sample, when its workbook is exported and imported into a fresh SQLite file, then all eleven tables are equal', async () => {
    expect((await cli(['--db', dir.path, 'sample'])).code).toBe(0)
    const file = join(dir.dir, 'all.xlsx')
    expect((await cli(['--db', dir.path, 'export', '--table', 'all', '--out', file])).code).toBe(0)
    const names = (await load(file)).worksheets.map((w) => w.name)
    expect(names.slice(11)).toEqual(['预算明细', '上年对比', '专项额度', '整体绩效目标', '项目绩效目标'])

    const fresh = join(dir.dir, 'fresh.db')
    const r = await cli(['--db', fresh, 'import', file, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ unit: '101065', year: 2021, lines: 12 })
    expect(await tablesOf(fresh)).toEqual(await tablesOf(dir.path))
    expect((await cli(['--db', fresh, 'report'])).stdout).toEqual((await cli(['--db', dir.path, 'report'])).stdout)
  })

  it('given a budget file with last year’s 决算 recorded (previousYear.finalAccounts, 万元), when its workbook is exported and imported into a fresh SQLite file, then the 决算 情况说明 compares with the same figures', async () => {
    const budgetFile = join(__dirname, '..', 'fixtures', 'final-accounts', 'budget-files', 'putuo-ghzyj-2024.json')
    expect((await cli(['--db', dir.path, 'import', budgetFile])).code).toBe(0)
    const file = join(dir.dir, 'year.xlsx')
    const exported = await cli(['--db', dir.path, 'export', '--table', 'all', '--out', file])
    expect(exported.code, exported.stderr).toBe(0)
    const previous = (await load(file)).getWorksheet('上年对比')!
    const rows = previous.getSheetValues().flatMap((r) => (Array.isArray(r) ? [[r[1], r[2]]] : []))
    expect(rows).toContainEqual(['finalAccounts.threePublicTotal', '5400.00'])
    const fresh = join(dir.dir, 'fresh.db')
    const r = await cli(['--db', fresh, 'import', file])
    expect(r.code, r.stderr).toBe(0)
    const lastYear = async (db: string) => (JSON.parse((await cli(['--db', db, 'report', '--final', '--format', 'json'])).stdout) as { lastYear: unknown }).lastYear
    expect(await lastYear(fresh)).toEqual(await lastYear(dir.path))
    expect(await lastYear(fresh)).toMatchObject({ source: 'recorded', items: expect.arrayContaining([expect.objectContaining({ item: 'threePublic', previous: '0.54' })]) })
  })

  it('given two lines with one id, when imported, then the refusal names the cell of the second (the workbook) or its field (JSON)', async () => {
    const file = join(dir.dir, 'dup.xlsx')
    await cli(['template', '--out', file])
    const wb = await load(file)
    wb.getWorksheet('预算明细')!.getCell('A11').value = 'basic'
    await wb.xlsx.writeFile(file)
    const r = await cli(['--db', dir.path, 'import', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('budget-ledger: refused: budget line "basic" already exists (预算明细!A11); nothing was written\n')

    const sample = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'sample', 'budget-101065-2021.json'), 'utf8'))
    sample.lines[2].id = sample.lines[0].id
    writeFileSync(join(dir.dir, 'dup.json'), JSON.stringify(sample))
    const json = await cli(['--db', dir.path, 'import', join(dir.dir, 'dup.json')])
    expect(json.stderr).toBe('budget-ledger: refused: budget line "basic" already exists (lines[2].id); nothing was written\n')
    expect(existsSync(dir.path)).toBe(false)
  })

  it('given a file named .xlsx that is not a workbook, when imported, then it is refused as such', async () => {
    const file = join(dir.dir, 'fake.xlsx')
    writeFileSync(file, '{}')
    const r = await cli(['--db', dir.path, 'import', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('not an XLSX workbook')
  })
})

describe('budget files as XLSX over HTTP', () => {
  it('given the template from GET /api/budget-files/template.xlsx, when posted back as XLSX, then the year is recorded; a bad cell is refused with 422 naming it and nothing is written', async () => {
    const t = await startServer()
    try {
      const res = await fetch(`${t.url}/api/budget-files/template.xlsx`, { headers: { authorization: 'Bearer test-finance-token-0123456789abcdef' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe(XLSX_TYPE)
      const bytes = new Uint8Array(await res.arrayBuffer())

      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(bytes as unknown as ArrayBuffer)
      wb.getWorksheet('预算明细')!.getCell('G10').value = '12,5'
      const bad = new Uint8Array(await wb.xlsx.writeBuffer())
      const refused = await t.request('POST', '/api/budget-files', { token: 'finance', rawBody: bad, headers: { 'content-type': XLSX_TYPE } })
      expect(refused.status).toBe(422)
      expect(JSON.stringify(refused.body)).toContain('预算明细!G10')
      expect(await t.eventCount()).toBe(0)

      const ok = await t.request('POST', '/api/budget-files', { token: 'finance', rawBody: bytes, headers: { 'content-type': XLSX_TYPE } })
      expect(ok.status, JSON.stringify(ok.body)).toBe(201)
      expect(ok.body).toMatchObject({ unit: '900001', year: 2021, lines: 2 })
    } finally {
      await t.close()
    }
  })

  it('given the template, when posted with dryRun=true, then 200 says the unit-year, its lines and the totals the ledger would hold, and nothing is written; a bad cell is named the same as on import', async () => {
    const t = await startServer()
    try {
      const res = await fetch(`${t.url}/api/budget-files/template.xlsx`, { headers: { authorization: 'Bearer test-finance-token-0123456789abcdef' } })
      const bytes = new Uint8Array(await res.arrayBuffer())
      const preview = await t.request('POST', '/api/budget-files?dryRun=true', { token: 'finance', rawBody: bytes, headers: { 'content-type': XLSX_TYPE } })
      expect(preview.status, JSON.stringify(preview.body)).toBe(200)
      expect(preview.body).toMatchObject({ unit: '900001', year: 2021, dryRun: true, lines: 2, totals: { initial: '1500000.50', adjusted: '1500000.50', spent: '0.00' } })
      expect(await t.eventCount()).toBe(0)

      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(bytes as unknown as ArrayBuffer)
      wb.getWorksheet('预算明细')!.getCell('G10').value = '12,5'
      const refused = await t.request('POST', '/api/budget-files?dryRun=true', { token: 'finance', rawBody: new Uint8Array(await wb.xlsx.writeBuffer()), headers: { 'content-type': XLSX_TYPE } })
      expect(refused.status).toBe(422)
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['预算明细!G10'])
      expect(await t.eventCount()).toBe(0)

      // Against this ledger: a year it already holds is refused by the dry run too.
      expect((await t.request('POST', '/api/budget-files', { token: 'finance', rawBody: bytes, headers: { 'content-type': XLSX_TYPE } })).status).toBe(201)
      const count = await t.eventCount()
      const again = await t.request('POST', '/api/budget-files?dryRun=true', { token: 'finance', rawBody: bytes, headers: { 'content-type': XLSX_TYPE } })
      expect(again.status).toBe(409)
      expect(await t.eventCount()).toBe(count)
    } finally {
      await t.close()
    }
  })

  it('given the sample, when GET workbook.xlsx is posted to a fresh server, then every table is equal', async () => {
    const a = await startServer()
    const b = await startServer()
    try {
      const sample = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'sample', 'budget-101065-2021.json'), 'utf8'))
      expect((await a.request('POST', '/api/budget-files', { token: 'finance', body: sample })).status).toBe(201)
      const res = await fetch(`${a.url}/api/units/101065/years/2021/workbook.xlsx`, { headers: { authorization: 'Bearer test-auditor-token-0123456789abcdef' } })
      const bytes = new Uint8Array(await res.arrayBuffer())
      const r = await b.request('POST', '/api/budget-files', { token: 'finance', rawBody: bytes, headers: { 'content-type': XLSX_TYPE } })
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      for (const n of TABLE_NUMBERS) {
        const [x, y] = await Promise.all([a, b].map((s) => s.request('GET', `/api/units/101065/years/2021/tables/${n}`, { token: 'dashboard' })))
        expect(y!.body).toEqual(x!.body)
      }
    } finally {
      await a.close()
      await b.close()
    }
  })
})
