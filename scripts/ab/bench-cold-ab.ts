/**
 * Interleaved A/B of what a cold process pays (docs/speed.md, "Cold CLI margin"): two built packages
 * (A: main's build, B: this one) run the bench's cold commands on the same ledger file, alternating
 * A B / B A pair by pair, so load from other work on the machine falls on both sides alike.
 *
 * Per run: wall (spawn to exit); CPU and peak RSS as the child reports them itself at exit
 * (scripts/focused-bench/report-rss.cjs, process.resourceUsage: exact, where polling /proc would miss the end);
 * for the server, spawn to the first 200 of GET table 3, CPU of its threads to then
 * (/proc/<pid>/task/∗/schedstat, ns) and RSS after it. The 1-minute load is printed beside every figure.
 *
 *   npx tsx scripts/ab/bench-cold-ab.ts --a /path/to/A --b . --db FILE [--pairs 5] [--what table,indicators,version,server] [--as-of 2021-11-24]
 *
 * --db-a FILE / --db-b FILE give a side its own copy of the ledger: when the two builds' FOLD_VERSION
 * differ, each needs the file with its own version's snapshots (`snapshots rebuild` by that build),
 * or one of them would fold the year from the start.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { LATE_IN_YEAR } from '../bench/measures/cold-cli'
import { TOKENS, TOKEN_ENTRIES } from '../bench/ledgers/ledger-file'
import { median } from '../bench/report/stats'
import { UNIT, YEAR } from '../bench/ledgers/seed'

interface Run {
  readonly wall: number
  readonly cpu: number
  readonly rss: number
  readonly out: string
}

const args = process.argv.slice(2)
const arg = (name: string, fallback?: string): string => {
  const i = args.indexOf(name)
  const v = i >= 0 ? args[i + 1] : fallback
  if (v === undefined) throw new Error(`${name} is required`)
  return v
}
const load = () => loadavg()[0]!.toFixed(2)
const REPORT = join(__dirname, '..', 'focused-bench', 'report-rss.cjs')

const cliArgs = (what: string, db: string, asOf: string): string[] =>
  what === 'version' ? ['--version'] : ['--db', db, ...(what === 'table' ? ['table', '3'] : ['indicators']), '--unit', UNIT, '--year', String(YEAR), '--as-of', asOf, '--format', 'json']

const runCli = (root: string, what: string, db: string, asOf: string): Run => {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, ['--require', REPORT, join(root, 'dist', 'budget-ledger.js'), ...cliArgs(what, db, asOf)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
  const wall = performance.now() - t0
  if (r.status !== 0) throw new Error(`${root} ${what} exited ${r.status}: ${r.stderr.slice(0, 400)}`)
  if (what !== 'version') JSON.parse(r.stdout) // an answer, not an error page
  const usage = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { maxRssKb: number; cpuUs: number }
  return { wall, cpu: usage.cpuUs / 1000, rss: usage.maxRssKb / 1024, out: r.stdout }
}

const taskCpuMs = (pid: number): number => {
  let ns = 0
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return ns / 1e6
}

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

const runServer = async (root: string, db: string, users: string): Promise<Run> => {
  const env = { ...process.env, LEDGER_DB: db, LEDGER_TOKENS: TOKEN_ENTRIES, LEDGER_USERS_FILE: users, PORT: '0', LOG_LEVEL: 'warn' }
  const t0 = performance.now()
  const child = spawn(process.execPath, [join(root, 'dist', 'server.js')], { env, cwd: dirname(users), stdio: ['ignore', 'pipe', 'ignore'] })
  try {
    let url: string | undefined
    for await (const line of createInterface({ input: child.stdout! })) {
      const m = /listening on (\S+)/.exec(line)
      if (m) {
        url = m[1]
        break
      }
    }
    if (url === undefined) throw new Error(`${root} server exited before listening`)
    const res = await fetch(`${url}/api/units/${UNIT}/years/${YEAR}/tables/3`, { headers: { authorization: `Bearer ${TOKENS.read}` } })
    const out = await res.text()
    if (res.status !== 200) throw new Error(`first GET answered ${res.status}`)
    return { wall: performance.now() - t0, cpu: taskCpuMs(child.pid!), rss: rssMb(child.pid!), out }
  } finally {
    child.kill('SIGTERM')
  }
}

const main = async () => {
  const db = resolve(arg('--db', args.includes('--db-a') ? arg('--db-a') : undefined))
  const dbs = { A: resolve(arg('--db-a', db)), B: resolve(arg('--db-b', db)) }
  const pairs = Number(arg('--pairs', '5'))
  const whats = arg('--what', 'table,indicators,version,server').split(',')
  const asOf = arg('--as-of', LATE_IN_YEAR)
  const users = join(dirname(db), 'users.json')
  if (!existsSync(users)) writeFileSync(users, '[]\n')
  const sides = { A: resolve(arg('--a')), B: resolve(arg('--b')) }
  const figures = new Map<string, Run[]>()
  const at = (w: string, s: string) => figures.get(`${w} ${s}`) ?? figures.set(`${w} ${s}`, []).get(`${w} ${s}`)!
  // One untimed run of each side first: writes each bundle's code cache, as the bench's first run does.
  for (const s of ['A', 'B'] as const) for (const w of whats) if (w !== 'server') runCli(sides[s], w, dbs[s], asOf)
  for (let i = 0; i < pairs; i++) {
    for (const w of whats) {
      const order = i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)
      const outs: Record<string, string> = {}
      for (const s of order) {
        const r = w === 'server' ? await runServer(sides[s], dbs[s], users) : runCli(sides[s], w, dbs[s], asOf)
        outs[s] = r.out
        at(w, s).push(r)
        console.log(`pair ${i + 1} ${w.padEnd(10)} ${s}: wall ${r.wall.toFixed(1).padStart(7)} ms  cpu ${r.cpu.toFixed(1).padStart(6)} ms  rss ${r.rss.toFixed(1).padStart(5)} MB  load ${load()}`)
      }
      if (w !== 'version' && w !== 'server' && outs.A !== outs.B) console.log(`  ! ${w}: the answers differ`)
    }
  }
  console.log(`\nmedians of ${pairs} pairs (B / A), as of ${asOf}, load now ${load()}`)
  for (const w of whats) {
    const a = at(w, 'A')
    const b = at(w, 'B')
    const row = (['wall', 'cpu', 'rss'] as const).map((k) => {
      const ma = median(a.map((r) => r[k]))
      const mb = median(b.map((r) => r[k]))
      return `${k} ${ma.toFixed(1).padStart(6)} -> ${mb.toFixed(1).padStart(6)} (${(mb / ma).toFixed(2)})`
    })
    // The median of each pair's own ratio: a pair shares its minute's load, so it is steadier than the ratio of medians.
    const pairwise = (k: 'wall' | 'cpu') => median(a.map((ra, j) => b[j]![k] / ra[k])).toFixed(2)
    console.log(`${w.padEnd(10)} ${row.join('  ')}  pairwise B/A: wall ${pairwise('wall')} cpu ${pairwise('cpu')}`)
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
