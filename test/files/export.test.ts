import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TABLES } from '../../projections'
import type { TableJson } from '../../projections/render'
import { headerRows } from '../../src/export/layout'
import { sheetName } from '../../src/export/xlsx'
import { BUDGET_FILE_SHEETS } from '../../src/ledger/reports/budget-workbook'
import { samplePath } from '../../src/package-root'
import { cli } from '../support/shells/cli'
import { FIXTURE, TOKENS, type TestServer, YEAR_PATH, isProblem, serverForTests, startServer } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

const SAMPLE = '/api/units/101065/years/2021'
const sampleFile = () => JSON.parse(readFileSync(samplePath(), 'utf8'))
const FIGURE = /^-?\d+\.\d{2}$/

/** Raw bytes of a GET, with the reply's headers. */
const bytesOf = async (t: TestServer, path: string, token: keyof typeof TOKENS = 'dashboard') => {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${TOKENS[token]}` } })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}

const readWorkbook = async (bytes: Buffer | string): Promise<ExcelJS.Workbook> => {
  const wb = new ExcelJS.Workbook()
  if (typeof bytes === 'string') await wb.xlsx.readFile(bytes)
  else await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  return wb
}

/**
 * A sheet holds its table: the title, the unit line, the header labels, and then the grid where
 * every figure is a numeric cell in 0.00 format equal to the JSON's 万元 string, and every other
 * cell is the JSON's text (without its indent).
 */
const expectSheetHolds = (ws: ExcelJS.Worksheet, j: TableJson): void => {
  expect(ws.getCell(1, 1).value).toBe(j.title)
  expect(String(ws.getCell(2, 1).value)).toContain(`部门名称：${j.unitName}（${j.unitCode}）`)
  expect(ws.getCell(2, j.columns.length).value).toContain('单位：万元')
  const gridStart = ws.rowCount - j.rows.length - 2 * (j.notes?.length ?? 0) + 1
  const header = headerRows(j.id, j.columns)
  const headerTop = gridStart - header.length
  for (const [level, cells] of header.entries()) for (const h of cells) expect(ws.getCell(headerTop + level, h.col + 1).value).toBe(h.label)
  let figures = 0
  j.rows.forEach((row, i) =>
    row.map((t) => t ?? '').forEach((text, c) => {
      const cell = ws.getCell(gridStart + i, c + 1)
      if (typeof cell.value === 'number') {
        figures++
        expect(cell.numFmt, `${j.number} r${i} c${c}`).toBe('0.00')
        expect(cell.value.toFixed(2), `${j.number} r${i} c${c}`).toBe(text.trim())
        expect(text.trim()).toMatch(FIGURE)
      } else expect(cell.value ?? '', `${j.number} r${i} c${c}`).toBe(text.trimStart())
    }),
  )
  const expected = j.rows.flat().filter((x) => FIGURE.test((x ?? '').trim())).length
  // Every figure is a number (text columns holding figure-like text are none in these tables).
  expect(figures).toBe(expected)
  for (const [k, n] of (j.notes ?? []).entries()) expect(ws.getCell(gridStart + j.rows.length + 2 * k + 1, 1).value).toBe(`注：${n}`)
}

describe('exports over HTTP: CSV and XLSX of the official tables', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer()
    const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: sampleFile() })
    expect(r.status).toBe(201)
  })
  afterAll(async () => {
    expect(t.logged).toEqual([])
    await t.close()
  })

  it('every table as XLSX holds the same figures as its JSON, as 0.00 numbers under the official headers', async () => {
    for (const table of TABLES) {
      const json = (await t.request('GET', `${SAMPLE}/tables/${table.number}`, { token: 'dashboard' })).body as TableJson
      const r = await bytesOf(t, `${SAMPLE}/tables/${table.number}.xlsx`)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      expect(r.headers.get('content-disposition')).toContain(`filename="101065-2021-table-${table.number}.xlsx"`)
      expect(decodeURIComponent(r.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe(`101065-2021-表${table.number}-${table.title}.xlsx`)
      const wb = await readWorkbook(r.bytes)
      expect(wb.worksheets).toHaveLength(1)
      expectSheetHolds(wb.worksheets[0]!, json)
    }
  })

  it('table 4 keeps its official layout: 收入 ‖ 支出 sides and the 一般公共预算 group merged, 904.34 as a number', async () => {
    const wb = await readWorkbook((await bytesOf(t, `${SAMPLE}/tables/fiscal-appropriation-summary.xlsx`)).bytes)
    const ws = wb.worksheets[0]!
    const merges = (ws.model as unknown as { merges: string[] }).merges
    expect(merges).toEqual(expect.arrayContaining(['A1:M1', 'A3:C3', 'D3:M3', 'F4:K4', 'A4:A5']))
    expect([ws.getCell('A3').value, ws.getCell('D3').value, ws.getCell('F4').value, ws.getCell('F5').value]).toEqual(['收入', '支出', '一般公共预算', '小计'])
    expect(ws.getCell('C6').value).toBe(904.34)
    expect(ws.getCell('C6').numFmt).toBe('0.00')
    expect(ws.getColumn(4).width).toBeGreaterThan(ws.getColumn(3).width!)
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 })
  })

  it('the whole budget is one workbook of eleven sheets in table order, each holding its table, then the budget file sheets', async () => {
    const r = await bytesOf(t, `${SAMPLE}/workbook.xlsx`, 'auditor')
    expect(r.status).toBe(200)
    expect(decodeURIComponent(r.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe('101065-2021-部门预算.xlsx')
    const wb = await readWorkbook(r.bytes)
    expect(wb.worksheets.map((w) => w.name)).toEqual([...TABLES.map((x) => sheetName(x)), ...BUDGET_FILE_SHEETS])
    for (const table of TABLES) {
      const json = (await t.request('GET', `${SAMPLE}/tables/${table.id}`, { token: 'dashboard' })).body as TableJson
      expectSheetHolds(wb.getWorksheet(sheetName(table))!, json)
    }
  })

  it('CSV: the CLI CSV behind a byte-order mark, with a Chinese file name', async () => {
    const r = await bytesOf(t, `${SAMPLE}/tables/3.csv`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(decodeURIComponent(r.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe('101065-2021-表3-部门支出总体情况表.csv')
    expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = r.bytes.toString('utf8').replace(/^\uFEFF/, '')
    const lines = text.split('\r\n')
    expect(lines.slice(0, 3)).toEqual(['部门支出总体情况表', '部门名称：工信科技金融办（101065）,年度：2021,单位：万元', '功能分类科目编码,科目名称,合计,基本支出,项目支出'])
    expect(lines).toContain(',合计,904.34,32.30,872.04')
  })

  it('refuses an unknown table (404), no token (401); every role may download', async () => {
    const unknown = await t.request('GET', `${SAMPLE}/tables/12.xlsx`, { token: 'dashboard' })
    expect(unknown.status).toBe(404)
    expect(isProblem(unknown)).toBe(true)
    expect((await t.request('GET', `${SAMPLE}/workbook.xlsx`)).status).toBe(401)
    expect((await t.request('GET', '/api/units/101065/years/2020/tables/1.csv', { token: 'dashboard' })).status).toBe(404)
    for (const role of ['finance', 'auditor', 'dashboard'] as const) expect((await bytesOf(t, `${SAMPLE}/tables/1.csv`, role)).status).toBe(200)
  })

  it('with asOf, an export is the table as it was then, and the workbook says which moment', async () => {
    await new Promise((r) => setTimeout(r, 20))
    const before = new Date().toISOString()
    await new Promise((r) => setTimeout(r, 20))
    const add = await t.request('POST', `${SAMPLE}/commands`, {
      token: 'finance',
      body: { type: 'AddToLine', data: { line: 'p01', amount: '10000.00', category: 'ordinary' }, reason: '追加', document: '财预〔2021〕7号', effectiveDate: '2021-07-01' },
    })
    expect(add.status).toBe(201)
    const total = async (query: string) => {
      const ws = (await readWorkbook((await bytesOf(t, `${SAMPLE}/tables/3.xlsx${query}`)).bytes)).worksheets[0]!
      let found: unknown
      ws.eachRow((row) => {
        if (row.getCell(2).value === '合计') found = row.getCell(3).value
      })
      return { total: found, line2: String(ws.getCell(2, 1).value) }
    }
    expect(await total('')).toEqual({ total: 905.34, line2: expect.not.stringContaining('数据时点') })
    const past = await total(`?asOf=${encodeURIComponent(before)}`)
    expect(past.total).toBe(904.34)
    expect(past.line2).toContain('数据时点')
    const csv = (await bytesOf(t, `${SAMPLE}/tables/3.csv?asOf=${encodeURIComponent(before)}`)).bytes.toString('utf8')
    expect(csv).toContain(',合计,904.34,32.30,872.04')
  })
})

describe('GET …/execution: spending by 类 and by month, for the dashboard charts', () => {
  const t = serverForTests({ fixture: true })

  const spend = (line: string, amount: string, date: string) =>
    t.request('POST', `${YEAR_PATH}/commands`, {
      token: 'finance',
      body: {
        type: 'RecordExpenditure',
        data: { line, amount, economicCode: null, voucher: `记-${date}`, threePublic: null, procurement: null },
        reason: '支付',
        document: null,
        effectiveDate: date,
      },
    })

  it('per 类 the budget and spending, per month the spending and its running total; a reversal counts in its own month', async () => {
    const empty = await t.request('GET', `${YEAR_PATH}/execution`, { token: 'dashboard' })
    expect(empty.status).toBe(200)
    expect(empty.headers.get('etag')).toBe(`"${empty.body.revision}"`)
    expect(empty.body.byClass).toEqual([
      expect.objectContaining({ code: '206', initial: '200000.00', adjusted: '200000.00', spent: '0.00', adjustedWan: '20.00', rate: '0.00' }),
      expect.objectContaining({ code: '215', initial: '600000.00', adjusted: '600000.00', spent: '0.00', adjustedWan: '60.00' }),
    ])
    expect(empty.body.byMonth.map((m: { month: string }) => m.month)).toEqual(Array.from({ length: 12 }, (_, i) => `2021-${String(i + 1).padStart(2, '0')}`))

    const first = await spend('p01', '1000.00', '2021-03-15')
    expect(first.status).toBe(201)
    expect((await spend('p02', '500.50', '2021-05-02')).status).toBe(201)
    const reverse = await t.request('POST', `${YEAR_PATH}/commands`, {
      token: 'finance',
      body: { type: 'ReverseEvent', data: { event: first.body.events[0].id }, reason: '冲销错账', document: null, effectiveDate: '2021-06-01' },
    })
    expect(reverse.status).toBe(201)

    const x = (await t.request('GET', `${YEAR_PATH}/execution`, { token: 'dashboard' })).body
    const month = (m: string) => x.byMonth.find((b: { month: string }) => b.month === m)
    expect(month('2021-03')).toMatchObject({ spent: '1000.00', cumulative: '1000.00', spentWan: '0.10' })
    expect(month('2021-05')).toMatchObject({ spent: '500.50', cumulative: '1500.50' })
    expect(month('2021-06')).toMatchObject({ spent: '-1000.00', cumulative: '500.50' })
    expect(month('2021-12')).toMatchObject({ cumulative: '500.50', cumulativeWan: '0.05' })
    // The running execution rate against the year's adjusted budget, computed by the server (the page does no arithmetic).
    expect(month('2021-03')).toMatchObject({ cumulativeRate: '0.13' })
    expect(month('2021-12')).toMatchObject({ cumulativeRate: '0.06' })
    expect(x.totals).toMatchObject({ spent: '500.50', adjusted: '800000.00' })
    expect(x.byClass.find((c: { code: string }) => c.code === '206')).toMatchObject({ spent: '500.50', rate: '0.25' })
  })

  it('the dashboard role may read it (not the history); asOf shows it as it was', async () => {
    expect((await t.request('GET', `${YEAR_PATH}/events`, { token: 'dashboard' })).status).toBe(403)
    const early = await t.request('GET', `${YEAR_PATH}/execution?asOf=2000-01-01`, { token: 'dashboard' })
    expect(early.status).toBe(404)
    const now = await t.request('GET', `${YEAR_PATH}/execution?asOf=now`, { token: 'dashboard' })
    expect(now.status).toBe(200)
    expect(now.body.at.asOf).toMatch(/Z$/)
    // As of now (a replay of the events) and as it stands (the live fold) are the same figures.
    const { at: _, ...replayed } = now.body
    expect((await t.request('GET', `${YEAR_PATH}/execution`, { token: 'dashboard' })).body).toEqual(replayed)
    expect((await t.request('GET', `${YEAR_PATH}/execution?asOf=yesterday-ish`, { token: 'dashboard' })).status).toBe(400)
    expect((await t.request('GET', `/api/units/${FIXTURE.unit}/years/2030/execution`, { token: 'dashboard' })).status).toBe(404)
  })
})

describe('budget-ledger export (CLI), on a real SQLite file', () => {
  let db: ReturnType<typeof tempDb>
  beforeAll(async () => {
    db = tempDb('ledger-export-')
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
  })
  afterAll(() => db.remove())

  const tableJson = async (n: number) => JSON.parse((await cli(['--db', db.path, 'table', String(n), '--format', 'json'])).stdout) as TableJson

  it('writes one table as XLSX, read back with the same figures as the JSON table', async () => {
    const out = join(db.dir, 't4.xlsx')
    const r = await cli(['--db', db.path, 'export', '--table', '4', '--format', 'xlsx', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('wrote table 4 财政拨款收支总体情况表 of 101065 2021 as XLSX')
    expectSheetHolds((await readWorkbook(out)).worksheets[0]!, await tableJson(4))
  })

  it('writes the whole budget (--table all) as one workbook of eleven sheets, then the budget file sheets', async () => {
    const out = join(db.dir, 'all.xlsx')
    expect((await cli(['--db', db.path, 'export', '--table', 'all', '--out', out, '--unit', '101065', '--year', '2021'])).code).toBe(0)
    const wb = await readWorkbook(out)
    expect(wb.worksheets.map((w) => w.name)).toEqual([...TABLES.map((x) => sheetName(x)), ...BUDGET_FILE_SHEETS])
    for (const table of TABLES) expectSheetHolds(wb.getWorksheet(sheetName(table))!, await tableJson(table.number))
  })

  it('writes CSV: to a file with a byte-order mark, or to standard output as `table --format csv` prints it', async () => {
    const out = join(db.dir, 't3.csv')
    expect((await cli(['--db', db.path, 'export', '--table', 'expenditure-summary', '--format', 'csv', '--out', out])).code).toBe(0)
    const file = readFileSync(out, 'utf8')
    const table = (await cli(['--db', db.path, 'table', '3', '--format', 'csv'])).stdout
    expect(file).toBe(`\uFEFF${table}`)
    const stdout = await cli(['--db', db.path, 'export', '--table', '3', '--format', 'csv'])
    expect(stdout.stdout).toBe(table)
    const all = await cli(['--db', db.path, 'export', '--table', 'all', '--format', 'csv'])
    for (const t of TABLES) expect(all.stdout).toContain(`${t.title}\r\n`)
  })

  it('says what is wrong: an unknown table, XLSX without --out, a bad --as-of, an unwritable file', async () => {
    const unknown = await cli(['--db', db.path, 'export', '--table', '12', '--out', join(db.dir, 'x.xlsx')])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no table "12"')
    const noOut = await cli(['--db', db.path, 'export', '--table', '1'])
    expect(noOut.code).toBe(2)
    expect(noOut.stderr).toContain('--out FILE is required')
    const badTime = await cli(['--db', db.path, 'export', '--table', '1', '--format', 'csv', '--as-of', 'soon'])
    expect(badTime.code).toBe(2)
    expect(badTime.stderr).toContain('--as-of')
    const unwritable = await cli(['--db', db.path, 'export', '--table', '1', '--out', join(db.dir, 'missing', 'dir', 'x.xlsx')])
    expect(unwritable.code).toBe(1)
    expect(unwritable.stderr).toContain('cannot write')
    const early = await cli(['--db', db.path, 'export', '--table', '1', '--format', 'csv', '--as-of', '2000-01-01'])
    expect(early.code).toBe(1)
    expect(early.stderr).toContain('was not open')
  })
})
