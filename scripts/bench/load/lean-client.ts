import { type Socket, connect } from 'node:net'

/** What a load generator asks, again and again. */
export interface Call {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly token: string
  readonly body?: string
}

/**
 * The bytes of a request, built once. The load generator shares the server's two cores, so every
 * microsecond it spends per request is one the server does not get (docs/speed.md, "Writes at 64,
 * again": node's http client cost about as much CPU per command as the server). HTTP/1.1 keeps the
 * connection open unless told otherwise.
 */
export const requestBytes = (base: URL, call: Call): Buffer => {
  if (!/^[\x21-\x7e]+$/.test(call.path)) throw new Error(`request path ${JSON.stringify(call.path)}: only printable ASCII is sent as is (percent-encode the rest)`)
  const body = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8')
  const head = [`${call.method} ${call.path} HTTP/1.1`, `Host: ${base.host}`, `Authorization: Bearer ${call.token}`, ...(body ? ['Content-Type: application/json', `Content-Length: ${body.length}`] : []), '', ''].join('\r\n')
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1')
}

const CRLF = Buffer.from('\r\n')
const HEAD_END = Buffer.from('\r\n\r\n')
/** A head longer than this is not an answer this client can read (node's own limit is 16 KB). */
const MAX_HEAD = 64 * 1024

/** Where the reader is within an answer: its head, a body of known length, a chunked body, or a body that ends with the connection. */
type Phase =
  | { kind: 'head' }
  | { kind: 'length'; left: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'trailer' }
  | { kind: 'until-close' }

interface Pending {
  readonly resolve: (status: number) => void
  readonly reject: (err: Error) => void
}

/**
 * One kept-alive HTTP/1.1 connection that sends one request at a time and reads each answer just
 * far enough to know its status and where it ends (Content-Length, chunked, or the connection's
 * close): the body is skipped, never decoded or kept. Reconnects when the server closed the last
 * one (`Connection: close`). A connection lost before the answer rejects, naming the request.
 */
export class LeanConnection {
  private socket: Socket | undefined
  private pending: Pending | undefined
  private held: Buffer = Buffer.alloc(0)
  private phase: Phase = { kind: 'head' }
  private status = 0
  private closeAfter = false
  private what = ''

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Sends `bytes` (requestBytes) and resolves with the answer's status once its last byte is read. */
  send(bytes: Buffer, what = 'request'): Promise<number> {
    if (this.pending) return Promise.reject(new Error(`${what}: this connection is still waiting for the answer to ${this.what}`))
    this.what = what
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.open().write(bytes)
    })
  }

  close(): void {
    this.socket?.destroy()
    this.socket = undefined
  }

  private open(): Socket {
    if (this.socket) return this.socket
    const socket = connect({ host: this.host, port: this.port, noDelay: true })
    this.socket = socket
    this.held = Buffer.alloc(0)
    this.phase = { kind: 'head' }
    socket.on('data', (chunk: Buffer) => this.read(chunk))
    socket.on('error', (err) => this.lost(socket, err.message))
    socket.on('close', () => this.lost(socket, 'closed'))
    return socket
  }

  /** The connection ended: an answer read until then ends there; one still wanted is lost. */
  private lost(socket: Socket, why: string): void {
    if (this.socket !== socket) return
    this.socket = undefined
    if (this.pending && this.phase.kind === 'until-close') return this.done()
    const p = this.pending
    this.pending = undefined
    p?.reject(new Error(`${this.what} to ${this.host}:${this.port}: the connection was lost before the whole answer (${why})`))
  }

  private read(chunk: Buffer): void {
    let data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk
    this.held = Buffer.alloc(0)
    while (data.length > 0) {
      const rest = this.step(data)
      if (rest === undefined) return
      data = rest
    }
  }

  /** Reads what it can of `data` in the current phase; returns what is left, or undefined when it needs more bytes (kept in `held`). */
  private step(data: Buffer): Buffer | undefined {
    const phase = this.phase
    switch (phase.kind) {
      case 'head': {
        const end = data.indexOf(HEAD_END)
        if (end < 0) return this.hold(data, 'the answer\'s head')
        if (!this.begin(data.toString('latin1', 0, end))) return undefined
        return data.subarray(end + HEAD_END.length)
      }
      case 'length': {
        if (data.length < phase.left) {
          phase.left -= data.length
          return Buffer.alloc(0)
        }
        const rest = data.subarray(phase.left)
        this.done()
        return rest
      }
      case 'chunk-size': {
        const eol = data.indexOf(CRLF)
        if (eol < 0) return this.hold(data, 'a chunk size')
        const size = Number.parseInt(data.toString('latin1', 0, eol), 16)
        if (!Number.isFinite(size) || size < 0) return this.broken(`a chunk size ${JSON.stringify(data.toString('latin1', 0, eol))}`)
        // The data and the CRLF after it; the last chunk (0) is followed by trailers and an empty line.
        this.phase = size === 0 ? { kind: 'trailer' } : { kind: 'chunk-data', left: size + 2 }
        return data.subarray(eol + 2)
      }
      case 'chunk-data': {
        if (data.length < phase.left) {
          phase.left -= data.length
          return Buffer.alloc(0)
        }
        const rest = data.subarray(phase.left)
        this.phase = { kind: 'chunk-size' }
        return rest
      }
      case 'trailer': {
        const eol = data.indexOf(CRLF)
        if (eol < 0) return this.hold(data, 'the trailers')
        if (eol === 0) this.done()
        return data.subarray(eol + 2)
      }
      case 'until-close':
        return Buffer.alloc(0)
    }
  }

  /** The status line and the headers that say where the body ends; false when the head is not HTTP/1.x's. */
  private begin(head: string): boolean {
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)
    if (!status) return this.broken(`a status line ${JSON.stringify(head.slice(0, 40))}`) ?? false
    this.status = Number(status[1])
    this.closeAfter = /\r\nconnection:[ \t]*close/i.test(head)
    const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)
    const bodiless = this.status < 200 || this.status === 204 || this.status === 304
    if (bodiless) this.phase = { kind: 'length', left: 0 }
    else if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) this.phase = { kind: 'chunk-size' }
    else if (length) this.phase = { kind: 'length', left: Number(length[1]) }
    else this.phase = { kind: 'until-close' }
    if (this.phase.kind === 'length' && this.phase.left === 0) this.done()
    return true
  }

  private hold(data: Buffer, what: string): undefined {
    if (data.length > MAX_HEAD) return void this.broken(`${what} longer than ${MAX_HEAD} bytes`)
    this.held = Buffer.from(data)
    return undefined
  }

  /** The answer is whole: its status to the caller, the connection closed if the server said so. */
  private done(): void {
    this.phase = { kind: 'head' }
    const p = this.pending
    this.pending = undefined
    if (this.closeAfter) this.close()
    p?.resolve(this.status)
  }

  /** An answer this client cannot read: the request fails, the connection is dropped. */
  private broken(what: string): undefined {
    const p = this.pending
    this.pending = undefined
    this.close()
    p?.reject(new Error(`${this.what} to ${this.host}:${this.port}: cannot read ${what} of the answer`))
    return undefined
  }
}
