import { request } from 'node:http'
import { connect } from 'node:net'
import type { Reply } from './http'

/**
 * A client on a bare socket (node:net), for what fetch cannot do: send a request a few bytes at a
 * time, or headers larger than any client library allows. Every wait is bounded.
 */
export interface RawReply {
  /** The status of the first response, if one came. */
  readonly status: number | undefined
  readonly headers: Record<string, string>
  readonly body: string
  /** True when the server closed the socket before the deadline. */
  readonly closed: boolean
  /** Milliseconds from connecting to the close (or to the deadline). */
  readonly ms: number
  /** The parts the server let the client write before it stopped listening. */
  readonly written: number
}

export interface DribbleOptions {
  /** Pause between parts. */
  readonly everyMs: number
  /** Give up (and close the socket) after this long. */
  readonly deadlineMs: number
}

const parse = (raw: string): Pick<RawReply, 'status' | 'headers' | 'body'> => {
  const end = raw.indexOf('\r\n\r\n')
  if (end < 0) return { status: undefined, headers: {}, body: '' }
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n')
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length'])
  const rest = raw.slice(end + 4)
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1]), headers, body: length === undefined ? rest : Buffer.from(rest).subarray(0, length).toString('utf8') }
}

/** Writes `parts` to the server of `url`, one every `everyMs`, and reads until it closes the socket or the deadline. */
export const dribble = (url: string, parts: ReadonlyArray<string | Buffer>, o: DribbleOptions): Promise<RawReply> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url)
    const started = Date.now()
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    let written = 0
    let done = false
    let writer: NodeJS.Timeout | undefined
    const finish = (closed: boolean) => {
      if (done) return
      done = true
      clearInterval(writer)
      clearTimeout(deadline)
      socket.destroy()
      resolve({ ...parse(Buffer.concat(chunks).toString('utf8')), closed, ms: Date.now() - started, written })
    }
    const next = () => {
      if (written < parts.length && !socket.destroyed && socket.writable) socket.write(parts[written++]!)
    }
    const deadline = setTimeout(() => finish(false), o.deadlineMs)
    socket.on('connect', () => {
      next()
      writer = setInterval(next, o.everyMs)
    })
    socket.on('data', (b: Buffer) => chunks.push(b))
    // A reset after the server answered is still the server closing the socket.
    socket.on('error', () => finish(true))
    socket.on('close', () => finish(true))
  })

/** A request head of `method path` with these headers (Host included), as a client sends it. */
export const head = (method: string, path: string, headers: Record<string, string> = {}): string =>
  `${method} ${path} HTTP/1.1\r\nHost: test\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`

/** Opens `n` sockets at once and reports, after `settleMs`, how many the server has closed. */
export const openSockets = (url: string, n: number, settleMs: number): Promise<{ open: number; closed: number; close: () => void }> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url)
    let closed = 0
    const sockets = Array.from({ length: n }, () => {
      const s = connect(Number(port), hostname)
      s.on('error', () => undefined)
      s.on('close', () => closed++)
      return s
    })
    setTimeout(() => resolve({ open: n - closed, closed, close: () => sockets.forEach((s) => s.destroy()) }), settleMs)
  })

/** The reply as the fetch helper of http.ts gives it (JSON parsed when it parses), for the same checks. */
export const replyOf = (r: RawReply): Reply => {
  let body: unknown = r.body
  try {
    body = JSON.parse(r.body)
  } catch {
    // not JSON: kept as text, which isProblem refuses
  }
  return { status: r.status ?? 0, headers: new Headers(r.headers), body, contentType: r.headers['content-type'] ?? '' }
}

/**
 * A GET with the path and headers sent exactly as written: fetch would resolve "..", and adds
 * Cache-Control: no-cache to a conditional request, which a browser revalidating does not.
 */
export const rawGet = (url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; contentType: string | undefined }> =>
  new Promise((resolve, reject) => {
    const u = new URL(url)
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      let body = ''
      res.on('data', (b: Buffer) => (body += b.toString('utf8')))
      res.on('end', () => resolve({ status: res.statusCode!, body, contentType: res.headers['content-type'] }))
    })
    req.once('error', reject)
    req.end()
  })
