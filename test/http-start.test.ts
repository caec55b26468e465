import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Decimal from 'decimal.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SqliteEventStore } from '../src/store/sqlite'
import { type Spawned, TOKENS, TOKEN_ENTRIES, send, spawnServer, stopServer } from './support/http'

/** The real entry of `npm start -- --sample` in a fresh folder: defaults only (./data/ledger.db, ./data/tokens.json). */
describe('npm start -- --sample: a fresh folder serves the sample, with local tokens', () => {
  let dir: string
  let first: Spawned | undefined
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-start-'))
  })
  afterAll(async () => {
    if (first) await stopServer(first)
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves the 2021 sample; the created finance token records an adjustment that the next table read shows', async () => {
    first = await spawnServer(dir, {}, ['--sample'])
    const tokensFile = join(dir, 'data', 'tokens.json')
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(first.output()).toContain(tokensFile)
    expect(first.output()).toContain('loaded the 2021 sample')
    expect(existsSync(join(dir, 'data', 'ledger.db'))).toBe(true)
    if (process.platform !== 'win32') expect(statSync(tokensFile).mode & 0o777).toBe(0o600)
    const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as Array<{ token: string; role: string }>
    const finance = tokens.find((t) => t.role === 'finance')!.token
    const dashboard = tokens.find((t) => t.role === 'dashboard')!.token
    // Tokens are never printed, only where they are.
    for (const t of tokens) expect(first.output()).not.toContain(t.token)

    expect((await send(first.url, 'GET', '/health')).status).toBe(200)
    expect((await send(first.url, 'GET', '/api/units')).status).toBe(401)
    const units = await send(first.url, 'GET', '/api/units', { token: dashboard })
    expect(units.body).toEqual([{ unit: '101065', name: '工信科技金融办', years: [2021] }])

    const tablePath = '/api/units/101065/years/2021/tables/3'
    const before = await send(first.url, 'GET', tablePath, { token: dashboard })
    expect(before.status).toBe(200)
    const total = (rows: string[][]) => rows.find((r) => r[1] === '合计')![2]!
    expect(total(before.body.rows)).toBe('904.34')

    const summary = await send(first.url, 'GET', '/api/units/101065/years/2021', { token: finance })
    const line = summary.body.lines.find((l: { kind: string }) => l.kind === 'project').line as string
    const add = await send(first.url, 'POST', '/api/units/101065/years/2021/commands', {
      token: finance,
      headers: { 'if-match': summary.headers.get('etag')! },
      body: {
        type: 'AddToLine',
        data: { line, amount: '10000.00', category: 'ordinary' },
        reason: '年中追加',
        document: '财预〔2021〕7号',
        effectiveDate: '2021-07-01',
      },
    })
    expect(add.status).toBe(201)

    const after = await send(first.url, 'GET', tablePath, { token: dashboard })
    expect(total(after.body.rows)).toBe(new Decimal(total(before.body.rows)).plus(1).toFixed(2))
    expect(after.headers.get('etag')).toBe(add.headers.get('etag'))
  })

  it('a second start on the same folder keeps the ledger and the tokens, and does not announce them again', async () => {
    if (first) await stopServer(first)
    first = undefined
    const tokensBefore = readFileSync(join(dir, 'data', 'tokens.json'), 'utf8')
    const again = await spawnServer(dir, {}, ['--sample'])
    try {
      expect(again.output()).not.toContain('loaded the 2021 sample')
      expect(again.output()).not.toContain('created')
      expect(again.output()).toContain('tokens: 3 from')
      expect(readFileSync(join(dir, 'data', 'tokens.json'), 'utf8')).toBe(tokensBefore)
      const auditor = (JSON.parse(tokensBefore) as Array<{ token: string; role: string }>).find((t) => t.role === 'auditor')!.token
      const history = await send(again.url, 'GET', '/api/units/101065/years/2021/events', { token: auditor })
      expect(history.body.events.at(-1).type).toBe('BudgetAdded')
      expect(history.body.events.at(-1).metadata).toMatchObject({ actor: 'local-finance', role: 'finance', document: '财预〔2021〕7号' })
      expect(history.body.events[0].metadata).toMatchObject({ actor: 'system:sample-loader' })
    } finally {
      await stopServer(again)
    }
  })
})

describe('npm start on an empty ledger: the sample only when asked for', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-empty-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** Starts the server on a fresh ledger, and returns what it printed, its units and the events of the file. */
  const startOnce = async (env: Record<string, string>, args: string[] = []) => {
    const db = join(dir, 'ledger.db')
    const s = await spawnServer(dir, { LEDGER_DB: db, LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES), ...env }, args)
    let units: unknown
    try {
      units = (await send(s.url, 'GET', '/api/units', { token: TOKENS.dashboard })).body
    } finally {
      await stopServer(s)
    }
    const store = new SqliteEventStore(db)
    const events = await store.readAll()
    await store.close()
    return { output: s.output(), units, events }
  }

  it('given an empty store, when started without asking, then it records no event and says how to load a budget', async () => {
    const { output, units, events } = await startOnce({})
    expect(events).toEqual([])
    expect(units).toEqual([])
    expect(output).not.toContain('loaded the 2021 sample')
    expect(output).toContain('the ledger is empty: import a budget file')
  })

  it('given an empty store, when started with LEDGER_SAMPLE=1, then it holds the 2021 sample', async () => {
    const { output, units, events } = await startOnce({ LEDGER_SAMPLE: '1' })
    expect(output).toContain('loaded the 2021 sample (unit 101065')
    expect(units).toEqual([{ unit: '101065', name: '工信科技金融办', years: [2021] }])
    expect(events.length).toBeGreaterThan(0)
    expect(events.every((e) => e.metadata.actor === 'system:sample-loader')).toBe(true)
  })

  it('given LEDGER_SAMPLE or an argument it does not understand, then it refuses to start, naming it, and writes nothing', async () => {
    for (const [env, args, said] of [
      [{ LEDGER_SAMPLE: 'yes' }, [], 'LEDGER_SAMPLE: expected 1'],
      [{}, ['--sampel'], 'unknown argument "--sampel"'],
    ] as const) {
      const failed = await spawnServer(dir, { LEDGER_DB: join(dir, 'ledger.db'), LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES), ...env }, args).then(
        async (s) => {
          await stopServer(s)
          return 'started'
        },
        (err: Error) => err.message,
      )
      expect(failed).toContain(`budget-ledger: cannot start: ${said}`)
      expect(existsSync(join(dir, 'ledger.db'))).toBe(false)
    }
  })
})
