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
 * Whether, between two samples taken while this process waited, a core was left for a read thread
 * beside the folding one: the cores' busy time, in cores, below the cores less one and a half (on
 * two cores: other work below half a core). No ticks between the samples: cannot tell, so no.
 */
export const coreIdleBetween = (before: CpuTimes, after: CpuTimes, cores: number, parallelism: number): boolean => {
  const total = after.total - before.total
  if (total <= 0 || parallelism < 2) return false
  const busyCores = ((total - (after.idle - before.idle)) / total) * cores
  return busyCores < Math.min(cores, parallelism) - 1.5
}

/** How long the machine is watched before a long range decides: about ten ticks of /proc/stat on two cores. */
const WINDOW_MS = 50

/**
 * Whether a core is idle now for the read thread (read-thread.ts), from the machine's CPU time over
 * the last 50 ms. It was the 1-minute load average, which lags: a rebuild on a machine gone quiet
 * after a minute's work was denied the thread it had the core for (the bench's rebuild, after its
 * writes at 64 clients, ran without it in 3 of 3 runs; docs/speed.md, "The read thread's gate").
 * The thread costs about 30 % more CPU in all than reading on the folding thread, so on a busy
 * machine it makes the fold slower, not faster (docs/speed.md, "Rebuild at 1M").
 */
export const coreIdleNow = async (): Promise<boolean> => {
  const before = cpuTimes()
  await new Promise((done) => setTimeout(done, WINDOW_MS))
  return coreIdleBetween(before, cpuTimes(), cpus().length, availableParallelism())
}
