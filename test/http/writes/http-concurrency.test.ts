import Decimal from 'decimal.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toWan } from '../../../src/domain/money/money'
import { type Spawned, TOKEN_ENTRIES, YEAR_PATH, addBody, fixtureBudgetFile, isProblem, lineOf, send, serverForTests, spawnServer, stopServer } from '../../support/shells/http'

describe('HTTP concurrency: no lost update, stale If-Match refused', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given 50 clients each adding 1.00 to the same line without If-Match, then all succeed and the line rises by exactly 50.00', async () => {
    const before = await lineOf(t, 'p01')
    const eventsBefore = await t.eventCount()
    const tableBefore = await t.request('GET', `${YEAR_PATH}/tables/expenditure-summary`, { token: 'dashboard' })

    const replies = await Promise.all(
      Array.from({ length: 50 }, () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00') })),
    )

    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201))
    // Each got its own revision: no two were decided on the same state.
    expect(new Set(replies.map((r) => r.body.revision)).size).toBe(50)
    const after = await lineOf(t, 'p01')
    expect(new Decimal(after.adjusted).minus(before.adjusted).toFixed(2)).toBe('50.00')
    expect(after.added).toBe('50.00')
    expect(await t.eventCount()).toBe(eventsBefore + 50)

    const history = await t.request('GET', `${YEAR_PATH}/events?from=0`, { token: 'auditor' })
    expect(history.body.events.filter((e: { type: string }) => e.type === 'BudgetAdded')).toHaveLength(50)
    expect(history.body.events.every((e: { metadata: { actor: string } }) => e.metadata.actor === 'tester-finance')).toBe(true)

    // The table is in 万元: the 项目支出 total shows the 50.00 元 after rounding, from the same events.
    const table = await t.request('GET', `${YEAR_PATH}/tables/expenditure-summary`, { token: 'dashboard' })
    expect(table.status).toBe(200)
    const totalRow = (rows: string[][]) => rows.find((r) => r[1] === '合计')!
    const summary = await t.request('GET', YEAR_PATH, { token: 'dashboard' })
    expect(totalRow(table.body.rows)[2]).toBe(toWan(new Decimal(summary.body.totals.adjusted)))
    expect(table.headers.get('etag')).toBe(`"${summary.body.revision}"`)
    expect(Number(JSON.parse(table.headers.get('etag')!))).toBe(Number(JSON.parse(tableBefore.headers.get('etag')!)) + 50)
  })

  it('given a read at revision N and a change since, when a command carries If-Match N, then 412 with the current revision and nothing is written', async () => {
    const read = await t.request('GET', YEAR_PATH, { token: 'finance' })
    const etag = read.headers.get('etag')!
    expect(etag).toMatch(/^"\d+"$/)
    expect(JSON.parse(etag)).toBe(String(read.body.revision))

    const first = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('5.00'), headers: { 'if-match': etag } })
    expect(first.status).toBe(201)
    expect(first.headers.get('etag')).toBe(`"${read.body.revision + 1}"`)

    const count = await t.eventCount()
    const second = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('7.00'), headers: { 'if-match': etag } })
    expect(second.status).toBe(412)
    expect(isProblem(second)).toBe(true)
    expect(second.body.currentRevision).toBe(read.body.revision + 1)
    expect(second.headers.get('etag')).toBe(`"${read.body.revision + 1}"`)
    expect(await t.eventCount()).toBe(count)
    expect((await lineOf(t, 'p01')).added).toBe('5.00')
  })

  it('when If-Match is the current revision, then the command is recorded; a weak or malformed tag is a 400 problem', async () => {
    const read = await t.request('GET', YEAR_PATH, { token: 'finance' })
    const ok = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody(), headers: { 'if-match': read.headers.get('etag')! } })
    expect(ok.status).toBe(201)
    const count = await t.eventCount()
    for (const bad of ['W/"1"', '7', '"abc"']) {
      const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody(), headers: { 'if-match': bad } })
      expect(r.status).toBe(400)
      expect(isProblem(r)).toBe(true)
    }
    expect(await t.eventCount()).toBe(count)
  })

  it('when a reader sends If-None-Match with the current ETag, then 304; after a change, 200 with the new ETag', async () => {
    const read = await t.request('GET', YEAR_PATH, { token: 'dashboard' })
    const etag = read.headers.get('etag')!
    const again = await t.request('GET', YEAR_PATH, { token: 'dashboard', headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody() })
    const changed = await t.request('GET', YEAR_PATH, { token: 'dashboard', headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
  })

  it('with ?dryRun=true, then 200 with the events it would record, and nothing is written', async () => {
    const count = await t.eventCount()
    const r = await t.request('POST', `${YEAR_PATH}/commands?dryRun=true`, { token: 'finance', body: addBody('9.00') })
    expect(r.status).toBe(200)
    expect(r.body.dryRun).toBe(true)
    expect(r.body.events).toEqual([{ type: 'BudgetAdded', revision: r.body.revision, data: { line: 'p01', amount: '9.00', category: 'ordinary' } }])
    expect(await t.eventCount()).toBe(count)
  })
})

describe('HTTP concurrency across processes: two servers on one SQLite file', () => {
  let dir: string
  let servers: Spawned[] = []
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-two-'))
    const env = { LEDGER_DB: join(dir, 'ledger.db'), LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES) }
    // One after the other: the first creates the database file, the second opens it.
    servers = [await spawnServer(dir, env)]
    servers.push(await spawnServer(dir, env))
  })
  afterEach(async () => {
    await Promise.all(servers.map(stopServer))
    rmSync(dir, { recursive: true, force: true })
  })

  it('given 50 clients spread over both, each adding 1.00 to the same line, then all succeed and the line rises by exactly 50.00', async () => {
    const [a, b] = servers as [Spawned, Spawned]
    expect((await send(a.url, 'POST', '/api/budget-files', { token: 'finance', body: fixtureBudgetFile() })).status).toBe(201)
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(i % 2 ? a.url : b.url, 'POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00') })),
    )
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201))
    expect(new Set(replies.map((r) => r.body.revision)).size).toBe(50)
    for (const s of [a, b]) {
      const summary = await send(s.url, 'GET', YEAR_PATH, { token: 'auditor' })
      expect(summary.body.lines.find((l: { line: string }) => l.line === 'p01')).toMatchObject({ initial: '500000.00', added: '50.00', adjusted: '500050.00' })
      const history = await send(s.url, 'GET', `${YEAR_PATH}/events`, { token: 'auditor' })
      expect(history.body.events.filter((e: { type: string }) => e.type === 'BudgetAdded')).toHaveLength(50)
      expect(history.body.events.map((e: { revision: number }) => e.revision)).toEqual(Array.from({ length: history.body.events.length }, (_, i) => i))
    }
  })
})
