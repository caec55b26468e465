import { findTable, tablesOf } from '../../../projections'
import { toJson } from '../../../projections/render'
import { type TableSet, tableCode } from '../../../projections/table'
import { renderTable } from '../../ledger/tables'
import { etagOf } from '../etag'
import { ETAG_HEADER, IF_NONE_MATCH, response } from '../openapi-parts'
import { fail } from '../problem'
import { type RouteSpec, sendJson, sendRevisioned } from '../route'
import { loadOpenYear, targetOf } from '../unit-year'
import { READ_CACHE } from './units'
import { TIME_PARAMS, openYearAt, timePointQuery } from './audit'
import { hasCutOff } from '../../domain/as-of'

/** Where each table set lives under a budget year: /tables (预算) and /final-tables (决算). */
export const SET_PATH: Record<TableSet, string> = { budget: 'tables', final: 'final-tables' }
const SET_NAME: Record<TableSet, string> = { budget: '部门预算公开', final: '部门决算' }

const base = (unit: string, year: number, set: TableSet) => `/api/units/${unit}/years/${year}/${SET_PATH[set]}`

/** The table of `set` a request names by id or number, or a 404 that lists the set's tables. */
export const tableOfSet = (set: TableSet, id: string) => {
  const t = findTable(id, set)
  if (!t) fail('not-found', `no table "${id}": use a number or an id (${tablesOf(set).map((x) => `${x.number} ${x.id}`).join(', ')})`)
  return t!
}

const listRoute = (set: TableSet, operationId: string): RouteSpec => ({
  method: 'get',
  path: `/api/units/:unit/years/:year/${SET_PATH[set]}`,
  access: 'read',
  operation: {
    operationId,
    summary: `The official tables (${SET_NAME[set]}) available for a budget year`,
    tags: ['read'],
    responses: { 200: response('Number, code, id, title and address of each table', 'TableList') },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    await loadOpenYear(ctx.deps.store, target)
    sendJson(
      res,
      200,
      tablesOf(set).map((t) => ({ number: t.number, code: tableCode(t), id: t.id, title: t.title, href: `${base(target.unit, target.year, set)}/${t.id}` })),
      { 'Cache-Control': READ_CACHE },
    )
  },
})

const getRoute = (set: TableSet, operationId: string): RouteSpec => ({
  method: 'get',
  path: `/api/units/:unit/years/:year/${SET_PATH[set]}/:table`,
  access: 'read',
  operation: {
    operationId,
    summary: `One official table (${SET_NAME[set]}) of a budget year, in 万元 (the same JSON as \`budget-ledger table --format json\`)${set === 'final' ? '; before the year-end close, the execution report so far' : ''}`,
    tags: ['read'],
    parameters: [IF_NONE_MATCH, ...TIME_PARAMS],
    responses: {
      200: response('The table; ETag is the revision it was built from (none for an asOf / effective read)', 'Table', { ETag: ETAG_HEADER }),
      304: { description: 'Not modified since the revision in If-None-Match' },
    },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const id = tableOfSet(set, String(req.params.table)).id
    const at = timePointQuery(ctx, req)
    if (hasCutOff(at))
      return sendJson(res, 200, toJson(renderTable((await openYearAt(ctx, target, at)).state, id, ctx.catalogue, target)), { 'Cache-Control': READ_CACHE })
    const { state } = await loadOpenYear(ctx.deps.store, target)
    sendRevisioned(req, res, toJson(renderTable(state, id, ctx.catalogue, target)), etagOf(state.revision), { 'Cache-Control': READ_CACHE })
  },
})

export const listTables = listRoute('budget', 'listTables')
export const getTable = getRoute('budget', 'getTable')
export const listFinalTables = listRoute('final', 'listFinalTables')
export const getFinalTable = getRoute('final', 'getFinalTable')
