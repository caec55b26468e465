import type { Request, Response } from 'express'
import { type TimePoint, hasCutOff } from '../../domain/time/as-of'
import type { BudgetYearState } from '../../domain/budget-year'
import type { ReadAnswer } from '../../metrics/http-metrics'
import type { Rendering } from './render-cache'
import { type RouteContext, notModified } from '../route'
import { timePointQuery } from '../routes/audit/audit'
import type { YearReader } from './year-reader'
import { logMark } from '../../ledger/read-path/shared-mark'

/** What a read route renders of a year; the body may be text (UTF-8) or bytes. */
export interface YearRead {
  readonly reader: YearReader
  /** What is read, in which format: with the year's address and the time point, the cache key (e.g. `tables:fiscal-appropriation-summary:json`; its first part labels the read in the metrics). */
  readonly what: string
  readonly render: (state: BudgetYearState, at: TimePoint) => Promise<RenderedRead> | RenderedRead
  /** Headers of every answer, a 304 included (Cache-Control). */
  readonly headers?: Readonly<Record<string, string>>
  /**
   * The read shows more than the year (the 决算 情况说明 compares with last year): its rendering
   * carries its own ETag, and it is kept only while nothing at all is appended (the store's log
   * version); on a store without one, it is rendered every time.
   */
  readonly beyondTheYear?: boolean
}

export interface RenderedRead extends Omit<Rendering, 'body'> {
  readonly body: Buffer | string
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

/** What was read (the first part of `what`: tables, indicators, …) and how it was answered, for the access log and the read latency histogram. */
export const readOf = (res: Response): { read: string; answer: ReadAnswer } | undefined =>
  res.locals.readAnswer === undefined ? undefined : { read: String(res.locals.read), answer: res.locals.readAnswer as ReadAnswer }

/**
 * A read of a year through the render cache (render-cache.ts). As it stands: If-None-Match naming
 * its revision answers 304 before anything is rendered; else the bytes of an earlier answer at the
 * same revision, or a fresh rendering kept for the next. At a time point (asOf, effective): no
 * ETag, as before, but still cached, keyed by the point and versioned by the year's revision now,
 * since a later write may be dated back into the point's view. The version comes from the process's
 * timeline of the year (snapshots.ts), which asks the store only when the store says it changed.
 */
export const sendYearRead = async (ctx: RouteContext, req: Request, res: Response, read: YearRead): Promise<void> => {
  const at = timePointQuery(ctx, req)
  // The read's label, the first part of `what` (no array made per request for it).
  const colon = read.what.indexOf(':')
  res.locals.read = colon < 0 ? read.what : read.what.slice(0, colon)
  const headers = read.headers ?? NO_HEADERS
  const cut = hasCutOff(at)
  // A year not open now is not open at any earlier point either: at() answers its 404 in its words.
  const now = cut ? await read.reader.now(ctx, req).catch(() => undefined) : await read.reader.now(ctx, req)
  // The access log and the metrics read how it was answered when the answer has gone out, after this.
  if (!cut && !read.beyondTheYear && notModified(req, res, now!.etag, headers)) return void (res.locals.readAnswer = 'not-modified' satisfies ReadAnswer)
  const key = `${read.reader.base(req)} ${read.what} ${at.asOf ?? '-'} ${at.effective ?? '-'}`
  // Read before rendering: a write landing meanwhile moves it, so the next read renders again.
  const version = now && (read.beyondTheYear ? await logMark(ctx.deps.store) : now.etag)
  const kept = version === undefined ? undefined : ctx.renderCache.get(key, version)
  if (kept) {
    res.locals.readAnswer = 'hit' satisfies ReadAnswer
    return send(req, res, kept, headers, cut ? undefined : (kept.etag ?? now!.etag))
  }
  res.locals.readAnswer = (version === undefined ? 'uncached' : 'miss') satisfies ReadAnswer
  const state = cut ? await read.reader.at(ctx, req, at) : now!.state
  const made = await read.render(state, at)
  const rendering: Rendering = { ...made, body: Buffer.isBuffer(made.body) ? made.body : Buffer.from(made.body, 'utf8') }
  if (version !== undefined) ctx.renderCache.set(key, version, rendering)
  send(req, res, rendering, headers, cut ? undefined : (rendering.etag ?? now!.etag))
}

/** The rendering with its ETag (none at a time point), or 304 when If-None-Match names that ETag. */
const send = (req: Request, res: Response, r: Rendering, headers: Readonly<Record<string, string>>, etag: string | undefined): void => {
  // The headers of a 304 are gathered only when there is an If-None-Match to answer.
  if (etag !== undefined && req.headers['if-none-match'] !== undefined && notModified(req, res, etag, { ...headers, ...r.headers }))
    return void (res.locals.readAnswer = 'not-modified' satisfies ReadAnswer)
  // Straight onto the response, without express's res.set: this runs for every cached read.
  res.statusCode = 200
  for (const name in headers) res.setHeader(name, headers[name]!)
  if (r.headers) for (const name in r.headers) res.setHeader(name, r.headers[name]!)
  if (etag !== undefined) res.setHeader('ETag', etag)
  res.setHeader('Content-Type', r.contentType)
  res.setHeader('Content-Length', r.body.length)
  res.end(r.body)
}

/** A JSON body as the read routes send it. */
export const jsonRead = (body: unknown): RenderedRead => ({ body: JSON.stringify(body), contentType: 'application/json; charset=utf-8' })
