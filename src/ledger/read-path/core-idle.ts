import { availableParallelism, cpus } from 'node:os'

/** CPU time of the machine's cores summed, in ms: idle and in all (os.cpus, /proc/stat on Linux, in 10 ms ticks). */
export interface CpuTimes {
  readonly idle: number
  readonly total: number
}

export const cpuTimes = (): CpuTimes => {
  let idle = 0
  let total = 0
  for (const { times: t } of cpus()) {
    idle += t.idle
    total += t.user + t.nice + t.sys + t.idle + t.irq
  }
  return { idle, total }
}

/**
 * The gate's decision for one long range, and the figure it decided on: the cores busy between the
 * two samples (this process's other threads included; null when no tick fell between them: cannot
 * tell, so no) and the most that still leaves a core for the read thread beside the folding one.
 */
export interface GateDecision {
  readonly idle: boolean
  readonly busyCores: number | null
  readonly limit: number
}

/**
 * Whether, between two samples taken while this process waited, a core was left for a read thread
 * beside the folding one: the cores' busy time, in cores, below the cores less one and a half (on
 * two cores: other work below half a core). No ticks between the samples: cannot tell, so no.
 */
export const gateBetween = (before: CpuTimes, after: CpuTimes, cores: number, parallelism: number): GateDecision => {
  const total = after.total - before.total
  const limit = Math.min(cores, parallelism) - 1.5
  if (total <= 0) return { idle: false, busyCores: null, limit }
  const busyCores = ((total - (after.idle - before.idle)) / total) * cores
  return { idle: parallelism >= 2 && busyCores < limit, busyCores, limit }
}

/** gateBetween's decision alone. */
export const coreIdleBetween = (before: CpuTimes, after: CpuTimes, cores: number, parallelism: number): boolean => gateBetween(before, after, cores, parallelism).idle

/** How long the machine is watched before a long range decides: about ten ticks of /proc/stat on two cores. */
const WINDOW_MS = 50

let decisions = 0
let last: GateDecision | undefined

/**
 * How many long ranges this process has gated so far, and the last decision: how a benchmark or
 * `snapshots rebuild --json` says whether the thread ran and on what figure (read-thread-watch.ts).
 */
export const gateDecisions = (): { readonly count: number; readonly last: GateDecision | undefined } => ({ count: decisions, last })

/**
 * Whether a core is idle now for the read thread (read-thread.ts), from the machine's CPU time over
 * the last 50 ms. It was the 1-minute load average, which lags: a rebuild on a machine gone quiet
 * after a minute's work was denied the thread it had the core for (the bench's rebuild, after its
 * writes at 64 clients, ran without it in 3 of 3 runs; docs/speed.md, "The read thread's gate").
 * The thread costs about 30 % more CPU in all than reading on the folding thread, so on a busy
 * machine it makes the fold slower, not faster (docs/speed.md, "Rebuild at 1M").
 */
export const coreIdleNow = async (): Promise<boolean> => {
  last = await gateOver(WINDOW_MS)
  decisions++
  return last.idle
}

/** The gate's rule applied to the machine's CPU time over the next `ms` (the bench's settling looks longer than the gate's 50 ms). */
export const gateOver = async (ms: number): Promise<GateDecision> => {
  const before = cpuTimes()
  await new Promise((done) => setTimeout(done, ms))
  return gateBetween(before, cpuTimes(), cpus().length, availableParallelism())
}
