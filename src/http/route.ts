import type { Request, Response } from 'express'
import type { Catalogue } from '../domain/budget-file/catalogue'
import type { LedgerDeps } from '../ledger/deps'
import type { AccountSource } from '../identity/accounts/account-file'
import type { OidcSignIn } from '../identity/oidc/oidc'
import type { SessionStore } from '../identity/sessions/sessions'
import type { SignInThrottle } from '../identity/accounts/sign-in-throttle'
import type { TokenRegistry } from './access/auth'
import type { RenderCache } from './responses/render-cache'
import type { Access } from './access/roles'

/** What every handler may use: the ledger, the classification catalogue, and the route table. */
export interface RouteContext {
  readonly deps: LedgerDeps
  readonly catalogue: Catalogue
  readonly tokens: TokenRegistry
  /** Browser sessions of signed-in people, and the local accounts they may belong to. */
  readonly sessions: SessionStore
  readonly accounts: AccountSource
  readonly throttle: SignInThrottle
  /** Sign-in through the identity provider, when LEDGER_OIDC_* configure one. */
  readonly oidc?: OidcSignIn
  readonly routes: ReadonlyArray<RouteSpec>
  /** Renderings of reads kept per revision (render-cache.ts). */
  readonly renderCache: RenderCache
}

/** The parts of an OpenAPI operation a route states itself; openapi.ts adds the common ones. */
export interface OperationSpec {
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  readonly tags: ReadonlyArray<string>
  /** Query and header parameters (path parameters come from the path). */
  readonly parameters?: ReadonlyArray<Record<string, unknown>>
  readonly requestBody?: Record<string, unknown>
  /** Success responses (2xx) and route-specific problems; 401/403/404/… are added for all. */
  readonly responses: Readonly<Record<string, unknown>>
}

/**
 * One route: the app registers it and /openapi.json describes it from the same entry, so the
 * two cannot drift apart.
 */
export interface RouteSpec {
  readonly method: 'get' | 'post'
  /** Express path, e.g. /api/units/:unit/years/:year. */
  readonly path: string
  readonly access: Access
  /** A JSON request body, parsed after authentication with the body size limit. */
  readonly jsonBody?: boolean
  /**
   * Media types of a file body (an XLSX workbook, a CSV file) read as raw bytes into req.body
   * instead of JSON, with the file body limit. A route with both takes either.
   */
  readonly fileBody?: ReadonlyArray<string>
  /** With jsonBody: an HTML form's body (application/x-www-form-urlencoded) is accepted too. */
  readonly formBody?: boolean
  readonly operation: OperationSpec
  /** A hot route (a cached read of a year, a command): answered through the lean lane (lane.ts), past express's router. */
  readonly lane?: boolean
  readonly handle: (ctx: RouteContext, req: Request, res: Response) => Promise<void> | void
}

/**
 * A read with a revision: ETag is the revision, and If-None-Match naming it answers 304 (RFC 9110
 * §13.1.2, weak comparison). Decided here rather than by express's req.fresh, which ignores
 * If-None-Match whenever the request says Cache-Control: no-cache, as fetch() always does with it.
 */
export const sendRevisioned = (req: Request, res: Response, body: unknown, etag: string, headers: Record<string, string> = {}): void => {
  if (!notModified(req, res, etag, headers)) sendJson(res, 200, body, { ...headers, ETag: etag })
}

/** Answers 304 (with the tag and headers) when If-None-Match names `etag`; false when the body is to be sent. */
export const notModified = (req: Request, res: Response, etag: string, headers: Record<string, string> = {}): boolean => {
  // Node keeps request headers lower-cased: no need for express's req.get on every read.
  const inm = req.headers['if-none-match']
  if (inm === undefined) return false
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
  if (!(inm.trim() === '*' || inm.split(',').some((tag) => opaque(tag) === opaque(etag)))) return false
  res.status(304)
  res.setHeader('ETag', etag)
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.end()
  return true
}

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * Sends a JSON body with the content type every success response uses. The answer to a write (200
 * or 201 to a POST, PUT…: no freshness, no HEAD) is ended here with the headers express's `send`
 * would set, in its order (the content type as given, then Content-Length): `send` re-parses the
 * content type, looks up its charset and asks whether a POST is fresh, per command (issue 15, the
 * writes at 64). Reads (GET, HEAD) and any other status go through `send` as before.
 */
export const sendJson = (res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body)
  res.status(status)
  for (const k in headers) res.setHeader(k, headers[k]!)
  res.setHeader('Content-Type', JSON_TYPE)
  const method = res.req.method
  if (method === 'GET' || method === 'HEAD' || (status !== 200 && status !== 201)) {
    res.send(text)
    return
  }
  res.setHeader('Content-Length', String(Buffer.byteLength(text, 'utf8')))
  res.end(text, 'utf8')
}
