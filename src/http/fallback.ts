import type { NextFunction, Request, Response } from 'express'
import { problem, sendProblem } from './wire/problem'
import type { RouteSpec } from './route'

/**
 * After every route: a path the API knows but not with this method is 405 with Allow; OPTIONS on
 * it answers 204 with Allow; anything else is 404. Always as problem+json.
 */
const matcher = (path: string): RegExp =>
  new RegExp(`^${path.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`)

export const fallback = (routes: ReadonlyArray<RouteSpec>) => {
  const matchers = routes.map((r) => ({ re: matcher(r.path), method: r.method.toUpperCase() }))
  return (req: Request, res: Response, _next: NextFunction): void => {
    const methods = [...new Set(matchers.filter((m) => m.re.test(req.path)).map((m) => m.method))]
    if (methods.length === 0) {
      sendProblem(res, problem('not-found', `no route ${req.method} ${req.path.length > 200 ? `${req.path.slice(0, 197)}...` : req.path}: see /openapi.json`))
      return
    }
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ')
    if (req.method === 'OPTIONS') {
      res.status(204).setHeader('Allow', allow)
      res.end()
      return
    }
    sendProblem(res, problem('method-not-allowed', `${req.method} is not allowed here; allowed: ${allow}`), { Allow: allow })
  }
}
