import { PerformanceObserver } from 'node:perf_hooks'
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'

/**
 * How the server's V8 heap grows (docs/speed.md, "Memory at 1M", "The young generation, hard").
 *
 * The young generation, capped. V8 doubles its new space whenever enough of it survives a
 * scavenge, up to 32 MiB on 64-bit, and the pages of both halves stay resident: under 64
 * connections it reached that size holding a year of a million events. 16 MiB cost no measurable
 * CPU per read against V8's own sizing; 8 MiB saved 9 MB more but cost 5-10 % CPU per read (more
 * scavenges, more promoted).
 *
 * Two ways to cap it, because V8 reads `--max-semi-space-size` once, when it sets up its heap,
 * before any of our code runs:
 * - hard: node started with `--max-semi-space-size=N` (as `npm start` does: `startFlags`), which
 *   caps the new space at 2N MiB (N rounded up to a power of two): V8 never grows past it;
 * - soft, for a plain `node dist/server.js`: the growth factor, which V8 reads at each growth, is
 *   set to 1 (no growth) whenever the new space is at the cap and to V8's own 2 below it, checked
 *   after every collection (a gc observer: a few per second under load). A collection that comes
 *   before the check of the one before (a long synchronous burst, a loaded machine) can grow it
 *   once more (test/http/server/server-heap.test.ts). A re-exec with the flag would make it hard
 *   too, but costs a second process at start and leaves a child behind when the parent is killed.
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

/**
 * The young generation node was started with, in MiB: `--max-semi-space-size=N` on its command
 * line (which takes precedence) or in NODE_OPTIONS gives new spaces of 2N MiB, N rounded up to a
 * power of two as V8 does; undefined when neither sets it (0 is V8's own sizing).
 */
export const startedYoungMib = (execArgv: ReadonlyArray<string>, nodeOptions = ''): number | undefined => {
  const flag = /^--max[-_]semi[-_]space[-_]size=(\d+)$/
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((a) => flag.exec(a)?.[1]).find((n) => n !== undefined)
  const n = given === undefined ? 0 : Number(given)
  return n === 0 ? undefined : 2 * 2 ** Math.ceil(Math.log2(n))
}

/** How `npm start` starts node so that the default cap is hard (package.json's start script says the same: tested). */
export const startFlags = (youngMib = DEFAULT_YOUNG_GENERATION_MIB): string[] => [`--max-semi-space-size=${youngMib / 2}`]

export interface HeapSizing {
  /** The cap LEDGER_YOUNG_GENERATION_MIB asks for (0: V8's own sizing). */
  readonly youngMib: number
  /** The cap node was started with (`startedYoungMib`), which V8 itself holds. */
  readonly hardYoungMib: number | undefined
  readonly oldGrowthPercent: number
}

/** Both, from the environment and node's start flags; what was applied, for the server's start lines. */
export const sizeServerHeap = (env: NodeJS.ProcessEnv, execArgv: ReadonlyArray<string> = process.execArgv): HeapSizing => {
  const youngMib = youngGenerationMib(env)
  const hardYoungMib = startedYoungMib(execArgv, env.NODE_OPTIONS)
  const oldGrowthPercent = oldGenerationGrowthPercent(env)
  // Below a hard cap the soft one still holds the space lower; at or above it V8 alone holds it.
  if (hardYoungMib === undefined || youngMib < hardYoungMib) capYoungGeneration(youngMib)
  limitOldGenerationGrowth(oldGrowthPercent)
  return { youngMib, hardYoungMib, oldGrowthPercent }
}

const youngWords = ({ youngMib, hardYoungMib }: HeapSizing): string => {
  const flag = hardYoungMib === undefined ? '' : `node's --max-semi-space-size=${hardYoungMib / 2}`
  if (youngMib === 0) return `sized by V8${flag && `, at most ${hardYoungMib} MiB (${flag})`} (LEDGER_YOUNG_GENERATION_MIB)`
  if (hardYoungMib === undefined) return `capped at ${youngMib} MiB after each collection (LEDGER_YOUNG_GENERATION_MIB; start node with --max-semi-space-size=${youngMib / 2}, as npm start does, to make it hard)`
  if (youngMib < hardYoungMib) return `capped at ${youngMib} MiB after each collection (LEDGER_YOUNG_GENERATION_MIB), never past ${hardYoungMib} MiB (${flag})`
  return `capped at ${hardYoungMib} MiB, hard (${flag}${youngMib > hardYoungMib ? `; LEDGER_YOUNG_GENERATION_MIB asks ${youngMib} MiB: start node with --max-semi-space-size=${youngMib / 2} for that` : ''})`
}

/** The start line that says how the heap is sized. */
export const heapLine = (sizing: HeapSizing): string =>
  `  memory: young generation ${youngWords(sizing)}, old generation ${sizing.oldGrowthPercent === 0 ? 'grown by V8' : `grown ${sizing.oldGrowthPercent} % past what is live`} (LEDGER_OLD_GENERATION_GROWTH_PERCENT)`
