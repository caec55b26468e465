import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Rebuilt } from '../../../src/cli/admin/snapshots'
import type { ReadThreadSeen } from '../../../src/ledger/read-path/read-thread-watch'
import type { LedgerFile } from '../ledgers/ledger-file'
import { CLI, ROOT, runTimed } from '../processes'
import { UNIT, YEAR } from '../ledgers/seed'
import { SETTLE_MAX_SECONDS, type Settled, settleMachine } from '../load/settle'

export interface RebuildRun {
  /** `snapshots rebuild` of the built CLI, fresh process, fresh copy: its events ÷ its seconds for the fold (as-of index included) and the save. */
  readonly eventsPerSecond: number
  /** The same events ÷ the fold's seconds alone, before the snapshots' save (information: the in-process figure of tables before 2026-11-29, evening, had no save). */
  readonly foldEventsPerSecond: number
  /** Whether it read the log on a second thread, and the busy cores its gate decided on (null: not asked, a range under 20,000 events). */
  readonly readThread: ReadThreadSeen
  /** The wait for the machine to settle before it. */
  readonly settled: Settled
}

export interface AsOfRun {
  readonly asOfP95Ms: number
  /** The p95 of the warm-up queries before those: what the first queries after a rebuild pay (information). */
  readonly firstAsOfP95Ms: number
}

/** Warm as-of queries judged by the target, after as many warm-up ones (docs/speed.md, "As-of, warm"). */
export const AS_OF_QUERIES = 100
export const AS_OF_WARM = 100

/** The rebuild's method, for the report under the title. */
export const rebuildMethod =
  'The full rebuild: `budget-ledger snapshots rebuild --json` of the built CLI (dist, as users run it) in a fresh process on a fresh copy of the file (flushed to disk before the run): the year folded from its log with the as-of index, and its snapshots saved, ' +
  'the same fold and save as a server\'s first fold of a year without snapshots of its fold version; the figure is the command\'s own (events ÷ the seconds of the fold and the save; the process\'s start left out); the row after it, for information, is the fold up to its last event, with the snapshots saved during it (16 at a time, as it closes them) and without the last chunk\'s save; tables before 2026-11-29 (late evening) saved them all after the fold, and that row was the fold alone. ' +
  `Before it the bench waits, at most ${SETTLE_MAX_SECONDS} s, until the machine leaves a core idle after the writes; the read thread then runs only if the command's own gate finds a core idle, as for a user: beside the figure, in how many runs it ran and the busy cores each gate decided on (below 0.5 on two cores lets it run). ` +
  'Tables before 2026-11-29 (evening) took the indexed rebuild inside scripts/focused-bench/bench-asof.ts through tsx, after a read-only pass, an evolve sample and a plain rebuild in the same process (docs/speed.md, "The bench\'s rebuild, as users meet it").'

/** The as-of measure's method, for the report under the title. */
export const asOfMethod =
  `The warm as-of query: scripts/focused-bench/bench-asof.ts in its own process (its own rebuild first, not counted), after ${AS_OF_WARM} warm-up queries (its code compiled for them, the rebuild's garbage collected), ${AS_OF_QUERIES} queries at random instants, each one random table rendered; ` +
  `the warm-up queries' own p95 is a row of its own, for information; tables before 2026-11-29 (afternoon) measured the first 100 right after the rebuild, whose p95 was their compiling and collecting (docs/speed.md, "As-of, warm").`

/** What a user's `snapshots rebuild` of the bench's unit-year does and reports, on a copy (it rewrites the snapshots). */
export const rebuild = async (ledger: LedgerFile, say: (s: string) => void): Promise<RebuildRun> => {
  const copy = ledger.copy('rebuild')
  try {
    const settled = await settleMachine()
    const busy = settled.busyCores === null ? '—' : settled.busyCores.toFixed(2)
    say(`    ${settled.settled ? 'settled' : 'still busy'} after ${settled.seconds.toFixed(1)} s (${busy} cores busy)\n`)
    const r = await runTimed([CLI, '--db', copy, 'snapshots', 'rebuild', '--unit', UNIT, '--year', String(YEAR), '--json'])
    const [one] = JSON.parse(r.stdout) as Rebuilt[]
    if (!one || one.events !== ledger.events) throw new Error(`invariant: snapshots rebuild folded ${one?.events} of ${ledger.events} events`)
    return { eventsPerSecond: one.eventsPerSecond, foldEventsPerSecond: one.events / one.foldSeconds, readThread: one.readThread, settled }
  } finally {
    rmSync(copy, { force: true })
    for (const side of ['-wal', '-shm']) rmSync(copy + side, { force: true })
  }
}

/** scripts/focused-bench/bench-asof.ts on the same file, in its own process (a rebuild's memory is not the runner's). */
export const asOfQueries = async (db: string, events: number): Promise<AsOfRun> => {
  const loader = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')
  const r = await runTimed(['--import', loader, join(ROOT, 'scripts', 'focused-bench', 'bench-asof.ts'), '--db', db, '--events', String(events), '--rebuilds', '1', '--queries', String(AS_OF_QUERIES), '--warm', String(AS_OF_WARM), '--json'], {}, [0, 1])
  const j = JSON.parse(r.stdout) as { asOfMs: { p95: number }; firstAsOfMs: { p95: number } }
  return { asOfP95Ms: j.asOfMs.p95, firstAsOfP95Ms: j.firstAsOfMs.p95 }
}

/** Beside the rebuild's figure: in how many runs the read thread ran, each gate's busy cores, and each wait to settle. */
export const rebuildNote = (runs: ReadonlyArray<RebuildRun>): string => {
  const ran = runs.filter((r) => r.readThread.ran).length
  const gates = runs.map((r) => (r.readThread.gate === null ? 'not asked' : r.readThread.gate.busyCores === null ? '—' : r.readThread.gate.busyCores.toFixed(2)))
  const waits = runs.map((r) => `${r.settled.seconds.toFixed(1)} s${r.settled.settled ? '' : ' (still busy)'}`)
  return `read thread in ${ran} of ${runs.length} run(s); the gate's busy cores ${gates.join(' / ')}; waited ${waits.join(' / ')} to settle`
}
