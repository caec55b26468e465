#!/usr/bin/env node
/**
 * GET table 3 at 64 connections, A/B against the ceiling, interleaved (docs/speed.md, "GET, the
 * route's own work"): starts two built servers (A and B, each on its own copy of a bench ledger)
 * and the bench's ceiling (ceiling-server.ts, B's answer as its body) together, warms each, then
 * loads them one at a time, the order reversed every round, with the bench's own load (`hammer`,
 * lean client). Per load: requests/s, the server's CPU per request from /proc (utime + stime, all
 * its threads) and the 1-minute load; per round the ratios; at the end their medians.
 *
 *   npx tsx scripts/ab/bench-get-ab.ts --db-a COPY --db-b COPY [--a /work/wt/A] [--b .] [--rounds 6]
 *     [--seconds 4] [--connections 64] [--ceiling CHECKOUT (default: B's)] [--prof DIR]
 *
 * --prof DIR: B and the ceiling run with `--cpu-prof` into DIR/B and DIR/C (a profile per thread); each loaded window is printed as
 * monotonic µs (the profile's clock), so a profile's self time can be read over the load alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type LoadFigures, hammer } from '../bench/load/http-load'
import { TOKENS, TOKEN_ENTRIES } from '../bench/ledgers/ledger-file'
import { type RunningServer, startListening } from '../bench/processes'
import { TABLE_PATH } from '../bench/measures/server'
import { arg } from '../bench/cli-arg'
import { alternatingOrder } from '../bench/load/interleaved'
import { median } from '../bench/report/stats'

const roots = { A: resolve(arg('a', '/work/wt/A')), B: resolve(arg('b', process.cwd())) }
/** Whose ceiling: it runs on that checkout's own server machinery (listen.ts), so a change there moves it too. */
const ceilingRoot = resolve(arg('ceiling', roots.B))
const dbs = { A: resolve(arg('db-a')), B: resolve(arg('db-b')) }
const rounds = Number(arg('rounds', '6'))
const seconds = Number(arg('seconds', '4'))
const connections = Number(arg('connections', '64'))
const profDir = process.argv.includes('--prof') ? resolve(arg('prof')) : undefined
const call = { method: 'GET', path: TABLE_PATH, token: TOKENS.read } as const

/** CPU the process has used, ms (utime + stime of all its threads). */
const cpuMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100
}
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n)

type Side = 'A' | 'B' | 'C'
interface Figure {
  readonly rps: number
  readonly cpuMsPerRequest: number
  readonly load: number
  readonly failed: number
}

const answer = async (base: string): Promise<{ status: number; headers: string[]; body: Buffer }> => {
  const r = await fetch(new URL(TABLE_PATH, base), { headers: { authorization: `Bearer ${TOKENS.read}` } })
  const headers = [...r.headers].filter(([k]) => k !== 'date' && k !== 'x-request-id').map(([k, v]) => `${k}: ${v}`)
  return { status: r.status, headers, body: Buffer.from(await r.arrayBuffer()) }
}

const measure = async (server: RunningServer, side: Side, round: number): Promise<Figure> => {
  const load = loadavg()[0]!
  const pid = server.child.pid!
  const c0 = cpuMs(pid)
  const w0 = monotonicUs()
  const f: LoadFigures = await hammer(server.url, connections, seconds, call, 200)
  const w1 = monotonicUs()
  const cpu = cpuMs(pid) - c0
  // The two uncounted warm rounds of hammer are in the CPU too: 2 × connections requests more.
  const served = f.requests + 2 * connections
  if (profDir && side !== 'A') console.log(`window ${side} round ${round}: ${w0} ${w1} requests ${served}`)
  return { rps: f.perSecond, cpuMsPerRequest: cpu / served, load, failed: f.failed }
}

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-get-ab-'))
  // The ceiling does not handle SIGTERM (the ledger's server exits on it): made to exit, so that its profile is written.
  const prof = (side: Side) =>
    profDir ? ['--cpu-prof', '--cpu-prof-dir', join(profDir, side), ...(side === 'C' ? ['--import', 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))'] : [])] : []
  const env = (side: 'A' | 'B') => ({ LEDGER_DB: dbs[side], LEDGER_TOKENS: TOKEN_ENTRIES, LEDGER_USERS_FILE: join(dir, `users-${side}.json`) })
  const servers: Partial<Record<Side, RunningServer>> = {}
  try {
    servers.A = await startListening([join(roots.A, 'dist', 'server.js')], env('A'), dir)
    servers.B = await startListening([...prof('B'), join(roots.B, 'dist', 'server.js')], env('B'), dir)
    // The first two reads of each: the cold read, then the as-of index restored (not what is measured).
    for (let i = 0; i < 3; i++) await Promise.all([answer(servers.A.url), answer(servers.B.url)])
    const [a, b] = [await answer(servers.A.url), await answer(servers.B.url)]
    const same = a.status === b.status && a.headers.join('\n') === b.headers.join('\n') && a.body.equals(b.body)
    console.log(`A and B answer the same (status, headers but Date and X-Request-Id, body): ${same}${same ? '' : `\nA ${a.status} ${a.headers.join('; ')}\nB ${b.status} ${b.headers.join('; ')}`}`)
    servers.C = await startListening([...prof('C'), '--import', 'tsx', join(ceilingRoot, 'scripts', 'bench', 'load', 'ceiling-server.ts')], { BODY: b.body.toString('base64'), TOKEN: TOKENS.read })
    const c = await answer(servers.C.url)
    console.log(`ceiling: ${c.status}, body ${c.body.length} bytes (ours ${b.body.length}), headers ${c.headers.join('; ')}`)
    console.log(`ours: headers ${b.headers.join('; ')}`)
    for (const side of ['A', 'B', 'C'] as const) await measure(servers[side]!, side, -1)
    const rows: Record<Side, Figure>[] = []
    for (const [r, order] of alternatingOrder<Side>(['A', 'B', 'C'], rounds).entries()) {
      const row = {} as Record<Side, Figure>
      for (const side of order) row[side] = await measure(servers[side]!, side, r)
      rows.push(row)
      const show = (s: Side) => `${s} ${row[s].rps.toFixed(0)}/s ${row[s].cpuMsPerRequest.toFixed(3)} ms (load ${row[s].load.toFixed(2)}${row[s].failed ? `, ${row[s].failed} failed` : ''})`
      console.log(
        `round ${r + 1} [${order.join('')}]: ${show('A')} | ${show('B')} | ${show('C')} | B÷A CPU ${(row.B.cpuMsPerRequest / row.A.cpuMsPerRequest).toFixed(2)}` +
          ` | C CPU ÷ ours: A ${((100 * row.C.cpuMsPerRequest) / row.A.cpuMsPerRequest).toFixed(0)} %, B ${((100 * row.C.cpuMsPerRequest) / row.B.cpuMsPerRequest).toFixed(0)} %` +
          ` | req/s ÷ C: A ${((100 * row.A.rps) / row.C.rps).toFixed(0)} %, B ${((100 * row.B.rps) / row.C.rps).toFixed(0)} %`,
      )
    }
    const med = (f: (row: Record<Side, Figure>) => number) => median(rows.map(f))
    console.log(
      `medians of ${rounds} rounds: CPU/request A ${med((r) => r.A.cpuMsPerRequest).toFixed(3)}, B ${med((r) => r.B.cpuMsPerRequest).toFixed(3)}, C ${med((r) => r.C.cpuMsPerRequest).toFixed(3)} ms;` +
        ` B÷A CPU ${med((r) => r.B.cpuMsPerRequest / r.A.cpuMsPerRequest).toFixed(2)};` +
        ` C CPU ÷ ours: A ${med((r) => (100 * r.C.cpuMsPerRequest) / r.A.cpuMsPerRequest).toFixed(0)} % → B ${med((r) => (100 * r.C.cpuMsPerRequest) / r.B.cpuMsPerRequest).toFixed(0)} %;` +
        ` req/s ÷ C: A ${med((r) => (100 * r.A.rps) / r.C.rps).toFixed(0)} % → B ${med((r) => (100 * r.B.rps) / r.C.rps).toFixed(0)} %;` +
        ` load ${Math.min(...rows.flatMap((r) => [r.A.load, r.B.load, r.C.load])).toFixed(1)}–${Math.max(...rows.flatMap((r) => [r.A.load, r.B.load, r.C.load])).toFixed(1)}`,
    )
  } finally {
    for (const s of Object.values(servers)) await s?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
