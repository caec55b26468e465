import { whyNotReady } from '../../../store/readiness'
import { problemResponse, response } from '../../wire/openapi-parts'
import { problem, sendProblem } from '../../wire/problem'
import { type RouteSpec, sendJson } from '../../route'

/**
 * Liveness, without a token: the process answers. It does not touch the store, so a store that
 * is down makes the server unready (/ready), not dead: restarting it would not bring the store back.
 */
export const health: RouteSpec = {
  method: 'get',
  path: '/health',
  access: 'public',
  operation: {
    operationId: 'health',
    summary: 'Is the server process up (liveness)? Says nothing about the store or the data',
    tags: ['meta'],
    responses: { 200: response('The server is up', 'Health') },
  },
  handle(_ctx, _req, res) {
    sendJson(res, 200, { status: 'ok' }, { 'Cache-Control': 'no-store' })
  },
}

/** Readiness, without a token: the store answers a real read. Says nothing about the data. */
export const ready: RouteSpec = {
  method: 'get',
  path: '/ready',
  access: 'public',
  operation: {
    operationId: 'ready',
    summary: 'Can the server answer (readiness)? It reads the event store; 503 when it cannot',
    tags: ['meta'],
    responses: {
      200: response('The store answered a read', 'Health'),
      503: problemResponse('The store cannot be read (the SQLite file removed, replaced, locked or closed; EventStoreDB unreachable); detail says which'),
    },
  },
  async handle(ctx, _req, res) {
    const why = await whyNotReady(ctx.deps.store)
    if (why === undefined) return sendJson(res, 200, { status: 'ok' }, { 'Cache-Control': 'no-store' })
    sendProblem(res, problem('not-ready', `${why}; the server cannot answer until it can read its store`), { 'Retry-After': '5' })
  },
}
