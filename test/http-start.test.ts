import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Spawned, send, spawnServer, stopServer } from './support/http'

/** The real entry of `npm start` in a fresh folder: defaults only (./data/ledger.db, ./data/tokens.json). */
describe('npm start: a fresh folder serves the sample, with local tokens', () => {
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
    first = await spawnServer(dir)
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
    const again = await spawnServer(dir)
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
