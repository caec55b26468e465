import { timeInZone } from '../../../domain/time/as-of'
import { response } from '../../wire/openapi-parts'
import { type RouteSpec, sendJson } from '../../route'
import { ledgerTimeZone } from '../../requests/time-zone'

/**
 * The ledger's time zone, so that a client shows and takes times as the ledger reads them whatever
 * zone it runs in (the dashboard's as-of control). Public: a setting, no data.
 */
export const getTimeZone: RouteSpec = {
  method: 'get',
  path: '/api/time-zone',
  access: 'public',
  operation: {
    operationId: 'getTimeZone',
    summary: "The ledger's time zone: bare dates and date-times (asOf, effective) are read in it",
    tags: ['meta'],
    responses: { 200: response("The ledger's time zone and its offset from UTC now", 'TimeZone') },
  },
  handle(ctx, _req, res) {
    const zone = ledgerTimeZone()
    // "2021-06-01 10:00:00 +08:00": the offset is the last word.
    const utcOffset = timeInZone(ctx.deps.now().getTime(), zone).split(' ')[2]
    sendJson(res, 200, { timeZone: zone, utcOffset }, { 'Cache-Control': 'no-cache' })
  },
}
