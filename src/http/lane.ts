import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Express, NextFunction, Request, Response } from 'express'

/** A handler of the chain, as express calls it (it may return a promise, whose rejection is an error). */
export type Handler = (req: Request, res: Response, next: NextFunction) => unknown
export type ErrorHandler = (err: unknown, req: Request, res: Response, next: NextFunction) => void

/** The parts of the router's layer the lane reads: the same matcher express would run. */
interface RouterLayer {
  readonly route?: { readonly path: string }
  match(path: string): { params: Record<string, string> } | false
}

/** A route as the app registered it: its layer in express's router, the handlers behind it, and whether the lane answers it. */
export interface LaneRoute {
  readonly method: 'GET' | 'POST'
  readonly layer: RouterLayer
  readonly handlers: ReadonlyArray<Handler>
  readonly lane: boolean
}

export interface LaneParts {
  /** What runs before any route, for every request (request id, headers): the same functions express runs. */
  readonly front: ReadonlyArray<Handler>
  /** Every route layer, in the order express tries them. */
  readonly routes: ReadonlyArray<LaneRoute>
  /** The app's error handler: a handler's error, in the problem+json every answer uses. */
  readonly onError: ErrorHandler
}

type Handle = (req: IncomingMessage, res: ServerResponse, callback?: unknown) => void

/** Runs handlers in turn as express's router does: next(err), a throw or a rejected promise ends in `done(err)`. */
const runChain = (handlers: ReadonlyArray<Handler>, req: Request, res: Response, done: (err?: unknown) => void): void => {
  let i = 0
  const next: NextFunction = (err?: unknown) => {
    if (err !== undefined && err !== null && err !== 'route' && err !== 'router') return done(err)
    const h = handlers[i++]
    if (h === undefined) return done(new Error('invariant: a route of the lean lane ended without answering'))
    try {
      const ret = h(req, res, next) as Promise<unknown> | undefined
      if (ret !== undefined && ret !== null && typeof ret.then === 'function') ret.then(undefined, (e: unknown) => next(e ?? new Error('Rejected promise')))
    } catch (e) {
      next(e)
    }
  }
  next()
}

/**
 * The lean lane (issue 15): the hot requests (a cached read of a year, a command) are answered by
 * the very handlers express would run, in the same order, with the same request and response
 * objects, but without express's router walk (a dozen layers, each with its own closures and
 * hops, before the 11th route). Which route a request takes is decided as express decides it:
 * the first route layer of its method whose matcher matches. When that route is not one of the
 * lane's, or anything is unusual (another method, a path express must decode first), the request
 * goes to express untouched. So the answers are express's, byte for byte (test/http/server/lane.test.ts).
 */
export const installLane = (app: Express, parts: LaneParts): void => {
  const expressHandle = (app as unknown as { handle: Handle }).handle.bind(app)
  // Each route's whole chain made once, not per request.
  const withChain = parts.routes.map((r) => ({ ...r, chain: [...parts.front, ...r.handlers] }))
  const byMethod = { GET: withChain.filter((r) => r.method === 'GET'), POST: withChain.filter((r) => r.method === 'POST') }
  type Found = { route: (typeof withChain)[number]; params: Record<string, string> }
  // The route a path takes, by method and path as sent: the same answer every time (the matchers are
  // pure), so the walk over a dozen matchers runs once per path, not per request. Bounded: emptied when full.
  const decided = { GET: new Map<string, Found | null>(), POST: new Map<string, Found | null>() }
  const MAX_PATHS = 1024
  const walk = (routes: ReadonlyArray<(typeof withChain)[number]>, path: string): Found | null => {
    // What parseurl would not take as it stands (it parses these with the URL parser): express's.
    if (/[#\s]/.test(path)) return null
    for (const route of routes) {
      const m = route.layer.match(path)
      // Frozen: every request of this path is handed this one params object (no handler writes its params;
      // one that tried would throw rather than change another request's).
      if (m) return route.lane ? { route, params: Object.freeze(m.params) } : null
    }
    return null
  }
  const laneOf = (req: IncomingMessage): Found | undefined => {
    const method = req.method === 'GET' || req.method === 'POST' ? req.method : undefined
    const url = req.url
    if (method === undefined || url === undefined || url.charCodeAt(0) !== 47 /* / */) return undefined
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    const known = decided[method]
    let found = known.get(path)
    if (found === undefined) {
      // A path parameter that does not decode throws here, and is not kept: express answers it each time.
      found = walk(byMethod[method], path)
      if (known.size >= MAX_PATHS) known.clear()
      known.set(path, found)
    }
    // The matcher's own params object (path-to-regexp's, without a prototype), shared and frozen: a copy a
    // request was ≈0.6 KB a command on the main thread (a null-prototype object is a dictionary).
    return found === null ? undefined : found
  }
  const lane: Handle = (incoming, out, callback) => {
    // A mounted app's handle gets its parent's callback: only the server's own requests take the lane.
    let found: ReturnType<typeof laneOf>
    try {
      found = callback === undefined ? laneOf(incoming) : undefined
    } catch {
      // A path parameter that does not decode: express answers it as it always has.
      found = undefined
    }
    if (found === undefined) return expressHandle(incoming, out, callback)
    // As express's app.handle and router do before a route's handlers.
    const req = incoming as Request
    const res = out as Response
    req.res = res
    res.req = req
    // Read per request, as express does: the server may have made them its classes' (born-with-prototypes.ts).
    Object.setPrototypeOf(req, app.request as object)
    Object.setPrototypeOf(res, app.response as object)
    res.locals = Object.create(null) as Response['locals']
    req.baseUrl = ''
    req.originalUrl = req.url
    req.params = found.params
    ;(req as { route?: unknown }).route = found.route.layer.route
    const done = (err?: unknown): void =>
      parts.onError(err, req, res, () => {
        // Only when the answer had started (the error handler answers every other): as express's final handler does.
        req.socket.destroy()
      })
    runChain(found.route.chain, req, res, done)
  }
  ;(app as unknown as { handle: Handle }).handle = lane
}
