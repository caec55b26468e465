import type { CliIo } from './io'

/**
 * Progress lines on stderr for long work (migrate, backup, restore): at most one every 500 ms,
 * and always the last of each phase, so a fast run prints little and a slow one shows it moving.
 */
export const progressPrinter = <P extends { readonly phase: string }>(
  io: CliIo,
  line: (p: P) => string,
  /** What tells one phase from the next (the last line of each is always printed). */
  phaseOf: (p: P) => string = (p) => p.phase,
  clock: () => number = Date.now,
) => {
  let lastAt = Number.NEGATIVE_INFINITY
  let lastPhase = ''
  let pending: P | undefined
  return {
    onProgress: (p: P) => {
      const now = clock()
      if (phaseOf(p) !== lastPhase && pending) io.err(`${line(pending)}\n`)
      lastPhase = phaseOf(p)
      if (now - lastAt >= 500) {
        io.err(`${line(p)}\n`)
        lastAt = now
        pending = undefined
      } else pending = p
    },
    /** Prints the last progress held back by the throttle. */
    flush: () => {
      if (pending) io.err(`${line(pending)}\n`)
      pending = undefined
    },
  }
}
