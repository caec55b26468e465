import Decimal from 'decimal.js'
import { type BudgetYearState, type Line, carryOverOf, surplusOf } from '../src/domain/budget-year'
import { sumFigures } from './final-accounts/figures/year-figures'
import { ZERO, sum } from '../src/domain/money/money'
import { ownProblem } from '../src/domain/budget-file/department-own'
import { type Cell, type TableModel, tableCode } from './table'

/**
 * The checks every ledger's tables must pass, exact to the 分: each table foots (child rows add up
 * to their parent row, 合计 columns to their parts) and the tables agree with each other.
 * Returns the problems found, each naming the table, row and column; [] when all is well.
 */
export const ledgerProblems = (tables: ReadonlyArray<TableModel>): string[] => [
  ...tables.flatMap(footingProblems),
  ...crossTableProblems(tables),
]

const amount = (c: Cell | undefined): Decimal => (c !== null && c !== undefined && Decimal.isDecimal(c) ? (c as Decimal) : ZERO)

export const footingProblems = (t: TableModel): string[] => {
  const problems: string[] = []
  for (const part of t.parts) {
    const where = (r: number, c: number) =>
      `table ${tableCode(t)} (${t.id}) ${part.name} row ${r} "${String(part.rows[r]!.cells[1] ?? part.rows[r]!.cells[0] ?? '')}" column "${part.columns[c]!.label}"`
    const amountCols = part.columns.flatMap((col, i) => (col.kind === 'amount' ? [i] : []))
    part.rows.forEach((row, r) => {
      for (const [c, col] of part.columns.entries()) {
        if (!col.sumOf) continue
        const expected = col.sumOf.reduce((a, i) => a.plus(amount(row.cells[i])), ZERO)
        if (!amount(row.cells[c]).eq(expected)) problems.push(`${where(r, c)} is ${amount(row.cells[c])} but its parts sum to ${expected}`)
      }
      const children = part.rows.filter((x) => x.parent === r)
      if (children.length === 0) return
      for (const c of amountCols) {
        const expected = children.reduce((a, x) => a.plus(amount(x.cells[c])), ZERO)
        if (!amount(row.cells[c]).eq(expected))
          problems.push(`${where(r, c)} is ${amount(row.cells[c])} but its ${children.length} child rows sum to ${expected}`)
      }
    })
  }
  return problems
}

/** Named totals that must be equal, as [table id, total name] pairs. */
const AGREEMENTS: ReadonlyArray<ReadonlyArray<readonly [string, string]>> = [
  [['income-expenditure-summary', 'income'], ['income-expenditure-summary', 'expenditure']],
  [['income-expenditure-summary', 'currentExpenditure'], ['expenditure-summary', 'total'], ['income-summary', 'total'],
    ['expenditure-by-economic-class', 'deptTotal'], ['expenditure-by-economic-class', 'govTotal'], ['unit-performance-targets', 'budget']],
  [['expenditure-summary', 'basic'], ['unit-performance-targets', 'basic']],
  [['expenditure-summary', 'project'], ['unit-performance-targets', 'project'], ['project-performance-targets', 'total']],
  [['fiscal-appropriation-summary', 'income'], ['fiscal-appropriation-summary', 'expenditure'], ['unit-performance-targets', 'fiscal']],
  [['fiscal-appropriation-summary', 'general'], ['general-budget-expenditure', 'total']],
  [['fiscal-appropriation-summary', 'governmentFund'], ['government-fund-expenditure', 'total']],
  [['fiscal-appropriation-summary', 'stateCapital'], ['state-capital-expenditure', 'total']],
  // The 决算 set: 总表 totals = 收入/支出决算表 totals; the 财政拨款 tables agree; 基本支出 by economic
  // class = basic spending; and the 决算 agrees with the 预算 on the year's 一般公共预算.
  [['final-income-expenditure-summary', 'income'], ['final-income-expenditure-summary', 'expenditure']],
  [['final-income-expenditure-summary', 'yearIncome'], ['final-income', 'total']],
  [['final-income-expenditure-summary', 'yearExpenditure'], ['final-expenditure', 'total']],
  [['final-income-expenditure-summary', 'fiscalIncome'], ['final-income', 'fiscal'], ['final-fiscal-appropriation-summary', 'yearIncome']],
  [['final-fiscal-appropriation-summary', 'income'], ['final-fiscal-appropriation-summary', 'expenditure']],
  [['final-fiscal-appropriation-summary', 'general'], ['final-general-budget-expenditure', 'actual']],
  [['final-fiscal-appropriation-summary', 'governmentFund'], ['final-government-fund', 'expenditure']],
  [['final-fiscal-appropriation-summary', 'stateCapital'], ['final-state-capital-expenditure', 'actual']],
  [['final-general-budget-basic-expenditure', 'basic'], ['final-general-budget-expenditure', 'basic']],
  [['general-budget-expenditure', 'total'], ['final-general-budget-expenditure', 'allotted']],
]

/**
 * 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余, for the tables that print all four (as named
 * totals). Their 本年收入 is what was received: 收回 was never paid out, so it is on neither side.
 */
const FLOWS: ReadonlyArray<readonly [id: string, carriedIn: string, income: string, spent: string, yearEnd: string]> = [
  ['final-income-expenditure-summary', 'carriedIn', 'yearIncome', 'yearExpenditure', 'yearEnd'],
  ['final-government-fund', 'carriedIn', 'income', 'expenditure', 'yearEnd'],
  ['final-state-capital-expenditure', 'carriedIn', 'income', 'expenditure', 'yearEnd'],
]

export const crossTableProblems = (tables: ReadonlyArray<TableModel>): string[] => {
  const byId = new Map(tables.map((t) => [t.id, t]))
  const problems: string[] = []
  for (const group of AGREEMENTS) {
    const present = group.filter(([id]) => byId.has(id))
    const values = present.map(([id, name]) => {
      const v = byId.get(id)!.totals[name]
      if (v === undefined) problems.push(`table ${id} has no total "${name}"`)
      return { id, name, v: v ?? ZERO }
    })
    const first = values[0]
    for (const x of values.slice(1))
      if (first && !x.v.eq(first.v)) problems.push(`${x.id}.${x.name} = ${x.v} but ${first.id}.${first.name} = ${first.v}`)
  }
  for (const [id, ...names] of FLOWS) {
    const t = byId.get(id)
    if (!t) continue
    const [carriedIn, income, spent, yearEnd] = names.map((n) => t.totals[n] ?? ZERO) as [Decimal, Decimal, Decimal, Decimal]
    if (!carriedIn.plus(income).eq(spent.plus(yearEnd)))
      problems.push(`${id}: 年初结转和结余 ${carriedIn} + 本年收入 ${income} ≠ 本年支出 ${spent} + 年末结转和结余 ${yearEnd}`)
  }
  const t4 = byId.get('fiscal-appropriation-summary')
  if (t4) {
    const parts = ['general', 'governmentFund', 'stateCapital'].reduce((a, k) => a.plus(t4.totals[k] ?? ZERO), ZERO)
    if (!parts.eq(t4.totals.expenditure ?? ZERO))
      problems.push(`fiscal-appropriation-summary: expenditure ${t4.totals.expenditure} ≠ general + fund + capital ${parts}`)
  }
  return problems
}

/** Where a year's money came from and where it went (元), as the 收入支出决算总表 prints it. */
export interface YearEndBalance {
  /** 年初结转和结余 */
  readonly carriedIn: Decimal
  /**
   * 本年收入 as allotted: 年初预算 and every adjustment of the year (全年预算 less what was carried
   * in). The 决算 tables print it less 收回 (year-figures.ts); here 收回 is kept on the right.
   */
  readonly income: Decimal
  /** 本年支出 */
  readonly spent: Decimal
  /** 年末结转 */
  readonly carryOver: Decimal
  /** 年末结余 */
  readonly surplus: Decimal
  /** 收回 */
  readonly recovered: Decimal
}

/** The 决算 tables' own reading of the lines (final-accounts/figures/year-figures.ts), 年末 split in two. */
const balanceOf = (lines: ReadonlyArray<Line>): YearEndBalance => {
  const f = sumFigures(lines)
  return {
    carriedIn: f.carriedIn,
    income: f.income.plus(f.recovered),
    spent: f.spent,
    carryOver: sum(lines.map(carryOverOf)),
    surplus: sum(lines.map(surplusOf)),
    recovered: f.recovered,
  }
}

/** The year's balance over all its lines, read through the same functions the 决算 tables read. */
export const yearEndBalanceOf = (s: BudgetYearState): YearEndBalance => balanceOf([...s.lines.values()])

/** What came in and what went out of a balance, as [left, right] of the identity. */
const sides = (b: YearEndBalance): readonly [Decimal, Decimal] => [
  b.carriedIn.plus(b.income),
  b.spent.plus(b.carryOver).plus(b.surplus).plus(b.recovered),
]
const show = (b: YearEndBalance): string =>
  `年初结转和结余 ${b.carriedIn.toFixed(2)} + 本年收入 ${b.income.toFixed(2)} ≠ 本年支出 ${b.spent.toFixed(2)} + 年末结转 ${b.carryOver.toFixed(2)} + 年末结余 ${b.surplus.toFixed(2)} + 收回 ${b.recovered.toFixed(2)}`

/**
 * The 决算 identity of a closed year, exact to the 分: 年初结转和结余 + 本年收入 = 本年支出 +
 * 年末结转和结余 + 收回, for every line and for the year. [] for a year not yet closed (its money is
 * not yet accounted for) and when all is well; else each problem names the line.
 */
export const yearEndProblems = (s: BudgetYearState): string[] => {
  if (!s.closed) return []
  const problems: string[] = []
  for (const l of s.lines.values()) {
    const [came, went] = sides(balanceOf([l]))
    if (!came.eq(went)) problems.push(`line "${l.id}": ${show(balanceOf([l]))}`)
  }
  const year = yearEndBalanceOf(s)
  const [came, went] = sides(year)
  if (!came.eq(went)) problems.push(`the year: ${show(year)}`)
  return problems
}

/**
 * 合并: a department's tables against its units' tables (the same tables, one list per unit),
 * exact to the 分: every named total of a department table is the sum of that total over its units.
 * A total some unit does not have (a figure it never stated, such as a 三公 budget left blank) is
 * not checked by adding: the department states the sum of the units that state it. `members` are the
 * units' states, for what a department is made of (one 本级 a year). [] when all is well.
 */
export const departmentProblems = (
  department: ReadonlyArray<TableModel>,
  units: ReadonlyArray<ReadonlyArray<TableModel>>,
  members: ReadonlyArray<BudgetYearState>,
): string[] => {
  const problems: string[] = []
  // A log recorded before the one-本级 rule may hold two: their tables still add up, the department does not.
  const first = members[0]?.identity
  const roles = members.flatMap((s) => (s.identity?.department ? [{ unit: s.identity.unit.code, role: s.identity.department.role }] : []))
  const own = first?.department ? ownProblem(first.department.code, first.year, roles) : undefined
  if (own) problems.push(own)
  for (const t of department) {
    const theirs = units.map((tables) => tables.find((u) => u.id === t.id))
    const missing = theirs.findIndex((u) => u === undefined)
    if (missing >= 0) {
      problems.push(`table ${t.id}: unit ${missing + 1} of ${units.length} has no such table to add up`)
      continue
    }
    const names = new Set([...Object.keys(t.totals), ...theirs.flatMap((u) => Object.keys(u!.totals))])
    for (const name of names) {
      if (theirs.some((u) => u!.totals[name] === undefined)) continue
      const sumOfUnits = sum(theirs.map((u) => u!.totals[name]!))
      const own = t.totals[name]
      if (own === undefined || !own.eq(sumOfUnits))
        problems.push(`table ${t.id} total "${name}": the department has ${own ?? 'none'} but its ${units.length} units sum to ${sumOfUnits} (${theirs.map((u) => `${u!.unitCode} ${u!.totals[name]}`).join(' + ')})`)
    }
  }
  return problems
}
