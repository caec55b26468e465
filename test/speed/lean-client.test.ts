import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { hammer } from '../../scripts/bench/load/http-load'
import { LeanConnection, requestBytes } from '../../scripts/bench/load/lean-client'
import { FIXTURE, TOKENS, YEAR_PATH, addBody, fixtureBudgetFile, serverForTests } from '../support/shells/http'

/**
 * The bench's lean load generator (scripts/bench/load/lean-client.ts) reads answers just far enough to
 * know their status and where they end: every way an answer can end must be read right, or the
 * next answer on the connection is read from the middle of this one's body.
 */
describe('the lean load generator', () => {
  let server: Server
  let base: URL
  const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = []
  /** What the test server answers, per path. */
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/length': (_, res) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: 'x'.repeat(100_000) })),
    // Written in pieces without a length: node sends it chunked.
    '/chunked': (_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('a'.repeat(70_000))
      setImmediate(() => res.end('b'.repeat(3)))
    },
    '/empty': (_, res) => res.writeHead(204).end(),
    '/not-modified': (_, res) => res.writeHead(304, { etag: '"1"' }).end(),
    '/missing': (_, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"title":"not found"}'),
    '/closing': (_, res) => res.writeHead(409, { connection: 'close', 'content-type': 'text/plain' }).end('conflict'),
    '/cut': (req) => req.socket.destroy(),
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => (body += c))
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body })
        routes[req.url!]!(req, res)
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))
  afterEach(() => {
    seen.length = 0
  })

  const bytes = (path: string, body?: string) => requestBytes(base, { method: body === undefined ? 'GET' : 'POST', path, token: 'tok-1', ...(body === undefined ? {} : { body }) })

  it('given answers ending by length, chunks, no body and a close, when sent one after another on one connection, then each status is read in order and the server saw each request whole', async () => {
    const c = new LeanConnection(base.hostname, Number(base.port))
    try {
      const statuses = []
      for (const path of ['/length', '/chunked', '/empty', '/not-modified', '/missing', '/length', '/closing', '/chunked']) statuses.push(await c.send(bytes(path, path === '/length' ? '{"n":"一"}' : undefined)))
      expect(statuses).toEqual([201, 200, 204, 304, 404, 201, 409, 200])
      expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /length', 'GET /chunked', 'GET /empty', 'GET /not-modified', 'GET /missing', 'POST /length', 'GET /closing', 'GET /chunked'])
      expect(seen[0]).toMatchObject({ auth: 'Bearer tok-1', body: '{"n":"一"}' })
    } finally {
      c.close()
    }
  })

  it('given a server that drops the connection before answering, then the request is refused naming it, and the next one reconnects', async () => {
    const c = new LeanConnection(base.hostname, Number(base.port))
    try {
      await expect(c.send(bytes('/cut'), 'GET /cut')).rejects.toThrow(/GET \/cut to 127\.0\.0\.1:\d+: the connection was lost before the whole answer/)
      expect(await c.send(bytes('/missing'))).toBe(404)
    } finally {
      c.close()
    }
  })

  it('given a path it would have to encode, then it refuses to build the request, naming the path', () => {
    expect(() => bytes('/units/测试')).toThrow('request path "/units/测试": only printable ASCII is sent as is')
  })
})

describe('hammer on the ledger server', () => {
  const t = serverForTests()

  it('given commands that are recorded, then it counts every one as answered and none failed, and the log holds each', async () => {
    await t.request('POST', '/api/budget-files', { token: 'finance', body: fixtureBudgetFile() })
    const before = await t.eventCount()
    const figures = await hammer(t.url, 4, 0.3, { method: 'POST', path: `${YEAR_PATH}/commands`, token: TOKENS.finance, body: JSON.stringify(addBody('0.01')) }, 201)
    expect(figures.failed).toBe(0)
    expect(figures.requests).toBeGreaterThan(0)
    // Two rounds of warm-up (one per connection each) are answered but not counted.
    expect(await t.eventCount()).toBe(before + figures.requests + 2 * 4)
  })

  it('given a token the server refuses, then every answer is counted as failed, none hidden in the rate', async () => {
    const before = await t.eventCount()
    const figures = await hammer(t.url, 4, 0.3, { method: 'POST', path: `/api/units/${FIXTURE.unit}/years/${FIXTURE.year}/commands`, token: 'not-a-token-0123456789abcdef', body: JSON.stringify(addBody('0.01')) }, 201)
    expect(figures.requests).toBeGreaterThan(0)
    expect(figures.failed).toBe(figures.requests)
    expect(await t.eventCount()).toBe(before)
  })
})
