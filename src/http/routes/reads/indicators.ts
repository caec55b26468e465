import { indicatorReport } from '../../../../projections/indicators/indicators'
import { UnknownIndicator, explainIndicator } from '../../../ledger/reports/indicators'
import { YearNotOpen } from '../../../ledger/reports/tables'
import { fail } from '../../wire/problem'
import { ETAG_HEADER, IF_NONE_MATCH, response } from '../../wire/openapi-parts'
import { jsonRead, sendYearRead } from '../../responses/cached-read'
import { type RouteSpec, sendJson } from '../../route'
import { DEPARTMENT_YEAR, UNIT_YEAR, type YearReader } from '../../responses/year-reader'
import { READ_CACHE } from './units'
import { TIME_PARAMS, timePointQuery } from '../audit/audit'

const indicatorsRoute = (operationId: string, reader: YearReader): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/indicators`,
  access: 'read',
  lane: true,
  operation: {
    operationId,
    summary: `The performance indicators of ${reader.what} (预算执行率, 预算调整率, 结转结余率, …) against its own targets`,
    description: [
      'The same JSON as `budget-ledger indicators --format json`. Each indicator has its numerator and denominator (元 as decimal strings, or counts), its value in percent (two decimals, half-up), the unit’s target found by the 三级指标 name, and a status: met, not met, not applicable (a zero denominator, or 结转结余率 before the close) or no target, with `statusLabel`, the words people read (达标, 未达标, 不适用, 无可比目标).',
      '预算调整率 has two variants: gross (the headline: the sum of ordinary additions, reductions and transfers over 年初预算) and net ((ordinary-adjusted − 年初预算) / 年初预算). 预算执行率 is given against the adjusted budget (headline) and against 年初预算.',
      ...(reader === DEPARTMENT_YEAR ? ['For a department, every rate is computed from its units’ amounts added up (合并), never averaged; the targets are its units’ listed, 本级 first.'] : []),
    ].join('\n\n'),
    tags: ['read'],
    parameters: [IF_NONE_MATCH, ...TIME_PARAMS],
    responses: {
      200: response('The indicators; ETag is the revision they were computed from', 'IndicatorReport', { ETag: ETAG_HEADER }),
      304: { description: 'Not modified since the revision in If-None-Match' },
    },
  },
  async handle(ctx, req, res) {
    await sendYearRead(ctx, req, res, { reader, what: 'indicators:json', render: (state) => jsonRead(indicatorReport(state)), headers: { 'Cache-Control': READ_CACHE } })
  },
})

/** GET the performance indicators of a budget year against the unit's own targets (finance, auditor, dashboard). */
export const getIndicators = indicatorsRoute('getIndicators', UNIT_YEAR)
/** The same for a department's year, consolidated (合并). */
export const getDepartmentIndicators = indicatorsRoute('getDepartmentIndicators', DEPARTMENT_YEAR)

const indicatorEventsRoute = (operationId: string, reader: YearReader): RouteSpec => ({
  method: 'get',
  path: `${reader.path}/indicators/:indicator/events`,
  access: 'history',
  operation: {
    operationId,
    summary: `The events behind one indicator of ${reader.what} (its numerator and denominator), with who, when and why`,
    description: [
      'The same JSON as `budget-ledger indicators --explain NAME --format json`. :indicator is the id or the Chinese name (e.g. 预算调整率). The amounts of the listed events add up to the figures shown; a reversal counts negative.',
      ...(reader === DEPARTMENT_YEAR ? ['For a department (合并), each side is its units’ sides added up (`parts`, 本级 first) and each event names its `unit`; `consolidated` is true.'] : []),
    ].join('\n\n'),
    tags: ['audit'],
    parameters: [...TIME_PARAMS],
    responses: {
      200: { description: 'Per variant: the numerator and denominator events', content: { 'application/json': { schema: { type: 'object' } } } },
    },
  },
  async handle(ctx, req, res) {
    const scope = reader.scope(req)
    const at = timePointQuery(ctx, req)
    try {
      sendJson(res, 200, await explainIndicator(ctx.deps.store, scope, String(req.params.indicator), at), { 'Cache-Control': 'no-store' })
    } catch (err) {
      if (err instanceof UnknownIndicator) fail('not-found', err.message)
      if (err instanceof YearNotOpen) fail('not-found', err.message)
      throw err
    }
  },
})

/** GET the events behind one indicator: for each variant, the events that moved its numerator and its denominator (finance, auditor). */
export const getIndicatorEvents = indicatorEventsRoute('getIndicatorEvents', UNIT_YEAR)
/** The same for a department's year, from its units' events (合并). */
export const getDepartmentIndicatorEvents = indicatorEventsRoute('getDepartmentIndicatorEvents', DEPARTMENT_YEAR)
