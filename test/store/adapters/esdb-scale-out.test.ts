import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventStoreDbStore } from '../../../src/store/eventstoredb/eventstoredb'
import { verifyStream } from '../../../src/store/chain/hash-chain'
import { startTestEventStore, type TestEventStore } from '../../esdb/server'
import { newEvent } from './store-contract'
import { FIXTURE, type LineView, type Reply, TOKEN_ENTRIES, YEAR_PATH, addBody, fixtureBudgetFile, send } from '../../support/shells/http'

/**
 * Scale-out on EventStoreDB: two ledger API processes (`src/http/server/main.ts`, what `npm start`
 * runs), each a child process on its own ephemeral port, share one EventStoreDB (the in-process
 * test server, spoken to through the real client). What one records, the other serves at once;
 * concurrent commands split across both never lose an update: the optimistic concurrency of the
 * store (expected revision, WrongExpectedVersion → decide again) holds across processes.
 */
const ROOT = resolve(__dirname, '..', '..', '..')
const STREAM = `budget-${FIXTURE.unit}-${FIXTURE.year}`

interface Ledger {
  readonly url: string
  readonly process: ChildProcess
  /** What the process wrote to stderr (unexpected errors are logged there). */
  readonly stderr: () => string
  stop(): Promise<void>
}

/** Starts the API as its own process on a free port; resolves when it says where it listens. */
const startLedger = (connectionString: string): Promise<Ledger> =>
  new Promise((done, fail) => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: process.env.TMPDIR ?? '/tmp',
      EVENTSTORE_CONNECTION_STRING: connectionString,
      PORT: '0',
      HOST: '127.0.0.1',
      LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES),
    }
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/http/server/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    const ledger = (url: string): Ledger => ({
      url,
      process: child,
      stderr: () => stderr,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
        await exited
      },
    })
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
      if (m) done(ledger(m[1]!))
    })
    child.once('error', fail)
    child.once('exit', (code, signal) => fail(new Error(`the ledger exited before listening (${code ?? signal}): ${stderr}${stdout}`)))
  })

const lineOf = async (url: string, line: string): Promise<LineView & { revision: number }> => {
  const r = await send(url, 'GET', YEAR_PATH, { token: 'auditor' })
  expect(r.status).toBe(200)
  const found = (r.body.lines as LineView[]).find((l) => l.line === line)
  if (!found) throw new Error(`no line ${line}`)
  return { ...found, revision: r.body.revision }
}

const totalOf = (table: Reply): string => (table.body.rows as string[][]).find((r) => r[1] === '合计')![2]!

describe('two ledger processes on one EventStoreDB', () => {
  let server: TestEventStore
  let a: Ledger
  let b: Ledger
  let store: EventStoreDbStore

  beforeAll(async () => {
    server = await startTestEventStore({ batchAppend: true })
    store = new EventStoreDbStore(server.connectionString)
    ;[a, b] = await Promise.all([startLedger(server.connectionString), startLedger(server.connectionString)])
    const imported = await send(a.url, 'POST', '/api/budget-files', { token: 'finance', body: fixtureBudgetFile() })
    expect(imported.status).toBe(201)
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await store?.close()
    await server?.stop()
  })

  it('runs as two processes on two ports against the same server', () => {
    expect(a.url).not.toBe(b.url)
    expect(a.process.pid).not.toBe(b.process.pid)
  })

  it('a command recorded through one shows in the other’s table read within a second', async () => {
    const table = `${YEAR_PATH}/tables/expenditure-summary`
    const before = await send(b.url, 'GET', table, { token: 'dashboard' })
    expect(before.status).toBe(200)

    const recorded = await send(a.url, 'POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('12345.00') })
    expect(recorded.status).toBe(201)
    const etag = `"${recorded.body.revision}"`

    // Bounded poll: the other process must serve the new revision within a second.
    const deadline = Date.now() + 1000
    let seen = await send(b.url, 'GET', table, { token: 'dashboard' })
    while (seen.headers.get('etag') !== etag && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25))
      seen = await send(b.url, 'GET', table, { token: 'dashboard' })
    }
    expect(seen.status).toBe(200)
    expect(seen.headers.get('etag')).toBe(etag)
    // 800000.00 + 12345.00 元 = 81.23 万元 (the 合计 of 项目 and 基本 支出).
    expect(totalOf(before)).toBe('80.00')
    expect(totalOf(seen)).toBe('81.23')
  })

  it('20 concurrent “add 1.00” commands split across both never lose an update: the line rises by exactly 20.00', async () => {
    const before = await lineOf(a.url, 'p02')
    const eventsBefore = (await store.readStream(STREAM)).length

    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(i % 2 === 0 ? a.url : b.url, 'POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00', 'p02') })),
    )

    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201))
    // Each was decided on its own state: twenty distinct revisions, no two on the same.
    expect(new Set(replies.map((r) => r.body.revision)).size).toBe(20)
    for (const url of [a.url, b.url]) {
      const after = await lineOf(url, 'p02')
      expect(new Decimal(after.added).minus(before.added).toFixed(2)).toBe('20.00')
      expect(new Decimal(after.adjusted).minus(before.adjusted).toFixed(2)).toBe('20.00')
      expect(after.revision).toBe(before.revision + 20)
    }
    const events = await store.readStream(STREAM)
    expect(events).toHaveLength(eventsBefore + 20)
    expect(events.filter((e) => e.type === 'BudgetAdded' && (e.data as { line: string }).line === 'p02')).toHaveLength(20)
    expect(verifyStream(events)).toBeUndefined()
    // Nothing failed unexpectedly in either process.
    expect(a.stderr()).toBe('')
    expect(b.stderr()).toBe('')
  })

  it('a third process started on a log of 12,000 other events answers its first command and lists the units without reading $all: the server sends it no event of $all', async () => {
    for (let i = 0; i < 60; i++)
      await store.append(`filler-${i}`, Array.from({ length: 200 }, (_, n) => ({ ...newEvent('Filler', { n }) })), 'no_stream')
    const before = server.sent.all
    const c = await startLedger(server.connectionString)
    try {
      const recorded = await send(c.url, 'POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00', 'p01') })
      expect(recorded.status).toBe(201)
      const units = await send(c.url, 'GET', '/api/units', { token: 'auditor' })
      expect(units.body).toEqual([expect.objectContaining({ unit: FIXTURE.unit, years: [FIXTURE.year] })])
      expect((await lineOf(c.url, 'p01')).revision).toBe(recorded.body.revision)
      expect(server.sent.all - before).toBe(0)
      expect(c.stderr()).toBe('')
    } finally {
      await c.stop()
    }
  })
})
