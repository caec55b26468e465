import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { cellsOf } from '../../projections/audit/table-diff'
import { explainDepartmentCell, explainTableCell } from '../../src/ledger/reports/audit'
import { departmentYearAt } from '../../src/ledger/reports/department'
import { renderTable } from '../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { cliProcess } from '../support/shells/cli'
import { type Schema, fits } from '../support/shells/json-schema'
import { DEPARTMENT, DEPARTMENT_PATH, MEMBERS, departmentLedger, departmentServer } from '../support/years/department'

/**
 * `explain --department`: a cell of a department's consolidated (合并) table, as the sum of its
 * units' cells, each unit's part its own explain (the department of test/support/years/department.ts,
 * three units, hand-computed there). Table 3 (一般公共预算支出表) reads every unit's lines.
 */
const catalogue = bundledCatalogue()

interface OpenApi {
  paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: Schema }> }> } }>
  components: { schemas: Record<string, unknown> }
}

describe('a consolidated cell explained, cell by cell', () => {
  const ledger = departmentLedger('ledger-department-explain-')

  it('given every non-blank cell of the department’s table 3, when it is explained, then its units’ parts add up to it and each part is that unit’s own explain', async () => {
    const { state } = await departmentYearAt(ledger.store, DEPARTMENT.code, 2021)
    const cells = cellsOf(renderTable(state, '3', catalogue, { unit: DEPARTMENT.code, year: 2021 })).filter((c) => c.text !== '')
    expect(cells.filter((c) => c.kind === 'amount').length).toBeGreaterThan(10)
    for (const c of cells) {
      const where = `${c.rowKey} / ${c.columnLabel}`
      const a = await explainDepartmentCell(ledger.store, { department: DEPARTMENT.code, year: 2021 }, '3', { row: c.rowKey, column: String(c.column) }, {}, catalogue)
      expect(a.cell, where).toEqual(c)
      expect([...a.parts.map((p) => p.unit), ...a.absent].sort(), where).toEqual([...MEMBERS])
      expect(a.parts.map((p) => p.unit), where).toEqual(MEMBERS.filter((u) => !a.absent.includes(u)))
      if (c.kind === 'amount') {
        expect(a.parts.reduce((s, p) => s.plus(p.total!), new Decimal(0)).toFixed(2), where).toBe(a.total)
        expect(new Decimal(a.total!).div(10000).toFixed(2), where).toBe(c.text)
      } else expect(a.total, where).toBeNull()
      for (const p of a.parts) {
        const own = await explainTableCell(ledger.store, { unit: p.unit, year: 2021 }, '3', { row: p.cell.rowKey, column: String(p.cell.column) }, {}, catalogue)
        expect(p, `${where} of ${p.unit}`).toEqual(own)
      }
    }
  })

  it('given the 2010602 project row, when its 合计 is explained, then it is 20.00 + 10.00 + 8.00 万元 each from its unit’s allocation, 本级 first', async () => {
    const a = await explainDepartmentCell(ledger.store, { department: DEPARTMENT.code, year: 2021 }, '3', { row: '2010602', column: '合计' }, {}, catalogue)
    expect(a.total).toBe('380000.50')
    expect(a.parts.map((p) => [p.unit, p.total, p.events.map((e) => e.type)])).toEqual([
      ['900501', '200000.00', ['LineAllocated']],
      ['900502', '100000.50', ['LineAllocated']],
      ['900503', '80000.00', ['LineAllocated']],
    ])
  })

  it('given table 11, whose project rows name their unit, when the department’s 资金总额 is explained, then each unit’s part is its own row (named by that unit), adding up to 38.00 万元', async () => {
    const a = await explainDepartmentCell(ledger.store, { department: DEPARTMENT.code, year: 2021 }, '11', { row: `${DEPARTMENT.code} ${DEPARTMENT.name}`, column: '资金总额' }, {}, catalogue)
    expect(a.total).toBe('380000.50')
    expect(a.absent).toEqual([])
    expect(a.parts.map((p) => [p.unit, p.cell.rowKey, p.total])).toEqual([
      ['900501', '900501 合并测试部门本级', '200000.00'],
      ['900502', '900502 所属单位甲', '100000.50'],
      ['900503', '900503 所属单位乙', '80000.00'],
    ])
    for (const p of a.parts)
      expect(p).toEqual(await explainTableCell(ledger.store, { unit: p.unit, year: 2021 }, '11', { row: p.cell.rowKey, column: '资金总额' }, {}, catalogue))
  })
})

describe('a consolidated cell explained by the CLI and over HTTP', () => {
  const server = departmentServer()
  const run = (...args: string[]) => cliProcess(['--db', server.t.dbPath, ...args])
  const query = `row=${encodeURIComponent('合计')}&column=${encodeURIComponent('合计')}`

  it('given the department’s table 3 合计, when `explain --department --format json` and …/tables/3/explain are asked, then both give the same JSON, the sum of the three units’', async () => {
    const r = await run('explain', '3', '--department', DEPARTMENT.code, '--year', '2021', '--row', '合计', '--column', '合计', '--format', 'json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const cli = JSON.parse(r.stdout)
    expect(cli).toMatchObject({ department: DEPARTMENT.code, year: 2021, total: '880000.50', absent: [] })
    expect(cli.parts.map((p: { unit: string; total: string }) => [p.unit, p.total])).toEqual([
      ['900501', '500000.00'],
      ['900502', '250000.50'],
      ['900503', '130000.00'],
    ])
    const http = await server.t.request('GET', `${DEPARTMENT_PATH}/tables/3/explain?${query}`, { token: 'auditor' })
    expect(http.status).toBe(200)
    expect(http.body).toEqual(cli)
    // as /openapi.json describes it
    const doc = (await server.t.request('GET', '/openapi.json')).body as OpenApi
    const schema = doc.paths['/api/departments/{department}/years/{year}/tables/{table}/explain']!.get.responses['200']!.content['application/json']!.schema
    expect(fits(schema, cli, doc.components.schemas)).toBe(true)
    expect(fits(schema, { ...cli, parts: [{ ...cli.parts[0], events: 'none' }] }, doc.components.schemas)).toBe(false)
  })

  it('given the same cell, when it is explained as text, then the units’ parts are aligned and labelled under the consolidated figure, then each unit’s events', async () => {
    const r = await run('explain', '3', '--department', DEPARTMENT.code, '--row', '合计', '--column', '合计')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^table 3 .*, department 900500 \(合并\), 2021: row \d+ "合计" column \d+ "合计" = 88\.00 万元\n/)
    expect(r.stdout).toContain(
      ["  = 880000.50 元, the sum of its units' cells:", '    unit 900501  500000.00 元  (2 event(s))', '    unit 900502  250000.50 元  (2 event(s))', '    unit 900503  130000.00 元  (2 event(s))'].join('\n'),
    )
    for (const u of MEMBERS) expect(r.stdout).toMatch(new RegExp(`\\ntable 3 .*, unit ${u}, 2021: row \\d+ "合计" column \\d+ "合计" = `))
  })

  it('given a business date before any budget, when the department is explained then, then it is refused as not open, as a unit is', async () => {
    const r = await run('explain', '3', '--department', DEPARTMENT.code, '--row', '合计', '--column', '合计', '--as-of', '2021-01-01')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('budget year 2021 of department 900500 was not open')
    expect(r.stdout).toBe('')
  })

  it('given a row the consolidated table does not have, then the CLI exits 2 and HTTP answers 404, each naming it, and nothing is written', async () => {
    const before = await server.t.eventCount()
    const r = await run('explain', '3', '--department', DEPARTMENT.code, '--row', '2990000', '--column', '合计')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('budget-ledger: table 3 has no row "2990000": give a row index (0-based, as in --format json) or a label of the row\n')
    expect(r.stdout).toBe('')
    const http = await server.t.request('GET', `${DEPARTMENT_PATH}/tables/3/explain?row=2990000&column=${encodeURIComponent('合计')}`, { token: 'auditor' })
    expect(http.status).toBe(404)
    expect((http.body as { detail: string }).detail).toBe('table 3 has no row "2990000": give a row index (0-based, as in --format json) or a label of the row')
    const column = await server.t.request('GET', `${DEPARTMENT_PATH}/tables/3/explain?row=${encodeURIComponent('合计')}&column=nope`, { token: 'auditor' })
    expect(column.status).toBe(404)
    expect((column.body as { detail: string }).detail).toMatch(/^row "合计" has no column "nope"/)
    const none = await server.t.request('GET', `/api/departments/999999/years/2021/tables/3/explain?${query}`, { token: 'auditor' })
    expect(none.status).toBe(404)
    expect((none.body as { detail: string }).detail).toBe('no budget year 2021 for department 999999 at that point in time')
    expect(await server.t.eventCount()).toBe(before)
  })
})
