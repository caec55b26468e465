import { type ChildProcess, spawn } from 'node:child_process'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import type { Logger } from 'pino'
import { createApp } from '../../../src/http/app'
import type { OidcSignIn } from '../../../src/identity/oidc/oidc'
import { type HttpLimits, DEFAULT_LIMITS, LIMIT_VARIABLES } from '../../../src/http/requests/limits'
import { listen } from '../../../src/http/listen'
import { startFlags } from '../../../src/http/server/heap-sizing'
import { MetricsToken } from '../../../src/http/access/metrics-token'
import type { Role } from '../../../src/http/access/roles'
import { ledgerDeps } from '../../../src/ledger/deps'
import { packageRoot } from '../../../src/package-root'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { tempDb } from '../ledgers/temp-db'

/** Fixed tokens, one per role, so tests can act as each. */
export const TOKENS: Record<Role, string> = {
  finance: 'test-finance-token-0123456789abcdef',
  auditor: 'test-auditor-token-0123456789abcdef',
  dashboard: 'test-dashboard-token-0123456789abcd',
}
export const TOKEN_ENTRIES = (Object.keys(TOKENS) as Role[]).map((role) => ({ token: TOKENS[role], name: `tester-${role}`, role }))

/** A small budget year, independent of the bundled sample: unit 900001, 2021, three lines (元). */
export const FIXTURE = { unit: '900001', year: 2021 } as const
export const fixtureBudgetFile = () => ({
  format: 'budget-ledger/budget-year@1',
  unit: { code: FIXTURE.unit, name: '测试单位' },
  unitType: 'administrative',
  year: FIXTURE.year,
  approvedOn: '2021-03-01',
  document: '测试〔2021〕1号',
  source: 'test fixture',
  lines: [
    { id: 'basic', kind: 'basic', basicCategory: 'personnel', functionCode: '215', fundSource: 'general.appropriation', amount: '100000.00' },
    { id: 'p01', kind: 'project', projectName: '项目一', functionCode: '2150502', fundSource: 'general.appropriation', amount: '500000.00' },
    { id: 'p02', kind: 'project', projectName: '项目二', functionCode: '2060499', fundSource: 'general.appropriation', amount: '200000.00' },
  ],
})
export const YEAR_PATH = `/api/units/${FIXTURE.unit}/years/${FIXTURE.year}`

/** A valid command body (context included); override parts as a test needs. */
export const addBody = (amount = '1.00', line = 'p01') => ({
  type: 'AddToLine',
  data: { line, amount, category: 'ordinary' },
  reason: '追加测试',
  document: '测试〔2021〕2号',
  effectiveDate: '2021-05-01',
})

export interface Reply {
  readonly status: number
  readonly headers: Headers
  /** Parsed JSON when the body is JSON, else the text. */
  readonly body: any
  readonly contentType: string
}

export interface RequestOptions {
  readonly token?: string | Role
  /** A JSON value to send, or raw text or bytes with rawBody. */
  readonly body?: unknown
  readonly rawBody?: string | Uint8Array
  readonly headers?: Record<string, string>
}

export interface TestServer {
  readonly url: string
  readonly store: SqliteEventStore
  readonly dbPath: string
  /** The local accounts' file this server reads (LEDGER_USERS_FILE), in its temp folder. */
  readonly usersFile: string
  /** Errors the app logged as 500s (none expected). */
  readonly logged: string[]
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>
  /** Events in the whole log: the measure of "nothing was written". */
  eventCount(): Promise<number>
  close(): Promise<void>
}

const tokenOf = (t: string | undefined): string | undefined => (t !== undefined && t in TOKENS ? TOKENS[t as Role] : t)

export const send = async (url: string, method: string, path: string, o: RequestOptions = {}): Promise<Reply> => {
  const headers: Record<string, string> = { ...(o.headers ?? {}) }
  const token = tokenOf(o.token)
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  let body: string | Uint8Array | undefined
  if (o.rawBody !== undefined) body = o.rawBody
  else if (o.body !== undefined) body = JSON.stringify(o.body)
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
  const text = await res.text()
  const contentType = res.headers.get('content-type') ?? ''
  let parsed: unknown = text
  if (/json/.test(contentType) && text !== '') parsed = JSON.parse(text)
  return { status: res.status, headers: res.headers, body: parsed, contentType }
}

/**
 * The real app on an ephemeral port over a real SQLite file in a temp dir. With `fixture`, the
 * fixture budget year is imported through the API itself. Group commit is on, as in `npm start`.
 */
export const startServer = async (
  options: {
    fixture?: boolean
    limits?: Partial<HttpLimits>
    oidc?: OidcSignIn
    trustProxy?: string
    groupCommit?: boolean
    accessLog?: Logger
    metricsToken?: string
    /** false: every request through express's router, without the lean lane (to compare the two). */
    lane?: boolean
    /** An existing ledger file (its folder: the caller's temp folder, left in place), instead of a new one. */
    file?: string
  } = {},
): Promise<TestServer> => {
  const db = options.file ? { path: options.file, dir: dirname(options.file), remove: () => undefined } : tempDb('ledger-http-')
  const store = new SqliteEventStore(db.path)
  const logged: string[] = []
  const usersFile = join(db.dir, 'users.json')
  const app = createApp({
    deps: ledgerDeps(store, { groupCommit: options.groupCommit ?? true }),
    tokens: TOKEN_ENTRIES,
    usersFile,
    ...(options.oidc ? { oidc: options.oidc } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.accessLog ? { accessLog: options.accessLog } : {}),
    ...(options.metricsToken ? { metricsToken: new MetricsToken(options.metricsToken) } : {}),
    ...(options.lane === false ? { lane: false } : {}),
    log: (l) => logged.push(l),
  })
  const server: Server = await listen(app, { port: 0, host: '127.0.0.1', limits: { ...DEFAULT_LIMITS, ...options.limits } })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const t: TestServer = {
    url,
    store,
    dbPath: db.path,
    usersFile,
    logged,
    request: (method, path, o) => send(url, method, path, o),
    eventCount: async () => (await store.readAll()).length,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await store.close()
      db.remove()
    },
  }
  if (options.fixture) {
    const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: fixtureBudgetFile() })
    if (r.status !== 201) throw new Error(`fixture import failed: ${r.status} ${JSON.stringify(r.body)}`)
  }
  return t
}

/**
 * The server of one describe block: started before its tests (once, or afresh for each with
 * `each`) and afterwards checked to have logged no error, then closed. It reads as the server itself
 * (`t.request(…)`), standing for whichever one is running.
 */
export const serverForTests = (options: { fixture?: boolean; limits?: Partial<HttpLimits>; each?: boolean } = {}): TestServer => {
  let current: TestServer | undefined
  ;(options.each ? beforeEach : beforeAll)(async () => {
    current = await startServer(options)
  })
  ;(options.each ? afterEach : afterAll)(async () => {
    expect(current!.logged).toEqual([])
    await current!.close()
    current = undefined
  })
  return new Proxy({} as TestServer, {
    get(_, key) {
      if (!current) throw new Error('the test server runs only inside the tests of its describe block')
      return Reflect.get(current, key)
    },
  })
}

export interface LineView {
  readonly line: string
  readonly initial: string
  readonly added: string
  readonly reduced: string
  readonly adjusted: string
  readonly spent: string
  readonly available: string
}

/** The budget year summary's line, amounts in 元. */
export const lineOf = async (t: TestServer, line: string) => {
  const r = await t.request('GET', YEAR_PATH, { token: 'auditor' })
  if (r.status !== 200) throw new Error(`summary: ${r.status}`)
  const found = (r.body.lines as LineView[]).find((l) => l.line === line)
  if (!found) throw new Error(`no line ${line} in the summary`)
  return found
}

/** Asserts a reply is an RFC 9457 problem; returns its body. */
export const isProblem = (r: Reply): boolean =>
  r.contentType.startsWith('application/problem+json') &&
  typeof r.body === 'object' &&
  r.body !== null &&
  typeof r.body.type === 'string' &&
  typeof r.body.title === 'string' &&
  r.body.status === r.status &&
  typeof r.body.detail === 'string' &&
  Array.isArray(r.body.errors)

/** What `npm start` runs, the built server bundle (npm run build first), as a child process. */
export interface Spawned {
  readonly child: ChildProcess
  readonly url: string
  /** Everything it printed so far (stdout and stderr). */
  readonly output: () => string
}

/** The server as `npm start` runs it: the bundle (scripts/bundle.ts). */
export const SERVER_ENTRY = join(packageRoot(), 'dist', 'server.js')

const SERVER_ENV = ['LEDGER_TOKENS', 'LEDGER_CHECKPOINT_KEY', 'LEDGER_CHECKPOINT_DIR', 'LEDGER_WITNESS_URL', 'LEDGER_CHECKPOINT_EVERY', 'LEDGER_CHECKPOINT_MINUTES', 'LEDGER_TOKENS_FILE', 'LEDGER_DB', 'EVENTSTORE_CONNECTION_STRING', 'HOST', 'LEDGER_SAMPLE', 'PORT', 'LEDGER_USERS_FILE', 'LEDGER_TRUST_PROXY', 'LEDGER_GROUP_COMMIT', 'LEDGER_YOUNG_GENERATION_MIB', 'LEDGER_OLD_GENERATION_GROWTH_PERCENT', 'LOG_LEVEL', 'LEDGER_LOG_FILE', 'LEDGER_METRICS_TOKEN', ...Object.values(LIMIT_VARIABLES)]

/** Starts the server in `cwd` on a free port (PORT=0); resolves once it prints its address. */
/** The built server as `npm start` starts it (node's flags: heap-sizing.ts `startFlags`), unless told other flags. */
export const spawnServer = (cwd: string, env: Record<string, string> = {}, args: ReadonlyArray<string> = [], nodeFlags: ReadonlyArray<string> = startFlags()): Promise<Spawned> =>
  new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env }
    for (const k of SERVER_ENV) delete childEnv[k]
    Object.assign(childEnv, { PORT: '0' }, env)
    const child = spawn(process.execPath, [...nodeFlags, SERVER_ENTRY, ...args], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8')
      // The address is printed last, in the same write as the lines above it.
      const m = /listening on (http:\/\/\S+)\n/.exec(out)
      if (m) resolve({ child, url: m[1]!, output: () => out })
    })
    child.stderr!.on('data', (b: Buffer) => (out += b.toString('utf8')))
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)))
  })

/** SIGTERM, then waits for the exit. */
export const stopServer = (s: Spawned): Promise<void> =>
  new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve()
    s.child.once('exit', () => resolve())
    s.child.kill('SIGTERM')
  })
