import { yearLine } from '../../../ledger/reports/line-view'
import type { Caller } from '../../access/auth'
import { allows } from '../../access/roles'
import type { RouteSpec } from '../../route'
import { sendJson } from '../../route'
import { targetOf } from '../../requests/unit-year'
import { HISTORY_ENTRY, NO_STORE, TIME_PARAMS, TIME_POINT, answering, json, object, timePointQuery } from '../audit/audit'

const FIGURE = object({ yuan: { type: 'string', description: '元' }, wan: { type: 'string', description: '万元' } }, ['yuan', 'wan'])
const FIGURES = ['initial', 'added', 'reduced', 'transferredIn', 'transferredOut', 'adjusted', 'spent', 'available'] as const

/**
 * GET …/lines/:line: one budget line followed through the year (docs/audit.md). Any reader gets
 * the figures; its events only a role that may read the history.
 */
export const getLine: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/lines/:line',
  access: 'read',
  operation: {
    operationId: 'getLine',
    summary: 'One budget line: initial, additions, reductions, transfers in and out, adjusted, spent, available, its execution rate, and its events',
    description:
      'The same JSON as `budget-ledger line LINE --format json`. Figures in 元 and 万元; the execution rate per variant of the 预算执行率 indicator, computed as the indicator computes it, for this line alone. asOf / effective as for the tables.',
    tags: ['read'],
    parameters: [...TIME_PARAMS],
    responses: {
      200: json(
        'The line',
        object(
          {
            unit: { type: 'string' },
            year: { type: 'integer' },
            revision: { type: 'integer' },
            at: TIME_POINT,
            line: object(
              {
                id: { type: 'string' },
                kind: { type: 'string', enum: ['basic', 'project'] },
                name: { type: 'string' },
                functionCode: { type: 'string' },
                economicCode: { oneOf: [{ type: 'string' }, { type: 'null' }] },
                fundSource: { type: 'string' },
              },
              ['id', 'kind', 'name', 'functionCode', 'economicCode', 'fundSource'],
            ),
            figures: object(Object.fromEntries(FIGURES.map((f) => [f, FIGURE])), [...FIGURES]),
            executionRate: {
              type: 'array',
              items: object(
                { id: { type: 'string' }, label: { type: 'string' }, value: { oneOf: [{ type: 'string' }, { type: 'null' }], description: 'percent, two decimals' } },
                ['id', 'label', 'value'],
              ),
            },
            events: { type: 'array', items: HISTORY_ENTRY, description: 'finance and auditors only: the dashboard role, which may not read the history, gets the figures without the events' },
          },
          ['unit', 'year', 'revision', 'at', 'line', 'figures', 'executionRate'],
        ),
      ),
    },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const at = timePointQuery(ctx, req)
    const { events, ...view } = await answering(() => yearLine(ctx.deps.store, target, String(req.params.line), at))
    const caller = res.locals.caller as Caller | undefined
    sendJson(res, 200, caller && allows('history', caller.role) ? { ...view, events } : view, NO_STORE)
  },
}
