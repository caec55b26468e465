import { gateOver } from '../../../src/ledger/read-path/core-idle'

/** What the bench waited for before the rebuild: the seconds, whether the machine settled, the busy cores last seen. */
export interface Settled {
  readonly seconds: number
  readonly settled: boolean
  readonly busyCores: number | null
}

/** Each look at the machine: five times the gate's own window, so a lull between two bursts is not taken for quiet. */
const LOOK_MS = 250
/** The longest the bench waits: the figure must be what a user's process meets, not a quiet machine waited for. */
export const SETTLE_MAX_SECONDS = 10

/**
 * Waits, up to SETTLE_MAX_SECONDS, until the machine has a core idle by the read thread's own rule
 * (core-idle.ts) over a look of 250 ms: the measure before the rebuild held both cores (the writes
 * at 64 clients), and its processes' last work must not decide the rebuild's gate. Never forces the
 * thread: the rebuild's process asks its gate as a user's does, and may still be told no.
 */
export const settleMachine = async (maxSeconds = SETTLE_MAX_SECONDS): Promise<Settled> => {
  const t0 = performance.now()
  let busyCores: number | null = null
  for (;;) {
    const gate = await gateOver(LOOK_MS)
    busyCores = gate.busyCores
    const seconds = (performance.now() - t0) / 1000
    if (gate.idle) return { seconds, settled: true, busyCores }
    if (seconds >= maxSeconds) return { seconds, settled: false, busyCores }
  }
}
