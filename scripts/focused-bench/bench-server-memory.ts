#!/usr/bin/env node
/**
 * The server's memory holding one big unit-year (issue 15, "server memory"; docs/speed.md, "Memory at
 * 1M"): what `npm run bench`'s server measure reads (scripts/bench/measures/server.ts), with its parts.
 * Starts a built server (`<root>/dist/server.js`) on a copy of a bench ledger (scripts/focused-bench/bench-asof.ts
 * or `npm run bench` builds one; unit 990001, 2021), asks for table 3 once (the first answer), then
 * 64 keep-alive connections ask for it for a few seconds, as the bench does. At both points the
 * server reports its resident memory from /proc (VmRSS, anonymous and file-backed) and V8's heap
 * spaces, through a preloaded probe; with --gc also after a full collection (what is live), and
 * with --heap-snapshot a heap snapshot at the end. Several roots are run in turn, round after
 * round (main's build and a branch's, interleaved), with the machine's load.
 *
 *   npx tsx scripts/focused-bench/bench-server-memory.ts --db FILE [--root DIR[#NAME=VALUE…][,…]] [--runs 3] [--seconds 3] [--gc] [--heap-snapshot DIR]
 *
 * A root may carry settings for its server after `#` (e.g. `.#LEDGER_YOUNG_GENERATION_MIB=0`), to
 * compare them on one build.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Agent } from 'node:http'
import { hammer, send } from '../bench/load/http-load'
import { TOKENS, TOKEN_ENTRIES } from '../bench/ledgers/ledger-file'
import { startListening } from '../bench/processes'
import { TABLE_PATH } from '../bench/measures/server'
import { arg } from '../bench/cli-arg'

const db = resolve(arg('db'))
const roots = arg('root', process.cwd()).split(',')
/** A root's folder and the settings after its `#`. */
const rootOf = (root: string): { dir: string; env: Record<string, string> } => {
  const [dir, ...settings] = root.split('#')
  return { dir: resolve(dir!), env: Object.fromEntries(settings.map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)])) }
}
const runs = Number(arg('runs', '3'))
const seconds = Number(arg('seconds', '3'))
const withGc = process.argv.includes('--gc')
const heapSnapshotDir = process.argv.includes('--heap-snapshot') ? resolve(arg('heap-snapshot')) : undefined

/** Runs inside the server: on SIGUSR2, one JSON line of its memory appended to $MEM_PROBE_OUT. */
const PROBE = `
const fs = require('node:fs')
const v8 = require('node:v8')
const mb = (n) => Math.round((n / 2 ** 20) * 10) / 10
const kb = (text, field) => { const m = new RegExp('^' + field + ':\\\\s+(\\\\d+) kB', 'm').exec(text); return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined }
const figures = () => {
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), mb(s.space_used_size) + '/' + mb(s.space_size)]))
  const m = process.memoryUsage()
  return { rss: kb(status, 'VmRSS'), anon: kb(status, 'RssAnon'), file: kb(status, 'RssFile'), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), spaces }
}
let gc
process.on('SIGUSR2', () => {
  const line = { now: figures() }
  if (process.env.MEM_PROBE_GC === '1') {
    if (!gc) { v8.setFlagsFromString('--expose-gc'); gc = require('node:vm').runInNewContext('gc') }
    gc()
    line.live = figures()
  }
  if (process.env.MEM_PROBE_HEAPSNAP) v8.writeHeapSnapshot(process.env.MEM_PROBE_HEAPSNAP)
  fs.appendFileSync(process.env.MEM_PROBE_OUT, JSON.stringify(line) + '\\n')
})
`

interface Figures {
  readonly rss: number
  readonly anon: number
  readonly file: number
  readonly heapUsed: number
  readonly heapTotal: number
  readonly external: number
  readonly arrayBuffers: number
  readonly spaces: Record<string, string>
}

const probed = async (pid: number, out: string, lines: number): Promise<{ now: Figures; live?: Figures }> => {
  process.kill(pid, 'SIGUSR2')
  for (;;) {
    await new Promise((ok) => setTimeout(ok, 50))
    let text = ''
    try {
      text = readFileSync(out, 'utf8')
    } catch {
      continue
    }
    const all = text.trim().split('\n').filter(Boolean)
    if (all.length >= lines) return JSON.parse(all[lines - 1]!)
  }
}

const one = async (root: string, round: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mem-'))
  const probe = join(dir, 'probe.cjs')
  const out = join(dir, 'probe.jsonl')
  writeFileSync(probe, PROBE)
  writeFileSync(join(dir, 'users.json'), '[]\n')
  const { dir: build, env: settings } = rootOf(root)
  const env = {
    ...settings,
    LEDGER_DB: db,
    LEDGER_TOKENS: TOKEN_ENTRIES,
    LEDGER_USERS_FILE: join(dir, 'users.json'),
    MEM_PROBE_OUT: out,
    ...(withGc ? { MEM_PROBE_GC: '1' } : {}),
    ...(heapSnapshotDir ? { MEM_PROBE_HEAPSNAP: join(heapSnapshotDir, `${root.replace(/\W+/g, '_')}-${round}.heapsnapshot`) } : {}),
  }
  const load = loadavg()[0]!
  const server = await startListening(['-r', probe, join(build, 'dist', 'server.js')], env, dir)
  try {
    const agent = new Agent({ keepAlive: true })
    const status = await send(agent, server.url, { method: 'GET', path: TABLE_PATH, token: TOKENS.read })
    agent.destroy()
    if (status !== 200) throw new Error(`the first GET ${TABLE_PATH} answered ${status}`)
    const first = await probed(server.child.pid!, out, 1)
    const reads = await hammer(server.url, 64, seconds, { method: 'GET', path: TABLE_PATH, token: TOKENS.read }, 200)
    const after = await probed(server.child.pid!, out, 2)
    return { root, round, load, first, reads, after }
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const show = (f: Figures) => `rss ${f.rss} (anon ${f.anon}, file ${f.file}) heap ${f.heapUsed}/${f.heapTotal} ext ${f.external} ab ${f.arrayBuffers} | ${Object.entries(f.spaces).map(([k, v]) => `${k} ${v}`).join(', ')}`

const main = async () => {
  const results = []
  for (let round = 1; round <= runs; round++) {
    // Swapped each round, so neither root always runs on the machine the other one left.
    const order = round % 2 === 1 ? roots : [...roots].reverse()
    for (const root of order) {
      const r = await one(root, round)
      results.push(r)
      console.log(`round ${round} ${root} (load ${r.load.toFixed(2)}): bench RSS ${Math.max(r.first.now.rss, r.after.now.rss)} MB; ${r.reads.perSecond.toFixed(0)} req/s, p99 ${r.reads.p99Ms.toFixed(1)} ms`)
      console.log(`  after the first answer: ${show(r.first.now)}`)
      if (r.first.live) console.log(`    live: ${show(r.first.live)}`)
      console.log(`  after the reads:        ${show(r.after.now)}`)
      if (r.after.live) console.log(`    live: ${show(r.after.live)}`)
    }
  }
  for (const root of roots) {
    const mine = results.filter((r) => r.root === root)
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    console.log(`median of ${mine.length}, ${root}: bench RSS ${med(mine.map((r) => Math.max(r.first.now.rss, r.after.now.rss)))} MB (first ${med(mine.map((r) => r.first.now.rss))}, after reads ${med(mine.map((r) => r.after.now.rss))}), ${med(mine.map((r) => r.reads.perSecond)).toFixed(0)} req/s`)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
