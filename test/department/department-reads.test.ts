import { describe, expect, it } from 'vitest'
import { indicatorReport } from '../../projections/indicators/indicators'
import { departmentYearAt } from '../../src/ledger/reports/department'
import { explainIndicator } from '../../src/ledger/reports/indicators'
import { cli } from '../support/shells/cli'
import { DEPARTMENT, DEPARTMENT_PATH, departmentLedger, departmentServer } from '../support/years/department'

/**
 * The read commands that take --unit, with --department (the department of test/support/years/department.ts,
 * three units, hand-computed there): `indicators --explain` explains a consolidated rate from its
 * units' events; the reads of one unit's own stream refuse --department by name.
 */
describe('a department’s reads beyond the tables', () => {
  const ledger = departmentLedger('ledger-department-reads-')
  const run = (...args: string[]) => cli(['--db', ledger.path, ...args])

  it('given the department, when 预算执行率 is explained, then the numerator and denominator are the units’ summed (520,000.50 of 880,000.50) and each event names its unit', async () => {
    const d = await explainIndicator(ledger.store, { department: DEPARTMENT.code, year: 2021 }, 'budget-execution')
    const headline = d.variants[0]!
    expect([headline.numerator.total, headline.denominator.total]).toEqual(['520000.50', '880000.50'])
    expect(headline.numerator.parts).toEqual([
      { unit: '900501', total: '290000.00' },
      { unit: '900502', total: '220000.50' },
      { unit: '900503', total: '10000.00' },
    ])
    expect(headline.numerator.events.map((e) => `${e.unit} ${e.amount}`)).toEqual(['900501 240000.00', '900501 50000.00', '900502 120000.00', '900502 100000.50', '900503 10000.00'])
    expect([d.unit, d.unitName, d.consolidated]).toEqual([DEPARTMENT.code, DEPARTMENT.name, true])
  })

  it('given every indicator, then its explained totals are the figures the consolidated indicators show', async () => {
    const { state } = await departmentYearAt(ledger.store, DEPARTMENT.code, 2021)
    for (const i of indicatorReport(state).indicators) {
      const d = await explainIndicator(ledger.store, { department: DEPARTMENT.code, year: 2021 }, i.id)
      expect(d.variants.map((v) => [v.numerator.total, v.denominator.total]), i.id).toEqual(i.variants.map((v) => [v.numerator.value, v.denominator.value]))
    }
  })

  it('given `indicators --department --explain`, then it prints the summed sides with each unit’s part, and JSON for programs', async () => {
    const text = await run('indicators', '--department', DEPARTMENT.code, '--explain', '预算执行率')
    expect(text.stderr).toBe('')
    expect(text.stdout).toContain('合并测试部门（900500） 2021 年（合并）')
    expect(text.stdout).toContain('分子 支出 = 520,000.50 元 = 900501 290,000.00 + 900502 220,000.50 + 900503 10,000.00')
    expect(text.stdout).toMatch(/^\s+rev\s+单位\s+日期/m)
    const json = await run('indicators', '--department', DEPARTMENT.code, '--explain', 'budget-execution', '--format', 'json')
    expect(JSON.parse(json.stdout).variants[0].denominator.total).toBe('880000.50')
  })

  it('given --department on a read of one unit’s own log (line, history, diff), then each refuses naming --department and the units to use instead', async () => {
    for (const args of [
      ['line', 'p1'],
      ['history'],
      ['diff', 'F1', '--from', '2021-01-01'],
    ]) {
      const r = await run(...args, '--department', DEPARTMENT.code)
      expect(r.code, args[0]).toBe(2)
      expect(r.stderr, args[0]).toMatch(new RegExp(`^budget-ledger: --department: \`${args[0]}\` `))
      expect(r.stderr, args[0]).toContain('--unit 900501 --year 2021, --unit 900502 --year 2021, --unit 900503 --year 2021')
      expect(r.stdout).toBe('')
    }
  })
})

describe('a department’s indicator explained over HTTP', () => {
  const server = departmentServer()

  it('given the department, when …/indicators/预算执行率/events is read, then it is the CLI’s JSON: summed sides with each unit’s part; 404 for a department with no such year', async () => {
    const r = await server.t.request('GET', `${DEPARTMENT_PATH}/indicators/${encodeURIComponent('预算执行率')}/events`, { token: 'auditor' })
    expect(r.status).toBe(200)
    expect(r.body.consolidated).toBe(true)
    expect([r.body.variants[0].numerator.total, r.body.variants[0].denominator.total]).toEqual(['520000.50', '880000.50'])
    expect(r.body.variants[0].numerator.parts.map((p: { unit: string }) => p.unit)).toEqual(['900501', '900502', '900503'])
    const none = await server.t.request('GET', '/api/departments/999999/years/2021/indicators/budget-execution/events', { token: 'auditor' })
    expect(none.status).toBe(404)
    expect(none.body.detail).toBe('no budget year 2021 for department 999999 in this ledger')
  })
})
