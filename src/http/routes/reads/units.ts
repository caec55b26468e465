import { listDepartments } from '../../../ledger/reports/department'
import { unitSearch } from '../../../domain/unit-search'
import { listUnits as unitPage, unitListing } from '../../../ledger/reports/unit-list'
import { UnitCode } from '../../../domain/codecs/primitives'
import { etagOf } from '../../responses/etag'
import { ETAG_HEADER, IF_NONE_MATCH, response } from '../../wire/openapi-parts'
import { MAX_PAGE, intParam } from '../../requests/page-params'
import { fail } from '../../wire/problem'
import { type RouteSpec, sendJson, sendRevisioned } from '../../route'
import { loadOpenYear, targetOf } from '../../requests/unit-year'
import { yearSummary } from '../../../../projections/year-summary'

/** Reads that dashboards may revalidate cheaply: the ETag is the revision, If-None-Match → 304. */
export const READ_CACHE = 'private, no-cache'

const unitParam = (raw: unknown): string | undefined => {
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || !/^\d{1,32}$/.test(raw)) fail('bad-request', 'query after: expected a unit code (digits)', [{ path: 'after', reason: 'expected a unit code (digits)' }])
  return raw
}

/** The longest search text: a unit's name is a line of a budget file, never a paragraph. */
const MAX_SEARCH = 100
/** A search's page when no limit is given: a picker's screenful, never the whole city. */
export const SEARCH_PAGE = 50

const searchParam = (raw: unknown): string | undefined => {
  if (raw === undefined) return undefined
  const typed = typeof raw === 'string' ? raw.trim() : ''
  // Control characters are never part of a code or a name: refused rather than matching nothing.
  if (typed === '' || [...typed].length > MAX_SEARCH || /\p{Cc}/u.test(typed))
    fail('bad-request', `query q: expected 1 to ${MAX_SEARCH} characters of a unit code or name`, [{ path: 'q', reason: `expected 1 to ${MAX_SEARCH} characters of a unit code or name` }])
  return typed
}

export const listUnits: RouteSpec = {
  method: 'get',
  path: '/api/units',
  access: 'read',
  operation: {
    operationId: 'listUnits',
    summary: 'The units in the ledger and their budget years',
    tags: ['read'],
    description: `In unit-code order. With \`limit\`, a page of at most that many units (up to ${MAX_PAGE}), and a \`Link: <…>; rel="next"\` header when more follow; without it, every unit. With \`q\`, only the units whose code starts with it or whose name contains it (full- or half-width, any case), a page of ${SEARCH_PAGE} unless \`limit\` says otherwise.`,
    parameters: [
      { name: 'q', in: 'query', required: false, description: `search: the start of a unit code, or part of a unit name (1 to ${MAX_SEARCH} characters)`, schema: { type: 'string', minLength: 1, maxLength: MAX_SEARCH } },
      { name: 'after', in: 'query', required: false, description: 'list the units whose code comes after this one (the last of the previous page)', schema: { type: 'string', pattern: '^\\d+$' } },
      { name: 'limit', in: 'query', required: false, description: `at most this many units (1 to ${MAX_PAGE})`, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE } },
    ],
    responses: { 200: response('Units, each with its years', 'UnitList') },
  },
  async handle(ctx, req, res) {
    const q = searchParam(req.query.q)
    const limit = intParam(req.query.limit, 'limit', 1, MAX_PAGE, undefined) ?? (q === undefined ? undefined : SEARCH_PAGE)
    const after = unitParam(req.query.after)
    const page = await unitPage(ctx.deps.store, {
      ...(after === undefined ? {} : { after }),
      ...(limit === undefined ? {} : { limit }),
      ...(q === undefined ? {} : { match: unitSearch(q) }),
    })
    const search = q === undefined ? '' : `q=${encodeURIComponent(q)}&`
    const next: Record<string, string> = page.more && page.units.length > 0 ? { Link: `</api/units?${search}after=${page.units.at(-1)!.unit}&limit=${limit}>; rel="next"` } : {}
    sendJson(res, 200, page.units, { 'Cache-Control': READ_CACHE, ...next })
  },
}

export const getUnit: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit',
  access: 'read',
  operation: {
    operationId: 'getUnit',
    summary: 'One unit: its name and its budget years, as the units listing gives it (a bookmarked unit, without listing them all)',
    tags: ['read'],
    responses: { 200: response('The unit and its years', 'UnitListing'), 404: { description: 'No budget year of that unit in the ledger' } },
  },
  async handle(ctx, req, res) {
    const unit = String(req.params.unit)
    const found = UnitCode.is(unit) ? await unitListing(ctx.deps.store, unit) : undefined
    if (!found) fail('not-found', `no unit ${unit} in this ledger: a unit code is 3-12 digits of a unit with a budget year`)
    sendJson(res, 200, found, { 'Cache-Control': READ_CACHE })
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
