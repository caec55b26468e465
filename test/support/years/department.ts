import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, expect } from 'vitest'
import { departmentProblems, ledgerProblems } from '../../../projections/consistency'
import type { Command } from '../../../src/domain/events/commands'
import { departmentYearAt } from '../../../src/ledger/reports/department'
import { ledgerDeps } from '../../../src/ledger/deps'
import { importBudgetFile } from '../../../src/ledger/recording/import-file'
import { recordCommand } from '../../../src/ledger/recording/record'
import { renderAllTables } from '../../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import type { EventStore } from '../../../src/store/port'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { type TestServer, startServer } from '../shells/http'
import { tempDb } from '../ledgers/temp-db'

/**
 * A department of three units for 2021 (元), hand-computed:
 *
 * | unit   | role        | type          | basic (2010601, 301)   | p1 (2010602)          | 上年 total  | 三公 公务接待 |
 * |--------|-------------|---------------|------------------------|-----------------------|-------------|---------------|
 * | 900501 | 本级 (own)  | administrative| 300,000.00 spent 240,000.00 | 200,000.00 spent 50,000.00   | 450,000.00 | 10,000.00 |
 * | 900502 | 所属单位    | institution   | 150,000.00 spent 120,000.00 | 100,000.50 spent 100,000.50  | 240,000.00 | —         |
 * | 900503 | 所属单位    | institution   |  50,000.00 spent  10,000.00 |  80,000.00 spent 0           | —          | 2,000.00  |
 *
 * Budget 500,000.00 + 250,000.50 + 130,000.00 = 880,000.50; spent 290,000.00 + 220,000.50 +
 * 10,000.00 = 520,000.50. 预算执行率: 58.00%, 88.00%, 7.69% (their average 51.23%), and the
 * department's 520,000.50 ÷ 880,000.50 = 59.09%.
 */
export const DEPARTMENT = { code: '900500', name: '合并测试部门' } as const
export const MEMBERS = ['900501', '900502', '900503'] as const
export const DEPARTMENT_PATH = `/api/departments/${DEPARTMENT.code}/years/2021`

const fileOf = (unit: string, name: string, role: 'own' | 'subordinate', unitType: string, basic: string, p1: string, extra: Record<string, unknown>) => ({
  format: 'budget-ledger/budget-year@1',
  unit: { code: unit, name },
  unitType,
  year: 2021,
  approvedOn: '2021-02-01',
  document: '测试〔2021〕1号',
  source: 'department test',
  department: { ...DEPARTMENT, role },
  lines: [
    { id: 'basic', kind: 'basic', basicCategory: 'personnel', functionCode: '2010601', economicCode: '301', fundSource: 'general.appropriation', amount: basic },
    { id: 'p1', kind: 'project', projectName: `${name}项目`, functionCode: '2010602', fundSource: 'general.appropriation', amount: p1 },
  ],
  ...extra,
})

export const FILES = [
  fileOf('900501', '合并测试部门本级', 'own', 'administrative', '300000.00', '200000.00', { previousYear: { total: '450000.00' }, earmarks: { 'threePublic.reception': '10000.00' } }),
  fileOf('900502', '所属单位甲', 'subordinate', 'institution', '150000.00', '100000.50', { previousYear: { total: '240000.00' } }),
  fileOf('900503', '所属单位乙', 'subordinate', 'institution', '50000.00', '80000.00', { earmarks: { 'threePublic.reception': '2000.00' } }),
]

const SPENDING: ReadonlyArray<readonly [unit: string, line: string, amount: string, economicCode: string]> = [
  ['900501', 'basic', '240000.00', '30101'],
  ['900501', 'p1', '50000.00', '30201'],
  ['900502', 'basic', '120000.00', '30101'],
  ['900502', 'p1', '100000.50', '30227'],
  ['900503', 'basic', '10000.00', '30101'],
]

const actor = { name: 'tester', role: 'finance' }

/** Records the three unit-years (budgets on 2021-02-01, spending recorded 2021-06-10, effective 2021-06-01). */
export const buildDepartment = async (store: EventStore) => {
  for (const file of FILES)
    expect(E.isRight(await importBudgetFile(ledgerDeps(store, { now: () => new Date('2021-02-01T04:00:00Z') }), file, actor))).toBe(true)
  for (const [unit, line, amount, economicCode] of SPENDING) {
    const c = { type: 'RecordExpenditure', data: { line, amount, economicCode, voucher: `V-${unit}-${line}`, threePublic: null, procurement: null } } as Command
    const r = await recordCommand(ledgerDeps(store, { now: () => new Date('2021-06-10T04:00:00Z') }), { unit, year: 2021 }, c, { reason: 'test', document: null, effectiveDate: '2021-06-01' }, actor)
    expect(E.isRight(r)).toBe(true)
  }
}

/**
 * The department check: every table of the department, 预算 and 决算, foots and agrees with the
 * others, and its totals are the sums of its units' (projections/consistency.ts), exactly.
 */
export const expectConsistentDepartment = async (store: EventStore, code: string, year: number) => {
  const { state, members } = await departmentYearAt(store, code, year)
  const all = (s: typeof state) => [...renderAllTables(s, bundledCatalogue()), ...renderAllTables(s, bundledCatalogue(), 'final')]
  const tables = all(state)
  expect(ledgerProblems(tables)).toEqual([])
  expect(departmentProblems(tables, members.map(all), members)).toEqual([])
  return { state, members, tables }
}

/** For a describe block: a real SQLite ledger holding the department, built before its tests and removed after. */
export const departmentLedger = (prefix: string) => {
  const db = tempDb(prefix)
  const held = { path: db.path, store: undefined as unknown as SqliteEventStore }
  beforeAll(async () => {
    held.store = new SqliteEventStore(db.path)
    await buildDepartment(held.store)
  })
  afterAll(async () => {
    await held.store.close()
    db.remove()
  })
  return held
}

/** For a describe block: a real HTTP server whose ledger holds the department; it must log no error. */
export const departmentServer = () => {
  const held = { t: undefined as unknown as TestServer }
  beforeAll(async () => {
    held.t = await startServer()
    await buildDepartment(held.t.store)
  })
  afterAll(async () => {
    expect(held.t.logged).toEqual([])
    await held.t.close()
  })
  return held
}
