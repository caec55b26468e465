import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FINAL_TABLES } from '../../projections'
import type { TableJson } from '../../projections/render'
import { type TableProjection, tableHeading } from '../../projections/table'
import { ZERO } from '../../src/domain/money/money'
import { spentOf } from '../../src/domain/budget-year'
import { sheetName } from '../../src/export/xlsx'
import { packageRoot } from '../../src/package-root'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { cli } from '../support/shells/cli'
import { expectConsistentLedger } from '../support/ledgers/consistent-ledger'
import { TOKENS, type TestServer, startServer } from '../support/shells/http'
import { PATH, UNIT, buildYear } from '../support/years/final-year'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The 决算 set through every shell: the CLI (in-process and the built binary), HTTP (JSON, CSV,
 * XLSX, the 决算 workbook) and OpenAPI, on a real SQLite file, at the year's end and part-way
 * through it on both time axes (the year of test/support/years/final-year.ts).
 */
const readWorkbook = async (bytes: Buffer): Promise<ExcelJS.Workbook> => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  return wb
}

describe('the 决算 情况说明 of the next year on the command line', () => {
  const db = tempDb('ledger-final-next-')
  beforeAll(async () => {
    const store = new SqliteEventStore(db.path)
    await buildYear(store)
    await store.close()
  })
  afterAll(() => db.remove())
  const run = (...args: string[]) => cli(['--db', db.path, ...args])

  it('given the year in the ledger and the next one opened, when `report --final --format json` is asked for the next, then last year’s 决算 figures are the ledger’s and the text compares with them', async () => {
    const opened = await run('open-year', '--unit', UNIT, '--year', '2022', '--name', '测试单位', '--reason', '开账', '--date', '2021-12-01')
    expect(opened.code, opened.stderr).toBe(0)
    const r = await run('report', '--final', '--unit', UNIT, '--year', '2022', '--format', 'json')
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as { lastYear: { year: number; source: string; items: { item: string; current: string; previous: string | null; change: string | null; growth: string | null }[] }; text: string }
    expect([report.lastYear.year, report.lastYear.source]).toEqual([2021, 'ledger'])
    // 2022 has spent nothing: 45.00 less than 2021's 本年支出, down 100%
    expect(report.lastYear.items.find((i) => i.item === 'yearExpenditure')).toEqual({ item: 'yearExpenditure', label: '本年支出', current: '0.00', previous: '45.00', change: '-45.00', growth: '-100.00' })
    expect(report.text).toContain('  本年支出 0.00 万元，比 2021 年度减少 45.00 万元，下降 100.00%。')
    const plain = await run('report', '--final', '--format', 'json', '--unit', UNIT, '--year', '2021')
    expect((JSON.parse(plain.stdout) as typeof report).lastYear.source).toBe('none')
  })
})

describe('the 决算 set on the command line', () => {
  const db = tempDb('ledger-final-cli-')
  beforeAll(async () => {
    const store = new SqliteEventStore(db.path)
    await buildYear(store)
    await expectConsistentLedger(store, UNIT, 2021)
    await store.close()
  })
  afterAll(() => db.remove())
  const run = (...args: string[]) => cli(['--db', db.path, ...args])

  it('given the ledger, when `tables --final` is asked, then it lists the 决算 set by code, id and title', async () => {
    const r = await run('tables', '--final', '--format', 'json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(FINAL_TABLES.map((t) => ({ number: t.number, code: `F${t.number}`, id: t.id, title: t.title })))
    const text = await run('tables', '--final')
    expect(text.stdout).toContain(' F5  final-general-budget-expenditure')
    expect(text.stdout).toContain('一般公共预算财政拨款支出决算表')
  })

  it('given the year, when `table F5` is printed, then the 项 show 年初预算, 全年预算, 决算数 and the rates, aligned and labelled', async () => {
    const r = await run('table', 'F5', '--format', 'json')
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout) as TableJson
    expect(j).toMatchObject({ id: 'final-general-budget-expenditure', number: 5, set: 'final', unit: '万元' })
    expect(j.rows[0]).toEqual(['', '合计', '100.00', '105.00', '45.00', '25.00', '20.00', '42.86%', '45.00%'])
    const text = await run('table', 'final-general-budget-expenditure')
    expect(text.stdout).toMatch(/^一般公共预算财政拨款支出决算表\n部门名称：决算测试单位（900401）  年度：2021  单位：万元/)
    expect(text.stdout).toMatch(/合计\s+100\.00\s+105\.00\s+45\.00\s+25\.00\s+20\.00\s+42\.86%\s+45\.00%/)
    const csv = await run('table', 'f5', '--format', 'csv')
    expect(csv.stdout.split('\r\n')[3]).toBe(',合计,100.00,105.00,45.00,25.00,20.00,42.86%,45.00%')
  })

  it('given the year, when 决算表 are asked as of a recording date and as of a business date, then each shows what was so then', async () => {
    // recording time: only the March spending was recorded by 2021-06-30
    const asOf = JSON.parse((await run('table', 'F3', '--format', 'json', '--as-of', '2021-06-30')).stdout) as TableJson
    expect(asOf.rows[0]!.slice(2)).toEqual(['15.00', '15.00', '0.00', '0.00', '0.00', '0.00'])
    // business date: the 追加 and the August spending are in effect by 2021-09-30, the November spending is not
    const effective = JSON.parse((await run('table', 'F5', '--format', 'json', '--effective', '2021-09-30')).stdout) as TableJson
    expect(effective.rows[0]!.slice(2)).toEqual(['100.00', '105.00', '35.00', '15.00', '20.00', '33.33%', '35.00%'])
    const summary = JSON.parse((await run('table', 'F1', '--format', 'json', '--effective', '2021-09-30')).stdout) as TableJson
    expect(summary.rows.find((r) => r[2] === '年末结转和结余')![3]).toBe('70.00')
    expect(summary.notes!.join('')).toContain('尚未年终结账')
    // the table read from the expenditures themselves follows both axes too
    const basicAt = async (...flags: string[]) => (JSON.parse((await run('table', 'F6', '--format', 'json', ...flags)).stdout) as TableJson).rows[0]![2]
    expect([await basicAt(), await basicAt('--effective', '2021-09-30'), await basicAt('--as-of', '2021-06-30')]).toEqual(['25.00', '15.00', '15.00'])
  })

  it('given the year, when `report --final` is asked, then the 决算 情况说明 prints the tables’ figures', async () => {
    const r = await run('report', '--final')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('年初预算 100.00 万元，全年预算 105.00 万元，决算数 45.00 万元，完成全年预算的 42.86%，为年初预算的 45.00%')
    expect(r.stdout).toContain('其中人员经费 25.00 万元，公用经费 0.00 万元')
  })

  it('given the year, when the 决算 set is exported, then the workbook holds a sheet per 决算 table and a single table exports as CSV', async () => {
    const out = join(db.dir, 'final.xlsx')
    const r = await run('export', '--table', 'final', '--out', out)
    expect(r.stdout).toBe(`wrote all ${FINAL_TABLES.length} 决算 tables of ${UNIT} 2021 as XLSX to ${out}\n`)
    const wb = await readWorkbook(readFileSync(out))
    expect(wb.worksheets.map((w) => w.name)).toEqual([...FINAL_TABLES.map((t) => sheetName(t)), '情况说明'])
    const csv = await run('export', '--table', 'F6', '--format', 'csv')
    expect(csv.stdout).toContain('一般公共预算财政拨款基本支出决算表')
    expect(csv.stdout).toContain('30101,基本工资,25.00')
  })

  it('given an unknown 决算 table, when it is asked for, then the refusal lists both sets', async () => {
    const r = await run('table', 'F99')
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('no table "F99": use a number 1-11 (预算), F1-F9 (决算) or an id')
  })

  it('given the built CLI, when `table F4` runs as a process, then it prints the 财政拨款收入支出决算总表', () => {
    const bin = join(packageRoot(), 'dist', 'src', 'cli', 'main.js')
    expect(existsSync(bin), 'npm run build first').toBe(true)
    const p = spawnSync(process.execPath, [bin, '--db', db.path, 'table', 'F4'], { encoding: 'utf8' })
    expect(p.status).toBe(0)
    expect(p.stdout).toMatch(/^财政拨款收入支出决算总表\n/)
    expect(p.stdout).toMatch(/本年收入合计\s+105\.00/)
  })
})

describe('the 决算 set over HTTP', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer()
    await buildYear(t.store)
  })
  afterAll(async () => {
    expect(t.logged).toEqual([])
    await t.close()
  })
  const bytesOf = async (path: string) => {
    const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${TOKENS.dashboard}` } })
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
  }

  it('given the year, when /final-tables is listed, then every 决算 table is there with its address', async () => {
    const r = await t.request('GET', `${PATH}/final-tables`, { token: 'dashboard' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual(FINAL_TABLES.map((x) => ({ number: x.number, code: `F${x.number}`, id: x.id, title: x.title, href: `${PATH}/final-tables/${x.id}` })))
  })

  it('given the year, when a 决算 table is read by number, id and as of a business date, then the JSON is the CLI’s', async () => {
    const byNumber = await t.request('GET', `${PATH}/final-tables/5`, { token: 'dashboard' })
    expect(byNumber.status).toBe(200)
    expect(byNumber.body.rows[0]).toEqual(['', '合计', '100.00', '105.00', '45.00', '25.00', '20.00', '42.86%', '45.00%'])
    expect((await t.request('GET', `${PATH}/final-tables/final-general-budget-expenditure`, { token: 'dashboard' })).body).toEqual(byNumber.body)
    const mid = await t.request('GET', `${PATH}/final-tables/F3?effective=2021-09-30`, { token: 'dashboard' })
    expect(mid.body.rows[0].slice(2)).toEqual(['35.00', '15.00', '20.00', '0.00', '0.00', '0.00'])
    const missing = await t.request('GET', `${PATH}/final-tables/12`, { token: 'dashboard' })
    expect(missing.status).toBe(404)
    expect(missing.body.detail).toContain('1 final-income-expenditure-summary')
  })

  it('given the year, when 决算 tables are downloaded, then CSV and XLSX carry the 决算 names and figures, and the 决算 workbook has every table', async () => {
    const csv = await bytesOf(`${PATH}/final-tables/6.csv`)
    expect(csv.status).toBe(200)
    expect(decodeURIComponent(csv.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe(`${UNIT}-2021-决算表6-一般公共预算财政拨款基本支出决算表.csv`)
    expect(csv.bytes.toString('utf8')).toContain('30101,基本工资,25.00')
    const xlsx = await bytesOf(`${PATH}/final-tables/final-general-budget-expenditure.xlsx`)
    expect(xlsx.headers.get('content-disposition')).toContain(`filename="${UNIT}-2021-final-table-5.xlsx"`)
    const ws = (await readWorkbook(xlsx.bytes)).worksheets[0]!
    expect(ws.getCell(1, 1).value).toBe('一般公共预算财政拨款支出决算表')
    expect([ws.getCell('E3').value, ws.getCell('E4').value, ws.getCell('F4').value]).toEqual(['决算数', '合计', '基本支出'])
    expect(ws.getCell('C5').value).toBe(100)
    expect(ws.getCell('H5').value).toBeCloseTo(0.4286, 10)
    const book = await bytesOf(`${PATH}/final-workbook.xlsx`)
    expect(decodeURIComponent(book.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe(`${UNIT}-2021-部门决算.xlsx`)
    expect((await readWorkbook(book.bytes)).worksheets.map((w) => w.name)).toEqual([...FINAL_TABLES.map((x) => sheetName(x)), '情况说明'])
  })

  it('given the API description, when it is read, then it names the 决算 operations', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId))
    expect(ops).toEqual(expect.arrayContaining(['listFinalTables', 'getFinalTable', 'getFinalReport', 'exportFinalTableCsv', 'exportFinalTableXlsx', 'exportFinalWorkbook']))
  })
})

describe('the 决算 catalogue drives every shell', () => {
  /** A province's extra table, added as one catalogue entry. */
  const extra: TableProjection = {
    id: 'final-project-expenditure',
    number: FINAL_TABLES.length + 1,
    title: '项目支出决算表',
    set: 'final',
    render(s) {
      const spent = [...s.lines.values()].filter((l) => l.kind === 'project').reduce((a, l) => a.plus(spentOf(l)), ZERO)
      return { ...tableHeading(this, s), parts: [{ name: 'p', columns: [{ label: '项目', kind: 'text' }, { label: '决算数', kind: 'amount' }], rows: [{ cells: ['合计', spent] }] }], totals: { total: spent } }
    },
  }
  let t: TestServer
  beforeAll(async () => {
    ;(FINAL_TABLES as TableProjection[]).push(extra)
    t = await startServer()
    await buildYear(t.store)
  })
  afterAll(async () => {
    ;(FINAL_TABLES as TableProjection[]).splice(FINAL_TABLES.indexOf(extra), 1)
    await t.close()
  })

  it('given one more table in the catalogue, when the CLI, the HTTP API and the workbook are asked, then each offers it', async () => {
    const code = `F${extra.number}`
    const list = await t.request('GET', `${PATH}/final-tables`, { token: 'dashboard' })
    expect(list.body.at(-1)).toMatchObject({ code, id: extra.id, title: '项目支出决算表' })
    expect((await t.request('GET', `${PATH}/final-tables/${extra.number}`, { token: 'dashboard' })).body.rows).toEqual([['合计', '20.00']])
    const printed = await cli(['--db', t.dbPath, 'table', code, '--format', 'json'])
    expect(JSON.parse(printed.stdout)).toMatchObject({ id: extra.id, rows: [['合计', '20.00']] })
    const res = await fetch(`${t.url}${PATH}/final-workbook.xlsx`, { headers: { authorization: `Bearer ${TOKENS.auditor}` } })
    const wb = await readWorkbook(Buffer.from(await res.arrayBuffer()))
    expect(wb.worksheets.at(-2)!.name).toBe(sheetName(extra))
  })
})
