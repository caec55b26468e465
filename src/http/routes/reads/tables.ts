import { findTable, tablesOf } from '../../../../projections'
import { toJson } from '../../../../projections/render'
import { type TableSet, tableCode } from '../../../../projections/table'
import { renderTable, yearOfState } from '../../../ledger/reports/tables'
import { ETAG_HEADER, IF_NONE_MATCH, response } from '../../wire/openapi-parts'
import { fail } from '../../wire/problem'
import type { BudgetYearState } from '../../../domain/budget-year'
import { jsonRead, sendYearRead } from '../../responses/cached-read'
import { type RouteSpec, sendJson } from '../../route'
import { DEPARTMENT_YEAR, UNIT_YEAR, type YearReader } from '../../responses/year-reader'
import { READ_CACHE } from './units'
import { TIME_PARAMS } from '../audit/audit'

/** Where each table set lives under a budget year: /tables (预算) and /final-tables (决算). */
export const SET_PATH: Record<TableSet, string> = { budget: 'tables', final: 'final-tables' }
const SET_NAME: Record<TableSet, string> = { budget: '部门预算公开', final: '部门决算' }

/** The table of `set` a request names by id or number, or a 404 that lists the set's tables. */
export const tableOfSet = (set: TableSet, id: string) => {
  const t = findTable(id, set)
  if (!t) fail('not-found', `no table "${id}": use a number or an id (${tablesOf(set).map((x) => `${x.number} ${x.id}`).join(', ')})`)
  return t!
}

const listRoute = (set: TableSet, operationId: string, reader: YearReader = UNIT_YEAR): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/${SET_PATH[set]}`,
  access: 'read',
  operation: {
    operationId,
    summary: `The official tables (${SET_NAME[set]}) available for ${reader.what}`,
    tags: ['read'],
    responses: { 200: response('Number, code, id, title and address of each table', 'TableList') },
  },
  async handle(ctx, req, res) {
    await reader.now(ctx, req)
    const base = `${reader.base(req)}/${SET_PATH[set]}`
    sendJson(
      res,
      200,
      tablesOf(set).map((t) => ({ number: t.number, code: tableCode(t), id: t.id, title: t.title, href: `${base}/${t.id}` })),
      { 'Cache-Control': READ_CACHE },
    )
  },
})

/** The headers of every table read, a 304's too: one object for all, not one per request. */
const READ_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'Cache-Control': READ_CACHE })

const getRoute = (set: TableSet, operationId: string, reader: YearReader = UNIT_YEAR): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/${SET_PATH[set]}/:table`,
  access: 'read',
  lane: true,
  operation: {
    operationId,
    summary: `One official table (${SET_NAME[set]}) of ${reader.what}, in 万元 (the same JSON as \`budget-ledger table --format json\`)${set === 'final' ? '; before the year-end close, the execution report so far' : ''}`,
    tags: ['read'],
    parameters: [IF_NONE_MATCH, ...TIME_PARAMS],
    responses: {
      200: response('The table; ETag is the revision it was built from (none for an asOf / effective read)', 'Table', { ETag: ETAG_HEADER }),
      304: { description: 'Not modified since the revision in If-None-Match' },
    },
  },
  async handle(ctx, req, res) {
    const id = tableOfSet(set, String(req.params.table)).id
    // The reader answered 404 for a year not open, so the state names its year.
    const render = (state: BudgetYearState) => jsonRead(toJson(renderTable(state, id, ctx.catalogue, yearOfState(state))))
    await sendYearRead(ctx, req, res, { reader, what: `${SET_PATH[set]}:${id}:json`, render, headers: READ_HEADERS })
  },
})

export const listTables = listRoute('budget', 'listTables')
export const getTable = getRoute('budget', 'getTable')
export const listFinalTables = listRoute('final', 'listFinalTables')
export const getFinalTable = getRoute('final', 'getFinalTable')
export const listDepartmentTables = listRoute('budget', 'listDepartmentTables', DEPARTMENT_YEAR)
export const getDepartmentTable = getRoute('budget', 'getDepartmentTable', DEPARTMENT_YEAR)
export const listDepartmentFinalTables = listRoute('final', 'listDepartmentFinalTables', DEPARTMENT_YEAR)
export const getDepartmentFinalTable = getRoute('final', 'getDepartmentFinalTable', DEPARTMENT_YEAR)
