import { ETAG_HEADER, response } from '../../wire/openapi-parts'
import { MAX_PAGE, intParam } from '../../requests/page-params'
import { etagOf } from '../../responses/etag'
import { type RouteSpec, sendRevisioned } from '../../route'
import { streamOf } from '../../../domain/codecs/primitives'
import { targetOf, yearNotFound } from '../../requests/unit-year'
import { eventView } from '../../wire/views'
import { READ_CACHE } from '../reads/units'

export const listEvents: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/events',
  access: 'history',
  operation: {
    operationId: 'listEvents',
    summary: 'The event history of a budget year: who recorded what, when, why, on which document',
    description: 'Finance and auditor roles only. Pages of at most 1000 events in revision order; `next` is the `from` of the next page, or null.',
    tags: ['audit'],
    parameters: [
      { name: 'from', in: 'query', required: false, description: 'first revision to return (default 0)', schema: { type: 'integer', minimum: 0 } },
      { name: 'limit', in: 'query', required: false, description: `at most this many events (default and maximum ${MAX_PAGE})`, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE } },
    ],
    responses: { 200: response('A page of the history', 'EventPage', { ETag: ETAG_HEADER }) },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const from = intParam(req.query.from, 'from', 0, Number.MAX_SAFE_INTEGER, 0)
    const limit = intParam(req.query.limit, 'limit', 1, MAX_PAGE, MAX_PAGE)
    const stream = streamOf(target.unit, target.year)
    // Only OpenBudgetYear can start a stream, so an existing stream is an opened year.
    const revision = await ctx.deps.store.streamRevision(stream)
    if (revision < 0) yearNotFound(target)
    const events = await ctx.deps.store.readStream(stream, { fromRevision: from, maxCount: limit })
    const last = events.at(-1)
    sendRevisioned(
      req,
      res,
      {
        unit: target.unit,
        year: target.year,
        revision,
        events: events.map(eventView),
        next: last && last.revision < revision ? last.revision + 1 : null,
      },
      etagOf(revision),
      { 'Cache-Control': READ_CACHE },
    )
  },
}
