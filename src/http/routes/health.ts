import { response } from '../openapi-parts'
import { type RouteSpec, sendJson } from '../route'

/** Liveness and store reachability, without a token. Says nothing about the data. */
export const health: RouteSpec = {
  method: 'get',
  path: '/health',
  access: 'public',
  operation: {
    operationId: 'health',
    summary: 'Is the server up and its event store reachable?',
    tags: ['meta'],
    responses: { 200: response('The server is up', 'Health') },
  },
  async handle(ctx, _req, res) {
    await ctx.deps.store.streamRevision('budget-0-0')
    sendJson(res, 200, { status: 'ok' }, { 'Cache-Control': 'no-store' })
  },
}
