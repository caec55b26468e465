import { TABLES, findTable } from '../../../projections'
import { toJson } from '../../../projections/render'
import { renderTable } from '../../ledger/tables'
import { etagOf } from '../etag'
import { ETAG_HEADER, IF_NONE_MATCH, response } from '../openapi-parts'
import { fail } from '../problem'
import { type RouteSpec, sendJson, sendRevisioned } from '../route'
import { loadOpenYear, targetOf } from '../unit-year'
import { READ_CACHE } from './units'
import { TIME_PARAMS, openYearAt, timePointQuery } from './audit'
import { hasCutOff } from '../../domain/as-of'

const base = (unit: string, year: number) => `/api/units/${unit}/years/${year}/tables`

export const listTables: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/tables',
  access: 'read',
  operation: {
    operationId: 'listTables',
    summary: 'The official tables (部门预算公开) available for a budget year',
    tags: ['read'],
    responses: { 200: response('Number, id, title and address of each table', 'TableList') },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    await loadOpenYear(ctx.deps.store, target)
    sendJson(
      res,
      200,
      TABLES.map((t) => ({ number: t.number, id: t.id, title: t.title, href: `${base(target.unit, target.year)}/${t.id}` })),
      { 'Cache-Control': READ_CACHE },
    )
  },
}

export const getTable: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/tables/:table',
  access: 'read',
  operation: {
    operationId: 'getTable',
    summary: 'One official table of a budget year, in 万元 (the same JSON as `budget-ledger table --format json`)',
    tags: ['read'],
    parameters: [IF_NONE_MATCH, ...TIME_PARAMS],
    responses: {
      200: response('The table; ETag is the revision it was built from (none for an asOf / effective read)', 'Table', { ETag: ETAG_HEADER }),
      304: { description: 'Not modified since the revision in If-None-Match' },
    },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const id = String(req.params.table)
    if (!findTable(id)) fail('not-found', `no table "${id}": use a number or an id (${TABLES.map((t) => `${t.number} ${t.id}`).join(', ')})`)
    const at = timePointQuery(ctx, req)
    if (hasCutOff(at))
      return sendJson(res, 200, toJson(renderTable((await openYearAt(ctx, target, at)).state, id, ctx.catalogue)), { 'Cache-Control': READ_CACHE })
    const { state } = await loadOpenYear(ctx.deps.store, target)
    sendRevisioned(req, res, toJson(renderTable(state, id, ctx.catalogue)), etagOf(state.revision), { 'Cache-Control': READ_CACHE })
  },
}
