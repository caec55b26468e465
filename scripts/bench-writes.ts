/**
 * Durable writes over HTTP, group commit on and off (issue 15): a real server process on a fresh
 * SQLite file (synchronous=FULL), the fixture budget year imported, then N keep-alive clients each
 * posting AddToLine commands one after another for a while. Prints events/s and latency
 * percentiles per client count, medians of interleaved runs, as a Markdown table.
 *
 *   npx tsx scripts/bench-writes.ts [--clients 1,8,64] [--seconds 5] [--runs 3] [--dist] [--group on|off|both]
 *
 * --dist runs the built server bundle (dist/server.js, as npm run bench does: `npm run build` first) instead of the
 * sources through tsx; BENCH_PROF=<dir> has the server write a CPU profile there. --worker on|off|both
 * compares group commits on the commit worker thread with on the server's (LEDGER_COMMIT_WORKER).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { send } from './bench/http-load'
import { median, quantile } from './bench/stats'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const CLIENTS = arg('clients', '1,8,64').split(',').map(Number)
const SECONDS = Number(arg('seconds', '5'))
const RUNS = Number(arg('runs', '3'))
const DIST = process.argv.includes('--dist')
const GROUP = arg('group', 'both')
const WORKER = arg('worker', 'on')
const TOKEN = 'bench-finance-token-0123456789abcdef'
const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef'
const UNIT = '900001'
const YEAR = 2021

const budgetFile = {
  format: 'budget-ledger/budget-year@1',
  unit: { code: UNIT, name: '测试单位' },
  unitType: 'administrative',
  year: YEAR,
  approvedOn: '2021-03-01',
  document: '测试〔2021〕1号',
  source: 'bench',
  lines: [{ id: 'p01', kind: 'project', projectName: '项目一', functionCode: '2150502', fundSource: 'general.appropriation', amount: '500000.00' }],
}
const command = JSON.stringify({ type: 'AddToLine', data: { line: 'p01', amount: '0.01', category: 'ordinary' }, reason: '压测', document: '测试〔2021〕2号', effectiveDate: '2021-05-01' })

const startServer = (dir: string, groupCommit: boolean, worker: boolean): Promise<{ child: ChildProcess; port: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), ...(DIST ? [join(__dirname, '..', 'dist', 'server.js')] : ['--import', join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(__dirname, '..', 'src', 'http', 'server', 'main.ts')])], {
      cwd: dir,
      env: {
        ...process.env,
        PORT: '0',
        LEDGER_DB: join(dir, 'ledger.db'),
        LEDGER_TOKENS: JSON.stringify([{ token: TOKEN, name: 'bench', role: 'finance' }]),
        LEDGER_GROUP_COMMIT: groupCommit ? '1' : '0',
        LEDGER_METRICS_TOKEN: METRICS_TOKEN,
        LEDGER_COMMIT_WORKER: worker ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /listening on http:\/\/[^:]+:(\d+)\n/.exec(out)
      if (m) resolve({ child, port: Number(m[1]) })
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })

/** Commands a durable commit carried on average, from the server's ledger_group_commit_batch_size histogram. */
const meanGroup = (port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } }, (res) => {
      let text = ''
      res.on('data', (b: Buffer) => (text += b.toString()))
      res.on('end', () => {
        const figure = (name: string) => Number(new RegExp(`^ledger_group_commit_batch_size_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
        resolve(figure('sum') / figure('count'))
      })
    })
      .on('error', reject)
      .end()
  })

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux; NaN elsewhere). On a loaded
 * machine events/s swings with the other work; the CPU a command costs the server does not, and the
 * load generator's own shows whether it, not the server, is what the run measures.
 */
const TICK_MS = 10
const cpuMsOf = (pid: number | undefined): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return NaN
  }
}
const ownCpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : quantile(sorted, p / 100))

interface Setting {
  readonly groupCommit: boolean
  readonly worker: boolean
}
const pick = (choice: string) => [false, true].filter((on) => choice === 'both' || (choice === 'on') === on)
const SETTINGS: Setting[] = pick(GROUP).flatMap((groupCommit) => pick(WORKER).map((worker) => ({ groupCommit, worker })))

const run = async (clients: number, { groupCommit, worker }: Setting) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-writes-'))
  const { child, port } = await startServer(dir, groupCommit, worker)
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  const base = `http://127.0.0.1:${port}`
  try {
    if ((await send(agent, base, { method: 'POST', path: '/api/budget-files', token: TOKEN, body: JSON.stringify(budgetFile) })) !== 201) throw new Error('import failed')
    const path = `/api/units/${UNIT}/years/${YEAR}/commands`
    // A short warm-up: the first command folds the year and opens the connections.
    await Promise.all(Array.from({ length: clients }, () => send(agent, base, { method: 'POST', path, token: TOKEN, body: command })))
    const latencies: number[] = []
    let failed = 0
    const end = performance.now() + SECONDS * 1000
    const started = performance.now()
    const [server0, own0] = [cpuMsOf(child.pid), ownCpuMs()]
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now()
          const status = await send(agent, base, { method: 'POST', path, token: TOKEN, body: command })
          if (status === 201) latencies.push(performance.now() - t0)
          else failed++
        }
      }),
    )
    const elapsed = (performance.now() - started) / 1000
    const commands = latencies.length + failed
    const [serverCpu, ownCpu] = [(cpuMsOf(child.pid) - server0) / commands, (ownCpuMs() - own0) / commands]
    latencies.sort((a, b) => a - b)
    return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed, group: await meanGroup(port), serverCpu, ownCpu }
  } finally {
    agent.destroy()
    await new Promise<void>((r) => {
      child.once('exit', () => r())
      child.kill('SIGTERM')
    })
    rmSync(dir, { recursive: true, force: true })
  }
}

const main = async () => {
  process.stdout.write(`durable writes over HTTP (1 event a command), ${SECONDS} s a run, median of ${RUNS}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n\n`)
  process.stdout.write('| clients | group commit | commit worker | events/s | p50 ms | p99 ms | failed | commands a commit | server CPU ms a command | load generator CPU ms a command | events/s of each run |\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n')
  for (const clients of CLIENTS) {
    const runs = SETTINGS.map((setting) => ({ setting, results: [] as Array<Awaited<ReturnType<typeof run>>> }))
    // Interleaved, one run of each setting in turn, so that a change in the machine's load falls on all alike.
    for (let i = 0; i < RUNS; i++) for (const r of runs) r.results.push(await run(clients, r.setting))
    for (const { setting, results: rs } of runs) {
      const row = [clients, setting.groupCommit ? 'on' : 'off', setting.worker ? 'on' : 'off', median(rs.map((r) => r.perSecond)).toFixed(0), median(rs.map((r) => r.p50)).toFixed(1), median(rs.map((r) => r.p99)).toFixed(1), rs.reduce((n, r) => n + r.failed, 0), median(rs.map((r) => r.group)).toFixed(1), median(rs.map((r) => r.serverCpu)).toFixed(3), median(rs.map((r) => r.ownCpu)).toFixed(3), rs.map((r) => r.perSecond.toFixed(0)).join(' ')]
      process.stdout.write(`| ${row.join(' | ')} |\n`)
    }
  }
  process.stdout.write(`\nload after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exitCode = 1
})
