import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Decimal from 'decimal.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { type Spawned, TOKENS, TOKEN_ENTRIES, send, spawnServer, stopServer } from '../../support/shells/http'

/** The tokens a first start shows, by role: `          finance    local-finance    <token>`. */
const printedTokens = (output: string): Record<string, string> =>
  Object.fromEntries([...output.matchAll(/^ +(finance|auditor|dashboard) +local-\S+ +(\S+)$/gm)].map((m) => [m[1]!, m[2]!]))

/** The real entry of `npm start -- --sample` in a fresh folder: defaults only (./data/ledger.db, ./data/tokens.json). */
describe('npm start -- --sample: a fresh folder serves the sample, with local tokens shown once', () => {
  let dir: string
  let first: Spawned | undefined
  let shownAtFirst: Record<string, string> = {}
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-start-'))
  })
  afterAll(async () => {
    if (first) await stopServer(first)
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves the 2021 sample; the finance token it printed records an adjustment that the next table read shows', async () => {
    first = await spawnServer(dir, {}, ['--sample'])
    const tokensFile = join(dir, 'data', 'tokens.json')
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(first.output()).toContain(tokensFile)
    expect(first.output()).toContain('loaded the 2021 sample')
    expect(existsSync(join(dir, 'data', 'ledger.db'))).toBe(true)
    if (process.platform !== 'win32') expect(statSync(tokensFile).mode & 0o777).toBe(0o600)
    // Each new token is shown once, on stdout; the file keeps only hashes, and none of its strings is a token.
    const shown = printedTokens(first.output())
    shownAtFirst = shown
    expect(Object.keys(shown).sort()).toEqual(['auditor', 'dashboard', 'finance'])
    const finance = shown.finance!
    const dashboard = shown.dashboard!
    const onDisk = readFileSync(tokensFile, 'utf8')
    for (const tok of Object.values(shown)) expect(onDisk).not.toContain(tok)
    for (const s of (JSON.parse(onDisk) as Array<Record<string, string>>).flatMap((e) => Object.values(e)))
      expect((await send(first.url, 'GET', '/api/units', { token: s.replace(/^sha256:/, '') })).status).toBe(401)

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
      for (const tok of Object.values(shownAtFirst)) expect(again.output()).not.toContain(tok)
      const auditor = shownAtFirst.auditor!
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
    expect(output).toMatch(/people: 0 local account\(s\) in .*users\.json \(budget-ledger users\); 0 signed in \(sessions kept in .*sessions\.json\)\n/)
  })

  it('given an empty store, when started with LEDGER_SAMPLE=1, then it holds the 2021 sample', async () => {
    const { output, units, events } = await startOnce({ LEDGER_SAMPLE: '1' })
    expect(output).toContain('loaded the 2021 sample (unit 101065')
    expect(units).toEqual([{ unit: '101065', name: '工信科技金融办', years: [2021] }])
    expect(events.length).toBeGreaterThan(0)
    expect(events.every((e) => e.metadata.actor === 'system:sample-loader')).toBe(true)
  })

  it('given LEDGER_SAMPLE or LEDGER_GROUP_COMMIT it does not understand, an argument it does not understand, half an identity provider or a broken users file, then it refuses to start, naming it, and writes nothing', async () => {
    writeFileSync(join(dir, 'users.json'), '[{"id": "x", "name": "张三"}]')
    for (const [env, args, said] of [
      [{ LEDGER_SAMPLE: 'yes' }, [], 'LEDGER_SAMPLE: expected 1'],
      [{ LEDGER_GROUP_COMMIT: 'off' }, [], 'LEDGER_GROUP_COMMIT: expected 1'],
      [{}, ['--sampel'], 'unknown argument "--sampel"'],
      [{ LEDGER_OIDC_CLIENT_ID: 'ledger' }, [], 'LEDGER_OIDC_CLIENT_ID is set but LEDGER_OIDC_ISSUER is not'],
      [{ LEDGER_USERS_FILE: join(dir, 'users.json') }, [], `${join(dir, 'users.json')}: [0].role`],
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

describe('npm start on a tokens file of an older version (tokens in plain text)', () => {
  it('given plain-text tokens, then they still work, the file is rewritten with their hashes only and the start says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-start-legacy-'))
    const tokensFile = join(dir, 'data', 'tokens.json')
    const token = 'legacy-finance-token-0123456789abcdef'
    mkdirSync(join(dir, 'data'))
    writeFileSync(tokensFile, JSON.stringify([{ token, name: 'old-finance', role: 'finance' }]), { mode: 0o644 })
    const s = await spawnServer(dir, {})
    try {
      expect(s.output()).toContain(`${tokensFile} kept 1 token(s) in plain text: it now keeps only their hashes; the tokens still work`)
      expect(s.output()).not.toContain(token)
      expect(readFileSync(tokensFile, 'utf8')).not.toContain(token)
      if (process.platform !== 'win32') expect(statSync(tokensFile).mode & 0o777).toBe(0o600)
      expect((await send(s.url, 'GET', '/api/units', { token })).status).toBe(200)
    } finally {
      await stopServer(s)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('npm start loads only what serving needs', () => {
  it('given the server module loaded as npm start loads it, then exceljs (about half a second of a start) is not loaded until a workbook is made', () => {
    const main = join(__dirname, '..', '..', '..', 'dist', 'src', 'http', 'server', 'main.js')
    const probe = `require(${JSON.stringify(main)}); const loaded = () => Object.keys(require.cache).some((k) => k.includes('/node_modules/exceljs/'));
      const before = loaded(); require(${JSON.stringify(join(__dirname, '..', '..', '..', 'dist', 'src', 'export', 'exceljs.js'))}).emptyWorkbook(); console.log(JSON.stringify({ before, after: loaded() }))`
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ before: false, after: true })
  })
})
