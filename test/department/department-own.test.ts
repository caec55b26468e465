import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { departmentProblems } from '../../projections/consistency'
import type { BudgetYearState } from '../../src/domain/budget-year'
import type { Command } from '../../src/domain/events/commands'
import { departmentYearAt, listDepartments } from '../../src/ledger/reports/department'
import { ledgerDeps } from '../../src/ledger/deps'
import { nextYearCommands } from '../../src/ledger/opening-closing/open-next-year'
import { importBudgetFile } from '../../src/ledger/recording/import-file'
import { recordCommand } from '../../src/ledger/recording/record'
import { renderAllTables } from '../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { DEPARTMENT, FILES, departmentLedger } from '../support/years/department'

/**
 * A department has one 本级 a year: the ledger refuses to open a second `own` unit-year for the
 * same department and year, and the consistency check names a log that has two anyway (recorded
 * before the rule). On a real SQLite file with the three-unit department of test/support/years/department.ts.
 */
describe('a department’s 本级 is one unit per year', () => {
  const ledger = departmentLedger('ledger-department-own-')
  const actor = { name: 'tester', role: 'finance' }
  const deps = () => ledgerDeps(ledger.store, { now: () => new Date('2021-02-02T04:00:00Z') })
  const fileFor = (unit: string, year: number, department: Record<string, unknown>) => ({
    ...FILES[1],
    unit: { code: unit, name: `单位${unit}` },
    year,
    approvedOn: `${year}-02-01`,
    department,
  })
  const opening = (unit: string, year: number, role: 'own' | 'subordinate', code: string = DEPARTMENT.code): Command =>
    ({ type: 'OpenBudgetYear', data: { unit: { code: unit, name: `单位${unit}` }, year, unitType: 'institution', previousYear: {}, department: { code, name: DEPARTMENT.name, role } } }) as Command
  const ctx = (year: number) => ({ reason: 'test', document: null, effectiveDate: `${year}-02-01` })

  it('given 900501 is 本级 of 900500 in 2021, when another unit opens 2021 as its 本级 (budget file or command), then it is refused naming the department, the year and 900501, and nothing is written', async () => {
    const before = await ledger.store.listStreams('budget-')
    const file = await importBudgetFile(deps(), fileFor('900504', 2021, { ...DEPARTMENT, role: 'own' }), actor)
    expect(E.isLeft(file) && file.left.kind === 'refused' && file.left.error).toMatchObject({
      code: 'second-own-unit',
      message: 'department 900500 already has a 本级 (own unit) in 2021: unit 900501; a department has one 本级 a year',
      path: 'department.role',
    })
    const command = await recordCommand(deps(), { unit: '900505', year: 2021 }, opening('900505', 2021, 'own'), ctx(2021), actor)
    expect(E.isLeft(command) && command.left.kind === 'refused' && command.left.error).toMatchObject({ code: 'second-own-unit', path: 'data.department.role' })
    expect(E.isLeft(command) && command.left.kind === 'refused' && command.left.error.words).toBe('部门 900500 的 2021 年度已有本级单位 900501，一个部门每年只有一个本级')
    expect(await ledger.store.listStreams('budget-')).toEqual(before)
  })

  it('given the same department, then a 所属单位 the same year, and a 本级 of another year, are accepted', async () => {
    expect(E.isRight(await recordCommand(deps(), { unit: '900506', year: 2021 }, opening('900506', 2021, 'subordinate'), ctx(2021), actor))).toBe(true)
    expect(E.isRight(await recordCommand(deps(), { unit: '900502', year: 2022 }, opening('900502', 2022, 'own'), ctx(2022), actor))).toBe(true)
  })

  it('given a unit of 900500 in 2021, then it may belong to another department in 2022, but not to a second one in 2021', async () => {
    expect(E.isRight(await recordCommand(deps(), { unit: '900503', year: 2022 }, opening('900503', 2022, 'own', '900600'), ctx(2022), actor))).toBe(true)
    const again = await recordCommand(deps(), { unit: '900503', year: 2021 }, opening('900503', 2021, 'subordinate', '900600'), ctx(2021), actor)
    expect(E.isLeft(again) && again.left.kind === 'refused' && again.left.error.code).toBe('year-already-open')
    const departments = await listDepartments(ledger.store)
    expect(departments.find((d) => d.code === '900600')!.years.map((y) => y.year)).toEqual([2022])
    expect(departments.find((d) => d.code === DEPARTMENT.code)!.years.find((y) => y.year === 2021)!.units.map((u) => u.unit)).toEqual(['900501', '900502', '900503', '900506'])
  })

  it('given an older log that has two 本级 for one department-year, when the department is checked, then departmentProblems names both units', async () => {
    // Written straight to the store, as a log from before the rule would hold it.
    const [first] = await ledger.store.readStream('budget-900501-2021', { maxCount: 1 })
    const data = { ...(first!.data as Record<string, unknown>), unit: { code: '900507', name: '另一本级' } }
    await ledger.store.append('budget-900507-2021', [{ id: randomUUID(), type: 'BudgetYearOpened', data, metadata: first!.metadata }], 'no_stream')
    const { state, members } = await departmentYearAt(ledger.store, DEPARTMENT.code, 2021)
    const all = (s: BudgetYearState) => [...renderAllTables(s, bundledCatalogue()), ...renderAllTables(s, bundledCatalogue(), 'final')]
    expect(departmentProblems(all(state), members.map(all), members)).toContain('department 900500 2021 has 2 本级 (own) units: 900501, 900507; a department has one 本级 a year')
  })
})

describe('the next year of a department’s unit', () => {
  it('given a unit-year of department 900500 as 所属单位, when the next year’s opening is made from its close, then the unit stays in the department with its role', () => {
    const department = { ...DEPARTMENT, role: 'subordinate' as const }
    const [opening] = nextYearCommands({ unit: { code: '900503', name: '所属单位乙' }, year: 2021, unitType: 'institution', lines: [], department }, false)
    expect(opening).toEqual({ type: 'OpenBudgetYear', data: { unit: { code: '900503', name: '所属单位乙' }, year: 2022, unitType: 'institution', previousYear: {}, department } })
    // A unit on its own stays on its own.
    const [alone] = nextYearCommands({ unit: { code: '900201', name: '单位' }, year: 2021, unitType: 'administrative', lines: [] }, false)
    expect(alone!.data).not.toHaveProperty('department')
  })
})
