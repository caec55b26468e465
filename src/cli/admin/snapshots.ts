import type { Command as Cli } from 'commander'
import { FOLD_VERSION } from '../../domain/budget-year'
import { streamOf } from '../../domain/codecs/primitives'
import { snapshotBackendOf } from '../../ledger/fold/snapshots/snapshot-record'
import { type ReadThreadSeen, watchReadThread } from '../../ledger/read-path/read-thread-watch'
import { snapshotsFor } from '../../ledger/fold/snapshots/snapshots'
import type { EventStore } from '../../store/port'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import { readingStore, withStore } from '../program'
import { progressPrinter } from '../shell/progress'

/**
 * `budget-ledger snapshots rebuild|status`: the persisted snapshots of the SQLite store
 * (docs/audit.md, "Snapshots"). They are derived data; rebuilding them changes nothing in the log.
 */
interface Flags {
  unit?: string
  year?: string
  json?: boolean
}

/** The streams named by --unit/--year, or every unit-year of the store. */
const streamsOf = async (store: EventStore, o: Flags): Promise<string[]> => {
  if ((o.unit === undefined) !== (o.year === undefined)) throw new CliError('snapshots: give both --unit and --year, or neither (every unit-year)', 2)
  if (o.unit !== undefined) {
    const year = Number(o.year)
    if (!Number.isInteger(year)) throw new CliError(`snapshots: --year: expected a year such as 2021, got "${o.year}"`, 2)
    return [streamOf(o.unit, year)]
  }
  return store.listStreams('budget-')
}

/**
 * One unit-year rebuilt, as `--json` prints it: the events folded, the snapshots saved, the seconds
 * the fold and the save took (not the process's start) and their events/s, and whether the log was
 * read on the second thread, with the gate's figure (docs/speed.md, "The bench's rebuild, as users
 * meet it": the bench's rebuild row is this command's figure).
 */
export interface Rebuilt {
  readonly stream: string
  readonly events: number
  readonly snapshots: number
  readonly seconds: number
  /** Of those, the fold's (the log read and folded, the as-of index built, the snapshots it closed saved on the way); the rest is the last chunk's save and the checkpoint. */
  readonly foldSeconds: number
  readonly eventsPerSecond: number
  readonly readThread: ReadThreadSeen
}

const noSnapshots = (store: EventStore) => new CliError(`snapshots: the ${store.kind} store keeps none (only the SQLite store persists snapshots; see docs/audit.md)`)

export const registerSnapshots = (cli: Cli, io: CliIo): void => {
  const group = cli.command('snapshots').description('persisted snapshots of the folded unit-years (derived data: rebuild, status)')
  group
    .command('rebuild')
    .description('fold each unit-year from its log and save its snapshots again (every 1000 events)')
    .option('--unit <code>', 'unit code (with --year); default: every unit-year')
    .option('--year <year>', 'budget year')
    .option('--json', 'print the result as JSON')
    .action(
      withStore(io, cli, async (store, o: Flags) => {
        if (!snapshotBackendOf(store)) throw noSnapshots(store)
        const done: Rebuilt[] = []
        for (const stream of await streamsOf(store, o)) {
          const progress = progressPrinter<{ phase: string; folded: number; total: number }>(io, (p) => `${p.phase}: ${p.folded} of ${p.total} events folded`)
          const seen = watchReadThread()
          const t0 = performance.now()
          // The last progress is heard when every event is folded, before the last chunk of snapshots is
          // saved (the others are saved during the fold: BudgetYearSnapshots.rebuild).
          let folded = t0
          const r = await snapshotsFor(store).rebuild(stream, (n, total) => {
            folded = performance.now()
            progress.onProgress({ phase: stream, folded: n, total })
          })
          const end = performance.now()
          progress.flush()
          const seconds = (end - t0) / 1000
          done.push({ stream, ...r, seconds, foldSeconds: (folded - t0) / 1000, eventsPerSecond: Math.round(r.events / seconds), readThread: seen() })
        }
        io.out(o.json ? json(done) : labelled(done.map((d) => [d.stream, `${d.events} events, ${d.snapshots} snapshots saved in ${d.seconds.toFixed(2)} s (${d.eventsPerSecond} events/s${d.readThread.ran ? ', read on a second thread' : ''})`])))
      }),
    )
  group
    .command('status')
    .description('the snapshots saved per unit-year, and how many are of the current fold version')
    .option('--unit <code>', 'unit code (with --year); default: every unit-year')
    .option('--year <year>', 'budget year')
    .option('--json', 'print the result as JSON')
    .action(
      readingStore(io, cli, async (store, o: Flags) => {
        const backend = snapshotBackendOf(store)
        if (!backend) throw noSnapshots(store)
        const rows = await Promise.all(
          (await streamsOf(store, o)).map(async (stream) => ({ stream, events: (await store.streamRevision(stream)) + 1, foldVersion: FOLD_VERSION, ...backend.rows.count(stream, FOLD_VERSION) })),
        )
        io.out(
          o.json
            ? json(rows)
            : labelled(rows.map((r) => [r.stream, `${r.events} events, ${r.current} snapshots of fold version ${FOLD_VERSION} (${r.rows - r.current} other), latest at revision ${r.latest ?? '—'}`])),
        )
      }),
    )
}
