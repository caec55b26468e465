import type Decimal from 'decimal.js'
import { type BudgetYearState, type Recommendation, type UnitTargets, initialState } from '../../src/domain/budget-year'
import { LineTable } from '../../src/domain/budget-year/line-table'
import type { Comparatives, DepartmentMembership, Earmark } from '../../src/domain/events/events'
import { plusFen } from '../../src/domain/money/fen'
import { yuan } from '../../src/domain/money/money'

/** A department as its members' openings name it. */
export interface Department {
  readonly code: string
  readonly name: string
}

/** A consolidated line's id: its unit's code and its own id, so ids of different units never collide. */
export const memberLineId = (unit: string, line: string): string => `${unit}:${line}`

/** 本级 first, then the 所属单位 by unit code: the order the department's lines and lists follow. */
export const memberOrder = (a: BudgetYearState, b: BudgetYearState): number => {
  const rank = (s: BudgetYearState) => (s.identity?.department?.role === 'own' ? 0 : 1)
  return rank(a) - rank(b) || a.identity!.unit.code.localeCompare(b.identity!.unit.code)
}

/**
 * 合并: the department's year as one budget-year state, its member unit-years' states merged, so that
 * every 预算 table, 决算 table, indicator and report renders for the department through the same
 * projections as for a unit. Pure. Amounts are summed exactly; nothing is averaged: a rate of the
 * department is computed by its projection from the consolidated amounts.
 *
 * - lines: every member's, ids "unit:line", each keeping its unit's type (table 6 maps its economic
 *   code by it) and its spending by economic code and 三公 category (the 决算 tables read it);
 * - a figure a member may leave unstated (上年 comparatives, earmarks such as the 三公 budget) is
 *   the sum of the members that state it, and unknown only when none does: as a reader adds the
 *   printed figures (table 7's 共计 rule);
 * - targets and recommendations are listed, 本级's first; the year is closed when every member is;
 * - the journal is empty: a department records no events, so nothing of it is reversed.
 *
 * The revision is the sum of the members' revisions: it grows whenever any member changes.
 */
export const consolidate = (department: Department, members: ReadonlyArray<BudgetYearState>): BudgetYearState => {
  const opened = [...members].filter((m) => m.identity !== undefined).sort(memberOrder)
  const own = opened[0]
  if (!own) throw new Error('invariant: a department year needs at least one opened member')
  const year = own.identity!.year
  if (opened.some((m) => m.identity!.year !== year)) throw new Error('invariant: a department consolidates one year')

  let lines = LineTable.empty()
  const recommendations = new Map<string, Recommendation>()
  for (const m of opened) {
    const unit = m.identity!.unit.code
    const id = (line: string) => memberLineId(unit, line)
    for (const l of m.lines.values())
      lines = lines.with({ ...l, id: id(l.id), unitType: l.unitType ?? m.identity!.unitType, carriedFrom: l.carriedFrom && { ...l.carriedFrom, line: id(l.carriedFrom.line) } })
    for (const [key, r] of m.recommendations) recommendations.set(`${unit}:${key}`, { ...r, id: `${unit}:${r.id}`, line: id(r.line) })
  }

  return {
    ...initialState(),
    revision: opened.reduce((n, m) => n + m.revision, 0),
    identity: {
      unit: { code: department.code, name: department.name },
      year,
      unitType: own.identity!.unitType,
      previousYear: comparatives(opened.map((m) => m.identity!.previousYear)),
    },
    lines,
    earmarks: statedSums(opened.map((m) => m.earmarks), (a, b) => a.plus(b)) as Partial<Record<Earmark, Decimal>>,
    unitTargets: targets(opened.flatMap((m) => (m.unitTargets ? [m.unitTargets] : []))),
    spentThreePublic: statedSums(opened.map((m) => m.spentThreePublic), plusFen) as BudgetYearState['spentThreePublic'],
    spentProcurement: statedSums(opened.map((m) => m.spentProcurement), plusFen) as BudgetYearState['spentProcurement'],
    closed: opened.every((m) => m.closed),
    recommendations,
  }
}

/** Key by key, the sum of the records that state it; a key none states stays absent. */
const statedSums = <A>(records: ReadonlyArray<Readonly<Record<string, A | undefined>>>, plus: (a: A, b: A) => A): Record<string, A> => {
  const out: Record<string, A> = {}
  for (const r of records)
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = k in out ? plus(out[k]!, v) : v
  return out
}

/** A record of figures, some grouped under a key (threePublic, finalAccounts, …), as the comparatives keep them. */
type Figures = { readonly [key: string]: string | Figures | undefined }

/** Key by key, nested groups included: the sum of the records that state a figure, in 元; a key none states stays absent. */
const figureSums = (records: ReadonlyArray<Figures>): Figures => {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))]
  return Object.fromEntries(
    keys.flatMap((k): Array<[string, string | Figures]> => {
      const stated = records.flatMap((r) => (r[k] === undefined ? [] : [r[k]!]))
      if (stated.length === 0) return []
      if (stated.every((v) => typeof v === 'string')) return [[k, (stated as string[]).reduce((s, v) => s.plus(yuan(v)), yuan('0')).toFixed(2)]]
      return [[k, figureSums(stated.filter((v): v is Figures => typeof v !== 'string'))]]
    }),
  )
}

/** The 上年 comparatives of the department: each figure summed over the members that state it (上年预算 and 上年决算 alike). */
const comparatives = (list: ReadonlyArray<Comparatives>): Comparatives => figureSums(list as ReadonlyArray<Figures>) as Comparatives

/** The members' targets listed one after another (本级 first), each distinct one once; none when no member has any. */
const targets = (list: ReadonlyArray<UnitTargets>): UnitTargets | undefined => {
  if (list.length === 0) return undefined
  const distinct = <T>(xs: ReadonlyArray<T>): T[] => [...new Map(xs.map((x) => [JSON.stringify(x), x])).values()]
  return {
    annualGoals: distinct(list.flatMap((t) => t.annualGoals)),
    tasks: distinct(list.flatMap((t) => t.tasks)),
    indicators: distinct(list.flatMap((t) => t.indicators)),
  }
}

/** Whether a state is a member of `department` (its opening names the department). */
export const isMemberOf = (s: BudgetYearState, department: string): s is BudgetYearState & { identity: { department: DepartmentMembership } } =>
  s.identity?.department?.code === department
