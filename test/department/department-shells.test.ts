import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FINAL_TABLES, TABLES } from '../../projections'
import type { TableJson } from '../../projections/render'
import { packageRoot } from '../../src/package-root'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { cli } from '../support/shells/cli'
import { DEPARTMENT, DEPARTMENT_PATH, buildDepartment, expectConsistentDepartment } from '../support/years/department'
import { TOKENS, type TestServer, startServer } from '../support/shells/http'
import { csvTableRows, readWorkbook, sheetTableRows, shownRows } from '../support/shells/downloaded'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The department of test/support/years/department.ts (three units, hand-computed there) through the
 * shells: the CLI's --department (in-process and the built binary) and HTTP /api/departments, on
 * a real SQLite file, now and at a time point.
 */
const rowOf = (t: TableJson, label: string) => t.rows.find((r) => r.includes(label))!

describe('a department on the command line (--department)', () => {
  const db = tempDb('ledger-department-cli-')
  beforeAll(async () => {
    const store = new SqliteEventStore(db.path)
    await buildDepartment(store)
    await expectConsistentDepartment(store, DEPARTMENT.code, 2021)
    await store.close()
  })
  afterAll(() => db.remove())
  const run = (...args: string[]) => cli(['--db', db.path, ...args])
  const tableJson = async (...args: string[]) => {
    const r = await run('table', ...args, '--format', 'json')
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as TableJson
  }

  it('given three units, when `table F1 --department` is printed, then its 本年支出 is the units’ added up (29.00 + 22.00 + 1.00 = 52.00 万元)', async () => {
    const units = await Promise.all(['900501', '900502', '900503'].map((u) => tableJson('F1', '--unit', u)))
    expect(units.map((t) => rowOf(t, '本年支出合计').at(-1))).toEqual(['29.00', '22.00', '1.00'])
    const department = await tableJson('F1', '--department', '900500')
    expect(department).toMatchObject({ id: 'final-income-expenditure-summary', unitCode: '900500', unitName: '合并测试部门', year: 2021 })
    expect(rowOf(department, '本年支出合计').at(-1)).toBe('52.00')
    const text = await run('table', '1', '--department', '900500')
    expect(text.stdout).toMatch(/^部门收支总体情况表\n部门名称：合并测试部门（900500）  年度：2021  单位：万元/)
  })

  it('given the department, when it is read at a business date before the spending, then every member is read at that date', async () => {
    const t = await tableJson('F1', '--department', '900500', '--effective', '2021-05-31')
    expect(rowOf(t, '本年支出合计').at(-1)).toBe('0.00')
  })

  it('given the department, when `indicators --department` is asked, then 预算执行率 is 59.09% (recomputed, not the 51.23% average)', async () => {
    const r = await run('indicators', '--department', '900500', '--format', 'json')
    expect(r.code, r.stderr).toBe(0)
    const execution = (JSON.parse(r.stdout) as { indicators: Array<{ id: string; value: string }> }).indicators.find((i) => i.id === 'budget-execution')!
    expect(execution.value).toBe('59.09')
    const text = await run('indicators', '--department', '900500')
    expect(text.stdout).toContain('合并测试部门（900500）')
    expect(text.stdout).toMatch(/预算执行率\s+对调整后预算 \*.*59\.09%/)
  })

  it('given the department, when `report --final --department` is asked, then the 决算 情况说明 is the department’s', async () => {
    const r = await run('report', '--final', '--department', '900500')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('合并测试部门 2021 年度部门决算情况说明')
  })

  it('given the department, when the whole budget is exported, then the workbook has the eleven tables and no budget file (no unit’s file to import back)', async () => {
    const out = join(db.dir, 'department.xlsx')
    const r = await run('export', '--table', 'all', '--department', '900500', '--out', out)
    expect(r.stdout).toBe(`wrote all ${TABLES.length} tables of department 900500 2021 as XLSX to ${out}\n`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer)
    expect(wb.worksheets).toHaveLength(TABLES.length)
    const csv = await run('export', '--table', 'F1', '--format', 'csv', '--department', '900500')
    expect(csv.stdout).toContain('合并测试部门（900500）')
  })

  it('given --unit and --department together, or a department no unit names, then each is refused, naming the choice', async () => {
    const both = await run('table', '1', '--unit', '900501', '--department', '900500')
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--unit and --department: give one')
    const unknown = await run('table', '1', '--department', '999999')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no department 999999 in this ledger')
    expect(unknown.stderr).toContain('--department 900500 --year 2021  (合并测试部门: 3 units)')
  })

  it('given the built CLI, when `table F1 --department` runs as a process, then it prints the consolidated table', () => {
    const bin = join(packageRoot(), 'dist', 'src', 'cli', 'main.js')
    expect(existsSync(bin), 'npm run build first').toBe(true)
    const p = spawnSync(process.execPath, [bin, '--db', db.path, 'table', 'F1', '--department', '900500'], { encoding: 'utf8' })
    expect(p.status, p.stderr).toBe(0)
    expect(p.stdout).toMatch(/^收入支出决算总表\n部门名称：合并测试部门（900500）/)
  })
})

describe('a department over HTTP (/api/departments)', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer()
    await buildDepartment(t.store)
  })
  afterAll(async () => {
    expect(t.logged).toEqual([])
    await t.close()
  })

  it('given three units, when /api/departments is read, then the department lists its units, 本级 first', async () => {
    const r = await t.request('GET', '/api/departments', { token: 'dashboard' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual([
      {
        code: '900500',
        name: '合并测试部门',
        years: [{ year: 2021, units: [{ unit: '900501', name: '合并测试部门本级', role: 'own' }, { unit: '900502', name: '所属单位甲', role: 'subordinate' }, { unit: '900503', name: '所属单位乙', role: 'subordinate' }] }],
      },
    ])
  })

  it('given the department, when its tables are listed, then both sets are there with the department’s addresses', async () => {
    const budget = await t.request('GET', `${DEPARTMENT_PATH}/tables`, { token: 'auditor' })
    expect(budget.body.map((x: { href: string }) => x.href)).toEqual(TABLES.map((x) => `${DEPARTMENT_PATH}/tables/${x.id}`))
    const final = await t.request('GET', `${DEPARTMENT_PATH}/final-tables`, { token: 'finance' })
    expect(final.body.map((x: { code: string }) => x.code)).toEqual(FINAL_TABLES.map((x) => `F${x.number}`))
  })

  it('given the department, when a table is read now and at a business date, then it is the consolidated one, revalidated by its ETag', async () => {
    const now = await t.request('GET', `${DEPARTMENT_PATH}/final-tables/F1`, { token: 'dashboard' })
    expect(now.status).toBe(200)
    expect(rowOf(now.body as TableJson, '本年支出合计').at(-1)).toBe('52.00')
    const etag = now.headers.get('etag')!
    expect(etag).toBe('"900501.5-900502.4-900503.4"')
    expect((await t.request('GET', `${DEPARTMENT_PATH}/final-tables/F1`, { token: 'dashboard', headers: { 'if-none-match': etag } })).status).toBe(304)
    const before = await t.request('GET', `${DEPARTMENT_PATH}/final-tables/F1?effective=2021-05-31`, { token: 'dashboard' })
    expect(rowOf(before.body as TableJson, '本年支出合计').at(-1)).toBe('0.00')
    const t1 = await t.request('GET', `${DEPARTMENT_PATH}/tables/1`, { token: 'dashboard' })
    expect(t1.body).toMatchObject({ unitCode: '900500', unitName: '合并测试部门' })
  })

  it('given the department, when its indicators are read, then 预算执行率 is 59.09%', async () => {
    const r = await t.request('GET', `${DEPARTMENT_PATH}/indicators`, { token: 'dashboard' })
    expect(r.status).toBe(200)
    expect(r.body.indicators.find((i: { id: string }) => i.id === 'budget-execution').value).toBe('59.09')
  })

  it('given a department no unit names, or a year before any member opened, then 404 with a problem saying so', async () => {
    const none = await t.request('GET', '/api/departments/999999/years/2021/tables/1', { token: 'dashboard' })
    expect(none.status).toBe(404)
    expect(none.body.detail).toBe('no budget year 2021 for department 999999 in this ledger')
    const early = await t.request('GET', `${DEPARTMENT_PATH}/indicators?asOf=2021-01-01`, { token: 'dashboard' })
    expect(early.status).toBe(404)
    expect(early.body.detail).toBe('no budget year 2021 for department 900500 at that point in time')
  })

  const bytesOf = async (path: string) => {
    const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${TOKENS.dashboard}` } })
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
  }
  const fileName = (headers: Headers) => decodeURIComponent(headers.get('content-disposition')!.split("UTF-8''")[1]!)

  it('given the department, when one table is downloaded as CSV and XLSX, now and at a business date, then each reads back as the department’s JSON table', async () => {
    for (const [address, query] of [['tables/1', ''], ['final-tables/F1', ''], ['final-tables/F1', '?effective=2021-05-31']] as const) {
      const json = (await t.request('GET', `${DEPARTMENT_PATH}/${address}${query}`, { token: 'dashboard' })).body as TableJson
      const csv = await bytesOf(`${DEPARTMENT_PATH}/${address}.csv${query}`)
      expect(csv.status).toBe(200)
      expect(csvTableRows(csv.bytes.toString('utf8'))).toEqual(shownRows(json.rows))
      const xlsx = await bytesOf(`${DEPARTMENT_PATH}/${address}.xlsx${query}`)
      expect(xlsx.status).toBe(200)
      expect(sheetTableRows((await readWorkbook(xlsx.bytes)).worksheets[0]!, json)).toEqual(shownRows(json.rows))
    }
    const csv = await bytesOf(`${DEPARTMENT_PATH}/tables/1.csv`)
    expect(fileName(csv.headers)).toBe('900500-2021-表1-部门收支总体情况表.csv')
    expect(csv.headers.get('x-ledger-revision')).toBeNull()
    expect(csv.bytes.toString('utf8')).toContain('部门名称：合并测试部门（900500）')
  })

  it('given the department, when its 预算 and 决算 workbooks are downloaded, then every sheet reads back as the department’s JSON table, and the 预算 workbook carries no budget file', async () => {
    for (const [book, list, name] of [['workbook.xlsx', 'tables', '部门预算'], ['final-workbook.xlsx', 'final-tables', '部门决算']] as const) {
      const file = await bytesOf(`${DEPARTMENT_PATH}/${book}`)
      expect(file.status).toBe(200)
      expect(fileName(file.headers)).toBe(`900500-2021-${name}.xlsx`)
      const wb = await readWorkbook(file.bytes)
      const tables = (await t.request('GET', `${DEPARTMENT_PATH}/${list}`, { token: 'dashboard' })).body as Array<{ href: string }>
      // The 决算 workbook ends with its 情况说明, as the published 部门决算 does.
      expect(wb.worksheets.map((w) => w.name).slice(tables.length)).toEqual(list === 'final-tables' ? ['情况说明'] : [])
      for (const [i, entry] of tables.entries()) {
        const json = (await t.request('GET', entry.href, { token: 'dashboard' })).body as TableJson
        expect(sheetTableRows(wb.worksheets[i]!, json), entry.href).toEqual(shownRows(json.rows))
      }
    }
  })

  it('given a department no unit names, when its download is asked for, then 404 names the department and nothing is sent', async () => {
    const none = await t.request('GET', '/api/departments/999999/years/2021/workbook.xlsx', { token: 'dashboard' })
    expect(none.status).toBe(404)
    expect(none.body.detail).toBe('no budget year 2021 for department 999999 in this ledger')
  })

  it('given the OpenAPI document, then it describes the department reads', async () => {
    const paths = Object.keys((await t.request('GET', '/openapi.json')).body.paths)
    expect(paths).toEqual(expect.arrayContaining(['/api/departments', '/api/departments/{department}/years/{year}/tables/{table}', '/api/departments/{department}/years/{year}/final-tables/{table}', '/api/departments/{department}/years/{year}/indicators', '/api/departments/{department}/years/{year}/tables/{table}.csv', '/api/departments/{department}/years/{year}/final-tables/{table}.xlsx', '/api/departments/{department}/years/{year}/workbook.xlsx', '/api/departments/{department}/years/{year}/final-workbook.xlsx']))
  })
})
