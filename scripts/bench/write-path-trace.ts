import { readFileSync, readdirSync } from 'node:fs'

/**
 * BENCH_TRACE (scripts/bench-writes.ts): where a durable write's time goes at N clients, and whether the
 * machine was busy meanwhile. The server writes its write path's timestamps (LEDGER_COMMIT_TRACE,
 * src/metrics/commit-trace.ts) when it exits; this reads them for the loaded window, with what /proc says of
 * the window: the machine's idle share (/proc/stat) and each thread's CPU and run-queue wait (schedstat).
 */
interface WorkerTrace { recv: number; bodyEnd: number; end: number; cpuNs: number; delayNs: number }
interface GroupTrace { posted: number; reply: number; answered: number; batches: number; worker?: WorkerTrace; commands: Array<[number, number, number]> }

/** The machine's CPU counters (ticks): all, idle (idle + iowait), steal. */
export const machineTicks = () => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  return { all: f.slice(0, 8).reduce((a, b) => a + b, 0), idle: f[3]! + f[4]!, iowait: f[4]!, steal: f[7]! }
}
/** Each thread's CPU and run-queue wait, ns, by thread id. */
export const threadSched = (pid: number): Map<number, [number, number]> => {
  const out = new Map<number, [number, number]>()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const f = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')
      out.set(Number(tid), [Number(f[0]), Number(f[1])])
    }
  } catch {
    // gone
  }
  return out
}

export interface Window { start: number; end: number; ticks0: ReturnType<typeof machineTicks>; ticks1: ReturnType<typeof machineTicks>; server0: Map<number, [number, number]>; server1: Map<number, [number, number]>; own0: Map<number, [number, number]>; own1: Map<number, [number, number]> }

const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length)
const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! }
const f2 = (x: number) => x.toFixed(2)
const pct = (x: number) => `${(100 * x).toFixed(0)} %`

export const reportTrace = (file: string, serverPid: number, w: Window, clientMs: number[]): string => {
  const { http, groups } = JSON.parse(readFileSync(file, 'utf8')) as { http: Array<[number, number]>; groups: GroupTrace[] }
  const inWin = groups.filter((g) => g.posted >= w.start && g.answered <= w.end && g.worker)
  const winMs = w.end - w.start
  const lines: string[] = []
  // The machine and the threads.
  const all = w.ticks1.all - w.ticks0.all
  lines.push(`window ${(winMs / 1000).toFixed(2)} s: machine idle ${pct((w.ticks1.idle - w.ticks0.idle) / all)} (iowait ${pct((w.ticks1.iowait - w.ticks0.iowait) / all)}, steal ${pct((w.ticks1.steal - w.ticks0.steal) / all)})`)
  const share = (m0: Map<number, [number, number]>, m1: Map<number, [number, number]>, tid: number) => { const a = m0.get(tid) ?? [0, 0]; const b = m1.get(tid) ?? a; return [(b[0] - a[0]) / 1e6 / winMs, (b[1] - a[1]) / 1e6 / winMs] as const }
  const serverTids = [...w.server1.keys()]
  const busy = serverTids.map((tid) => [tid, ...share(w.server0, w.server1, tid)] as const).filter(([, c]) => c > 0.001)
  const workerTid = busy.filter(([tid]) => tid !== serverPid).sort((a, b) => b[1] - a[1])[0]?.[0]
  const sum = (xs: ReadonlyArray<readonly [number, number, number]>): [number, number] => xs.reduce<[number, number]>((a, [, c, d]) => [a[0] + c, a[1] + d], [0, 0])
  const [mainC, mainD] = share(w.server0, w.server1, serverPid)
  const [wkC, wkD] = workerTid === undefined ? [0, 0] : share(w.server0, w.server1, workerTid)
  const [restC, restD] = sum(busy.filter(([tid]) => tid !== serverPid && tid !== workerTid))
  const [genC, genD] = sum([...w.own1.keys()].map((tid) => [tid, ...share(w.own0, w.own1, tid)] as const))
  lines.push(`threads, busy / waiting for a core, share of the window: server main ${pct(mainC)} / ${pct(mainD)}; commit worker ${pct(wkC)} / ${pct(wkD)}; other server threads ${pct(restC)} / ${pct(restD)}; load generator (all its threads) ${pct(genC)} / ${pct(genD)}; sum busy ${f2(mainC + wkC + restC + genC)} of 2 cores`)
  // Groups.
  const sizes = inWin.map((g) => g.commands.length)
  const wk = inWin.map((g) => g.worker!)
  const wall = wk.map((t) => t.end - t.recv)
  const cpu = wk.map((t) => t.cpuNs / 1e6)
  const delay = wk.map((t) => t.delayNs / 1e6)
  const io = wk.map((t, i) => wall[i]! - cpu[i]! - delay[i]!)
  const gaps = inWin.slice(1).map((g, i) => g.posted - inWin[i]!.reply)
  const workerBusy = wall.reduce((a, b) => a + b, 0) / winMs
  lines.push(`groups ${inWin.length} (${(inWin.length / (winMs / 1000)).toFixed(0)}/s): commands a group mean ${f2(mean(sizes))}, p10 ${q(sizes, 0.1)}, p50 ${q(sizes, 0.5)}, p90 ${q(sizes, 0.9)}; worker inside a group ${pct(workerBusy)} of the window`)
  lines.push(`a group on the worker, ms mean (p50, p90): wall ${f2(mean(wall))} (${f2(q(wall, 0.5))}, ${f2(q(wall, 0.9))}) = CPU ${f2(mean(cpu))} (${f2(q(cpu, 0.5))}, ${f2(q(cpu, 0.9))}) + waiting for a core ${f2(mean(delay))} (${f2(q(delay, 0.5))}, ${f2(q(delay, 0.9))}) + blocked (the fsync) ${f2(mean(io))} (${f2(q(io, 0.5))}, ${f2(q(io, 0.9))}); body (inserts, leaves) wall ${f2(mean(wk.map((t) => t.bodyEnd - t.recv)))}, COMMIT wall ${f2(mean(wk.map((t) => t.end - t.bodyEnd)))}`)
  lines.push(`between commits (a reply to the next post), ms mean ${f2(mean(gaps))}, p50 ${f2(q(gaps, 0.5))}, p90 ${f2(q(gaps, 0.9))}; post→worker ${f2(mean(inWin.map((g) => g.worker!.recv - g.posted)))}, worker→reply ${f2(mean(inWin.map((g) => g.reply - g.worker!.end)))}, reply→all resolved ${f2(mean(inWin.map((g) => g.answered - g.reply)))}`)
  // A command's round trip.
  const segs = inWin.flatMap((g) => g.commands.map(([sub, d0, d1]) => ({ queued: d0 - sub, decide: d1 - d0, toPost: g.posted - d1, toWorker: g.worker!.recv - g.posted, body: g.worker!.bodyEnd - g.worker!.recv, commit: g.worker!.end - g.worker!.bodyEnd, back: g.reply - g.worker!.end, resolve: g.answered - g.reply, total: g.answered - sub })))
  const httpIn = http.filter(([t0, t1]) => t0 >= w.start && t1 <= w.end).map(([t0, t1]) => t1 - t0)
  const keys = ['queued', 'decide', 'toPost', 'toWorker', 'body', 'commit', 'back', 'resolve', 'total'] as const
  const bySlow = [...segs].sort((a, b) => a.total - b.total)
  const slow = bySlow.slice(Math.floor(bySlow.length * 0.99))
  lines.push(`a command, ms (mean | slowest 1 % mean): ${keys.map((k) => `${k} ${f2(mean(segs.map((s) => s[k])))} | ${f2(mean(slow.map((s) => s[k])))}`).join('; ')}`)
  lines.push(`server's POST in to response finished ms mean ${f2(mean(httpIn))} (p99 ${f2(q(httpIn, 0.99))}); client round trip mean ${f2(mean(clientMs))} (p99 ${f2(q(clientMs, 0.99))}); so HTTP in the server (read, parse, route, decode, answer's write) ≈ ${f2(mean(httpIn) - mean(segs.map((s) => s.total)))}, outside the server (sockets, load generator) ≈ ${f2(mean(clientMs) - mean(httpIn))}`)
  return lines.join('\n')
}
