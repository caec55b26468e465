import type { Request } from 'express'
import { type TimePoint, hasCutOff } from '../../domain/time/as-of'
import type { BudgetYearState } from '../../domain/budget-year'
import { Year } from '../../domain/codecs/primitives'
import { departmentYearAt } from '../../ledger/reports/department'
import type { ReadScope } from '../../ledger/reports/read-scope'
import { etagOf } from './etag'
import { fail } from '../wire/problem'
import type { RouteContext } from '../route'
import { openYearAt } from '../routes/audit/audit'
import { loadOpenYear, targetOf } from '../requests/unit-year'

/**
 * Where the read routes (tables, indicators) find the year they show: a unit-year under
 * /api/units/:unit/years/:year, or a department's year consolidated (合并) under
 * /api/departments/:department/years/:year. One reader per address family, so each route exists once.
 */
export interface YearReader {
  /** The address of a year, with its path parameters. */
  readonly path: string
  /** What the year is, for the OpenAPI summaries. */
  readonly what: string
  /**
   * Whether the year is one unit-year's stream: only then has it one revision to name, and a
   * budget file of its own that its workbook carries to import back.
   */
  readonly oneStream: boolean
  /** The concrete address of the year a request names. */
  base(req: Request): string
  /** What the request reads, as the ledger's reads name it (404 when the address names none). */
  scope(req: Request): ReadScope
  /** The year as it stands now and its ETag; 404 when not open. */
  now(ctx: RouteContext, req: Request): Promise<{ state: BudgetYearState; etag: string }>
  /** The year at a time point; 404 when it was not open then. */
  at(ctx: RouteContext, req: Request, at: TimePoint): Promise<BudgetYearState>
}

export const UNIT_YEAR: YearReader = {
  path: '/api/units/:unit/years/:year',
  what: 'a budget year',
  oneStream: true,
  base: (req) => {
    const t = targetOf(req)
    return `/api/units/${t.unit}/years/${t.year}`
  },
  scope: (req) => targetOf(req),
  now: async (ctx, req) => {
    const { state } = await loadOpenYear(ctx.deps.store, targetOf(req))
    return { state, etag: etagOf(state.revision) }
  },
  at: async (ctx, req, at) => (await openYearAt(ctx, targetOf(req), at)).state,
}

/** The department and year an address names; 404 when it cannot name one. */
const departmentOf = (req: Request): { department: string; year: number } => {
  const { department, year } = req.params as Record<string, string | undefined>
  const n = year !== undefined && /^\d{4}$/.test(year) ? Number(year) : NaN
  if (department === undefined || !/^\d{3,12}$/.test(department) || !Year.is(n))
    fail('not-found', 'no such department year: the address needs a department code of 3-12 digits and a year such as 2021')
  return { department: department!, year: n }
}

const departmentYear = async (ctx: RouteContext, req: Request, at: TimePoint, when: 'now' | 'then') => {
  const d = departmentOf(req)
  const r = await departmentYearAt(ctx.deps.store, d.department, d.year, at)
  if (!r.state.identity) fail('not-found', `no budget year ${d.year} for department ${d.department} ${when === 'then' ? 'at that point in time' : 'in this ledger'}`)
  return r
}

export const DEPARTMENT_YEAR: YearReader = {
  path: '/api/departments/:department/years/:year',
  what: 'a department’s year, its units consolidated (合并)',
  oneStream: false,
  base: (req) => {
    const d = departmentOf(req)
    return `/api/departments/${d.department}/years/${d.year}`
  },
  scope: (req) => departmentOf(req),
  now: async (ctx, req) => {
    const { state, members } = await departmentYear(ctx, req, {}, 'now')
    // Any member's change, or a member joining, changes the tag.
    return { state, etag: `"${members.map((m) => `${m.identity!.unit.code}.${m.revision}`).join('-')}"` }
  },
  at: async (ctx, req, at) => (await departmentYear(ctx, req, at, 'then')).state,
}

/** The state a read shows: at the request's time point when it has one (no ETag then), else now. */
export const yearForRead = async (reader: YearReader, ctx: RouteContext, req: Request, at: TimePoint): Promise<{ state: BudgetYearState; etag?: string }> =>
  hasCutOff(at) ? { state: await reader.at(ctx, req, at) } : reader.now(ctx, req)
