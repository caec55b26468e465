#!/usr/bin/env node
/**
 * Many units on one log (issue 15, item 7): a city's ledger of U unit-years × E events each, on
 * SQLite and on the EventStoreDB adapter (against the in-process test server, test/esdb/server.ts),
 * then the API server (dist/server.js, what `npm start` runs) started on it as its own
 * process, measuring what a person waits for:
 *
 *   - start: from spawning the server to its "listening" line, and to its first answer (a unit-year
 *     read at random); medians of 3 starts;
 *   - RSS from /proc/<pid>/status (VmRSS now, VmHWM the peak), never heapUsed;
 *   - a command (AddToLine) on a random unit, warm (its year read just before) and cold, p50/p95;
 *   - listing the units (GET /api/units).
 *
 * Not a test: figures depend on the machine; the targets are printed beside them. SQLite is seeded
 * fast but honestly: rows inserted with their hash chains through the file's own triggers (stream
 * index included) and the Merkle leaves added in the same transactions, as an append does.
 * EventStoreDB is seeded through the adapter's appends.
 *
 *   npm run build && npx tsx scripts/focused-bench/bench-many-units.ts [--units U] [--events E] [--esdb-units U] [--esdb-events E]
 *     [--commands C] [--db FILE] [--keep] [--no-esdb] [--out FILE.md] [--root CHECKOUT: measure that checkout's dist/]
 */
import Database from 'better-sqlite3'
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { streamOf } from '../../src/domain/codecs/primitives'
import { EventStoreDbStore } from '../../src/store/eventstoredb/eventstoredb'
import { CITY_LINES, CITY_YEAR as YEAR, seedCity, unitCode, unitEvents } from '../bench/ledgers/city'
import { prng } from '../bench/ledgers/seed'
import { median, quantile as nearestRank, sorted } from '../bench/report/stats'

/**
 * The in-process EventStoreDB test server, loaded at run time (under tsx) so that the build, which
 * compiles scripts/, does not pull the test folder into dist/.
 */
interface TestServer {
  readonly connectionString: string
  readonly sent: { all: number }
  stop(): Promise<void>
}
const startTestEventStore = (options: { batchAppend: boolean }): Promise<TestServer> =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(join(__dirname, '..', '..', 'test', 'esdb', 'server')) as { startTestEventStore: (o: typeof options) => Promise<TestServer> }).startTestEventStore(options)

const TARGETS = { startMs: 1000, rssMb: 250, commandMs: 5 }
/** The build whose server is measured (--root: another checkout's, for a before/after in the same minutes). */
let ROOT = resolve(__dirname, '..', '..')
const LINES = CITY_LINES
const TOKENS = [
  { token: 'bench-finance-token-0123456789abcdef', name: 'bench-finance', role: 'finance' },
  { token: 'bench-auditor-token-0123456789abcdef', name: 'bench-auditor', role: 'auditor' },
]
const say = (s: string) => process.stderr.write(s)

interface Args {
  units: number
  events: number
  esdbUnits: number
  esdbEvents: number
  commands: number
  db?: string
  keep: boolean
  esdb: boolean
  out?: string
}

const parseArgs = (argv: string[]): Args => {
  const a: Args = { units: 10_000, events: 1_000, esdbUnits: 1_000, esdbEvents: 100, commands: 200, keep: false, esdb: true }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = () => argv[++i] ?? ''
    const count = (v: string, min: number) => {
      const n = Number(v.replace(/[_,]/g, ''))
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: expected a whole number ≥ ${min}, got "${v}"`)
      return n
    }
    if (flag === '--units') a.units = count(value(), 1)
    else if (flag === '--events') a.events = count(value(), LINES + 2)
    else if (flag === '--esdb-units') a.esdbUnits = count(value(), 1)
    else if (flag === '--esdb-events') a.esdbEvents = count(value(), LINES + 2)
    else if (flag === '--commands') a.commands = count(value(), 1)
    else if (flag === '--db') a.db = value()
    else if (flag === '--out') a.out = value()
    else if (flag === '--keep') a.keep = true
    else if (flag === '--no-esdb') a.esdb = false
    else if (flag === '--root') ROOT = resolve(value())
    else throw new Error(`unknown option ${flag} (see the header of scripts/focused-bench/bench-many-units.ts)`)
  }
  return a
}

const seedEsdb = async (connectionString: string, units: number, events: number): Promise<void> => {
  const store = new EventStoreDbStore(connectionString)
  const started = performance.now()
  try {
    for (let u = 0; u < units; u++) {
      for (let from = 0; from < events; from += 100) await store.append(streamOf(unitCode(u), YEAR), unitEvents(u, from, Math.min(events, from + 100), events), from === 0 ? 'no_stream' : from - 1)
      if (u % 50 === 49) say(`\r  seeding EventStoreDB: ${((u + 1) * events).toLocaleString('en')} / ${(units * events).toLocaleString('en')} events, ${Math.round(((u + 1) * events) / ((performance.now() - started) / 1000)).toLocaleString('en')}/s   `)
    }
  } finally {
    await store.close()
  }
  say('\n')
}

interface Server {
  readonly url: string
  readonly child: ChildProcess
  readonly listenMs: number
  readonly t0: number
  stop(): Promise<void>
}

const startServer = (env: Record<string, string>, dir: string): Promise<Server> =>
  new Promise((done, fail) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [join(ROOT, 'dist/server.js')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, PORT: '0', HOST: '127.0.0.1', LEDGER_TOKENS: JSON.stringify(TOKENS), LEDGER_USERS_FILE: join(dir, 'users.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (out += t))
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) done({ url: m[1]!, child, t0, listenMs: performance.now() - t0, stop: async () => (child.kill('SIGTERM'), await exited) })
    })
    child.once('exit', (code) => fail(new Error(`the server exited (${code}): ${out}`)))
  })

const call = async (url: string, method: string, path: string, role: 'finance' | 'auditor', body?: unknown) => {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKENS.find((t) => t.role === role)!.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const text = await r.text()
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`)
  return text
}

const rssOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN)
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
}

const quantile = (xs: number[], q: number) => nearestRank(sorted(xs), q)

const yearPath = (u: number) => `/api/units/${unitCode(u)}/years/${YEAR}`
const command = { type: 'AddToLine', data: { line: 'p1', amount: '1.00', category: 'ordinary' }, reason: '基准测试', document: '基准〔2021〕1号', effectiveDate: '2021-12-01' }

interface Figures {
  readonly store: string
  readonly size: string
  readonly listenMs: number
  readonly firstAnswerMs: number
  readonly rssStartMb: number
  readonly rssMb: number
  readonly peakMb: number
  readonly read: { p50: number; p95: number }
  readonly warm: { p50: number; p95: number }
  readonly cold: { p50: number; p95: number }
  readonly listingMs: number
  readonly unitsListed: number
}

/** Three starts (medians), then commands on random units and the listing against the last one. */
const measure = async (store: string, size: string, units: number, commands: number, env: Record<string, string>, dir: string, random: () => number): Promise<Figures> => {
  const listen: number[] = []
  const first: number[] = []
  let server: Server | undefined
  for (let run = 0; run < 3; run++) {
    await server?.stop()
    server = await startServer(env, dir)
    await call(server.url, 'GET', yearPath(Math.floor(random() * units)), 'auditor')
    listen.push(server.listenMs)
    first.push(performance.now() - server.t0)
  }
  const s = server!
  try {
    const rssStart = rssOf(s.child.pid!).rssMb
    const reads: number[] = []
    const warm: number[] = []
    const cold: number[] = []
    for (let i = 0; i < commands; i++) {
      const u = Math.floor(random() * units)
      let t = performance.now()
      await call(s.url, 'POST', `${yearPath(u)}/commands`, 'finance', command)
      cold.push(performance.now() - t)
      t = performance.now()
      await call(s.url, 'GET', yearPath(u), 'auditor')
      reads.push(performance.now() - t)
      t = performance.now()
      await call(s.url, 'POST', `${yearPath(u)}/commands`, 'finance', command)
      warm.push(performance.now() - t)
      if (i % 20 === 19) say(`\r  ${store}: ${i + 1}/${commands} commands   `)
    }
    say('\n')
    const listing: number[] = []
    let unitsListed = 0
    for (let r = 0; r < 3; r++) {
      const t = performance.now()
      unitsListed = (JSON.parse(await call(s.url, 'GET', '/api/units', 'auditor')) as unknown[]).length
      listing.push(performance.now() - t)
    }
    const rss = rssOf(s.child.pid!)
    return {
      store,
      size,
      listenMs: median(listen),
      firstAnswerMs: median(first),
      rssStartMb: rssStart,
      rssMb: rss.rssMb,
      peakMb: rss.peakMb,
      read: { p50: median(reads), p95: quantile(reads, 0.95) },
      warm: { p50: median(warm), p95: quantile(warm, 0.95) },
      cold: { p50: median(cold), p95: quantile(cold, 0.95) },
      listingMs: median(listing),
      unitsListed,
    }
  } finally {
    await s.stop()
  }
}

const mark = (ok: boolean) => (ok ? 'met' : '**missed**')
const ms = (x: number) => `${x.toFixed(1)} ms`
const mb = (x: number) => `${x.toFixed(0)} MB`

const table = (rows: Figures[], load: string): string => {
  const lines = [
    `Many units on one log (scripts/focused-bench/bench-many-units.ts), ${new Date().toISOString()}, load average ${load}, ${process.version}`,
    '',
    '| store | size | start → listening | start → first answer | RSS after start | RSS after the commands (peak) | read a year, warm p50 / p95 | command, warm p50 / p95 | command, cold p50 / p95 | list units |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (f) =>
        `| ${f.store} | ${f.size} | ${ms(f.listenMs)} | ${ms(f.firstAnswerMs)} | ${mb(f.rssStartMb)} | ${mb(f.rssMb)} (${mb(f.peakMb)}) | ${ms(f.read.p50)} / ${ms(f.read.p95)} | ${ms(f.warm.p50)} / ${ms(f.warm.p95)} | ${ms(f.cold.p50)} / ${ms(f.cold.p95)} | ${ms(f.listingMs)} (${f.unitsListed} units) |`,
    ),
    '',
    '| target | ' + rows.map((f) => `${f.store} ${f.size}`).join(' | ') + ' |',
    '|---|' + rows.map(() => '---|').join(''),
    `| start → first answer ≤ ${TARGETS.startMs} ms | ` + rows.map((f) => mark(f.firstAnswerMs <= TARGETS.startMs)).join(' | ') + ' |',
    `| RSS ≤ ${TARGETS.rssMb} MB (peak) | ` + rows.map((f) => mark(f.peakMb <= TARGETS.rssMb)).join(' | ') + ' |',
    `| command warm p95 ≤ ${TARGETS.commandMs} ms | ` + rows.map((f) => mark(f.warm.p95 <= TARGETS.commandMs)).join(' | ') + ' |',
  ]
  return `${lines.join('\n')}\n`
}

const unitsIn = (path: string): number => {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare("SELECT count(*) FROM streams WHERE stream GLOB 'budget-*'").pluck().get() as number
  } finally {
    db.close()
  }
}

const main = async () => {
  const args = parseArgs(process.argv.slice(2))
  if (!existsSync(join(ROOT, 'dist/server.js'))) throw new Error('run npm run build first: the server is measured as npm start runs it')
  const dir = mkdtempSync(join(tmpdir(), 'bench-many-units-'))
  const db = args.db ?? join(dir, 'city.db')
  const rows: Figures[] = []
  let allSent: number | undefined
  try {
    if (!existsSync(db)) {
      say(`seeding ${args.units.toLocaleString('en')} unit-years × ${args.events.toLocaleString('en')} events into ${db}\n`)
      await seedCity(db, args.units, args.events)
    } else if (unitsIn(db) !== args.units) throw new Error(`${db} holds another ledger (${unitsIn(db)} unit-years); use another --db`)
    else say(`reusing ${db}\n`)
    // The same on a ledger of 10 unit-years: what does not depend on the size of the log (process start, fsync, the machine's load).
    const small = join(dir, 'small.db')
    await seedCity(small, 10, args.events)
    rows.push(await measure('SQLite', `10 × ${args.events.toLocaleString('en')}`, 10, args.commands, { LEDGER_DB: small }, dir, prng(15)))
    rows.push(await measure('SQLite', `${args.units.toLocaleString('en')} × ${args.events.toLocaleString('en')}`, args.units, args.commands, { LEDGER_DB: db }, dir, prng(15)))
    if (args.esdb) {
      const baseline = await startTestEventStore({ batchAppend: true })
      try {
        await seedEsdb(baseline.connectionString, 10, args.esdbEvents)
        rows.push(await measure('EventStoreDB (test server)', `10 × ${args.esdbEvents.toLocaleString('en')}`, 10, Math.min(args.commands, 100), { EVENTSTORE_CONNECTION_STRING: baseline.connectionString }, dir, prng(15)))
      } finally {
        await baseline.stop()
      }
      const server = await startTestEventStore({ batchAppend: true })
      try {
        say(`seeding ${args.esdbUnits.toLocaleString('en')} unit-years × ${args.esdbEvents.toLocaleString('en')} events into the EventStoreDB test server\n`)
        await seedEsdb(server.connectionString, args.esdbUnits, args.esdbEvents)
        const before = server.sent.all
        const f = await measure('EventStoreDB (test server)', `${args.esdbUnits.toLocaleString('en')} × ${args.esdbEvents.toLocaleString('en')}`, args.esdbUnits, Math.min(args.commands, 100), { EVENTSTORE_CONNECTION_STRING: server.connectionString }, dir, prng(15))
        rows.push(f)
        allSent = server.sent.all - before
      } finally {
        await server.stop()
      }
    }
    const sentLine = allSent === undefined ? '' : `\nEvents of $all the EventStoreDB test server sent to the ledger processes during their three starts, the commands and the listings: ${allSent}.\n`
    const text = table(rows, loadavg().map((l) => l.toFixed(2)).join(' ')) + sentLine
    process.stdout.write(text)
    if (args.out) writeFileSync(args.out, text)
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true })
    else say(`kept ${dir}\n`)
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench-many-units: ${err instanceof Error ? err.stack : String(err)}\n`)
    process.exit(1)
  },
)
