/**
 * Durable writes over HTTP, group commit on and off (issue 15): a real server process on a fresh
 * SQLite file (synchronous=FULL), the fixture budget year imported, then N keep-alive clients each
 * posting AddToLine commands one after another for a while. Prints events/s and latency
 * percentiles per client count, medians of interleaved runs, as a Markdown table.
 *
 *   npx tsx scripts/focused-bench/bench-writes.ts [--clients 1,8,64] [--seconds 5] [--runs 3] [--dist] [--group on|off|both]
 *     [--worker on|off|both] [--client lean|node|both] [--roots DIR,DIR] [--flag-sets 'none|--single-threaded-gc'] [--warmup-seconds 0]
 *
 * --dist runs the built server bundle (dist/server.js, as npm run bench does: `npm run build` first) instead of the
 * sources through tsx; BENCH_PROF=<dir> has the server write a CPU profile there; BENCH_GC=1 has it trace its
 * garbage collections (--trace-gc-nvp) and prints, for the loaded window, their pauses over 5 ms by kind, each
 * thread's collections and paused ms a 1,000 commands, and the server's RSS; BENCH_HEAP=<dir>: what the main thread
 * allocated a command, by function (a sampling heap profile, scripts/bench/heap-sample.cjs); BENCH_SERVER_FLAGS: more
 * flags for the server's node (e.g. V8's), to compare settings. --worker on|off|both
 * compares group commits on the commit worker thread with on the server's (LEDGER_COMMIT_WORKER).
 * --client: the load generator, lean (raw sockets, scripts/bench/load/lean-client.ts, what `npm run bench`
 * uses) or node's http client (what it used before), or both in turn to compare their CPU per
 * command. --roots (with --dist): the built checkouts to compare, e.g. main's and this one, one run
 * of each in turn. The server's CPU is printed whole, and by thread: its main thread, its commit worker (the busiest
 * other thread) and the rest (V8's GC helpers, libuv's pool).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadClients, send } from '../bench/load/http-load'
import { median, quantile } from '../bench/report/stats'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const CLIENTS = arg('clients', '1,8,64').split(',').map(Number)
const SECONDS = Number(arg('seconds', '5'))
const WARMUP_SECONDS = Number(arg('warmup-seconds', '0'))
const RUNS = Number(arg('runs', '3'))
const DIST = process.argv.includes('--dist')
const GROUP = arg('group', 'both')
const WORKER = arg('worker', 'on')
const CLIENT = arg('client', 'lean')
const ROOTS = arg('roots', join(__dirname, '..', '..')).split(',')
// --flag-sets 'none|--single-threaded-gc|…': node flags for the server, one setting each (with each root), run in
// turn like the roots, so that V8's settings are compared A/B on one build; on top of BENCH_SERVER_FLAGS.
const FLAG_SETS = arg('flag-sets', 'none').split('|').map((set) => set.split(' ').filter((f) => f !== '' && f !== 'none'))
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

const startServer = (dir: string, { groupCommit, worker, root, flags }: Setting): Promise<{ child: ChildProcess; port: number }> =>
  new Promise((resolve, reject) => {
    mainIsolate = undefined
    const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), ...(process.env.BENCH_GC ? ['--trace-gc-nvp', '--require', join(__dirname, '..', 'bench', 'main-gc-first.cjs')] : []), ...(process.env.BENCH_HEAP ? ['--require', join(__dirname, '..', 'bench', 'heap-sample.cjs')] : []), ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []), ...flags, ...(DIST ? [join(root, 'dist', 'server.js')] : ['--import', join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(root, 'src', 'http', 'server', 'main.ts')])], {
      cwd: dir,
      env: {
        ...process.env,
        PORT: '0',
        LEDGER_DB: join(dir, 'ledger.db'),
        LEDGER_TOKENS: JSON.stringify([{ token: TOKEN, name: 'bench', role: 'finance' }]),
        LEDGER_GROUP_COMMIT: groupCommit ? '1' : '0',
        LEDGER_METRICS_TOKEN: METRICS_TOKEN,
        LEDGER_COMMIT_WORKER: worker ? '1' : '0',
        // As `npm run bench` runs the server (scripts/bench/processes.ts): no access line per request.
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...(process.env.BENCH_HEAP ? { BENCH_HEAP_OUT: process.env.BENCH_HEAP } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout!.on('data', (b: Buffer) => {
      // The log from here on is read and dropped, as a log shipper would: kept, it was searched again at every line.
      if (/listening on/.test(out)) return void gcPauses(b.toString())
      gcPauses(b.toString(), false)
      out += b.toString()
      const m = /listening on http:\/\/[^:]+:(\d+)\n/.exec(out)
      if (m) resolve({ child, port: Number(m[1]) })
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })

/**
 * Commands a durable commit carried on average (the server's ledger_group_commit_batch_size histogram), and the
 * mean time of a group's append, the hop to the commit worker and its fsync included (ledger_store_append_duration_seconds).
 */
const groupFigures = (port: number): Promise<{ group: number; appendMs: number }> =>
  new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } }, (res) => {
      let text = ''
      res.on('data', (b: Buffer) => (text += b.toString()))
      res.on('end', () => {
        // BENCH_METRICS=1: the server's histograms of its store and fold timings after each run, on stderr.
        if (process.env.BENCH_METRICS) process.stderr.write(`${text.split('\n').filter((l) => /^ledger_(fold_duration|store_append|group_commit)/.test(l)).join('\n')}\n`)
        const figure = (name: string) => Number(new RegExp(`^ledger_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
        resolve({
          group: figure('group_commit_batch_size_sum') / figure('group_commit_batch_size_count'),
          appendMs: (1000 * figure('store_append_duration_seconds_sum')) / figure('store_append_duration_seconds_count'),
        })
      })
    })
      .on('error', reject)
      .end()
  })

/**
 * BENCH_GC: the server's garbage collections (from --trace-gc-nvp lines) since the last report: pauses over 5 ms by
 * kind, and by thread every pause's total, the collections and the bytes allocated between them (V8's `allocated`,
 * counted at each collection: what the thread allocated since the one before).
 */
let pauses: Array<{ kind: string; ms: number }> = []
let byThread = new Map<string, { collections: number; pauseMs: number; allocated: number }>()
/** The main thread's isolate: the first to collect (made so by scripts/bench/main-gc-first.cjs, before any worker thread exists). */
let mainIsolate: string | undefined
const GC_KINDS: Record<string, string> = { s: 'Scavenge', ms: 'Mark-Compact', mmc: 'Minor Mark-Compact' }
const gcPauses = (text: string, counted = true): void => {
  for (const m of text.matchAll(/\[\d+:(0x[0-9a-f]+)\][^:]*: pause=([\d.]+) .*?\bgc=(\w+) .*?\ballocated=(\d+)/g)) {
    mainIsolate ??= m[1]
    if (!counted) continue
    const thread = m[1] === mainIsolate ? 'main' : 'worker'
    const ms = Number(m[2])
    if (ms > 5) pauses.push({ kind: `${thread} ${GC_KINDS[m[3]!] ?? m[3]}`, ms })
    const t = byThread.get(thread) ?? { collections: 0, pauseMs: 0, allocated: 0 }
    byThread.set(thread, { collections: t.collections + 1, pauseMs: t.pauseMs + ms, allocated: t.allocated + Number(m[4]) })
  }
}
const reportGcPauses = (commands: number): void => {
  if (!process.env.BENCH_GC) return
  const kinds = [...new Set(pauses.map((p) => p.kind))]
  process.stderr.write(`GC pauses over 5 ms: ${kinds.map((k) => { const ms = pauses.filter((p) => p.kind === k).map((p) => p.ms); return `${k} ${ms.length} (${ms.reduce((a, b) => a + b, 0).toFixed(0)} ms, longest ${Math.max(...ms).toFixed(1)})` }).join('; ') || 'none'}\n`)
  process.stderr.write(`GC by thread: ${[...byThread].map(([thread, t]) => `${thread} ${t.collections} collections (${((1000 * t.collections) / commands).toFixed(2)} a 1,000 commands), ${t.pauseMs.toFixed(0)} ms paused (${((1000 * t.pauseMs) / commands).toFixed(1)} ms a 1,000 commands), ${(t.allocated / commands / 1024).toFixed(1)} KB allocated a command`).join('; ')}\n`)
  pauses = []
  byThread = new Map()
}

/**
 * BENCH_HEAP=<dir>: what the server's main thread allocated over the loaded window, by function, from the sampling
 * heap profile its preload (scripts/bench/heap-sample.cjs) wrote there: bytes a command in all and the largest
 * allocators (self), on stderr. Read after /metrics has answered, so the profile (written when the signal is handled) is there.
 */
interface HeapNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly selfSize: number
  readonly children: ReadonlyArray<HeapNode>
}
const reportHeapProfile = (dir: string, pid: number, commands: number): void => {
  const file = readdirSync(dir).filter((f) => f.startsWith(`heap-${pid}-`)).sort().at(-1)
  if (file === undefined) return void process.stderr.write(`no heap profile of ${pid} in ${dir}\n`)
  const bySite = new Map<string, number>()
  let total = 0
  const walk = (n: HeapNode): void => {
    const { functionName, url, lineNumber } = n.callFrame
    const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize)
    total += n.selfSize
    for (const c of n.children) walk(c)
  }
  walk((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { head: HeapNode }).head)
  const top = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_HEAP_TOP ?? 25))
  process.stderr.write(`main thread allocated (sampled, collected included) ${(total / commands).toFixed(0)} bytes a command (${file}); largest, bytes a command:\n${top.map(([site, b]) => `  ${(b / commands).toFixed(0).padStart(6)}  ${site}`).join('\n')}\n`)
}

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux; NaN elsewhere). On a loaded
 * machine events/s swings with the other work; the CPU a command costs the server does not, and the
 * load generator's own shows whether it, not the server, is what the run measures.
 */
const TICK_MS = 10
const cpuMsOf = (pid: number | undefined, thread = false, path = thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, kernelOnly = false): number => {
  try {
    // A process's main thread has the process's id as its thread id. utime, then stime (the kernel's).
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ')
    return ((kernelOnly ? 0 : Number(fields[11])) + Number(fields[12])) * TICK_MS
  } catch {
    return NaN
  }
}
/**
 * The machine's CPU time (ms, all cores) by state since boot, from /proc/stat's first line: user (nice included),
 * system, interrupts (irq and softirq: loopback TCP's delivery runs there), steal (the hypervisor's other guests),
 * idle (iowait included).
 */
const MACHINE_STATES = ['user', 'system', 'interrupts', 'steal', 'idle'] as const
const machineMs = (): Record<(typeof MACHINE_STATES)[number], number> => {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map((n) => Number(n) * TICK_MS)
    return { user: f[0]! + f[1]!, system: f[2]!, interrupts: f[5]! + f[6]!, steal: f[7]!, idle: f[3]! + f[4]! }
  } catch {
    return { user: NaN, system: NaN, interrupts: NaN, steal: NaN, idle: NaN }
  }
}
/** Time (ms) each of a process's threads waited on a run queue for a core, by thread id, from /proc's schedstat (its second field, ns). */
const threadsWaitMs = (pid: number | undefined): Map<string, number> => {
  const out = new Map<string, number>()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e6)
  } catch {
    // Gone, or no schedstat.
  }
  return out
}
/** CPU time (ms) of each of a process's threads (or their kernel time alone), by thread id, from /proc (Linux; empty elsewhere). */
const threadsCpuMs = (pid: number | undefined, kernelOnly = false): Map<string, number> => {
  const out = new Map<string, number>()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(tid, cpuMsOf(Number(tid), false, `/proc/${pid}/task/${tid}/stat`, kernelOnly))
  } catch {
    // Gone, or not Linux: no per-thread figures.
  }
  return out
}
/**
 * The other threads' CPU between two readings: the busiest of them (under writes, the commit worker: Node names
 * no thread, so it is told by its work) and the rest (V8's GC helpers, libuv's pool, the read thread).
 */
const otherThreads = (pid: number | undefined, before: Map<string, number>, after: Map<string, number>) => {
  const spent = [...after].filter(([tid]) => tid !== String(pid)).map(([tid, ms]) => ms - (before.get(tid) ?? 0))
  const busiest = Math.max(0, ...spent)
  return { busiest, rest: spent.reduce((a, b) => a + b, 0) - busiest }
}
/** How often a thread was taken off its core while it still had work (preempted), from /proc. */
const preemptionsOf = (pid: number | undefined, kind: 'nonvoluntary' | 'voluntary' = 'nonvoluntary'): number => {
  try {
    return Number(new RegExp(`^${kind}_ctxt_switches:\\s+(\\d+)$`, 'm').exec(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'))?.[1] ?? NaN)
  } catch {
    return NaN
  }
}
/** A process's read and write system calls so far (all its threads), from /proc/<pid>/io. */
const syscallsOf = (pid: number | undefined): { reads: number; writes: number } => {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8')
    return { reads: Number(/^syscr: (\d+)$/m.exec(io)?.[1]), writes: Number(/^syscw: (\d+)$/m.exec(io)?.[1]) }
  } catch {
    return { reads: NaN, writes: NaN }
  }
}
/** A process's resident memory (VmRSS) or its peak (VmHWM), MB, from /proc. */
const rssOf = (pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number => {
  try {
    return Math.round(Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024)
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
  readonly lean: boolean
  readonly root: string
  readonly flags: ReadonlyArray<string>
}
const pick = (choice: string, on = 'on') => [false, true].filter((yes) => choice === 'both' || (choice === on) === yes)
const SETTINGS: Setting[] = pick(GROUP).flatMap((groupCommit) => pick(WORKER).flatMap((worker) => pick(CLIENT, 'lean').flatMap((lean) => ROOTS.flatMap((root) => FLAG_SETS.map((flags) => ({ groupCommit, worker, lean, root, flags }))))))

const run = async (count: number, setting: Setting) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-writes-'))
  const { child, port } = await startServer(dir, setting)
  const base = `http://127.0.0.1:${port}`
  const path = `/api/units/${UNIT}/years/${YEAR}/commands`
  const { clients, close } = loadClients(setting.lean, base, count, { method: 'POST', path, token: TOKEN, body: command })
  try {
    const agent = new Agent({ keepAlive: false })
    const imported = await send(agent, base, { method: 'POST', path: '/api/budget-files', token: TOKEN, body: JSON.stringify(budgetFile) })
    agent.destroy()
    if (imported !== 201) throw new Error('import failed')
    // A short warm-up: the first command folds the year and opens the connections.
    await Promise.all(clients.map((c) => c()))
    // --warmup-seconds: load not counted, so that the window sees a server whose hot code V8 has already compiled
    // (TurboFan's compiles run on V8's platform threads, the "other threads", for the first seconds of load).
    const warmEnd = performance.now() + WARMUP_SECONDS * 1000
    await Promise.all(clients.map(async (client) => { while (performance.now() < warmEnd) await client() }))
    const latencies: number[] = []
    let failed = 0
    const end = performance.now() + SECONDS * 1000
    const started = performance.now()
    // The window alone: what the import and the warm-up collected or allocated is not counted.
    pauses = []
    byThread = new Map()
    if (process.env.BENCH_HEAP) child.kill('SIGUSR2')
    const [server0, main0, own0, threads0, preempted0] = [cpuMsOf(child.pid), cpuMsOf(child.pid, true), ownCpuMs(), threadsCpuMs(child.pid), preemptionsOf(child.pid)]
    const [kernel0, ownUsage0, machine0, wait0, ownWait0, sleeps0, io0] = [threadsCpuMs(child.pid, true), process.cpuUsage(), machineMs(), threadsWaitMs(child.pid), threadsWaitMs(process.pid), preemptionsOf(child.pid, 'voluntary'), syscallsOf(child.pid)]
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < end) {
          const t0 = performance.now()
          const status = await client()
          if (status === 201) latencies.push(performance.now() - t0)
          else failed++
        }
      }),
    )
    const elapsed = (performance.now() - started) / 1000
    const commands = latencies.length + failed
    const [serverCpu, mainCpu, ownCpu] = [(cpuMsOf(child.pid) - server0) / commands, (cpuMsOf(child.pid, true) - main0) / commands, (ownCpuMs() - own0) / commands]
    const threads1 = threadsCpuMs(child.pid)
    const others = otherThreads(child.pid, threads0, threads1)
    // BENCH_THREADS=1: every thread's CPU ms a command, by its id's distance from the main thread's (node names none;
    // the order tells them: V8's platform workers, the GC's helpers, come right after the main thread, the libuv pool
    // and the worker threads later, as each is first needed).
    if (process.env.BENCH_THREADS) process.stderr.write(`threads, CPU ms a command: ${[...threads1].map(([tid, ms]) => [Number(tid) - child.pid!, (ms - (threads0.get(tid) ?? 0)) / commands] as const).filter(([, ms]) => ms > 0).map(([at, ms]) => `+${at} ${ms.toFixed(3)}`).join(', ')}\n`)
    // BENCH_THREADS=1 also: each thread's kernel (system) share, the load generator's (this process's) user and
    // system CPU a command, and the machine's time in the window by state (all processes, both cores).
    if (process.env.BENCH_THREADS) {
      const kernel1 = threadsCpuMs(child.pid, true)
      const [ownUsage, machine] = [process.cpuUsage(ownUsage0), machineMs()]
      const spent = MACHINE_STATES.map((k) => [k, machine[k] - machine0[k]] as const)
      const all = spent.reduce((a, [, ms]) => a + ms, 0)
      const [wait1, ownWait1, io1] = [threadsWaitMs(child.pid), threadsWaitMs(process.pid), syscallsOf(child.pid)]
      // The main thread's voluntary switches are its event loop's sleeps (in epoll): one a turn of the loop that found nothing ready.
      process.stderr.write(`server, a command: main thread's sleeps ${((preemptionsOf(child.pid, 'voluntary') - sleeps0) / commands).toFixed(3)}, read calls ${((io1.reads - io0.reads) / commands).toFixed(2)}, write calls ${((io1.writes - io0.writes) / commands).toFixed(2)} (all threads)\n`)
      const ownWait = [...ownWait1].reduce((a, [tid, ms]) => a + ms - (ownWait0.get(tid) ?? 0), 0)
      process.stderr.write(`threads, waiting for a core, ms a command: ${[...wait1].map(([tid, ms]) => [Number(tid) - child.pid!, (ms - (wait0.get(tid) ?? 0)) / commands] as const).filter(([, ms]) => ms > 0.0005).map(([at, ms]) => `+${at} ${ms.toFixed(3)}`).join(', ')}; the load generator's ${(ownWait / commands).toFixed(3)}\n`)
      process.stderr.write(`threads, kernel CPU ms a command: ${[...kernel1].map(([tid, ms]) => [Number(tid) - child.pid!, (ms - (kernel0.get(tid) ?? 0)) / commands] as const).filter(([, ms]) => ms > 0).map(([at, ms]) => `+${at} ${ms.toFixed(3)}`).join(', ')}\n`)
      process.stderr.write(`load generator, CPU ms a command: user ${(ownUsage.user / 1000 / commands).toFixed(3)}, kernel ${(ownUsage.system / 1000 / commands).toFixed(3)}; machine in the window, ms a command (share): ${spent.map(([k, ms]) => `${k} ${(ms / commands).toFixed(3)} (${((100 * ms) / all).toFixed(1)} %)`).join(', ')}; ${(all / 1000 / elapsed).toFixed(2)} cores' time a second\n`)
    }
    const [workerCpu, restCpu] = [others.busiest / commands, others.rest / commands]
    const preempted = preemptionsOf(child.pid) - preempted0
    latencies.sort((a, b) => a - b)
    if (process.env.BENCH_HEAP) child.kill('SIGUSR2')
    const figures = await groupFigures(port)
    reportGcPauses(commands)
    if (process.env.BENCH_GC) process.stderr.write(`server RSS ${rssOf(child.pid, 'VmRSS')} MB, peak ${rssOf(child.pid, 'VmHWM')} MB\n`)
    if (process.env.BENCH_HEAP) {
      const dir = process.env.BENCH_HEAP
      for (let i = 0; i < 50 && !readdirSync(dir).some((f) => f.startsWith(`heap-${child.pid}-`)); i++) await new Promise((r) => setTimeout(r, 100))
      reportHeapProfile(dir, child.pid!, commands)
    }
    return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed, ...figures, preemptedAGroup: (preempted * figures.group) / commands, serverCpu, mainCpu, workerCpu, restCpu, ownCpu, load: loadavg()[0]! }
  } finally {
    close()
    await new Promise<void>((r) => {
      child.once('exit', () => r())
      child.kill('SIGTERM')
    })
    rmSync(dir, { recursive: true, force: true })
  }
}

const main = async () => {
  process.stdout.write(`durable writes over HTTP (1 event a command), ${SECONDS} s a run, median of ${RUNS}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n\n`)
  process.stdout.write('| clients | build | group commit | commit worker | load generator | events/s | p50 ms | p99 ms | failed | commands a commit | append ms | main thread preempted a group | server CPU ms a command | its main thread | its commit worker | its other threads | load generator CPU ms a command | each run: events/s, CPU ms a command of main thread, commit worker and load generator, load |\n|---:|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n')
  for (const clients of CLIENTS) {
    const runs = SETTINGS.map((setting) => ({ setting, results: [] as Array<Awaited<ReturnType<typeof run>>> }))
    // Interleaved, one run of each setting in turn, so that a change in the machine's load falls on all alike.
    for (let i = 0; i < RUNS; i++) for (const r of runs) r.results.push(await run(clients, r.setting))
    for (const { setting, results: rs } of runs) {
      const row = [clients, `${setting.root}${setting.flags.length ? ` ${setting.flags.join(' ')}` : ''}`, setting.groupCommit ? 'on' : 'off', setting.worker ? 'on' : 'off', setting.lean ? 'lean' : 'node http', median(rs.map((r) => r.perSecond)).toFixed(0), median(rs.map((r) => r.p50)).toFixed(1), median(rs.map((r) => r.p99)).toFixed(1), rs.reduce((n, r) => n + r.failed, 0), median(rs.map((r) => r.group)).toFixed(1), median(rs.map((r) => r.appendMs)).toFixed(2), median(rs.map((r) => r.preemptedAGroup)).toFixed(2), median(rs.map((r) => r.serverCpu)).toFixed(3), median(rs.map((r) => r.mainCpu)).toFixed(3), median(rs.map((r) => r.workerCpu)).toFixed(3), median(rs.map((r) => r.restCpu)).toFixed(3), median(rs.map((r) => r.ownCpu)).toFixed(3), rs.map((r) => `${r.perSecond.toFixed(0)}, ${r.mainCpu.toFixed(3)}, ${r.workerCpu.toFixed(3)}, ${r.ownCpu.toFixed(3)}, ${r.load.toFixed(1)}`).join('; ')]
      process.stdout.write(`| ${row.join(' | ')} |\n`)
    }
  }
  process.stdout.write(`\nload after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exitCode = 1
})
