#!/usr/bin/env node
/**
 * GET of a table at 64 connections (issue 15, "read path"; docs/audit.md, "Speed"): starts a built
 * server (`node <root>/dist/server.js`, the bundle `npm start` runs) in a temp folder with the bundled sample, then
 * 64 keep-alive connections ask for the same table for a few seconds; prints requests/s and p50 /
 * p99, with the machine's load. A quick probe, not `npm run bench`: run it with --root pointing at
 * another checkout's build to compare two versions on the same machine, interleaved.
 *
 *   npx tsx scripts/focused-bench/bench-get.ts [--root DIR] [--seconds S] [--connections C] [--path P] [--runs R] [--ceiling] [--client lean|node]
 *
 * --ceiling: instead of the ledger, Express answering every GET with the same JSON prebuilt (the
 * size of a table), checking the same bearer token: what the machine allows an Express server.
 * --client: the load generator, lean (raw sockets, scripts/bench/load/lean-client.ts, as `npm run bench`
 * measures) or node's http client (as it measured before); its own CPU a request is printed too.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadClients, send } from '../bench/load/http-load'
import { quantile, sorted } from '../bench/report/stats'

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const root = resolve(arg('root', process.cwd()))
const seconds = Number(arg('seconds', '5'))
const connections = Number(arg('connections', '64'))
const runs = Number(arg('runs', '3'))
const path = arg('path', '/api/units/101065/years/2021/tables/4')
const TOKEN = 'bench-dashboard-token-0123456789abcdef'
const ceiling = process.argv.includes('--ceiling')
const lean = arg('client', 'lean') === 'lean'

/** The ceiling's server: Express, a prebuilt JSON body of about a table's size, the same token check. */
const CEILING = `
const express = require(${JSON.stringify(join(root, 'node_modules/express'))})
const body = JSON.stringify({ rows: Array.from({ length: 40 }, (_, i) => ['行' + i, '1234.56', '789.01', '0.00']) })
const app = express()
app.get('*path', (req, res) => {
  if (req.get('authorization') !== 'Bearer ' + process.env.TOKEN) return res.status(401).end()
  res.set('ETag', '"1"').type('application/json').send(body)
})
const server = app.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port + '\\n'))
`

const start = (): Promise<{ child: ChildProcess; url: string; dir: string }> =>
  new Promise((ok, fail) => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-get-'))
    const env = {
      ...process.env,
      PORT: '0',
      LEDGER_DB: join(dir, 'ledger.db'),
      LEDGER_SAMPLE: '1',
      LEDGER_USERS_FILE: join(dir, 'users.json'),
      LEDGER_TOKENS: JSON.stringify([{ token: TOKEN, name: 'bench', role: 'dashboard' }]),
    }
    const args = ceiling ? ['-e', CEILING] : [join(root, 'dist/server.js')]
    const child = spawn(process.execPath, args, { cwd: dir, env: { ...env, TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout!.on('data', (b: Buffer) => {
      if (out.includes('listening on')) return // the access log from here on: read and dropped, as a log shipper would
      out += b.toString('utf8')
      const m = /listening on (http:\/\/\S+)\n/.exec(out)
      if (m) ok({ child, url: m[1]!, dir })
    })
    child.once('exit', (code) => fail(new Error(`server exited ${code}: ${out}`)))
  })

/**
 * CPU time the server process has used, in ms (Linux /proc: utime + stime). On a machine shared with
 * other work, requests/s mostly measure the others; the server's CPU per request does not.
 */
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

const ownCpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

const load = async (base: string, pid: number) => {
  const call = { method: 'GET', path, token: TOKEN } as const
  // Warm: the first read folds the year and fills the cache (where there is one).
  const agent = new Agent({ keepAlive: true })
  for (let i = 0; i < 50; i++) if ((await send(agent, base, call)) !== 200) throw new Error('the table did not answer 200')
  agent.destroy()
  const { clients, close } = loadClients(lean, base, connections, call)
  const latencies: number[] = []
  const [cpu0, own0] = [cpuMs(pid), ownCpuMs()]
  const until = performance.now() + seconds * 1000
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < until) {
        const t = performance.now()
        await client()
        latencies.push(performance.now() - t)
      }
    }),
  )
  const [cpu, own] = [cpuMs(pid) - cpu0, ownCpuMs() - own0]
  close()
  const s = sorted(latencies)
  return { rps: s.length / seconds, p50: quantile(s, 0.5), p99: quantile(s, 0.99), cpuPerRequest: cpu / s.length, ownPerRequest: own / s.length }
}

const main = async () => {
  const results = []
  for (let r = 0; r < runs; r++) {
    const s = await start()
    try {
      const load1 = loadavg()[0]!
      const m = await load(s.url, s.child.pid!)
      results.push(m)
      console.log(`run ${r + 1}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, server CPU ${m.cpuPerRequest.toFixed(3)} ms/request, load generator (${lean ? 'lean' : 'node http'}) ${m.ownPerRequest.toFixed(3)} ms/request (load average ${load1.toFixed(2)})`)
    } finally {
      s.child.kill('SIGTERM')
      await new Promise((ok) => s.child.once('exit', ok))
      rmSync(s.dir, { recursive: true, force: true })
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  console.log(`median of ${runs}: ${med(results.map((m) => m.rps)).toFixed(0)} req/s, p99 ${med(results.map((m) => m.p99)).toFixed(1)} ms, server CPU ${med(results.map((m) => m.cpuPerRequest)).toFixed(3)} ms/request — ${ceiling ? 'prebuilt JSON on Express' : root}, ${connections} connections, GET ${path}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
