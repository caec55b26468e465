/**
 * What one client may hold of the server: how long it may take to send its headers and its body,
 * how big its headers may be, and how many sockets may be open at once. Without them a few hundred
 * clients dribbling bytes keep as many sockets open for minutes (Node's defaults: 60 s for headers,
 * 300 s for a request, no connection cap). Each is set by an environment variable.
 */
export interface HttpLimits {
  /** Time to receive a request's headers (Node `headersTimeout`). */
  readonly headersTimeoutMs: number
  /** Time to receive a whole request, headers and body (Node `requestTimeout`). */
  readonly requestTimeoutMs: number
  /** Time to receive a body once its headers are in, also after an early answer (a 401 to a body still coming). */
  readonly bodyTimeoutMs: number
  /** Time an idle keep-alive socket stays open between requests. */
  readonly keepAliveTimeoutMs: number
  /** Largest request head, request line and headers together, in bytes (Node `maxHeaderSize`). */
  readonly maxHeaderBytes: number
  /** Headers read per request; later ones are ignored (Node `maxHeadersCount`). */
  readonly maxHeaders: number
  /** Open sockets at once; further ones are closed as they arrive (Node `maxConnections`). */
  readonly maxConnections: number
}

export const DEFAULT_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16 * 1024,
  maxHeaders: 100,
  maxConnections: 256,
}

/** The environment variable of each limit (README lists them with their defaults). */
export const LIMIT_VARIABLES: Record<keyof HttpLimits, string> = {
  headersTimeoutMs: 'LEDGER_HTTP_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'LEDGER_HTTP_REQUEST_TIMEOUT_MS',
  bodyTimeoutMs: 'LEDGER_HTTP_BODY_TIMEOUT_MS',
  keepAliveTimeoutMs: 'LEDGER_HTTP_KEEP_ALIVE_TIMEOUT_MS',
  maxHeaderBytes: 'LEDGER_HTTP_MAX_HEADER_BYTES',
  maxHeaders: 'LEDGER_HTTP_MAX_HEADERS',
  maxConnections: 'LEDGER_HTTP_MAX_CONNECTIONS',
}

export class LimitConfigError extends Error {}

/** Every limit must be a positive whole number: 0 would mean "no limit" to Node, which is what this prevents. */
const positive = (name: string, text: string): number => {
  const n = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN
  if (!Number.isSafeInteger(n) || n < 1) throw new LimitConfigError(`${name}: expected a whole number of at least 1, got "${text}"`)
  return n
}

/** The limits of DEFAULT_LIMITS, each replaced by its environment variable when set. */
export const limitsFromEnv = (env: NodeJS.ProcessEnv = process.env): HttpLimits => {
  const pairs = (Object.keys(LIMIT_VARIABLES) as Array<keyof HttpLimits>).map((k) => {
    const text = env[LIMIT_VARIABLES[k]]
    return [k, text === undefined || text.trim() === '' ? DEFAULT_LIMITS[k] : positive(LIMIT_VARIABLES[k], text)] as const
  })
  return checkLimits(Object.fromEntries(pairs) as unknown as HttpLimits)
}

/** Node refuses a headers timeout longer than the request timeout; say so by variable name. */
export const checkLimits = (l: HttpLimits): HttpLimits => {
  if (l.headersTimeoutMs > l.requestTimeoutMs)
    throw new LimitConfigError(
      `${LIMIT_VARIABLES.headersTimeoutMs} (${l.headersTimeoutMs}) must not be longer than ${LIMIT_VARIABLES.requestTimeoutMs} (${l.requestTimeoutMs}): the headers are part of the request`,
    )
  return l
}
