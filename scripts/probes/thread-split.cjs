#!/usr/bin/env node
/**
 * Where a command's CPU goes, by thread (docs/speed.md, "Rebuild, what limits it"): runs
 * `node <args…>` and reads /proc/<pid>/task/<tid>/stat every 10 ms from outside, keeping each
 * thread's last CPU (a thread that exits loses at most its last 10 ms). Node names every thread
 * "node", so they are told apart by when they started: the process's own thread (the folding
 * thread), V8's platform workers (started with the process, before any script: the garbage
 * collector's parallel and concurrent tasks and the optimizing compiler), and the threads started
 * later (the read thread, a Worker, is the busiest of them; libuv's pool, the worker's own).
 * Prints the command's stdout, then one line: the 1-minute load, the wall seconds, and the CPU
 * seconds of each group and of the process.
 *   node scripts/probes/thread-split.cjs [--platform N] -- <node args…>
 * N (default 5: node's delayed-task scheduler, then --v8-pool-size's 4 workers) is how many threads
 * after the first are V8's platform.
 */
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const { loadavg } = require('node:os')

const at = process.argv.indexOf('--')
if (at === -1) throw new Error('usage: node scripts/probes/thread-split.cjs [--platform N] -- <node args…>')
const platformAt = process.argv.indexOf('--platform')
const platform = platformAt !== -1 && platformAt < at ? Number(process.argv[platformAt + 1]) : 5
const ticks = 100 // USER_HZ on Linux
/** A thread's CPU seconds (utime + stime) and its start (in ticks since boot), or undefined once it is gone. */
const stat = (pid, tid) => {
  try {
    const s = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    const v = s.slice(s.lastIndexOf(') ') + 2).split(' ')
    return { cpu: (+v[11] + +v[12]) / ticks, start: +v[19] }
  } catch {
    return undefined
  }
}
const load = loadavg()[0].toFixed(2)
const t0 = performance.now()
const child = spawn(process.execPath, process.argv.slice(at + 1), { stdio: ['ignore', 'inherit', 'inherit'] })
const threads = new Map()
const sample = () => {
  let tids
  try {
    tids = fs.readdirSync(`/proc/${child.pid}/task`)
  } catch {
    return
  }
  for (const tid of tids) {
    const s = stat(child.pid, tid)
    if (s) threads.set(Number(tid), s)
  }
}
const timer = setInterval(sample, 10)
child.on('exit', (code) => {
  clearInterval(timer)
  const wall = (performance.now() - t0) / 1000
  // Started order: the tid rises with each thread made (nothing else here makes threads meanwhile).
  const order = [...threads.keys()].sort((a, b) => a - b)
  const main = threads.get(child.pid)?.cpu ?? 0
  const others = order.filter((t) => t !== child.pid)
  const platformCpu = others.slice(0, platform).reduce((a, t) => a + threads.get(t).cpu, 0)
  const later = others.slice(platform).map((t) => threads.get(t).cpu)
  const read = Math.max(0, ...later)
  const rest = later.reduce((a, c) => a + c, 0) - read
  const all = main + platformCpu + read + rest
  const f = (x) => x.toFixed(2)
  console.log(`load ${load}  wall ${f(wall)} s  folding ${f(main)}  read ${f(read)}  V8 platform (GC, compiler) ${f(platformCpu)}  rest ${f(rest)} (${later.length - (later.length ? 1 : 0)} threads)  process ${f(all)} s  (by tid: ${order.map((t) => `${t - child.pid}:${f(threads.get(t).cpu)}`).join(' ')})`)
  process.exitCode = code ?? 1
})
