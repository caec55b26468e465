import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import * as E from 'fp-ts/Either'
import { beforeAll, describe, expect, it } from 'vitest'
import { FINAL_TABLES } from '../../../projections'
import type { Command } from '../../../src/domain/events/commands'
import { sheetName } from '../../../src/export/xlsx'
import { ledgerDeps } from '../../../src/ledger/deps'
import { recordCommand } from '../../../src/ledger/recording/record'
import type { EventStore } from '../../../src/store/port'
import { cli } from '../../support/shells/cli'
import { fits } from '../../support/shells/json-schema'
import { DEPARTMENT, DEPARTMENT_PATH, buildDepartment } from '../../support/years/department'
import { TOKENS, serverForTests } from '../../support/shells/http'
import { PATH, UNIT, buildYear } from '../../support/years/final-year'

/**
 * The 情况说明 (预算 and 决算) over HTTP and in the 决算 workbook, against the CLI's, on a real
 * server over a real SQLite file: the year of test/support/years/final-year.ts (2021), the next year
 * opened on 2021-12-01, and a late 2021 expenditure recorded on 2021-12-20, after that opening,
 * so the 决算 情况说明 of 2022 compares with a different 2021 as of 2021-12-10 than now.
 */
const NEXT = `/api/units/${UNIT}/years/2022`
const actor = { name: 'tester', role: 'finance' }

const recordedOn = (day: string) => ({ now: () => new Date(`${day}T04:00:00Z`) })

/** 2022 opened, empty, recorded on 2021-12-01 (as `open-year` would, on that day). */
const openNextYear = async (store: EventStore) => {
  const c = { type: 'OpenBudgetYear', data: { unit: { code: UNIT, name: '决算测试单位' }, year: 2022, unitType: 'administrative', previousYear: {} } } as Command
  const r = await recordCommand(ledgerDeps(store, recordedOn('2021-12-01')), { unit: UNIT, year: 2022 }, c, { reason: '开账', document: null, effectiveDate: '2021-12-01' }, actor)
  expect(E.isRight(r)).toBe(true)
}

const spend2021 = async (store: EventStore, amount: string, effectiveDate: string, now?: { now: () => Date }) => {
  const c = { type: 'RecordExpenditure', data: { line: 'basic', amount, economicCode: '30101', voucher: `V-late-${amount}`, threePublic: null, procurement: null } } as Command
  const r = await recordCommand(ledgerDeps(store, now ?? {}), { unit: UNIT, year: 2021 }, c, { reason: 'late', document: null, effectiveDate }, actor)
  expect(E.isRight(r)).toBe(true)
}

type Item = { item: string; previous: string | null; current: string }
const lastYearItem = (body: { lastYear: { items: Item[] } }, item: string) => body.lastYear.items.find((i) => i.item === item)

describe('the 情况说明 over HTTP', () => {
  const t = serverForTests()
  beforeAll(async () => {
    await buildYear(t.store)
    await openNextYear(t.store)
    await spend2021(t.store, '50000.00', '2021-12-15', recordedOn('2021-12-20'))
    await buildDepartment(t.store)
  })
  const run = (...args: string[]) => cli(['--db', t.dbPath, ...args])
  const cliJson = async (...args: string[]) => {
    const r = await run('report', '--format', 'json', ...args)
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout)
  }

  it('given the year and the next, when /final-report is read, then the JSON is the CLI’s `report --final --format json`, the next year compared with the ledger’s own', async () => {
    for (const [path, year] of [[PATH, '2021'], [NEXT, '2022']] as const) {
      const r = await t.request('GET', `${path}/final-report`, { token: 'dashboard' })
      expect(r.status).toBe(200)
      expect(r.contentType).toMatch(/^application\/json/)
      expect(r.body).toEqual(await cliJson('--final', '--unit', UNIT, '--year', year))
    }
    const next = (await t.request('GET', `${NEXT}/final-report`, { token: 'dashboard' })).body
    // as /openapi.json describes it
    const doc = (await t.request('GET', '/openapi.json')).body
    const schema = doc.paths['/api/units/{unit}/years/{year}/final-report'].get.responses['200'].content['application/json'].schema
    expect(fits(schema, next, doc.components.schemas)).toBe(true)
    expect(fits(schema, (await t.request('GET', `${PATH}/report`, { token: 'dashboard' })).body, doc.components.schemas)).toBe(true)
    expect(fits(schema, { ...next, lastYear: { ...next.lastYear, source: 'guessed' } }, doc.components.schemas)).toBe(false)
    expect([next.lastYear.source, next.unit, next.year]).toEqual(['ledger', UNIT, 2022])
    // 2021: 450,000.00 + the late 50,000.00
    expect(lastYearItem(next, 'yearExpenditure')).toMatchObject({ current: '0.00', previous: '50.00' })
    expect(next.text).toContain('  本年支出 0.00 万元，比 2021 年度减少 50.00 万元，下降 100.00%。')
  })

  it('given the year, when /report is read, then the 预算 情况说明 is its text in JSON, the CLI’s, and with Accept: text/plain the text itself', async () => {
    const r = await t.request('GET', `${PATH}/report`, { token: 'auditor' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ unit: UNIT, year: 2021, amountUnit: '万元', text: expect.stringContaining('决算测试单位') })
    expect(r.body).toEqual(await cliJson('--unit', UNIT, '--year', '2021'))
    const printed = await run('report', '--unit', UNIT, '--year', '2021')
    expect(r.body.text).toBe(printed.stdout)
    const plain = await t.request('GET', `${PATH}/report`, { token: 'auditor', headers: { accept: 'text/plain' } })
    expect(plain.contentType).toBe('text/plain; charset=utf-8')
    expect(plain.body).toBe(printed.stdout)
    const finalPlain = await t.request('GET', `${NEXT}/final-report`, { token: 'finance', headers: { accept: 'text/plain, application/json;q=0.5' } })
    expect(finalPlain.contentType).toBe('text/plain; charset=utf-8')
    expect(finalPlain.body).toBe((await run('report', '--final', '--unit', UNIT, '--year', '2022')).stdout)
  })

  it('given the late 2021 expenditure, when 2022’s /final-report is read as of 2021-12-10, then last year is compared as it stood then, as the CLI does', async () => {
    const then = await t.request('GET', `${NEXT}/final-report?asOf=2021-12-10`, { token: 'dashboard' })
    expect(then.status).toBe(200)
    expect(lastYearItem(then.body, 'yearExpenditure')).toMatchObject({ previous: '45.00' })
    expect(then.body).toEqual(await cliJson('--final', '--unit', UNIT, '--year', '2022', '--as-of', '2021-12-10'))
    // an as-of read has no ETag, like the tables
    expect(then.headers.get('etag')).toBeNull()
    const mid = await t.request('GET', `${PATH}/final-report?effective=2021-09-30`, { token: 'dashboard' })
    expect(mid.body.text).toContain('决算数 35.00 万元')
    expect(mid.body).toEqual(await cliJson('--final', '--unit', UNIT, '--year', '2021', '--effective', '2021-09-30'))
    const before = await t.request('GET', `${NEXT}/final-report?asOf=2021-06-30`, { token: 'dashboard' })
    expect(before.status).toBe(404)
    const bad = await t.request('GET', `${NEXT}/final-report?asOf=yesterday-ish`, { token: 'dashboard' })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe('asOf')
  })

  it('given the department, when its /report and /final-report are read, then they are the CLI’s `--department` ones, its units consolidated', async () => {
    const fin = await t.request('GET', `${DEPARTMENT_PATH}/final-report`, { token: 'dashboard' })
    expect(fin.status).toBe(200)
    expect(fin.body).toEqual(await cliJson('--final', '--department', DEPARTMENT.code, '--year', '2021'))
    // 290,000.00 + 220,000.50 + 10,000.00 spent across the three units
    expect(fin.body.text).toContain('本年支出 52.00 万元')
    const budget = await t.request('GET', `${DEPARTMENT_PATH}/report`, { token: 'dashboard' })
    expect(budget.body).toEqual(await cliJson('--department', DEPARTMENT.code, '--year', '2021'))
    expect((await t.request('GET', '/api/departments/900999/years/2021/final-report', { token: 'dashboard' })).status).toBe(404)
  })

  it('given a read, when it is asked again with its ETag, then 304; when last year changes (this year does not), then the 决算 情况说明 is read afresh', async () => {
    const first = await t.request('GET', `${NEXT}/final-report`, { token: 'dashboard' })
    const tag = first.headers.get('etag')!
    expect(tag).toMatch(/^"[^"]+"$/)
    expect(first.headers.get('vary')).toMatch(/accept/i)
    const again = await t.request('GET', `${NEXT}/final-report`, { token: 'dashboard', headers: { 'if-none-match': tag } })
    expect(again.status).toBe(304)
    const plain = await t.request('GET', `${NEXT}/final-report`, { token: 'dashboard', headers: { accept: 'text/plain', 'if-none-match': tag } })
    expect(plain.status, 'the text is another representation: another tag').toBe(200)
    expect(plain.headers.get('etag')).not.toBe(tag)

    const thisYear = await t.request('GET', `${NEXT}/final-tables/F1`, { token: 'dashboard' })
    await spend2021(t.store, '10000.00', '2021-12-16')
    // 2022 itself did not change: its tables answer 304 still, its 决算 情况说明 does not
    expect((await t.request('GET', `${NEXT}/final-tables/F1`, { token: 'dashboard', headers: { 'if-none-match': thisYear.headers.get('etag')! } })).status).toBe(304)
    const after = await t.request('GET', `${NEXT}/final-report`, { token: 'dashboard', headers: { 'if-none-match': tag } })
    expect(after.status).toBe(200)
    expect(lastYearItem(after.body, 'yearExpenditure')).toMatchObject({ previous: '51.00' })
    expect(after.headers.get('etag')).not.toBe(tag)
  })
})

describe('the 情况说明 in the 决算 workbook', () => {
  const t = serverForTests()
  beforeAll(() => buildYear(t.store))
  const readBook = async (bytes: Buffer) => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    return wb
  }
  /** The 情况说明 sheet's first column, row by row. */
  const reportRows = (wb: ExcelJS.Workbook) => {
    const ws = wb.getWorksheet('情况说明')
    expect(ws, 'a 情况说明 sheet').toBeDefined()
    const rows: string[] = []
    ws!.eachRow((row) => rows.push(String(row.getCell(1).value)))
    return rows
  }
  /** The text's paragraphs: one per non-empty line, without the indent. */
  const paragraphs = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '')

  it('given the year, when the 决算 workbook is downloaded, then after the 决算 tables a 情况说明 sheet holds the text, one paragraph per row', async () => {
    const res = await fetch(`${t.url}${PATH}/final-workbook.xlsx`, { headers: { authorization: `Bearer ${TOKENS.dashboard}` } })
    expect(res.status).toBe(200)
    const wb = await readBook(Buffer.from(await res.arrayBuffer()))
    expect(wb.worksheets.map((w) => w.name)).toEqual([...FINAL_TABLES.map((x) => sheetName(x)), '情况说明'])
    const text = (await t.request('GET', `${PATH}/final-report`, { token: 'dashboard' })).body.text as string
    expect(reportRows(wb)).toEqual(paragraphs(text))
    expect(reportRows(wb)).toContain('年初预算 100.00 万元，全年预算 105.00 万元，决算数 45.00 万元，完成全年预算的 42.86%，为年初预算的 45.00%。决算数与年初预算的差异来自年中追加、追减、调剂与年初结转和结余。')
    const ws = wb.getWorksheet('情况说明')!
    expect(ws.getCell('A1').font?.bold).toBe(true)
    expect(ws.getCell('A3').alignment?.wrapText).toBe(true)
  })

  it('given the year, when the 决算 workbook is downloaded as of a business date, then the sheet says the moment and shows the text of then', async () => {
    const res = await fetch(`${t.url}${PATH}/final-workbook.xlsx?effective=2021-09-30`, { headers: { authorization: `Bearer ${TOKENS.dashboard}` } })
    const rows = reportRows(await readBook(Buffer.from(await res.arrayBuffer())))
    expect(rows[1]).toMatch(/^数据时点：/)
    expect(rows.join('\n')).toContain('决算数 35.00 万元')
  })

  it('given the year, when `export --table final` writes the workbook, then it has the same 情况说明 sheet as the CLI’s `report --final`', async () => {
    const out = join(t.dbPath, '..', 'final-report.xlsx')
    const r = await cli(['--db', t.dbPath, 'export', '--table', 'final', '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const printed = await cli(['--db', t.dbPath, 'report', '--final'])
    expect(reportRows(await readBook(readFileSync(out)))).toEqual(paragraphs(printed.stdout))
  })
})
