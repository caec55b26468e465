import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, LimitConfigError, limitsFromEnv } from '../../../src/http/requests/limits'
import { TOKENS, TOKEN_ENTRIES, YEAR_PATH, addBody, isProblem, serverForTests, spawnServer, stopServer } from '../../support/shells/http'
import { type RawReply, dribble, head, openSockets, replyOf } from '../../support/shells/raw-http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The server's limits on slow and greedy clients, over bare sockets against the real server, with
 * limits small enough that each case takes well under a second (the defaults are seconds long).
 */
const LIMITS = { headersTimeoutMs: 300, requestTimeoutMs: 900, bodyTimeoutMs: 400, keepAliveTimeoutMs: 300, maxHeaderBytes: 2048, maxHeaders: 20, maxConnections: 4 }

const expectProblem = (r: RawReply, status: number) => {
  const reply = replyOf(r)
  expect(reply.status).toBe(status)
  expect(isProblem(reply)).toBe(true)
  return reply.body
}

describe('HTTP limits: slow and greedy clients are cut off with a problem', () => {
  const t = serverForTests({ limits: LIMITS })

  it('given a client dribbling its headers, then it gets 408 problem+json and the socket is closed', async () => {
    const parts = [`GET /health HTTP/1.1\r\nHost: test\r\n`, ...Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: 1\r\n`)]
    const r = await dribble(t.url, parts, { everyMs: 50, deadlineMs: 3000 })
    expectProblem(r, 408)
    expect(r.closed).toBe(true)
    // Cut after the headers timeout (checked every quarter of it), long before the 40 parts were sent.
    expect(r.ms).toBeLessThan(1500)
    expect(r.written).toBeLessThan(parts.length)
  })

  it('given headers larger than the limit, then 431 problem+json naming the limit', async () => {
    const r = await dribble(t.url, [head('GET', '/health', { 'X-Big': 'x'.repeat(4000) })], { everyMs: 10, deadlineMs: 3000 })
    const body = expectProblem(r, 431)
    expect(body.detail).toContain('2048 bytes')
    expect(r.closed).toBe(true)
  })

  it('given a slow body without a token, then the 401 comes at once and the socket is cut after the body timeout', async () => {
    const parts = [head('POST', `${YEAR_PATH}/commands`, { 'Content-Type': 'application/json', 'Content-Length': '1000' }), ...Array.from({ length: 1000 }, () => 'x')]
    const r = await dribble(t.url, parts, { everyMs: 20, deadlineMs: 5000 })
    expectProblem(r, 401)
    expect(r.closed).toBe(true)
    expect(r.ms).toBeLessThan(1500)
  })

  it('given a slow body with a token, then 408 problem+json before the body is in, and nothing is written', async () => {
    const before = await t.eventCount()
    const body = JSON.stringify(addBody())
    const parts = [head('POST', `${YEAR_PATH}/commands`, { Authorization: `Bearer ${TOKENS.finance}`, 'Content-Type': 'application/json', 'Content-Length': String(body.length) }), ...body.split('')]
    const r = await dribble(t.url, parts, { everyMs: 20, deadlineMs: 5000 })
    const problem = expectProblem(r, 408)
    expect(problem.detail).toContain('400 ms')
    expect(r.closed).toBe(true)
    expect(r.ms).toBeLessThan(1500)
    expect(await t.eventCount()).toBe(before)
  })

  it('given an idle keep-alive socket, then the server closes it after the keep-alive timeout', async () => {
    const r = await dribble(t.url, [head('GET', '/health')], { everyMs: 10, deadlineMs: 5000 })
    expect(r.status).toBe(200)
    expect(r.closed).toBe(true)
    // Node 20 waits a second more than it announces, for clients that reuse a socket at the last moment.
    expect(r.ms).toBeGreaterThanOrEqual(250)
    expect(r.ms).toBeLessThan(2500)
  })

  it('given more headers than the count, then those past it are not read (a token sent after them is not seen)', async () => {
    const filler = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`X-Filler-${i}`, '1']))
    const late = await dribble(t.url, [head('GET', '/api/units', { Connection: 'close', ...filler, Authorization: `Bearer ${TOKENS.auditor}` })], { everyMs: 10, deadlineMs: 3000 })
    expect(late.status).toBe(401)
    const early = await dribble(t.url, [head('GET', '/api/units', { Connection: 'close', Authorization: `Bearer ${TOKENS.auditor}`, ...filler })], { everyMs: 10, deadlineMs: 3000 })
    expect(early.status).toBe(200)
  })

  it('given more sockets than the connection cap, then those over it are closed at once and the server still answers', async () => {
    const many = await openSockets(t.url, 12, 300)
    try {
      expect(many.open).toBeLessThanOrEqual(LIMITS.maxConnections)
      expect(many.closed).toBeGreaterThanOrEqual(12 - LIMITS.maxConnections)
    } finally {
      many.close()
    }
    // Once they are gone the server takes new clients again (it counts a socket until it sees it close).
    let status = 0
    for (let i = 0; i < 20 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50))
      status = (await dribble(t.url, [head('GET', '/health', { Connection: 'close' })], { everyMs: 10, deadlineMs: 1000 })).status ?? 0
    }
    expect(status).toBe(200)
  })
})

describe('HTTP limits from the environment', () => {
  it('given nothing set, then the documented defaults', () => {
    expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS)
    expect(DEFAULT_LIMITS).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxHeaderBytes: 16_384, maxConnections: 256 })
  })

  it('given variables, then each sets its limit', () => {
    expect(limitsFromEnv({ LEDGER_HTTP_MAX_CONNECTIONS: '8', LEDGER_HTTP_HEADERS_TIMEOUT_MS: '2000', LEDGER_HTTP_MAX_HEADER_BYTES: '' })).toEqual({
      ...DEFAULT_LIMITS,
      maxConnections: 8,
      headersTimeoutMs: 2000,
    })
  })

  it.each([
    ['zero (which Node reads as no limit)', { LEDGER_HTTP_REQUEST_TIMEOUT_MS: '0' }, /LEDGER_HTTP_REQUEST_TIMEOUT_MS: expected a whole number of at least 1, got "0"/],
    ['not a number', { LEDGER_HTTP_MAX_CONNECTIONS: 'many' }, /LEDGER_HTTP_MAX_CONNECTIONS/],
    ['a fraction', { LEDGER_HTTP_BODY_TIMEOUT_MS: '1.5' }, /LEDGER_HTTP_BODY_TIMEOUT_MS/],
    ['headers allowed longer than the request', { LEDGER_HTTP_HEADERS_TIMEOUT_MS: '40000' }, /must not be longer than LEDGER_HTTP_REQUEST_TIMEOUT_MS/],
  ])('given %s, then the server refuses to start, naming the variable', (_label, env, message) => {
    expect(() => limitsFromEnv(env)).toThrow(LimitConfigError)
    expect(() => limitsFromEnv(env)).toThrow(message)
  })
})

describe('npm start takes its limits from the environment', () => {
  it('given LEDGER_HTTP_MAX_HEADER_BYTES, then the real server answers larger headers with 431; given a bad value, it does not start', async () => {
    const db = tempDb('ledger-limits-')
    const env = { LEDGER_DB: db.path, LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES) }
    try {
      const s = await spawnServer(db.dir, { ...env, LEDGER_HTTP_MAX_HEADER_BYTES: '1024' })
      try {
        const r = await dribble(s.url, [head('GET', '/health', { 'X-Big': 'x'.repeat(1500) })], { everyMs: 10, deadlineMs: 3000 })
        expectProblem(r, 431)
        expect((await dribble(s.url, [head('GET', '/health', { 'X-Small': 'x'.repeat(500), Connection: 'close' })], { everyMs: 10, deadlineMs: 3000 })).status).toBe(200)
      } finally {
        await stopServer(s)
      }
      await expect(spawnServer(db.dir, { ...env, LEDGER_HTTP_MAX_CONNECTIONS: '0' })).rejects.toThrow(/cannot start: LEDGER_HTTP_MAX_CONNECTIONS: expected a whole number/)
    } finally {
      db.remove()
    }
  })
})
