import { randomUUID } from '../random-uuid'
import type { NextFunction, Request, Response } from 'express'
import pino, { type Logger } from 'pino'
import type { Caller } from './access/auth'

/** An incoming X-Request-Id is kept when it looks like an id (a UUID, a trace id), never when it could smuggle text into a log line. */
const SANE_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/

export const REQUEST_ID_HEADER = 'X-Request-Id'

/** The request's id: the caller's when sane, else a fresh UUID; also what res.locals.requestId holds. */
export const requestIdOf = (req: Request): string => {
  // Node keeps request headers lower-cased: the same value express's req.get finds, without its lookup per request.
  const given = req.headers['x-request-id'] as string | undefined
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
    // `on`, not `once`: `told` already keeps it to one call, without once's wrapper and removal per request.
    res.on('close', tell)
    next()
  }

/**
 * Writes an info line as pino itself would (its level, time and bindings, then the fields, then the
 * message), without pino's generic walk of the fields (serializers, stringifiers, hooks per key): a
 * tenth of a cached read's time went there. Only for a logger that rewrites nothing (no mixin,
 * formatter, hook, redaction, nested key or serializer of these fields); else undefined, and pino writes.
 */
const plainInfo = (logger: Logger, keys: ReadonlyArray<string>): ((fields: string, msg: string) => void) | undefined => {
  const s = pino.symbols
  const l = logger as unknown as Record<symbol, any>
  const rewrites =
    l[s.mixinSym] ||
    l[s.formattersSym]?.log ||
    l[s.hooksSym]?.streamWrite ||
    l[s.nestedKeySym] ||
    l[s.streamSym]?.[s.needsMetadataGsym] ||
    Object.keys(l[s.stringifiersSym] ?? {}).length > 0 ||
    l[s.stringifiersSym]?.[s.wildcardFirstSym] ||
    keys.some((k) => l[s.serializersSym]?.[k])
  if (rewrites) return undefined
  const msgKey = JSON.stringify(String(l[s.messageKeySym]))
  return (fields, msg) => {
    if (!logger.isLevelEnabled('info')) return
    const line = `${l[s.lsCacheSym][30]}${l[s.timeSym]()}${l[s.chindingsSym]}${fields},${msgKey}:${JSON.stringify(msg)}${l[s.endSym]}`
    l[s.streamSym].write(line)
  }
}

/**
 * One JSON line per request (pino): id, method, route pattern and path (never the query, which
 * may carry a token-like value), status, duration, bytes and who called (name and role, never a
 * credential: no header or cookie is logged). A 5xx is logged at level error with its error.
 */
export const accessLine = (logger: Logger) => {
  const plain = plainInfo(logger, ['reqId', 'method', 'route', 'path', 'status', 'ms', 'bytes', 'actor', 'cache'])
  return ({ req, res, ms, completed }: Finished): void => {
    // Every line but a 5xx's is at level info: none is built when the logger would drop it (LOG_LEVEL=warn).
    if (res.statusCode < 500 && !logger.isLevelEnabled('info')) return
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
    // The fields as pino writes them (JSON of each value, NaN as null), without its walk.
    if (plain && completed && res.statusCode < 500) return plain(`,${JSON.stringify(line).slice(1, -1)}`, 'request')
    if (res.statusCode >= 500) logger.error({ ...line, err: res.locals.error }, 'request failed')
    else if (!completed) logger.info(line, 'request abandoned by the client')
    else logger.info(line, 'request')
  }
}
