import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { departmentProblems } from '../../projections/consistency'
import { consolidate } from '../../projections/department/consolidate'
import { indicatorReport } from '../../projections/indicators/indicators'
import { toJson } from '../../projections/render'
import { type BudgetYearState, evolve, initialState } from '../../src/domain/budget-year'
import { readStoredEvent } from '../../src/domain/events/stored-event'
import { decodeBudgetFile } from '../../src/domain/budget-file/budget-file'
import { budgetFileAt } from '../../src/ledger/reports/budget-export'
import { departmentYearAt, listDepartments } from '../../src/ledger/reports/department'
import { loadBudgetYear } from '../../src/ledger/fold/load'
import { renderAllTables, renderTable as renderAt, yearOfState } from '../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { DEPARTMENT, FILES, MEMBERS, buildDepartment, expectConsistentDepartment } from '../support/years/department'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * 合并: a department of three units (test/support/years/department.ts, hand-computed there), on a real
 * SQLite file: the department's tables are its units' added up, exactly, through the same
 * projections; its rates are recomputed from the added-up amounts, never averaged.
 */
describe('a department of 本级 and two 所属单位, consolidated', () => {
  const db = tempDb('ledger-department-')
  let store: SqliteEventStore
  beforeAll(async () => {
    store = new SqliteEventStore(db.path)
    await buildDepartment(store)
  })
  afterAll(async () => {
    await store.close()
    db.remove()
  })
  const catalogue = bundledCatalogue()
  const renderTable = (s: BudgetYearState, table: string, c: typeof catalogue) => renderAt(s, table, c, yearOfState(s))
  const unitState = async (unit: string) => (await loadBudgetYear(store, unit, 2021)).state
  const total = (s: BudgetYearState, table: string, name: string) => renderTable(s, table, catalogue).totals[name]!.toFixed(2)

  it('given the three unit-years, when the ledger lists its departments, then the department names its units, 本级 first', async () => {
    expect(await listDepartments(store)).toEqual([
      {
        code: '900500',
        name: '合并测试部门',
        years: [
          {
            year: 2021,
            units: [
              { unit: '900501', name: '合并测试部门本级', role: 'own' },
              { unit: '900502', name: '所属单位甲', role: 'subordinate' },
              { unit: '900503', name: '所属单位乙', role: 'subordinate' },
            ],
          },
        ],
      },
    ])
  })

  it('given the units, when table 1 and 决算表一 are read per unit and for the department, then the department’s totals are their sums to the 分', async () => {
    const units = await Promise.all(MEMBERS.map(unitState))
    expect(units.map((s) => total(s, '1', 'income'))).toEqual(['500000.00', '250000.50', '130000.00'])
    expect(units.map((s) => total(s, 'F1', 'yearExpenditure'))).toEqual(['290000.00', '220000.50', '10000.00'])
    const { state } = await departmentYearAt(store, DEPARTMENT.code, 2021)
    expect(total(state, '1', 'income')).toBe('880000.50')
    expect(total(state, 'F1', 'yearExpenditure')).toBe('520000.50')
    expect(total(state, 'F1', 'yearEnd')).toBe('360000.00')
    const t1 = toJson(renderTable(state, '1', catalogue))
    expect(t1).toMatchObject({ unitCode: '900500', unitName: '合并测试部门', year: 2021 })
  })

  it('given the units, when the indicators are read, then the department’s 预算执行率 is recomputed from the summed amounts (59.09%), not the average of 58.00%, 88.00% and 7.69%', async () => {
    const rate = (s: BudgetYearState) => indicatorReport(s).indicators.find((i) => i.id === 'budget-execution')!.value
    expect(await Promise.all(MEMBERS.map(async (u) => rate(await unitState(u))))).toEqual(['58.00', '88.00', '7.69'])
    expect(rate((await departmentYearAt(store, DEPARTMENT.code, 2021)).state)).toBe('59.09')
  })

  it('given figures some units leave unstated, then the department states the sum of those that state them: 上年 total and the 三公 接待 budget', async () => {
    const { state } = await departmentYearAt(store, DEPARTMENT.code, 2021)
    expect(state.identity!.previousYear).toEqual({ total: '690000.00' })
    expect(state.earmarks['threePublic.reception']!.toFixed(2)).toBe('12000.00')
    expect(toJson(renderTable(state, '7', catalogue)).rows[2]!.slice(0, 2)).toEqual(['2、公务接待费', '1.20'])
  })

  it('given units of both types, then each line keeps its unit’s id and type: ids never collide and table 6 maps each by its own type', async () => {
    const { state } = await departmentYearAt(store, DEPARTMENT.code, 2021)
    expect([...state.lines.keys()]).toEqual(['900501:basic', '900501:p1', '900502:basic', '900502:p1', '900503:basic', '900503:p1'])
    expect([...state.lines.values()].map((l) => l.unitType)).toEqual(['administrative', 'administrative', 'institution', 'institution', 'institution', 'institution'])
    expect(renderTable(state, '6', catalogue).notes!.join('')).toContain('按各单位的类型')
  })

  it('given the department, then every table, 预算 and 决算, foots, agrees with the others, and adds up from its units', async () => {
    const { tables } = await expectConsistentDepartment(store, DEPARTMENT.code, 2021)
    expect(tables).toHaveLength(20)
  })

  it('given a consolidation that leaves a unit out, when checked against the three units, then the consistency check names the totals that do not add up', async () => {
    const { members } = await departmentYearAt(store, DEPARTMENT.code, 2021)
    const broken = consolidate(DEPARTMENT, members.slice(0, 2))
    const all = (s: BudgetYearState) => [...renderAllTables(s, catalogue), ...renderAllTables(s, catalogue, 'final')]
    const problems = departmentProblems(all(broken), members.map(all), members)
    expect(problems).toContain(
      'table income-expenditure-summary total "income": the department has 750000.5 but its 3 units sum to 880000.5 (900501 500000 + 900502 250000.5 + 900503 130000)',
    )
    expect(problems.some((p) => p.startsWith('table final-income-expenditure-summary total "yearExpenditure"'))).toBe(true)
  })

  it('given a time point on either axis, then every member is read at it: before the spending was recorded or took effect, the department has spent nothing', async () => {
    const spent = async (at: { asOf?: string; effective?: string }) =>
      renderTable((await departmentYearAt(store, DEPARTMENT.code, 2021, at)).state, 'F1', catalogue).totals.yearExpenditure!.toFixed(2)
    expect(await spent({ asOf: '2021-06-05T00:00:00.000Z' })).toBe('0.00')
    expect(await spent({ effective: '2021-05-31' })).toBe('0.00')
    expect(await spent({ effective: '2021-06-01' })).toBe('520000.50')
    expect((await departmentYearAt(store, DEPARTMENT.code, 2021, { asOf: '2021-01-01T00:00:00.000Z' })).state.identity).toBeUndefined()
  })

  it('given the budget files, then each opening records its membership, and the budget file read back from the ledger carries it', async () => {
    const [opening] = await store.readStream('budget-900502-2021', { maxCount: 1 })
    expect(opening!.data).toMatchObject({ department: { code: '900500', name: '合并测试部门', role: 'subordinate' } })
    expect((await budgetFileAt(store, await unitState('900502'))).department).toEqual({ code: '900500', name: '合并测试部门', role: 'subordinate' })
  })

  it('given a budget file whose department has an unknown role and no name, then it is refused naming each field', () => {
    const bad = decodeBudgetFile({ ...FILES[1], department: { code: '900500', role: 'boss' } })
    expect(E.isLeft(bad) && bad.left.map((e) => e.path).sort()).toEqual(['department.name', 'department.role'])
  })

  it('given a department code no unit names, then there is no department year', async () => {
    expect((await departmentYearAt(store, '999999', 2021)).state.identity).toBeUndefined()
  })
})

describe('an opening stored before departments (BudgetYearOpened version 2)', () => {
  it('given a version-2 opening of a unit with a local code, when it is read today, then it is unchanged, decodes, and folds to a unit on its own', () => {
    const data = { unit: { code: '900601', name: '所属单位', localCode: true }, year: 2021, unitType: 'institution', previousYear: {} }
    const read = readStoredEvent({ id: 'e-open', revision: 0, type: 'BudgetYearOpened', data: structuredClone(data) }, 2)
    expect(read.event).toEqual({ type: 'BudgetYearOpened', data })
    const state = evolve(initialState(), { id: 'e-open', revision: 0, event: read.event })
    expect(state.identity!.department).toBeUndefined()
  })
})
