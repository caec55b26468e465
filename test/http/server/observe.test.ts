import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Command } from '../../../src/domain/events/commands'
import { EventStoreDbStore } from '../../../src/store/eventstoredb/eventstoredb'
import { whyNotReady } from '../../../src/store/readiness'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { ledgerDeps } from '../../../src/ledger/deps'
import { recordCommand } from '../../../src/ledger/recording/record'
import { DEPARTMENT_PATH, MEMBERS, buildDepartment } from '../../support/years/department'
import { startTestEventStore } from '../../esdb/server'
import { TOKENS, TOKEN_ENTRIES, YEAR_PATH, addBody, isProblem, send, spawnServer, startServer, stopServer, type TestServer } from '../../support/shells/http'

/** What a log stream received, one parsed JSON object per line. */
const captured = () => {
  const text: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text.push(chunk.toString('utf8'))
      done()
    },
  })
  return { logger: pino({ level: 'info' }, stream), text: () => text.join(''), lines: () => text.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>) }
}

const METRICS_TOKEN = 'scraper-token-0123456789abcdef0123456789'

/** The value of one sample of /metrics (0 when the series has no sample yet). */
const sample = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}

const scrape = async (t: TestServer): Promise<string> => {
  const r = await t.request('GET', '/metrics', { token: METRICS_TOKEN })
  expect(r.status).toBe(200)
  return r.body as string
}

const TABLE = `${YEAR_PATH}/tables/fiscal-appropriation-summary`

/** The lines of an access log file so far, parsed. */
const logLines = (file: string): Array<Record<string, any>> => {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    // Not created yet: the log opens its file when the first batch goes out.
  }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>)
}

describe('a running server shows what it does', () => {
  let t: TestServer
  const log = captured()
  beforeAll(async () => {
    t = await startServer({ fixture: true, accessLog: log.logger, metricsToken: METRICS_TOKEN })
  })
  afterAll(async () => {
    expect(t.logged).toEqual([])
    await t.close()
  })

  it('given a request with a bearer token, a session cookie and a token in the query, when it is answered, then its log line has id, route, status, duration and caller, and none of the three secrets', async () => {
    const r = await t.request('GET', `${TABLE}?access_token=query-secret-abcdef`, {
      token: 'dashboard',
      headers: { cookie: 'ledger_session=cookie-secret-0123456789', 'x-request-id': 'trace-4bf92f3577b34da6' },
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('x-request-id')).toBe('trace-4bf92f3577b34da6')
    const line = log.lines().find((l) => l.reqId === 'trace-4bf92f3577b34da6')
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/api/units/:unit/years/:year/tables/:table',
      path: TABLE,
      status: 200,
      actor: { name: 'tester-dashboard', role: 'dashboard' },
    })
    expect(typeof line!.ms).toBe('number')
    expect(line!.ms).toBeGreaterThan(0)
    for (const secret of [TOKENS.dashboard, 'cookie-secret-0123456789', 'query-secret-abcdef', 'access_token']) expect(log.text()).not.toContain(secret)
  })

  it('given an X-Request-Id that is not a sane id, when the request is answered, then it gets a fresh id, echoed and logged', async () => {
    const r = await t.request('GET', '/health', { headers: { 'x-request-id': 'two words<script>' } })
    const id = r.headers.get('x-request-id')!
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(log.lines().find((l) => l.reqId === id)).toMatchObject({ route: '/health', status: 200 })
    expect(log.text()).not.toContain('<script>')
  })

  it('given commands that are recorded, refused, invalid and stale, when /metrics is scraped, then each outcome is counted and timed, and each recorded one timed as a store append', async () => {
    const before = await scrape(t)
    for (const amount of ['10000.00', '20000.00']) expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody(amount) })).status).toBe(201)
    const overSpend = { type: 'RecordExpenditure', data: { line: 'p02', amount: '999999999.00', economicCode: null, voucher: 'V-1', threePublic: null, procurement: null }, reason: '超支', document: '测试〔2021〕3号', effectiveDate: '2021-05-01' }
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: overSpend })).status).toBe(409)
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('12,5') })).status).toBe(422)
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody(), headers: { 'if-match': '"0"' } })).status).toBe(412)
    const after = await scrape(t)
    const delta = (series: string) => sample(after, series) - sample(before, series)
    expect(delta('ledger_commands_total{outcome="recorded"}')).toBe(2)
    expect(delta('ledger_commands_total{outcome="refused"}')).toBe(1)
    expect(delta('ledger_commands_total{outcome="invalid"}')).toBe(1)
    expect(delta('ledger_commands_total{outcome="stale"}')).toBe(1)
    expect(delta('ledger_command_duration_seconds_count{outcome="recorded"}')).toBe(2)
    expect(delta('ledger_command_duration_seconds_count{outcome="refused"}')).toBe(1)
    expect(delta('ledger_store_append_duration_seconds_count')).toBe(2)
    // The server folded what it recorded to decide the next command: catch-up folds were timed.
    expect(delta('ledger_fold_duration_seconds_count{kind="catch-up"}')).toBeGreaterThanOrEqual(1)
    expect(sample(after, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000)
    expect(after).toContain('# TYPE ledger_group_commit_batch_size histogram')
    // One after the other, each recorded command was a group of its own.
    expect(delta('ledger_group_commit_batch_size_count')).toBe(2)
    expect(delta('ledger_group_commit_batch_size_sum')).toBe(2)
  })

  it('given a dashboard following the year live, when /metrics is scraped, then it counts the open stream, and no longer once the page has gone', async () => {
    const before = sample(await scrape(t), 'ledger_live_clients')
    const abort = new AbortController()
    const live = await fetch(`${t.url}${YEAR_PATH}/live`, { headers: { authorization: `Bearer ${TOKENS.dashboard}`, accept: 'text/event-stream' }, signal: abort.signal })
    const reader = live.body!.getReader()
    await reader.read()
    expect(sample(await scrape(t), 'ledger_live_clients')).toBe(before + 1)
    abort.abort()
    await reader.read().catch(() => undefined)
    await expect.poll(async () => sample(await scrape(t), 'ledger_live_clients')).toBe(before)
  })

  it.each([
    ['no credential', undefined, 401],
    ['a dashboard token', 'dashboard', 403],
    ['a finance token', 'finance', 403],
    ['an auditor token', 'auditor', 200],
    ['the metrics token', METRICS_TOKEN, 200],
  ])('given %s, when /metrics is asked for, then %#: the answer is %i', async (_label, token, status) => {
    const r = await t.request('GET', '/metrics', token === undefined ? {} : { token })
    expect(r.status).toBe(status)
    if (status === 200) expect(r.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
    else expect(isProblem(r)).toBe(true)
  })

  it('given the metrics token, when it is used for anything but /metrics, then it is not a valid token', async () => {
    expect((await t.request('GET', TABLE, { token: METRICS_TOKEN })).status).toBe(401)
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: METRICS_TOKEN, body: addBody() })).status).toBe(401)
  })
})

describe('a failing request in the access log', () => {
  it('given a store that fails, when a read answers 500, then its line is at level error with the error and its stack, and the client sees no stack', async () => {
    const log = captured()
    const t = await startServer({ fixture: true, accessLog: log.logger })
    try {
      await t.store.close()
      const r = await t.request('GET', TABLE, { token: 'auditor', headers: { 'x-request-id': 'failing-1' } })
      expect(r.status).toBe(500)
      expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/)
      const line = log.lines().find((l) => l.reqId === 'failing-1')
      expect(line).toMatchObject({ level: 50, status: 500, route: '/api/units/:unit/years/:year/tables/:table', actor: { name: 'tester-auditor', role: 'auditor' } })
      expect(line!.err.message).toMatch(/not open/)
      expect(line!.err.stack).toMatch(/\n\s+at /)
      expect(t.logged).toHaveLength(1)
    } finally {
      await t.close()
    }
  })
})

describe('the access line written without pino’s walk of its fields', () => {
  it('given a logger with pino’s isoTime, when a cached read and a command are logged, then each line is byte for byte what pino writes for the same fields', async () => {
    const text: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        text.push(...chunk.toString('utf8').split(/(?<=\n)/))
        done()
      },
    })
    const logger = pino({ level: 'info', timestamp: pino.stdTimeFunctions.isoTime }, stream)
    const t = await startServer({ fixture: true, accessLog: logger })
    try {
      await t.request('GET', `${TABLE}?asOf=2030-01-01T00:00:00Z`, { token: 'auditor' })
      await t.request('GET', TABLE, { token: 'auditor' })
      await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody() })
      const ours = text.slice(-3)
      for (const line of ours) {
        const { level, time, pid, hostname, msg, ...fields } = JSON.parse(line) as Record<string, unknown>
        expect([level, msg, typeof time, typeof pid, typeof hostname]).toEqual([30, 'request', 'string', 'number', 'string'])
        logger.info(fields, 'request')
        // pino's own line, but for its later time.
        const pinos = text.at(-1)!
        expect(pinos.replace(/"time":"[^"]+"/, '')).toBe(line.replace(/"time":"[^"]+"/, ''))
      }
      expect(ours.map((l) => JSON.parse(l).cache)).toEqual(['miss', 'miss', undefined])
    } finally {
      await t.close()
    }
  })
})

describe('the render cache of reads', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer({ fixture: true, metricsToken: METRICS_TOKEN })
  })
  afterAll(async () => {
    expect(t.logged).toEqual([])
    await t.close()
  })
  const hits = async () => sample(await scrape(t), 'ledger_render_cache_hits_total')
  const misses = async () => sample(await scrape(t), 'ledger_render_cache_misses_total')
  const p01 = (table: any): string => JSON.stringify(table.rows)

  it('given a table read twice, then the second answer is the same bytes and ETag, from the cache; a write in between changes body and ETag; If-None-Match answers 304 without rendering', async () => {
    const h0 = await hits()
    const first = await t.request('GET', TABLE, { token: 'dashboard' })
    const second = await t.request('GET', TABLE, { token: 'dashboard' })
    expect(second.status).toBe(200)
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(second.body).toEqual(first.body)
    expect(await hits()).toBe(h0 + 1)

    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('10000.00') })).status).toBe(201)
    const third = await t.request('GET', TABLE, { token: 'dashboard' })
    expect(third.headers.get('etag')).not.toBe(first.headers.get('etag'))
    expect(p01(third.body)).not.toBe(p01(first.body))
    expect(third.body.rows).toContainEqual(expect.arrayContaining(['81.00']))

    const m0 = await misses()
    const h1 = await hits()
    const notModified = await t.request('GET', TABLE, { token: 'dashboard', headers: { 'if-none-match': third.headers.get('etag')! } })
    expect(notModified.status).toBe(304)
    expect(notModified.headers.get('etag')).toBe(third.headers.get('etag'))
    expect(await misses()).toBe(m0)
    expect(await hits()).toBe(h1)
  })

  it('given reads of a table answered from the cache, afresh and as not modified, when /metrics is scraped, then each is counted under its answer in the read latency histogram', async () => {
    const series = (answer: string) => `ledger_read_duration_seconds_count{read="tables",answer="${answer}"}`
    const before = await scrape(t)
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00') })).status).toBe(201)
    const fresh = await t.request('GET', TABLE, { token: 'dashboard' })
    const kept = await t.request('GET', TABLE, { token: 'dashboard' })
    expect((await t.request('GET', TABLE, { token: 'dashboard', headers: { 'if-none-match': kept.headers.get('etag')! } })).status).toBe(304)
    expect([fresh.status, kept.status]).toEqual([200, 200])
    const after = await scrape(t)
    expect(['miss', 'hit', 'not-modified'].map((a) => sample(after, series(a)) - sample(before, series(a)))).toEqual([1, 1, 1])
  })

  it('given a warm read, when the table is read again with nothing written, then the store is not asked for the revision; after a write it is, once', async () => {
    await t.request('GET', TABLE, { token: 'dashboard' })
    const asked = vi.spyOn(t.store, 'streamRevision')
    try {
      for (let i = 0; i < 3; i++) expect((await t.request('GET', TABLE, { token: 'dashboard' })).status).toBe(200)
      expect(asked).not.toHaveBeenCalled()
      expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00') })).status).toBe(201)
      asked.mockClear()
      for (let i = 0; i < 3; i++) await t.request('GET', TABLE, { token: 'dashboard' })
      expect(asked).toHaveBeenCalledTimes(1)
    } finally {
      asked.mockRestore()
    }
  })

  it('given the 决算 情况说明 read twice, then the second comes from the cache with the same ETag (its own), If-None-Match answers 304, and a write anywhere renders it again', async () => {
    const path = `${YEAR_PATH}/final-report`
    const first = await t.request('GET', path, { token: 'dashboard' })
    expect(first.status).toBe(200)
    const h0 = await hits()
    const second = await t.request('GET', path, { token: 'dashboard' })
    expect(second.body).toEqual(first.body)
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(await hits()).toBe(h0 + 1)
    expect((await t.request('GET', path, { token: 'dashboard', headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304)
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('20000.00') })).status).toBe(201)
    const m0 = await misses()
    const after = await t.request('GET', path, { token: 'dashboard' })
    expect(await misses()).toBe(m0 + 1)
    expect(after.headers.get('etag')).not.toBe(first.headers.get('etag'))
  })

  it('given a table cached, when another process appends to the same file, then the next read shows its write, not the cached body', async () => {
    const cached = await t.request('GET', TABLE, { token: 'dashboard' })
    await t.request('GET', TABLE, { token: 'dashboard' })
    const other = new SqliteEventStore(t.dbPath)
    try {
      const add = { type: 'AddToLine', data: { line: 'p01', amount: '30000.00', category: 'ordinary' } } as Command
      const r = await recordCommand(ledgerDeps(other), { unit: '900001', year: 2021 }, add, { reason: '另一进程', document: '测试〔2021〕9号', effectiveDate: '2021-05-02' }, { name: 'other-process', role: 'finance' })
      expect(r._tag).toBe('Right')
    } finally {
      await other.close()
    }
    const after = await t.request('GET', TABLE, { token: 'dashboard' })
    expect(Number(JSON.parse(after.headers.get('etag')!))).toBe(Number(JSON.parse(cached.headers.get('etag')!)) + 1)
    expect(p01(after.body)).not.toBe(p01(cached.body))
  })

  it('given the indicators and a table as of a moment read twice, then the second of each comes from the cache; a write dated back into the view changes it', async () => {
    const h0 = await hits()
    const ind = await t.request('GET', `${YEAR_PATH}/indicators`, { token: 'dashboard' })
    expect((await t.request('GET', `${YEAR_PATH}/indicators`, { token: 'dashboard' })).body).toEqual(ind.body)
    const asOf = `${TABLE}?effective=2021-06-30`
    const a = await t.request('GET', asOf, { token: 'dashboard' })
    const b = await t.request('GET', asOf, { token: 'dashboard' })
    expect(b.body).toEqual(a.body)
    expect(b.headers.get('etag')).toBeNull()
    expect(await hits()).toBe(h0 + 2)
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: { ...addBody('50000.00'), effectiveDate: '2021-06-01' } })).status).toBe(201)
    const c = await t.request('GET', asOf, { token: 'dashboard' })
    expect(p01(c.body)).not.toBe(p01(a.body))
  })
})

describe('the render cache of a department’s reads', () => {
  it('given a department’s table read once, when it is read again with nothing written, then the store is asked nothing and the bytes come from the cache; a member’s write changes them', async () => {
    const t = await startServer({ metricsToken: METRICS_TOKEN })
    try {
      await buildDepartment(t.store)
      const path = `${DEPARTMENT_PATH}/tables/fiscal-appropriation-summary`
      const first = await t.request('GET', path, { token: 'dashboard' })
      expect(first.status).toBe(200)
      const hits = sample(await scrape(t), 'ledger_render_cache_hits_total')
      const listed = vi.spyOn(t.store, 'listStreams')
      const asked = vi.spyOn(t.store, 'streamRevision')
      const again = await t.request('GET', path, { token: 'dashboard' })
      expect(again.body).toEqual(first.body)
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'))
      expect(listed).not.toHaveBeenCalled()
      expect(asked).not.toHaveBeenCalled()
      expect(sample(await scrape(t), 'ledger_render_cache_hits_total')).toBe(hits + 1)
      listed.mockRestore()
      asked.mockRestore()
      const add = { ...addBody('10000.00', 'p1'), effectiveDate: '2021-05-01' }
      expect((await t.request('POST', `/api/units/${MEMBERS[1]}/years/2021/commands`, { token: 'finance', body: add })).status).toBe(201)
      const after = await t.request('GET', path, { token: 'dashboard' })
      expect(after.headers.get('etag')).not.toBe(first.headers.get('etag'))
      expect(JSON.stringify(after.body.rows)).not.toBe(JSON.stringify(first.body.rows))
    } finally {
      await t.close()
    }
  })
})

describe('readiness and liveness', () => {
  it('given a server on a SQLite file, when the file is removed, then /ready answers 503 naming it while /health stays 200; and 503 once the store is closed', async () => {
    const t = await startServer({ fixture: true })
    try {
      expect((await t.request('GET', '/ready')).status).toBe(200)
      for (const f of [t.dbPath, `${t.dbPath}-wal`, `${t.dbPath}-shm`]) {
        try {
          unlinkSync(f)
        } catch {
          /* not every one exists */
        }
      }
      const gone = await t.request('GET', '/ready')
      expect(gone.status).toBe(503)
      expect(isProblem(gone)).toBe(true)
      expect(gone.body.detail).toContain(`the database file ${t.dbPath} is gone`)
      expect(gone.headers.get('retry-after')).toBe('5')
      expect((await t.request('GET', '/health')).status).toBe(200)
      await t.store.close()
      const closed = await t.request('GET', '/ready')
      expect(closed.status).toBe(503)
      expect(closed.body.detail).toMatch(/the sqlite store failed a read: .*not open/)
      expect((await t.request('GET', '/health')).status).toBe(200)
    } finally {
      await t.close()
    }
  })
})

describe('readiness on EventStoreDB', () => {
  it('given the ledger on an EventStoreDB server, when the server stops, then the store is no longer ready, within the check’s time bound', async () => {
    const server = await startTestEventStore()
    const store = new EventStoreDbStore(server.connectionString)
    try {
      expect(await whyNotReady(store, 5000)).toBeUndefined()
      await server.stop()
      const started = Date.now()
      expect(await whyNotReady(store, 1500)).toMatch(/^the eventstoredb store (failed a read|did not answer a read within 1500 ms)/)
      expect(Date.now() - started).toBeLessThan(3000)
    } finally {
      await store.close()
    }
  })
})

describe('the server as npm start runs it', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-observe-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const env = (extra: Record<string, string>) => ({ LEDGER_DB: join(dir, 'ledger.db'), LEDGER_USERS_FILE: join(dir, 'users.json'), LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES), ...extra })

  it('given LOG_LEVEL, LEDGER_LOG_FILE and LEDGER_METRICS_TOKEN, when it serves a request, then the line goes to the file, and the scraper reads /metrics', async () => {
    const file = join(dir, 'logs', 'access.log')
    const s = await spawnServer(dir, env({ LOG_LEVEL: 'info', LEDGER_LOG_FILE: file, LEDGER_METRICS_TOKEN: METRICS_TOKEN }), ['--sample'])
    try {
      expect(s.output()).toContain(`access log (info) to ${file}`)
      expect((await send(s.url, 'GET', '/api/units', { token: 'dashboard', headers: { 'x-request-id': 'spawned-1' } })).status).toBe(200)
      expect((await send(s.url, 'GET', '/metrics', { token: METRICS_TOKEN })).status).toBe(200)
      // Lines are written in batches (access-logger.ts): the server keeps running, and the line comes.
      const line = await vi.waitFor(() => {
        const found = logLines(file).find((l) => l.reqId === 'spawned-1')
        if (found === undefined) throw new Error('not written yet')
        return found
      }, { timeout: 30_000, interval: 50 })
      expect(line).toMatchObject({ route: '/api/units', status: 200, actor: { role: 'dashboard' } })
      expect(readFileSync(file, 'utf8')).not.toContain(TOKENS.dashboard)
    } finally {
      await stopServer(s)
    }
  })

  it('given the access log to a file, when the server is stopped right after answering, then every request it answered has its line in the file', async () => {
    const file = join(dir, 'logs', 'stopped.log')
    const s = await spawnServer(dir, env({ LEDGER_LOG_FILE: file }))
    const ids = ['last-1', 'last-2', 'last-3']
    try {
      for (const id of ids) expect((await send(s.url, 'GET', '/api/units', { token: 'dashboard', headers: { 'x-request-id': id } })).status).toBe(200)
    } finally {
      await stopServer(s)
    }
    expect(logLines(file).filter((l) => ids.includes(l.reqId)).map((l) => [l.reqId, l.status])).toEqual(ids.map((id) => [id, 200]))
  })

  it.each([
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "loud"/],
    ['LEDGER_METRICS_TOKEN', 'short', /LEDGER_METRICS_TOKEN: expected at least 24 characters/],
  ])('given %s=%s, then the server does not start and says why', async (name, value, message) => {
    const failed = await spawnServer(dir, env({ [name]: value })).then(
      async (s) => {
        await stopServer(s)
        return 'started'
      },
      (err: Error) => err.message,
    )
    expect(failed).toMatch(message)
  })
})
