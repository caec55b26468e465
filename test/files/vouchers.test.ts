import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { XLSX_TYPE } from '../../src/export/xlsx'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { cli, cliProcess } from '../support/shells/cli'
import { FIXTURE, fixtureBudgetFile, serverForTests } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

/** The fixture year with a third project sharing p01's function code, so a code alone can be ambiguous. */
const budget = () => {
  const f = fixtureBudgetFile()
  return { ...f, lines: [...f.lines, { id: 'p03', kind: 'project', projectName: '项目三', functionCode: '2150502', fundSource: 'general.appropriation', amount: '1000.00' }] }
}

const HEADER = '日期,凭证号,预算行号,功能分类科目编码,项目名称,经济分类科目编码,金额（元）,三公经费,政府采购,摘要'
const GOOD = [
  '2021-04-01,记-001,basic,,,30201,1200.00,,,办公用品',
  '2021-04-02,记-002,,2060499,,,5000,,services,咨询服务',
  '2021-04-03,记-003,,2150502,项目三,30217,600.50,公务接待费,,接待',
]
/** Three bad rows among good ones: a date that does not exist, an unknown line, an over-spend of p03 (after row 4's 600.50). */
const WITH_THREE_BAD = [
  ...GOOD,
  '2021-02-30,记-004,basic,,,,10.00,,,日期错',
  '2021-04-05,记-005,p99,,,,10.00,,,无此行',
  '2021-04-06,记-006,p03,,,,400.00,,,超支',
]
const FIXED = [...GOOD, '2021-03-30,记-004,basic,,,,10.00,,,日期改正', '2021-04-05,记-005,p02,,,,10.00,,,行号改正', '2021-04-06,记-006,p03,,,,399.50,,,金额改正']
const csv = (rows: ReadonlyArray<string>) => `\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`

const eventCount = async (path: string) => {
  const store = new SqliteEventStore(path)
  try {
    return (await store.readAll()).length
  } finally {
    await store.close()
  }
}

describe('import-spending (CLI) on a real SQLite file', () => {
  let db: ReturnType<typeof tempDb>
  const file = (name: string, text: string | Buffer) => {
    const path = join(db.dir, name)
    writeFileSync(path, text)
    return path
  }
  const spend = (path: string, ...more: string[]) => cli(['--db', db.path, 'import-spending', path, '--document', '财〔2021〕9号', ...more])
  beforeEach(async () => {
    db = tempDb('ledger-vouchers-')
    expect((await cli(['--db', db.path, 'import', file('budget.json', JSON.stringify(budget()))])).code).toBe(0)
  })
  afterEach(() => db.remove())

  it('given a CSV with three bad rows, when imported, then exactly those three cells are named and nothing is written; after the fix every row is recorded', async () => {
    const before = await eventCount(db.path)
    const bad = await spend(file('vouchers.csv', csv(WITH_THREE_BAD)))
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('the voucher file has 3 bad cell(s); nothing was written')
    const named = bad.stderr.split('\n').filter((l) => l.startsWith('  '))
    expect(named).toEqual([
      '  vouchers.csv!A5: expected a date YYYY-MM-DD that exists (or a date cell), got "2021-02-30"',
      '  vouchers.csv!C6: expected the id of a line of this year, got "p99"',
      '  vouchers.csv!G7: spending 400.00 元 on line "p03" would bring its spending to 1000.50 元, over its adjusted budget of 1000.00 元',
    ])
    expect(await eventCount(db.path)).toBe(before)

    const ok = await spend(file('fixed.csv', csv(FIXED)), '--json')
    expect(ok.code, ok.stderr).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 6, total: '7220.00', events: 6, repeated: false, dryRun: false })
    expect(await eventCount(db.path)).toBe(before + 6)
    const store = new SqliteEventStore(db.path)
    const spent = (await store.readAll()).filter((e) => e.type === 'ExpenditureRecorded')
    await store.close()
    expect(spent.map((e) => [e.data, e.metadata.effectiveDate, e.metadata.reason, e.metadata.document])[2]).toEqual([
      { line: 'p03', amount: '600.50', economicCode: '30217', voucher: '记-003', threePublic: 'reception', procurement: null },
      '2021-04-03',
      '接待',
      '财〔2021〕9号',
    ])
  })

  it('given a function code two lines share and no project name (after a blank row), when imported, then the cell, counted with the blank row, says which lines and asks for the project', async () => {
    const r = await spend(file('v.csv', csv(['', '2021-04-01,记-1,,2150502,,,1.00,,,x'])))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('v.csv!D3: expected one line, but 2 lines have function code 2150502 (p01 项目一, p03 项目三): give the 项目名称 or the 预算行号, got "2150502"')
  })

  it('given a file with only the 预算行号 column, when a row leaves it empty and another is dated outside the year, then those cells are named', async () => {
    const text = ['摘要,金额（元）,预算行号,凭证号,日期', 'a,1.00,,V1,2021-04-01', 'b,1.00,p01,V2,2022-01-05', 'c,1.00,p01,V3,2021-04-01'].join('\n')
    const r = await spend(file('v.csv', text))
    expect(r.code).toBe(1)
    const named = r.stderr.split('\n').filter((l) => l.startsWith('  '))
    expect(named).toHaveLength(2)
    expect(named[0]).toBe('  v.csv!C2: expected a line id or a function code, got an empty cell')
    expect(named[1]).toMatch(/^ {2}v\.csv!E3: .*2022-01-05/)
  })

  it('given a CSV saved as GBK, when imported, then it is refused as not UTF-8 and nothing is written', async () => {
    const before = await eventCount(db.path)
    const r = await spend(file('gbk.csv', Buffer.concat([Buffer.from('date,voucher,line,amount,reason\n2021-04-01,V1,p01,1.00,'), Buffer.from([0xb0, 0xec]), Buffer.from('\n')])))
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/gbk\.csv.*UTF-8.*nothing was written/)
    expect(await eventCount(db.path)).toBe(before)
  })

  it('given the same file twice, when imported, then the second records nothing and says it was imported before', async () => {
    const path = file('vouchers.csv', csv(GOOD))
    expect((await spend(path)).code).toBe(0)
    const after = await eventCount(db.path)
    const again = await spend(file('copy.csv', csv(GOOD)))
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/already imported\s+at 20\d\d-.*\(3 events\); nothing was recorded again/)
    expect(await eventCount(db.path)).toBe(after)
  })

  it('given vouchers imported from a CSV, when the same rows come again as an XLSX with other columns in another order, numeric amounts and date cells, then nothing is recorded again', async () => {
    const rows = ['2021-04-01,V1,p01,,,,1200.00,,,a', '2021-04-02,V2,p02,,,,5000.50,,,b']
    expect((await spend(file('v.csv', csv(rows)))).code).toBe(0)
    const after = await eventCount(db.path)
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('凭证')
    ws.addRow(['摘要', '日期', '凭证号', '预算行号', '金额（元）'])
    ws.addRow(['a', new Date(Date.UTC(2021, 3, 1)), 'V1', 'p01', 1200])
    ws.addRow(['b', new Date(Date.UTC(2021, 3, 2)), 'V2', 'p02', 5000.5])
    const xlsx = join(db.dir, 'v.xlsx')
    await wb.xlsx.writeFile(xlsx)
    const again = await spend(xlsx, '--json')
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ repeated: true, events: 2 })
    expect(await eventCount(db.path)).toBe(after)
  })

  it('given a dry run, when previewed, then it says what would be recorded and writes nothing', async () => {
    const before = await eventCount(db.path)
    const r = await spend(file('vouchers.csv', csv(GOOD)), '--dry-run', '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 3, total: '6800.50', dryRun: true, events: 3 })
    expect(await eventCount(db.path)).toBe(before)
  })

  it('given an XLSX with date cells and numeric amounts, when imported, then it records like the CSV; a numeric amount with three decimals is named', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('凭证')
    ws.addRow(HEADER.split(','))
    ws.addRow([new Date(Date.UTC(2021, 3, 1)), '记-001', 'basic', null, null, 30201, 1200, null, null, '办公用品'])
    ws.addRow([new Date(Date.UTC(2021, 3, 2)), '记-002', null, 2060499, null, null, 5000.5, null, '服务', '咨询服务'])
    const good = join(db.dir, 'v.xlsx')
    await wb.xlsx.writeFile(good)
    const r = await spend(good, '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 2, total: '6200.50', events: 2 })

    ws.getCell('G3').value = 12.345
    const bad = join(db.dir, 'bad.xlsx')
    await wb.xlsx.writeFile(bad)
    const refused = await spend(bad)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('凭证!G3: expected a decimal amount in 元 with at most two decimals (the cell holds 12.345, more than a 分: round it in the sheet), got the number 12.345')
  })

  it('given 2,500 rows and --progress, when imported, then progress is told every 1,000 rows and at the end, and all are recorded as one batch', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `2021-05-01,记-${i},p01,,,,1.00,,,批量`)
    const r = await spend(file('many.csv', csv(rows)), '--progress', '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('checked 1000 of 2500 rows\nchecked 2000 of 2500 rows\nchecked 2500 of 2500 rows\n')
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 2500, total: '2500.00', events: 2500 })
  })

  it('given the CLI as a child process (as `npx budget-ledger`), when a voucher file is imported, then it records and prints the labelled result without progress (stderr is no terminal)', async () => {
    const r = await cliProcess(['--db', db.path, 'import-spending', file('vouchers.csv', csv(GOOD)), '--document', '财〔2021〕9号'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^file\s+.*vouchers\.csv\nunit-year\s+900001 2021\nrows\s+3\ntotal \(元\)\s+6800\.50\nevents recorded\s+3\n/)
  })

  it('given a --db that does not exist, when vouchers are imported, then the missing file is named and no ledger is created', async () => {
    const missing = join(db.dir, 'typo.db')
    const r = await cli(['--db', missing, 'import-spending', file('vouchers.csv', csv(GOOD))])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(missing)
    expect(existsSync(missing)).toBe(false)
  })

  it('given more rows than an import takes, when imported, then it is refused before any row is checked', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => `2021-05-01,记-${i},p01,,,,1.00,,,批量`)
    const r = await spend(file('huge.csv', csv(rows)))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('5001 voucher rows, more than the 5000 one import takes')
  })
})

describe('POST /api/units/:unit/years/:year/voucher-files', () => {
  const t = serverForTests({ fixture: true, each: true })
  const path = `/api/units/${FIXTURE.unit}/years/${FIXTURE.year}/voucher-files`
  const post = (body: string | Uint8Array, query = '', type = 'text/csv; charset=utf-8') =>
    t.request('POST', `${path}${query}`, { token: 'finance', rawBody: body, headers: { 'content-type': type } })

  it('given a preview, when posted with dryRun, then it answers what would be recorded and writes nothing; then the import records, and a repeat records nothing', async () => {
    const before = await t.eventCount()
    const rows = ['2021-04-01,记-001,basic,,,,100.00,,,a', '2021-04-02,记-002,p01,,,,200.00,,,b']
    const preview = await post(csv(rows), '?dryRun=true&document=%E8%B4%A2-1')
    expect(preview.status, JSON.stringify(preview.body)).toBe(200)
    expect(preview.body).toMatchObject({ rows: 2, total: '300.00', dryRun: true, events: 2 })
    expect(await t.eventCount()).toBe(before)

    const recorded = await post(csv(rows), '?document=%E8%B4%A2-1')
    expect(recorded.status).toBe(201)
    expect(recorded.body).toMatchObject({ rows: 2, events: 2, repeated: false })
    expect(await t.eventCount()).toBe(before + 2)

    const again = await post(csv(rows), '?document=%E8%B4%A2-1')
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ repeated: true, events: 2 })
    expect(await t.eventCount()).toBe(before + 2)
  })

  it('given three bad rows, when posted, then 422 names exactly those cells and nothing is written', async () => {
    const before = await t.eventCount()
    const rows = ['2021-13-01,记-1,basic,,,,1.00,,,a', '2021-04-01,记-2,nope,,,,1.00,,,b', '2021-04-01,记-3,p02,,,,200000.01,,,c', '2021-04-01,记-4,p02,,,,1.00,,,d']
    const r = await post(csv(rows))
    expect(r.status).toBe(422)
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['vouchers.csv!A2', 'vouchers.csv!C3', 'vouchers.csv!G4'])
    expect(await t.eventCount()).toBe(before)
  })

  it('given Accept: application/x-ndjson, when 2,500 rows are posted, then the answer streams the rows checked every 1,000 and at the end, then the ordinary answer as its last line; a refused file ends with its 422 and writes nothing', async () => {
    const streamed = async (body: string) => {
      const res = await fetch(`${t.url}${path}?document=%E8%B4%A2-2`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-finance-token-0123456789abcdef', 'content-type': 'text/csv', accept: 'application/x-ndjson' },
        body,
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
      return (await res.text()).trim().split('\n').map((l) => JSON.parse(l))
    }
    const before = await t.eventCount()
    const lines = await streamed(csv(Array.from({ length: 2500 }, (_, i) => `2021-05-01,记-${i},p01,,,,1.00,,,批量`)))
    expect(lines.slice(0, 3)).toEqual([{ checked: 1000, rows: 2500 }, { checked: 2000, rows: 2500 }, { checked: 2500, rows: 2500 }])
    expect(lines).toHaveLength(4)
    expect(lines[3]).toMatchObject({ status: 201, body: { rows: 2500, total: '2500.00', events: 2500, dryRun: false, repeated: false } })
    expect(await t.eventCount()).toBe(before + 2500)

    const refused = await streamed(csv(['2021-13-01,记-1,basic,,,,1.00,,,a', '2021-04-01,记-2,nope,,,,1.00,,,b', '2021-04-01,记-3,p02,,,,200000.01,,,c']))
    expect(refused.at(-1)).toMatchObject({ status: 422, body: { errors: [{ path: 'vouchers.csv!A2' }, { path: 'vouchers.csv!C3' }, { path: 'vouchers.csv!G4' }] } })
    expect(await t.eventCount()).toBe(before + 2500)
  })

  it('given ?file=, when a CSV with a bad cell is posted, then the cell is named in that file (its last path part); a name with a control character is a 400', async () => {
    const bad = await post(csv(['2021-13-01,记-1,basic,,,,1.00,,,a']), `?file=${encodeURIComponent('C:\\财务\\凭证-4月.csv')}`)
    expect(bad.status).toBe(422)
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['凭证-4月.csv!A2'])
    const refused = await post(csv(GOOD), '?file=a%0Ab.csv')
    expect(refused.status).toBe(400)
    expect(refused.body.errors).toEqual([{ path: 'file', reason: 'expected a file name of 1-200 printable characters' }])
  })

  it('given a file body over 8 MiB, when posted, then 413 says the file limit and nothing is written', async () => {
    const before = await t.eventCount()
    const r = await post(`${HEADER}\n${'x'.repeat(8 * 1024 * 1024)}`)
    expect(r.status).toBe(413)
    expect(r.body.detail).toContain('the file is larger than 8 MiB')
    expect(await t.eventCount()).toBe(before)
  })

  it('given an XLSX body, when posted, then it is read like the CSV; any other type is 415', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['date', 'voucher', 'line', 'amount', 'reason'])
    ws.addRow(['2021-04-01', 'V1', 'p01', 12.5, 'x'])
    const r = await post(new Uint8Array(await wb.xlsx.writeBuffer()), '', XLSX_TYPE)
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(r.body).toMatchObject({ rows: 1, total: '12.50' })
    expect((await post('{}', '', 'application/json')).status).toBe(415)
  })
})
