import { type GateDecision, gateDecisions } from './core-idle'
import { readThreadRanges } from './read-thread'

/** Whether the long ranges read while watched went to the read thread, and the gate's last decision among them (null: no range long enough to ask). */
export interface ReadThreadSeen {
  readonly ran: boolean
  readonly gate: GateDecision | null
}

/**
 * Starts watching this process's read thread; the function returned says what was seen since. How
 * `snapshots rebuild --json` and the benchmarks report whether a rebuild read on the second thread,
 * which runs only when the gate finds a core idle (core-idle.ts), and the figure the gate decided on.
 */
export const watchReadThread = (): (() => ReadThreadSeen) => {
  const ranges = readThreadRanges()
  const decided = gateDecisions().count
  return () => {
    const gates = gateDecisions()
    return { ran: readThreadRanges() > ranges, gate: gates.count > decided ? gates.last! : null }
  }
}
