import { parseStream, streamOf } from '../../domain/primitives'
import { listDepartments } from '../../ledger/department'
import { etagOf } from '../etag'
import { ETAG_HEADER, IF_NONE_MATCH, response } from '../openapi-parts'
import { type RouteSpec, sendJson, sendRevisioned } from '../route'
import { loadOpenYear, targetOf } from '../unit-year'
import { yearSummary } from '../views'

/** Reads that dashboards may revalidate cheaply: the ETag is the revision, If-None-Match → 304. */
export const READ_CACHE = 'private, no-cache'

export const listUnits: RouteSpec = {
  method: 'get',
  path: '/api/units',
  access: 'read',
  operation: {
    operationId: 'listUnits',
    summary: 'The units in the ledger and their budget years',
    tags: ['read'],
    responses: { 200: response('Units, each with its years', 'UnitList') },
  },
  async handle(ctx, _req, res) {
    const store = ctx.deps.store
    const years = (await store.listStreams('budget-')).map(parseStream).filter((x) => x !== undefined)
    const units = new Map<string, { unit: string; name: string | null; years: number[] }>()
    for (const { unit, year } of years) {
      const entry = units.get(unit) ?? { unit, name: null, years: [] }
      if (entry.name === null) {
        const [first] = await store.readStream(streamOf(unit, year), { maxCount: 1 })
        const data = first?.data as { unit?: { name?: string } } | undefined
        entry.name = data?.unit?.name ?? null
      }
      entry.years.push(year)
      units.set(unit, entry)
    }
    const list = [...units.values()]
      .map((u) => ({ ...u, years: [...u.years].sort((a, b) => a - b) }))
      .sort((a, b) => a.unit.localeCompare(b.unit))
    sendJson(res, 200, list, { 'Cache-Control': READ_CACHE })
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
