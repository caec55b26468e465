import { request } from 'node:http'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKENS, YEAR_PATH, addBody, startServer, type TestServer } from '../../support/shells/http'

/** What a log stream received, one parsed JSON object per line. */
const captured = () => {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      done()
    },
  })
  return { logger: pino({ level: 'info' }, stream), lines }
}

interface Exchange {
  readonly method: 'GET' | 'POST' | 'HEAD'
  readonly path: string
  readonly headers?: Record<string, string>
  readonly body?: string | Buffer
}

/** The whole answer as the wire carried it: status, every header in order (but the two that differ by nature), the body bytes. */
const exchange = (url: string, e: Exchange): Promise<string> =>
  new Promise((resolve, reject) => {
    const req = request(`${url}${e.path}`, { method: e.method, headers: e.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const headers: string[] = []
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          if (!/^(date|x-request-id)$/i.test(res.rawHeaders[i]!)) headers.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`)
        // Recorded events carry fresh ids (UUIDs of the same length): the only bytes two ledgers may not share.
        const body = Buffer.concat(chunks).toString('latin1').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
        resolve([`${res.statusCode} ${res.statusMessage}`, ...headers, '', body].join('\n'))
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(e.body)
  })

const bearer = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` })
const json = { 'content-type': 'application/json' }
const commands = `${YEAR_PATH}/commands`
const overSpend = JSON.stringify({
  type: 'RecordExpenditure',
  data: { line: 'p02', amount: '999999.00', economicCode: null, voucher: 'V-over', threePublic: null, procurement: null },
  reason: '超支测试',
  document: null,
  effectiveDate: '2021-05-02',
})

/** One of each answer the lane gives, in an order where each may depend on the writes before it. */
const EXCHANGES: ReadonlyArray<readonly [string, Exchange]> = [
  ['200 table', { method: 'GET', path: `${YEAR_PATH}/tables/3`, headers: bearer('dashboard') }],
  ['200 table, If-None-Match naming no revision', { method: 'GET', path: `${YEAR_PATH}/tables/3`, headers: { ...bearer('dashboard'), 'if-none-match': '"999"' } }],
  ['304 table', { method: 'GET', path: `${YEAR_PATH}/tables/3`, headers: { ...bearer('dashboard'), 'if-none-match': '*' } }],
  ['200 table by id with If-None-Match of another revision', { method: 'GET', path: `${YEAR_PATH}/tables/fiscal-appropriation-summary`, headers: { ...bearer('auditor'), 'if-none-match': '"0"' } }],
  ['200 table at a time point', { method: 'GET', path: `${YEAR_PATH}/tables/1?asOf=2030-01-01T00:00:00Z`, headers: bearer('finance') }],
  ['200 indicators', { method: 'GET', path: `${YEAR_PATH}/indicators`, headers: bearer('dashboard') }],
  ['200 report', { method: 'GET', path: `${YEAR_PATH}/report`, headers: { ...bearer('dashboard'), accept: 'text/plain' } }],
  ['200 final table', { method: 'GET', path: `${YEAR_PATH}/final-tables/1`, headers: bearer('auditor') }],
  ['401 no token', { method: 'GET', path: `${YEAR_PATH}/tables/3` }],
  ['401 bad token', { method: 'GET', path: `${YEAR_PATH}/tables/3`, headers: { authorization: 'Bearer nope-nope-nope' } }],
  ['403 a reader records', { method: 'POST', path: commands, headers: { ...bearer('dashboard'), ...json }, body: JSON.stringify(addBody()) }],
  ['404 no such table', { method: 'GET', path: `${YEAR_PATH}/tables/99`, headers: bearer('dashboard') }],
  ['404 no such year', { method: 'GET', path: '/api/units/900001/years/2022/tables/3', headers: bearer('dashboard') }],
  ['409 a command to a year not open', { method: 'POST', path: '/api/units/900001/years/2022/commands', headers: { ...bearer('finance'), ...json }, body: JSON.stringify(addBody()) }],
  ['400 bad time point', { method: 'GET', path: `${YEAR_PATH}/tables/3?asOf=yesterday`, headers: bearer('dashboard') }],
  ['400 unknown query of a command', { method: 'POST', path: `${commands}?dryrun=true`, headers: { ...bearer('finance'), ...json }, body: JSON.stringify(addBody()) }],
  ['400 bad path escape', { method: 'GET', path: `${YEAR_PATH}/tables/%E0%A4%A`, headers: bearer('dashboard') }],
  ['201 command accepted', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json, 'idempotency-key': 'lane-1' }, body: JSON.stringify(addBody('2.50')) }],
  ['201 command replayed', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json, 'idempotency-key': 'lane-1' }, body: JSON.stringify(addBody('2.50')) }],
  ['200 dry run', { method: 'POST', path: `${commands}?dryRun=true`, headers: { ...bearer('finance'), ...json }, body: JSON.stringify(addBody('1.00', 'p02')) }],
  ['200 table after the write', { method: 'GET', path: `${YEAR_PATH}/tables/3`, headers: { ...bearer('dashboard'), 'if-none-match': '"1"' } }],
  ['409 command refused', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json }, body: overSpend }],
  ['412 stale If-Match', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json, 'if-match': '"1"' }, body: JSON.stringify(addBody()) }],
  ['422 invalid command', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json }, body: JSON.stringify({ ...addBody(), data: { line: 'p01', amount: '1.001' } }) }],
  ['400 malformed JSON', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json }, body: '{"type": "AddToLine", ' }],
  ['400 bad UTF-8', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json }, body: Buffer.concat([Buffer.from('{"type":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) }],
  ['413 too large a body', { method: 'POST', path: commands, headers: { ...bearer('finance'), ...json }, body: JSON.stringify({ ...addBody(), reason: 'x'.repeat(1024 * 1024) }) }],
  ['415 not JSON', { method: 'POST', path: commands, headers: { ...bearer('finance'), 'content-type': 'text/plain' }, body: 'AddToLine' }],
  ['HEAD of a table (express in both)', { method: 'HEAD', path: `${YEAR_PATH}/tables/3`, headers: bearer('dashboard') }],
]

describe('the lean lane answers the hot requests as express does', () => {
  const logs = { lane: captured(), express: captured() }
  let lane: TestServer
  let express: TestServer
  const answers: Record<string, { lane: string; express: string }> = {}
  beforeAll(async () => {
    lane = await startServer({ fixture: true, accessLog: logs.lane.logger })
    express = await startServer({ fixture: true, accessLog: logs.express.logger, lane: false })
    for (const [name, e] of EXCHANGES) answers[name] = { lane: await exchange(lane.url, e), express: await exchange(express.url, e) }
  })
  afterAll(async () => {
    expect(lane.logged).toEqual([])
    expect(express.logged).toEqual([])
    await lane.close()
    await express.close()
  })

  it.each(EXCHANGES.map(([name]) => name))('given two ledgers with the same writes, one served through the lane and one through express alone, when asked for a %s, then both answer the same status, headers and bytes', (name) => {
    const { lane: viaLane, express: viaExpress } = answers[name]!
    expect(viaLane).toEqual(viaExpress)
    // The answer is the one the case names, not two equal failures.
    expect(viaLane.slice(0, 3)).toBe(name.slice(0, 3) === 'HEA' ? '200' : name.slice(0, 3))
  })

  it('given the same requests, when their access log lines are compared, then each says the same but for its id, time and duration', () => {
    const same = (line: string) => {
      const { reqId, ms, time, pid, hostname, ...rest } = JSON.parse(line) as Record<string, unknown>
      expect([typeof reqId, typeof ms, typeof time]).toEqual(['string', 'number', 'number'])
      return rest
    }
    // The fixture's import and the exchanges: one line each, in the same order.
    expect(logs.lane.lines.length).toBe(EXCHANGES.length + 1)
    expect(logs.lane.lines.map(same)).toEqual(logs.express.lines.map(same))
  })
})
