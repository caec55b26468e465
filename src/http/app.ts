import express, { type NextFunction, type Request, type Response } from 'express'
import type { Logger } from 'pino'
import * as E from 'fp-ts/Either'
import type { Catalogue } from '../domain/budget-file/catalogue'
import type { LedgerDeps } from '../ledger/deps'
import { decodeUtf8, notUtf8 } from '../ledger/recording/utf8-text'
import { bundledCatalogue } from '../reference/catalogue'
import { accessLine, requestEnd } from './access-log'
import { jsonBody } from './requests/json-body'
import { TokenRegistry, guard } from './access/auth'
import { boundDepth, onlyQuery } from './requests/bounds'
import { fallback } from './fallback'
import { type Handler, type LaneRoute, installLane } from './lane'
import type { MetricsToken } from './access/metrics-token'
import { type ProblemType, ProblemError, problem, sendProblem } from './wire/problem'
import { RenderCache } from './responses/render-cache'
import { requestMetrics } from './request-metrics'
import type { RouteContext, RouteSpec } from './route'
import { ROUTES } from './routes'
import { dashboardAssets } from './routes/server/dashboard'
import type { TokenEntry } from './access/tokens'
import { AccountSource, DEFAULT_USERS_FILE } from '../identity/accounts/account-file'
import type { OidcSignIn } from '../identity/oidc/oidc'
import { SessionStore, sessionsFileBeside } from '../identity/sessions/sessions'
import { SignInThrottle } from '../identity/accounts/sign-in-throttle'

export interface AppOptions {
  readonly deps: LedgerDeps
  readonly tokens: ReadonlyArray<TokenEntry>
  /** The local accounts' file (LEDGER_USERS_FILE); default ./data/users.json. */
  readonly usersFile?: string
  /** Sessions of signed-in people; a fresh store by default. */
  readonly sessions?: SessionStore
  /** Sign-in through the identity provider (LEDGER_OIDC_*), when configured. */
  readonly oidc?: OidcSignIn
  /** Express's "trust proxy" (LEDGER_TRUST_PROXY): whose X-Forwarded-Proto makes a request https, for the Secure cookie. */
  readonly trustProxy?: string
  readonly catalogue?: Catalogue
  /** Largest accepted request body, in bytes (default BODY_LIMIT, 1 MiB). */
  readonly bodyLimit?: number
  /** Where unexpected errors are reported (never to the client). Default: stderr, unless an access log takes them. */
  readonly log?: (line: string) => void
  /** The access log: one JSON line per request (access-log.ts), 5xx with their error. Default: none. */
  readonly accessLog?: Logger
  /** The Prometheus scraper's token (LEDGER_METRICS_TOKEN): it reads /metrics and nothing else. */
  readonly metricsToken?: MetricsToken
  /** Renderings of reads kept per revision; a fresh cache by default. */
  readonly renderCache?: RenderCache
  /** The lean lane for the hot routes (lane.ts); off only to compare it with express's own path. Default on. */
  readonly lane?: boolean
}

/** The largest request body by default, in bytes: body-parser and the lean reader (json-body.ts) take the same number. */
export const BODY_LIMIT = 1024 * 1024
/** A limit as the refusal names it, in the bytes package's words ("1mb"). */
const limitText = (bytes: number): string => (bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20}mb` : bytes % 1024 === 0 ? `${bytes / 1024}kb` : `${bytes}b`)
export const JSON_TYPES = ['application/json', 'application/*+json']
const FORM_TYPE = 'application/x-www-form-urlencoded'

/** body-parser's error types, as problems. */
const BODY_ERRORS: Record<string, ProblemType> = {
  'entity.parse.failed': 'malformed-json',
  'entity.too.large': 'payload-too-large',
  'encoding.unsupported': 'unsupported-media-type',
  'charset.unsupported': 'unsupported-media-type',
}

/**
 * body-parser would decode bad UTF-8 bytes as U+FFFD and the ledger would store them: the raw body
 * is checked first (a verify hook sees the bytes before decoding) and refused, naming the offset.
 */
export const verifyUtf8 = (_req: unknown, _res: unknown, bytes: Buffer, encoding: string): void => {
  if (!/^utf-?8$/i.test(encoding)) return
  const text = decodeUtf8(bytes)
  if (E.isLeft(text)) {
    const detail = notUtf8('the body', text.left.offset)
    throw new ProblemError(problem('bad-request', `${detail}; nothing was written`, [{ path: '', reason: detail }]))
  }
}

/** The charset parameter of a Content-Type, lower case and unquoted; undefined when absent. */
const declaredCharset = (contentType: string): string | undefined => {
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=')
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue
    return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase()
  }
  return undefined
}

/**
 * JSON bodies are UTF-8 (RFC 8259 §8.1). body-parser would decode a declared utf-16 (or any
 * charset iconv knows) and so skip the strict UTF-8 check: any other declared charset is refused.
 */
const requireBody = (form: boolean) => (req: Request, res: Response, next: NextFunction): void => {
  if (form && req.is(FORM_TYPE)) return next()
  if (!req.is(JSON_TYPES))
    return sendProblem(res, problem('unsupported-media-type', `send the body as JSON with Content-Type: application/json${form ? ` (or as a form, ${FORM_TYPE})` : ''}`))
  const charset = declaredCharset(req.headers['content-type'] ?? '')
  if (charset === undefined || charset === 'utf-8') return next()
  const reason = `charset ${charset} is not accepted: JSON bodies are utf-8 (send charset=utf-8 or no charset)`
  sendProblem(res, problem('unsupported-media-type', `${reason}; nothing was written`, [{ path: 'Content-Type', reason }]))
}

/** Largest file body (a budget workbook, a voucher file), in bytes: 5,000 voucher rows fit many times over. */
export const FILE_BODY_BYTES = 8 * 1024 * 1024

const isFile = (types: ReadonlyArray<string>, req: Request): boolean => req.is([...types]) !== false && req.is([...types]) !== null
/** A JSON handler skipped when the body is one of the route's file types. */
const unlessFile = (types: ReadonlyArray<string>, h: Handler): Handler => (req, res, next) => (isFile(types, req) ? next() : h(req, res, next))
/** The raw bytes of a file body; a route taking only files refuses any other type. */
const fileBodyHandlers = (types: ReadonlyArray<string>, orJson: boolean): Handler[] => [
  (req, res, next) =>
    isFile(types, req) || orJson ? next() : sendProblem(res, problem('unsupported-media-type', `send the file with Content-Type ${types.join(' or ')}`)),
  express.raw({ type: [...types], limit: FILE_BODY_BYTES }),
]

/**
 * The HTTP shell: routes from the route table, each behind its role guard; JSON bodies parsed
 * after authentication with a size limit; every error answered as problem+json.
 */
export const createApp = (options: AppOptions) => {
  const log = options.log ?? (options.accessLog ? () => undefined : (line: string) => process.stderr.write(`${line}\n`))
  const ctx: RouteContext = {
    deps: options.deps,
    catalogue: options.catalogue ?? bundledCatalogue(),
    tokens: new TokenRegistry(options.tokens),
    // Kept beside the users file, so a restart signs nobody out.
    sessions: options.sessions ?? new SessionStore(undefined, undefined, undefined, sessionsFileBeside(options.usersFile ?? DEFAULT_USERS_FILE)),
    accounts: new AccountSource(options.usersFile ?? DEFAULT_USERS_FILE),
    throttle: new SignInThrottle(),
    ...(options.oidc ? { oidc: options.oidc } : {}),
    routes: ROUTES,
    renderCache: options.renderCache ?? new RenderCache(),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
  }
  const app = express()
  app.disable('x-powered-by')
  if (options.trustProxy) app.set('trust proxy', /^\d+$/.test(options.trustProxy) ? Number(options.trustProxy) : options.trustProxy)
  // ETags are revisions, set by the routes that have one; no body hashes.
  app.set('etag', false)
  const front: Handler[] = [
    requestEnd([requestMetrics(ROUTES), ...(options.accessLog ? [accessLine(options.accessLog)] : [])]),
    (_req, res, next) => {
      res.setHeader('X-Content-Type-Options', 'nosniff')
      next()
    },
  ]
  for (const h of front) app.use(h)
  const laneRoutes: LaneRoute[] = []
  const bodyLimit = options.bodyLimit ?? BODY_LIMIT
  // The lean reader for plain JSON bodies (json-body.ts), body-parser for the rest.
  const jsonReader = jsonBody(bodyLimit, verifyUtf8, express.json({ limit: bodyLimit, strict: true, type: JSON_TYPES, verify: verifyUtf8 }))
  const register = (r: RouteSpec) => {
    const query = (r.operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => String(p.name))
    const handlers = [
      guard(ctx, r.access),
      // Writes refuse unknown query parameters (a misspelt ?dryRun must not record); reads ignore them.
      ...(r.method === 'get' ? [] : [onlyQuery(query)]),
      ...(r.fileBody ? fileBodyHandlers(r.fileBody, Boolean(r.jsonBody)) : []),
      ...(r.jsonBody
        ? [requireBody(r.formBody === true), jsonReader, boundDepth].map((h) =>
            r.fileBody ? unlessFile(r.fileBody, h) : h,
          )
        : []),
      ...(r.formBody ? [express.urlencoded({ limit: bodyLimit, extended: false, type: FORM_TYPE, verify: verifyUtf8 })] : []),
      async (req: Request, res: Response) => r.handle(ctx, req, res),
    ]
    app[r.method](r.path, ...handlers)
    const stack = (app as unknown as { router: { stack: LaneRoute['layer'][] } }).router.stack
    laneRoutes.push({ method: r.method === 'get' ? 'GET' : 'POST', layer: stack[stack.length - 1]!, handlers, lane: r.lane === true })
  }
  for (const r of ROUTES) register(r)
  // The dashboard page and its assets (static, public: they hold no data; the page reads the API with a token).
  // After the API, whose paths they never share: a read of the API does not walk through their matchers first.
  app.use(dashboardAssets())

  app.use(fallback(ROUTES))

  const onError = (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err)
    if (err instanceof ProblemError) return sendProblem(res, err.problem, err.headers)
    const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; message?: unknown; limit?: unknown }
    const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500
    const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined
    if (known) {
      const detail =
        known === 'malformed-json'
          ? `the body is not valid JSON: ${String(e.message ?? '').slice(0, 200)}`
          : known === 'payload-too-large'
            ? e.limit === FILE_BODY_BYTES
              ? `the file is larger than ${FILE_BODY_BYTES / 1024 / 1024} MiB, the most a file body may have: split it`
              : `the body is larger than ${limitText(bodyLimit)}`
            : 'the body encoding or charset is not supported; send UTF-8 JSON'
      return sendProblem(res, problem(known, detail))
    }
    if (status >= 400 && status < 500) {
      // Other client errors raised by express or body-parser (a bad %-escape in the path, an aborted body…).
      const p = problem('bad-request', `the request could not be read (status ${status})`)
      return sendProblem(res, { ...p, status })
    }
    // The access log writes it with the request's line; the query is left out, as there (it may hold a token-like value).
    res.locals.error = err
    log(`budget-ledger: ${req.method} ${req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    sendProblem(res, problem('internal', 'the server failed to answer; the error was logged'))
  }
  app.use(onError)
  if (options.lane !== false) installLane(app, { front, routes: laneRoutes, onError })
  return app
}
