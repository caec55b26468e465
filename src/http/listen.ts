import { type IncomingMessage, type RequestListener, STATUS_CODES, type Server, type ServerResponse, createServer } from 'node:http'
import type { Duplex } from 'node:stream'
import { bornWithPrototypes, prototypesOf } from './born-with-prototypes'
import { type HttpLimits, DEFAULT_LIMITS, checkLimits } from './requests/limits'
import { PROBLEM_CONTENT_TYPE, type Problem, problem } from './wire/problem'

/**
 * The HTTP server of the API, with its limits (see limits.ts): `npm start` and the tests' in-process
 * server both listen through here, so the tests exercise the limits the server runs with.
 */
export interface ListenOptions {
  readonly port: number
  readonly host: string
  readonly limits?: HttpLimits
}

/** The headers of a problem answered outside the app, which closes the connection after it. */
const closingProblem = (p: Problem): { body: string; headers: Record<string, string> } => {
  const body = JSON.stringify(p)
  const headers = {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  }
  return { body, headers }
}

/** A problem as a whole HTTP/1.1 response, for a socket no ServerResponse can answer on. */
const rawProblem = (p: Problem): string => {
  const { body, headers } = closingProblem(p)
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
  return `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}\r\n${lines.join('')}\r\n${body}`
}

/** What Node's parser or its timers reject before any route sees the request. */
const clientProblem = (code: string | undefined, limits: HttpLimits): Problem => {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem('headers-too-large', `the request line and headers are larger than ${limits.maxHeaderBytes} bytes`)
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(
        'request-timeout',
        `the request did not arrive in time (headers within ${limits.headersTimeoutMs} ms, the whole request within ${limits.requestTimeoutMs} ms); nothing was written`,
      )
    default:
      return problem('bad-request', 'the request is not valid HTTP/1.1')
  }
}

/**
 * Replaces Node's plain-text 400/408/431 with problem+json. As Node does, it answers only while no
 * response has started on the socket (a half-written response must not be followed by another).
 */
const onClientError = (limits: HttpLimits) => (err: NodeJS.ErrnoException, socket: Duplex) => {
  // Node's own field for the response in flight on the socket; there is no public accessor.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage
  const quiet = err.code === 'ECONNRESET' || err.code === 'EPIPE'
  if (!quiet && socket.writable && !inFlight?.headersSent) socket.end(rawProblem(clientProblem(err.code, limits)))
  socket.destroy()
}

/**
 * Bounds the time a body may take once its headers are in. Node's request timeout also bounds it,
 * but only as often as it checks its connections; this one is exact, and it answers a request
 * still waiting for its body with a problem. After an early answer (a 401 to a body still coming,
 * which Node keeps reading so the socket can be reused) it closes the socket.
 */
const bodyDeadline = (limits: HttpLimits, handler: RequestListener): RequestListener => (req: IncomingMessage, res: ServerResponse) => {
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): nothing
  // to wait for, so no timer and listeners on each of the many GETs of a keep-alive connection.
  const length = req.headers['content-length']
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return handler(req, res)
  const timer = setTimeout(() => {
    if (req.complete) return
    if (res.headersSent) {
      socket.destroy()
      return
    }
    const p = problem('request-timeout', `the request body did not arrive within ${limits.bodyTimeoutMs} ms; nothing was written`)
    const { body, headers } = closingProblem(p)
    res.writeHead(p.status, headers)
    res.end(body, () => socket.destroy())
  }, limits.bodyTimeoutMs)
  timer.unref()
  const socket = req.socket
  // A keep-alive socket serves many requests: its listener goes with the request, or they pile up.
  // The first of the three events removes all three (plain listeners: `once` wraps each in two more
  // objects, for every command; docs/speed.md, "Writes, the main thread's allocations").
  const stop = () => {
    clearTimeout(timer)
    req.off('end', stop).off('close', stop)
    socket.off('close', stop)
  }
  req.on('end', stop).on('close', stop)
  socket.on('close', stop)
  handler(req, res)
}

/** Creates the server with its limits and resolves once it listens. */
export const listen = async (handler: RequestListener, options: ListenOptions): Promise<Server> => {
  const limits = checkLimits(options.limits ?? DEFAULT_LIMITS)
  const prototypes = prototypesOf(handler)
  const server = createServer(
    {
      ...(prototypes ? bornWithPrototypes(prototypes) : {}),
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the two timeouts at this interval (30 s by default, which made a 60 s limit 90 s).
      connectionsCheckingInterval: Math.max(10, Math.min(limits.headersTimeoutMs, 2_000) / 4),
    },
    bodyDeadline(limits, handler),
  )
  server.maxHeadersCount = limits.maxHeaders
  server.maxConnections = limits.maxConnections
  server.on('clientError', onClientError(limits))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return server
}
