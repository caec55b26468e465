import { PerformanceObserver } from 'node:perf_hooks'
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'

/**
 * How the server's V8 heap grows (docs/speed.md, "Memory at 1M"). Both are V8 flags that V8 reads
 * each time it sizes a space, so they take effect when set at the start of the server's main
 * (`node dist/server.js` takes no flags of ours, and a re-exec would cost a second process).
 *
 * The young generation, capped. V8 doubles its new space whenever enough of it survives a
 * scavenge, up to 32 MiB on 64-bit, and the pages of both halves stay resident: under 64
 * connections it reached that size holding a year of a million events. 16 MiB cost no measurable
 * CPU per read against V8's own sizing; 8 MiB saved 9 MB more but cost 5-10 % CPU per read (more
 * scavenges, more promoted).
 *
 * `--max-semi-space-size` is read once, when V8 sets up its heap, before any of our code runs, but
 * the growth factor is read at each growth: so the factor is 1 (no growth) whenever the new space
 * is at the cap and V8's own 2 below it, checked after every collection (a gc observer: a few per
 * second under load). A collection that comes before the check of the one before (a long
 * synchronous burst, or a loaded machine: test/http/server/server-heap.test.ts) can grow it once more;
 * should V8 shrink the space when idle, it may grow back to the cap.
 */
export const DEFAULT_YOUNG_GENERATION_MIB = 16

/** LEDGER_YOUNG_GENERATION_MIB: the cap in MiB (a power of two, 2-64; default 16), or 0 for V8's own sizing. */
export const youngGenerationMib = (env: NodeJS.ProcessEnv): number => {
  const v = env.LEDGER_YOUNG_GENERATION_MIB ?? ''
  if (v === '') return DEFAULT_YOUNG_GENERATION_MIB
  const n = Number(v)
  if (n === 0 || (Number.isInteger(n) && n >= 2 && n <= 64 && (n & (n - 1)) === 0)) return n
  throw new Error(`LEDGER_YOUNG_GENERATION_MIB: expected 0 (V8's own sizing) or a power of two from 2 to 64 (MiB of young generation), got "${v}"`)
}

const newSpaceBytes = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0

/** Applies the cap for the life of the process; returns how to lift it (tests). 0: nothing is changed. */
export const capYoungGeneration = (mib: number): (() => void) => {
  if (mib === 0) return () => undefined
  const cap = mib * 2 ** 20
  let factor = 2
  const check = () => {
    const next = newSpaceBytes() >= cap ? 1 : 2
    if (next === factor) return
    factor = next
    setFlagsFromString(`--semi-space-growth-factor=${next}`)
  }
  check()
  const observer = new PerformanceObserver(check)
  observer.observe({ entryTypes: ['gc'] })
  return () => {
    observer.disconnect()
    if (factor !== 2) setFlagsFromString('--semi-space-growth-factor=2')
  }
}

/**
 * The old generation's growth after a full collection: by default V8 lets it grow to up to 4× what
 * was live before it collects again, and the pages stay committed. A server holding a year has
 * some 15-25 MiB live and promotes a steady trickle of request garbage, so the old space sat at
 * 40-75 MiB with a third of it live; at 30 % it stays within 1.3× (a full collection of that heap
 * is a few ms, mostly concurrent).
 */
export const DEFAULT_OLD_GENERATION_GROWTH_PERCENT = 30

/** LEDGER_OLD_GENERATION_GROWTH_PERCENT: 10-400 (default 30), or 0 for V8's own heuristics. */
export const oldGenerationGrowthPercent = (env: NodeJS.ProcessEnv): number => {
  const v = env.LEDGER_OLD_GENERATION_GROWTH_PERCENT ?? ''
  if (v === '') return DEFAULT_OLD_GENERATION_GROWTH_PERCENT
  const n = Number(v)
  if (n === 0 || (Number.isInteger(n) && n >= 10 && n <= 400)) return n
  throw new Error(`LEDGER_OLD_GENERATION_GROWTH_PERCENT: expected 0 (V8's own heuristics) or a whole percentage from 10 to 400 (how far the old generation may grow past what a full collection left live), got "${v}"`)
}

/** Applies the growth for the life of the process (V8 reads it after each full collection). 0: nothing is changed. */
export const limitOldGenerationGrowth = (percent: number): void => {
  if (percent !== 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
}

/** Both, from the environment; what was applied, for the server's start lines. */
export const sizeServerHeap = (env: NodeJS.ProcessEnv): { youngMib: number; oldGrowthPercent: number } => {
  const youngMib = youngGenerationMib(env)
  const oldGrowthPercent = oldGenerationGrowthPercent(env)
  capYoungGeneration(youngMib)
  limitOldGenerationGrowth(oldGrowthPercent)
  return { youngMib, oldGrowthPercent }
}

/** The start line that says how the heap is sized. */
export const heapLine = ({ youngMib, oldGrowthPercent }: { youngMib: number; oldGrowthPercent: number }): string =>
  `  memory: young generation ${youngMib === 0 ? 'sized by V8' : `capped at ${youngMib} MiB`} (LEDGER_YOUNG_GENERATION_MIB), old generation ${oldGrowthPercent === 0 ? 'grown by V8' : `grown ${oldGrowthPercent} % past what is live`} (LEDGER_OLD_GENERATION_GROWTH_PERCENT)`
