import type { Request, Response } from 'express'
import { executionView, spentByMonth } from '../../../../projections/indicators/execution'
import { type TimePoint, hasCutOff } from '../../../domain/time/as-of'
import { type LoadedYear, loadBudgetYear } from '../../../ledger/fold/load'
import { snapshotsFor } from '../../../ledger/fold/snapshots/snapshots'
import { etagOf } from '../../responses/etag'
import { ETAG_HEADER, IF_NONE_MATCH } from '../../wire/openapi-parts'
import { type RouteContext, type RouteSpec, sendJson, sendRevisioned } from '../../route'
import { type Target, openedOrNotFound, targetOf } from '../../requests/unit-year'
import { TIME_PARAMS, timePointQuery } from '../audit/audit'
import { READ_CACHE } from './units'

/** The unit-year folded at a point in time; 404 when it was not open then. */
export const loadYearAt = async (ctx: RouteContext, target: Target, at: TimePoint): Promise<LoadedYear> => {
  const loaded = await loadBudgetYear(ctx.deps.store, target.unit, target.year, hasCutOff(at) ? at : undefined)
  openedOrNotFound(loaded.state, target, hasCutOff(at) ? 'then' : 'now')
  return loaded
}

/** Sends a read: revalidated by revision for the ledger as it stands; a time-travel view carries where it is in time. */
export const sendAt = (req: Request, res: Response, body: object, loaded: Pick<LoadedYear, 'state'>, at: TimePoint): void => {
  if (!hasCutOff(at)) return sendRevisioned(req, res, body, etagOf(loaded.state.revision), { 'Cache-Control': READ_CACHE })
  sendJson(res, 200, { ...body, at }, { 'Cache-Control': READ_CACHE })
}

const EXECUTION_SCHEMA = {
  type: 'object',
  required: ['unit', 'unitName', 'year', 'revision', 'totals', 'byClass', 'byMonth'],
  description: 'Amounts in 元 as decimal strings (exact), each with its 万元 display twin (…Wan, two decimals, half-up)',
  properties: {
    unit: { type: 'string' },
    unitName: { type: 'string' },
    year: { type: 'integer' },
    revision: { type: 'integer' },
    totals: { type: 'object' },
    byClass: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'initial', 'adjusted', 'spent', 'initialWan', 'adjustedWan', 'spentWan', 'rate'],
        properties: {
          code: { type: 'string', description: '支出功能分类 类, e.g. 206' },
          name: { type: 'string' },
          initial: { type: 'string' },
          adjusted: { type: 'string' },
          spent: { type: 'string' },
          initialWan: { type: 'string' },
          adjustedWan: { type: 'string' },
          spentWan: { type: 'string' },
          rate: { type: ['string', 'null'], description: 'spent / adjusted in percent, two decimals; null when nothing is budgeted' },
        },
      },
    },
    byMonth: {
      type: 'array',
      items: {
        type: 'object',
        required: ['month', 'spent', 'cumulative', 'spentWan', 'cumulativeWan', 'cumulativeRate'],
        properties: {
          month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
          spent: { type: 'string' },
          cumulative: { type: 'string' },
          spentWan: { type: 'string' },
          cumulativeWan: { type: 'string' },
          cumulativeRate: { type: ['string', 'null'], description: "cumulative / the year's adjusted budget in percent, two decimals; null when nothing is budgeted" },
        },
      },
    },
    at: { type: 'object', description: 'present on a time-travel read: the asOf instant (UTC) and effective date it was computed for' },
  },
}

/**
 * GET …/execution: spending by function 类 and month by month, for the dashboard's charts. An
 * aggregate, so the dashboard role (which may not read the event history) can chart execution.
 */
export const getExecution: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/execution',
  access: 'read',
  operation: {
    operationId: 'getExecution',
    summary: 'Budget execution: budget and spending per function 类, and spending month by month',
    description:
      'Per 支出功能分类 类: 年初预算, adjusted budget and spent; per month of the business date: spent and the running total. A reversal counts negatively in its own month. With asOf / effective, the budget year as it was then.',
    tags: ['read'],
    parameters: [IF_NONE_MATCH, ...TIME_PARAMS],
    responses: {
      200: { description: 'The execution view', headers: { ETag: ETAG_HEADER }, content: { 'application/json': { schema: EXECUTION_SCHEMA } } },
      304: { description: 'Not modified since the revision in If-None-Match' },
    },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const at = timePointQuery(ctx, req)
    if (hasCutOff(at)) {
      const loaded = await loadYearAt(ctx, target, at)
      return sendAt(req, res, executionView(loaded.state, spentByMonth(loaded.events), ctx.catalogue), loaded, at)
    }
    // As it stands: the process's live fold, which reads only what was appended since the last read.
    const { state, spentByMonth: spent } = await snapshotsFor(ctx.deps.store).latest(target.unit, target.year)
    sendAt(req, res, executionView(openedOrNotFound(state, target), spent, ctx.catalogue), { state }, at)
  },
}
