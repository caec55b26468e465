import { listDepartments } from '../../ledger/department'
import { listUnits as unitPage } from '../../ledger/unit-list'
import { etagOf } from '../etag'
import { ETAG_HEADER, IF_NONE_MATCH, response } from '../openapi-parts'
import { MAX_PAGE, intParam } from '../page-params'
import { fail } from '../problem'
import { type RouteSpec, sendJson, sendRevisioned } from '../route'
import { loadOpenYear, targetOf } from '../unit-year'
import { yearSummary } from '../views'

/** Reads that dashboards may revalidate cheaply: the ETag is the revision, If-None-Match → 304. */
export const READ_CACHE = 'private, no-cache'

const unitParam = (raw: unknown): string | undefined => {
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || !/^\d{1,32}$/.test(raw)) fail('bad-request', 'query after: expected a unit code (digits)', [{ path: 'after', reason: 'expected a unit code (digits)' }])
  return raw
}

export const listUnits: RouteSpec = {
  method: 'get',
  path: '/api/units',
  access: 'read',
  operation: {
    operationId: 'listUnits',
    summary: 'The units in the ledger and their budget years',
    tags: ['read'],
    description: `In unit-code order. With \`limit\`, a page of at most that many units (up to ${MAX_PAGE}), and a \`Link: <…>; rel="next"\` header when more follow; without it, every unit.`,
    parameters: [
      { name: 'after', in: 'query', required: false, description: 'list the units whose code comes after this one (the last of the previous page)', schema: { type: 'string', pattern: '^\\d+$' } },
      { name: 'limit', in: 'query', required: false, description: `at most this many units (1 to ${MAX_PAGE})`, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE } },
    ],
    responses: { 200: response('Units, each with its years', 'UnitList') },
  },
  async handle(ctx, req, res) {
    const limit = intParam(req.query.limit, 'limit', 1, MAX_PAGE, undefined)
    const after = unitParam(req.query.after)
    const page = await unitPage(ctx.deps.store, { ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }) })
    const next: Record<string, string> = page.more && page.units.length > 0 ? { Link: `</api/units?after=${page.units.at(-1)!.unit}&limit=${limit}>; rel="next"` } : {}
    sendJson(res, 200, page.units, { 'Cache-Control': READ_CACHE, ...next })
  },
}

export const yearSummaryRoute: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year',
  access: 'read',
  operation: {
    operationId: 'getBudgetYear',
    summary: 'A budget year: its lines with initial, adjusted and spent amounts (元), and its revision',
    tags: ['read'],
    parameters: [IF_NONE_MATCH],
    responses: {
      200: response('The budget year; ETag is its revision', 'YearSummary', { ETag: ETAG_HEADER }),
      304: { description: 'Not modified since the revision in If-None-Match' },
    },
  },
  async handle(ctx, req, res) {
    const { state } = await loadOpenYear(ctx.deps.store, targetOf(req))
    sendRevisioned(req, res, yearSummary(state), etagOf(state.revision), { 'Cache-Control': READ_CACHE })
  },
}

export const listDepartmentsRoute: RouteSpec = {
  method: 'get',
  path: '/api/departments',
  access: 'read',
  operation: {
    operationId: 'listDepartments',
    summary: 'The departments (部门) the unit-years name, each year with its units (本级 first): their tables and indicators, consolidated (合并), are under /api/departments/:department/years/:year',
    tags: ['read'],
    responses: { 200: response('Departments, each with its years and their member units', 'DepartmentList') },
  },
  async handle(ctx, _req, res) {
    sendJson(res, 200, await listDepartments(ctx.deps.store), { 'Cache-Control': READ_CACHE })
  },
}
