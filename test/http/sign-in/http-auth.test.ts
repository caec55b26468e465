import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../src/http/access/roles'
import { ROUTES } from '../../../src/http/routes'
import { TokenConfigError, loadTokens, tokenHash } from '../../../src/http/access/tokens'
import { TokenRegistry } from '../../../src/http/access/auth'
import { FIXTURE, TOKENS, YEAR_PATH, addBody, fixtureBudgetFile, isProblem, serverForTests } from '../../support/shells/http'

type Who = 'none' | Role
const WHO: ReadonlyArray<Who> = ['none', 'dashboard', 'auditor', 'finance']

/** Every route with the status each caller gets. A new route must be added here. */
const MATRIX: ReadonlyArray<{ method: string; path: string; route: string; expect: Record<Who, number>; body?: (who: Who) => unknown }> = [
  { method: 'GET', route: '/health', path: '/health', expect: { none: 200, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/ready', path: '/ready', expect: { none: 200, dashboard: 200, auditor: 200, finance: 200 } },
  // The server's own figures: for the scraper's token (LEDGER_METRICS_TOKEN, test/http/server/observe.test.ts) and auditors, never a role that records or only reads tables.
  { method: 'GET', route: '/metrics', path: '/metrics', expect: { none: 401, dashboard: 403, auditor: 200, finance: 403 } },
  { method: 'GET', route: '/openapi.json', path: '/openapi.json', expect: { none: 200, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/time-zone', path: '/api/time-zone', expect: { none: 200, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units', path: '/api/units', expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit', path: '/api/units/900001', expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year', path: YEAR_PATH, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/tables', path: `${YEAR_PATH}/tables`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/tables/:table', path: `${YEAR_PATH}/tables/3`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/indicators', path: `${YEAR_PATH}/indicators`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/tables/:table.csv', path: `${YEAR_PATH}/tables/3.csv`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/tables/:table.xlsx', path: `${YEAR_PATH}/tables/3.xlsx`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/budget-files/template.xlsx', path: '/api/budget-files/template.xlsx', expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/workbook.xlsx', path: `${YEAR_PATH}/workbook.xlsx`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/final-tables', path: `${YEAR_PATH}/final-tables`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/final-tables/:table', path: `${YEAR_PATH}/final-tables/5`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/final-tables/:table.csv', path: `${YEAR_PATH}/final-tables/6.csv`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/final-tables/:table.xlsx', path: `${YEAR_PATH}/final-tables/F1.xlsx`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/final-workbook.xlsx', path: `${YEAR_PATH}/final-workbook.xlsx`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/report', path: `${YEAR_PATH}/report`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/final-report', path: `${YEAR_PATH}/final-report`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/execution', path: `${YEAR_PATH}/execution`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/live', path: `${YEAR_PATH}/live`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/history', path: `${YEAR_PATH}/history`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/lines/:line', path: `${YEAR_PATH}/lines/p01`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/history.csv', path: `${YEAR_PATH}/history.csv?type=BudgetAdded&effectiveFrom=2021-01-01`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/history.xlsx', path: `${YEAR_PATH}/history.xlsx?document=x&person=y`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/tables/:table/diff', path: `${YEAR_PATH}/tables/3/diff?from=2021-01-01`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/tables/:table/explain', path: `${YEAR_PATH}/tables/3/explain?row=合计&column=合计`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/audit/verify', path: '/api/audit/verify', expect: { none: 401, dashboard: 403, auditor: 200, finance: 403 } },
  { method: 'GET', route: '/api/audit/digest', path: '/api/audit/digest', expect: { none: 401, dashboard: 403, auditor: 200, finance: 403 } },
  { method: 'GET', route: '/api/audit/proofs/consistency', path: '/api/audit/proofs/consistency?from=1&to=2', expect: { none: 401, dashboard: 403, auditor: 200, finance: 403 } },
  // No event has this id: the auditor passes the role check and is told so; the others never get that far.
  { method: 'GET', route: '/api/audit/proofs/inclusion', path: '/api/audit/proofs/inclusion?event=00000000-0000-4000-8000-000000000000&treeSize=1', expect: { none: 401, dashboard: 403, auditor: 404, finance: 403 } },
  // No department in the fixture: a reader is let through to the 404, the rest are stopped before it.
  { method: 'GET', route: '/api/departments', path: '/api/departments', expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/tables', path: '/api/departments/900500/years/2021/tables', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/tables/:table', path: '/api/departments/900500/years/2021/tables/1', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/final-tables', path: '/api/departments/900500/years/2021/final-tables', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/final-tables/:table', path: '/api/departments/900500/years/2021/final-tables/F1', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/tables/:table.csv', path: '/api/departments/900500/years/2021/tables/1.csv', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/tables/:table.xlsx', path: '/api/departments/900500/years/2021/tables/1.xlsx', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/workbook.xlsx', path: '/api/departments/900500/years/2021/workbook.xlsx', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/final-tables/:table.csv', path: '/api/departments/900500/years/2021/final-tables/F1.csv', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/final-tables/:table.xlsx', path: '/api/departments/900500/years/2021/final-tables/F1.xlsx', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/final-workbook.xlsx', path: '/api/departments/900500/years/2021/final-workbook.xlsx', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/report', path: '/api/departments/900500/years/2021/report', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/final-report', path: '/api/departments/900500/years/2021/final-report', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/indicators', path: '/api/departments/900500/years/2021/indicators', expect: { none: 401, dashboard: 404, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/indicators/:indicator/events', path: '/api/departments/900500/years/2021/indicators/budget-execution/events', expect: { none: 401, dashboard: 403, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/departments/:department/years/:year/tables/:table/explain', path: `/api/departments/900500/years/2021/tables/3/explain?row=${encodeURIComponent('合计')}&column=${encodeURIComponent('合计')}`, expect: { none: 401, dashboard: 403, auditor: 404, finance: 404 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/indicators/:indicator/events', path: `${YEAR_PATH}/indicators/${encodeURIComponent('预算调整率')}/events`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/events', path: `${YEAR_PATH}/events`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  {
    method: 'POST',
    route: '/api/units/:unit/years/:year/commands',
    path: `${YEAR_PATH}/commands`,
    expect: { none: 401, dashboard: 403, auditor: 403, finance: 201 },
    body: () => addBody('10.00'),
  },
  {
    method: 'POST',
    route: '/api/budget-files',
    path: '/api/budget-files',
    expect: { none: 401, dashboard: 403, auditor: 403, finance: 201 },
    body: (who) => ({ ...fixtureBudgetFile(), unit: { code: `9100${WHO.indexOf(who)}`, name: `单位 ${who}` } }),
  },
  // The close as a dry run (the year stays open for the rows below); the next year is refused while this one is open.
  {
    method: 'POST',
    route: '/api/units/:unit/years/:year/close',
    path: `${YEAR_PATH}/close?dryRun=true`,
    expect: { none: 401, dashboard: 403, auditor: 403, finance: 200 },
    body: () => ({ carry: {}, reason: '年终结账', effectiveDate: '2021-12-31' }),
  },
  { method: 'POST', route: '/api/units/:unit/years/:year/next-year', path: `${YEAR_PATH}/next-year`, expect: { none: 401, dashboard: 403, auditor: 403, finance: 409 }, body: () => ({}) },
  { method: 'GET', route: '/api/units/:unit/years/:year/reversible-entries', path: `${YEAR_PATH}/reversible-entries`, expect: { none: 401, dashboard: 403, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/units/:unit/years/:year/targets', path: `${YEAR_PATH}/targets`, expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/classifications/functions', path: '/api/classifications/functions', expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/classifications/economic', path: '/api/classifications/economic', expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  { method: 'GET', route: '/api/classifications/fund-sources', path: '/api/classifications/fund-sources', expect: { none: 401, dashboard: 200, auditor: 200, finance: 200 } },
  // A JSON body is not a voucher file: the role is checked first, then finance gets 415 (test/files/vouchers.test.ts posts real files).
  { method: 'POST', route: '/api/units/:unit/years/:year/voucher-files', path: `${YEAR_PATH}/voucher-files`, expect: { none: 401, dashboard: 403, auditor: 403, finance: 415 }, body: () => ({}) },
  // Sign-in is for people (a session cookie); a token is no session, and a wrong body no sign-in.
  { method: 'POST', route: '/auth/login', path: '/auth/login', expect: { none: 422, dashboard: 422, auditor: 422, finance: 422 }, body: () => ({}) },
  { method: 'GET', route: '/auth/me', path: '/auth/me', expect: { none: 401, dashboard: 401, auditor: 401, finance: 401 } },
  { method: 'POST', route: '/auth/logout', path: '/auth/logout', expect: { none: 204, dashboard: 204, auditor: 204, finance: 204 } },
  { method: 'POST', route: '/auth/password', path: '/auth/password', expect: { none: 401, dashboard: 401, auditor: 401, finance: 401 }, body: () => ({ oldPassword: 'x', newPassword: 'y' }) },
  // This server has no identity provider configured.
  { method: 'GET', route: '/auth/oidc/start', path: '/auth/oidc/start', expect: { none: 501, dashboard: 501, auditor: 501, finance: 501 } },
  // Only a signed-in administrator manages the people; no machine token is one.
  { method: 'GET', route: '/api/admin/users', path: '/api/admin/users', expect: { none: 401, dashboard: 403, auditor: 403, finance: 403 } },
  { method: 'POST', route: '/api/admin/users/:id/revoke', path: '/api/admin/users/x/revoke', expect: { none: 401, dashboard: 403, auditor: 403, finance: 403 } },
  { method: 'POST', route: '/api/admin/users/:id/reset-password', path: '/api/admin/users/x/reset-password', expect: { none: 401, dashboard: 403, auditor: 403, finance: 403 } },
  { method: 'GET', route: '/auth/oidc/callback', path: '/auth/oidc/callback?code=x&state=y', expect: { none: 501, dashboard: 501, auditor: 501, finance: 501 } },
]

describe('HTTP authentication and roles', () => {
  const t = serverForTests({ fixture: true })

  it('the matrix names every registered route', () => {
    expect(new Set(MATRIX.map((m) => `${m.method} ${m.route}`))).toEqual(new Set(ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`)))
  })

  for (const m of MATRIX)
    for (const who of WHO)
      it(`${m.method} ${m.route} as ${who} → ${m.expect[who]}`, async () => {
        const before = await t.eventCount()
        const r = await t.request(m.method, m.path, { ...(who === 'none' ? {} : { token: who }), ...(m.body ? { body: m.body(who) } : {}) })
        expect(r.status).toBe(m.expect[who])
        if (r.status >= 400) {
          expect(isProblem(r)).toBe(true)
          expect(await t.eventCount()).toBe(before)
        }
        if (r.status === 401) expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="budget-ledger"/)
        if (r.status === 403) expect(r.body.detail).toContain(`role "${who}"`)
        if (r.status === 204) expect(r.body).toBe('')
        if (m.method === 'POST' && r.status === 201) expect(await t.eventCount()).toBeGreaterThan(before)
      })

  it.each([
    ['an unknown token', { authorization: `Bearer ${'x'.repeat(40)}` }],
    ['a token with one character changed', { authorization: `Bearer ${TOKENS.finance.slice(0, -1)}X` }],
    ['a Basic credential', { authorization: `Basic ${Buffer.from(`u:${TOKENS.finance}`).toString('base64')}` }],
    ['"Bearer" with nothing after it', { authorization: 'Bearer' }],
    ['the token without the scheme', { authorization: TOKENS.finance }],
  ])('given %s, then 401 invalid_token and nothing is written', async (_label, headers) => {
    const before = await t.eventCount()
    const r = await t.request('POST', `${YEAR_PATH}/commands`, { body: addBody(), headers })
    expect(r.status).toBe(401)
    expect(isProblem(r)).toBe(true)
    expect(r.headers.get('www-authenticate')).toContain('Bearer realm="budget-ledger"')
    expect(await t.eventCount()).toBe(before)
  })

  it('authentication comes before the body: malformed JSON from a dashboard is 403, a 2 MB body without a token is 401', async () => {
    const before = await t.eventCount()
    const a = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'dashboard', rawBody: '{"type":' })
    expect(a.status).toBe(403)
    const b = await t.request('POST', `${YEAR_PATH}/commands`, { rawBody: JSON.stringify({ pad: 'x'.repeat(2_000_000) }) })
    expect(b.status).toBe(401)
    expect(await t.eventCount()).toBe(before)
  })

  it("the caller's name and role are in the metadata of every event it records", async () => {
    const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('2.00') })
    expect(r.status).toBe(201)
    const h = await t.request('GET', `${YEAR_PATH}/events?from=${r.body.revision}`, { token: 'auditor' })
    expect(h.body.events[0].metadata).toMatchObject({ actor: 'tester-finance', role: 'finance', reason: '追加测试', document: '测试〔2021〕2号', effectiveDate: '2021-05-01' })
  })

  it('given a year the dashboard can read, then its history stays closed to it but open to the auditor', async () => {
    const path = `/api/units/${FIXTURE.unit}/years/${FIXTURE.year}/events`
    expect((await t.request('GET', path, { token: 'dashboard' })).status).toBe(403)
    expect((await t.request('GET', path, { token: 'auditor' })).status).toBe(200)
  })
})

describe('token configuration', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-tokens-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Every string in a tokens file: none of them may be a token. */
  const stringsIn = (text: string): string[] => (JSON.parse(text) as Array<Record<string, string>>).flatMap((e) => Object.values(e))

  it('given no configuration, then the first start creates one random token per role and keeps only their hashes in ./data/tokens.json, mode 0600; the next start reads them', () => {
    const first = loadTokens({}, dir)
    expect(first.created).toBe(true)
    expect(first.file).toBe(join(dir, 'data', 'tokens.json'))
    expect(first.entries.map((e) => e.role).sort()).toEqual(['auditor', 'dashboard', 'finance'])
    const tokens = first.entries.map((e) => e.token!)
    expect(new Set(tokens).size).toBe(3)
    for (const tok of tokens) expect(tok.length).toBeGreaterThanOrEqual(40)
    if (process.platform !== 'win32') expect(statSync(first.file!).mode & 0o777).toBe(0o600)

    const text = readFileSync(first.file!, 'utf8')
    const onDisk = JSON.parse(text) as Array<Record<string, string>>
    expect(onDisk.map((e) => Object.keys(e).sort())).toEqual([0, 1, 2].map(() => ['hash', 'name', 'role']))
    for (const tok of tokens) expect(text).not.toContain(tok)
    const second = loadTokens({}, dir)
    expect(second.created).toBe(false)
    expect(second.plainText).toBeUndefined()
    const registry = new TokenRegistry(second.entries)
    // What the file holds authenticates no one; the tokens shown at the first start do.
    for (const s of stringsIn(text)) for (const candidate of [s, s.replace(/^sha256:/, '')]) expect(registry.find(candidate)).toBeUndefined()
    for (const e of first.entries) expect(registry.find(e.token!)).toEqual({ name: e.name, role: e.role })
    expect(readFileSync(first.file!, 'utf8')).toBe(text)
  })

  it('given a file of an older version with plain-text tokens, then they still work and the file is rewritten with their hashes only, mode 0600', () => {
    const file = join(dir, 'legacy.json')
    const legacy = [
      { token: 'a'.repeat(32), name: 'alice', role: 'finance' },
      { hash: tokenHash('b'.repeat(32)), name: 'bob', role: 'auditor' },
    ]
    writeFileSync(file, JSON.stringify(legacy), { mode: 0o644 })
    const c = loadTokens({ LEDGER_TOKENS_FILE: file }, dir)
    expect(c.plainText).toEqual({ count: 1, rewritten: true })
    const registry = new TokenRegistry(c.entries)
    expect(registry.find('a'.repeat(32))).toEqual({ name: 'alice', role: 'finance' })
    expect(registry.find('b'.repeat(32))).toEqual({ name: 'bob', role: 'auditor' })

    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('a'.repeat(32))
    expect(JSON.parse(text)).toEqual([
      { hash: tokenHash('a'.repeat(32)), name: 'alice', role: 'finance' },
      { hash: tokenHash('b'.repeat(32)), name: 'bob', role: 'auditor' },
    ])
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    const again = loadTokens({ LEDGER_TOKENS_FILE: file }, dir)
    expect(again.plainText).toBeUndefined()
    expect(new TokenRegistry(again.entries).find('a'.repeat(32))).toEqual({ name: 'alice', role: 'finance' })
  })

  it('LEDGER_TOKENS_FILE names the file; LEDGER_TOKENS (JSON, tokens or their hashes) wins over any file and is never written', () => {
    const file = join(dir, 'custom.json')
    writeFileSync(file, JSON.stringify([{ hash: tokenHash('a'.repeat(32)), name: 'alice', role: 'finance' }]))
    expect(loadTokens({ LEDGER_TOKENS_FILE: file }, dir).entries).toEqual([{ hash: tokenHash('a'.repeat(32)), name: 'alice', role: 'finance' }])
    const env = {
      LEDGER_TOKENS_FILE: file,
      LEDGER_TOKENS: JSON.stringify([
        { token: 'b'.repeat(32), name: 'bob', role: 'auditor' },
        { hash: tokenHash('c'.repeat(32)), name: 'carol', role: 'dashboard' },
      ]),
    }
    const c = loadTokens(env, dir)
    expect(c.entries.map((e) => e.name)).toEqual(['bob', 'carol'])
    expect(c.source).toContain('LEDGER_TOKENS')
    expect(c.plainText).toBeUndefined()
    const registry = new TokenRegistry(c.entries)
    expect(registry.find('b'.repeat(32))?.name).toBe('bob')
    expect(registry.find('c'.repeat(32))?.name).toBe('carol')
    expect(registry.find(tokenHash('c'.repeat(32)))).toBeUndefined()
    expect(readFileSync(file, 'utf8')).toContain('alice')
  })

  it.each([
    ['an empty list', '[]', /no tokens/],
    ['a short token', JSON.stringify([{ token: 'short', name: 'x', role: 'finance' }]), /at least 16/],
    ['an unknown role', JSON.stringify([{ token: 'c'.repeat(32), name: 'x', role: 'admin' }]), /role/],
    ['a duplicate token', JSON.stringify([{ token: 'd'.repeat(32), name: 'x', role: 'finance' }, { token: 'd'.repeat(32), name: 'y', role: 'auditor' }]), /twice/],
    ['a token listed once in plain text and once by its hash', JSON.stringify([{ token: 'd'.repeat(32), name: 'x', role: 'finance' }, { hash: tokenHash('d'.repeat(32)), name: 'y', role: 'auditor' }]), /twice/],
    ['a hash that is not sha256 in lowercase hex', JSON.stringify([{ hash: `sha256:${'A'.repeat(64)}`, name: 'x', role: 'finance' }]), /\[0\]\.hash.*64 lowercase hex/],
    ['both a token and a hash', JSON.stringify([{ token: 'f'.repeat(32), hash: tokenHash('f'.repeat(32)), name: 'x', role: 'finance' }]), /either "token".*not both/],
    ['neither a token nor a hash', JSON.stringify([{ name: 'x', role: 'finance' }]), /either "token".*not neither/],
    ['not JSON', '[{', /not valid JSON/],
  ])('given %s, then the server refuses to start with a clear message', (_label, value, message) => {
    expect(() => loadTokens({ LEDGER_TOKENS: value }, dir)).toThrow(TokenConfigError)
    expect(() => loadTokens({ LEDGER_TOKENS: value }, dir)).toThrow(message)
  })

  it('given LEDGER_TOKENS_FILE in folders that do not exist, then the first start creates them 0700; under /proc (mkdir answers ENOENT for a parent that exists) it stops at once naming the path', () => {
    const c = loadTokens({ LEDGER_TOKENS_FILE: 'keys/server/tokens.json' }, dir)
    expect(c.created).toBe(true)
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700)
      expect(statSync(join(dir, 'keys', 'server')).mode & 0o777).toBe(0o700)
      expect(statSync(c.file!).mode & 0o777).toBe(0o600)
    }
    if (process.platform === 'linux') {
      expect(() => loadTokens({ LEDGER_TOKENS_FILE: '/proc/nope/t.json' }, dir)).toThrow(TokenConfigError)
      expect(() => loadTokens({ LEDGER_TOKENS_FILE: '/proc/nope/t.json' }, dir)).toThrow('cannot create /proc/nope/t.json: cannot create the folder /proc/nope (ENOENT)')
    }
  })

  it('the registry finds a token only by its exact text, whether it was given as the token or its hash', () => {
    for (const entry of [{ token: 'e'.repeat(32) }, { hash: tokenHash('e'.repeat(32)) }]) {
      const reg = new TokenRegistry([{ ...entry, name: 'eve', role: 'dashboard' }])
      expect(reg.find('e'.repeat(32))).toEqual({ name: 'eve', role: 'dashboard' })
      expect(reg.find('e'.repeat(31))).toBeUndefined()
      expect(reg.find('E'.repeat(32))).toBeUndefined()
      expect(reg.find(tokenHash('e'.repeat(32)))).toBeUndefined()
    }
  })
})
