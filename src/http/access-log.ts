import { randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import type { Logger } from 'pino'
import type { Caller } from './auth'

/** An incoming X-Request-Id is kept when it looks like an id (a UUID, a trace id), never when it could smuggle text into a log line. */
const SANE_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/

export const REQUEST_ID_HEADER = 'X-Request-Id'

/** The request's id: the caller's when sane, else a fresh UUID; also what res.locals.requestId holds. */
export const requestIdOf = (req: Request): string => {
  const given = req.get(REQUEST_ID_HEADER)
  return given !== undefined && SANE_ID.test(given) ? given : randomUUID()
}

/** What a request's answer says about it, for whoever watches requests end (the access log, the metrics). */
export interface Finished {
  readonly req: Request
  readonly res: Response
  readonly ms: number
  /** The answer went out whole; false: the client left first. */
  readonly completed: boolean
}

/**
 * Gives every request its id (echoed in X-Request-Id) and tells `watchers` once when it ends,
 * answered or abandoned, with how long it took.
 */
export const requestEnd =
  (watchers: ReadonlyArray<(f: Finished) => void>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const id = requestIdOf(req)
    res.locals.requestId = id
    res.setHeader(REQUEST_ID_HEADER, id)
    const start = process.hrtime.bigint()
    let told = false
    const tell = () => {
      if (told) return
      told = true
      const f: Finished = { req, res, ms: Number(process.hrtime.bigint() - start) / 1e6, completed: res.writableFinished }
      for (const w of watchers) w(f)
    }
    // 'close' comes after 'finish' for an answer sent whole, and alone for one the client left: one listener sees both.
    res.once('close', tell)
    next()
  }

/**
 * One JSON line per request (pino): id, method, route pattern and path (never the query, which
 * may carry a token-like value), status, duration, bytes and who called (name and role, never a
 * credential: no header or cookie is logged). A 5xx is logged at level error with its error.
 */
export const accessLine =
  (logger: Logger) =>
  ({ req, res, ms, completed }: Finished): void => {
    const caller = res.locals.caller as Caller | undefined
    const route = (req.route as { path?: unknown } | undefined)?.path
    const bytes = res.getHeader('content-length')
    // Built field by field rather than by spreads: one object per line, on every request.
    const line: Record<string, unknown> = {
      reqId: res.locals.requestId as string,
      method: req.method,
      route: typeof route === 'string' ? route : null,
      path: req.path,
      status: completed ? res.statusCode : null,
      ms: Math.round(ms * 100) / 100,
    }
    if (bytes !== undefined) line.bytes = Number(bytes)
    if (caller) line.actor = { name: caller.name, role: caller.role }
    if (res.locals.readAnswer !== undefined) line.cache = res.locals.readAnswer as string
    if (res.statusCode >= 500) logger.error({ ...line, err: res.locals.error }, 'request failed')
    else if (!completed) logger.info(line, 'request abandoned by the client')
    else logger.info(line, 'request')
  }
