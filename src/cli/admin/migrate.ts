import { resolve } from 'node:path'
import type { Command as Cli } from 'commander'
import { describeStore, openStore } from '../../store/open'
import { DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_EVENTS, DEFAULT_PAGE_SIZE, type MigrateProgress, MigrationRefused, migrate } from '../../store/backup/migrate'
import { type EventStore, StoreUnavailable } from '../../store/port'
import { LedgerNotFound, LedgerUnusable } from '../../store/sqlite/sqlite-file'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import { progressPrinter } from '../shell/progress'

/**
 * `budget-ledger migrate --from X --to Y`: copies every event of one store into another
 * (src/store/backup/migrate.ts), showing progress on stderr, then a summary on stdout.
 */

interface MigrateFlags {
  from?: string
  to?: string
  json?: boolean
  quiet?: boolean
  batchSize?: string
  pageSize?: string
}

const URL_HINT = 'expected sqlite:PATH or esdb://host:2113?tls=false'

/** A store URL as `--from`/`--to` take it; the key two URLs of one store share. */
const parseUrl = (flag: string, url: string | undefined): { url: string; key: string } => {
  if (url === undefined || url.trim() === '') throw new CliError(`${flag}: missing; ${URL_HINT}`, 2)
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length)
    if (path === '') throw new CliError(`${flag}: sqlite: needs a file path, e.g. sqlite:./data/ledger.db`, 2)
    return { url, key: `sqlite:${resolve(path)}` }
  }
  if (/^esdb(\+discover)?:\/\//.test(url)) return { url, key: url.trim().toLowerCase().replace(/\/\/[^@/]*@/, '//').replace(/\/?\?.*$/, '') }
  throw new CliError(`${flag}: ${URL_HINT}, got "${url}"`, 2)
}

const whole = (flag: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw new CliError(`${flag}: expected a whole number from 1, got "${raw}"`, 2)
  return Number(raw)
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const rate = (n: number, ms: number) => (ms > 0 ? `${Math.round((n * 1000) / ms)} events/s` : '—')

/** One progress line of a migration, as migrate and backup (of an EventStoreDB ledger) print it. */
export const migrateLine = (p: MigrateProgress): string => {
  switch (p.phase) {
    case 'count':
      return `migrate: counting the source: ${p.counted} events`
    case 'copy': {
      const pct = p.total === 0 ? 100 : Math.floor((p.processed * 100) / p.total)
      const already = p.alreadyThere > 0 ? `, ${p.alreadyThere} already there` : ''
      const speed = p.copied > 0 ? `, ${rate(p.copied, p.elapsedMs)}` : ''
      return `migrate: ${p.processed}/${p.total} events (${pct}%${already})${speed}`
    }
    case 'verify':
      return `migrate: verifying the target: ${p.verified}/${p.total} events`
  }
}

/** The source is only read: a missing SQLite file is named, never created. */
const openSource = (url: string): EventStore => {
  try {
    return openStore({ store: url }, {}, 'read')
  } catch (err) {
    if (err instanceof LedgerNotFound || err instanceof LedgerUnusable) throw new CliError(`--from: ${err.message}`)
    throw err
  }
}

export const registerMigrate = (cli: Cli, io: CliIo): void => {
  cli
    .command('migrate')
    .description('copy every event of one store into another, keeping order, ids and hashes; re-run to resume')
    .option('--from <url>', `the source store: ${URL_HINT}`)
    .option('--to <url>', 'the target store (empty, or left by an interrupted migration of the same source)')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress on stderr')
    .option('--batch-size <n>', `most events in one append (default ${DEFAULT_MAX_BATCH_EVENTS})`)
    .option('--page-size <n>', `events per read of $all (default ${DEFAULT_PAGE_SIZE})`)
    .action(async (o: MigrateFlags) => {
      const from = parseUrl('--from', o.from)
      const to = parseUrl('--to', o.to)
      if (from.key === to.key) throw new CliError(`--from and --to name the same store (${from.url}); nothing to do`, 2)
      const maxBatchEvents = whole('--batch-size', o.batchSize, DEFAULT_MAX_BATCH_EVENTS)
      const pageSize = whole('--page-size', o.pageSize, DEFAULT_PAGE_SIZE)
      const fromName = describeStore({ store: from.url }, {})
      const toName = describeStore({ store: to.url }, {})

      const opened: EventStore[] = []
      const progress = progressPrinter(io, migrateLine)
      try {
        const source = openSource(from.url)
        opened.push(source)
        const target = openStore({ store: to.url }, {})
        opened.push(target)
        if (!o.quiet) io.err(`migrate: ${fromName} → ${toName}\n`)
        const summary = await migrate(source, target, {
          pageSize,
          maxBatchEvents,
          maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
          ...(o.quiet ? {} : { onProgress: progress.onProgress }),
        })
        if (!o.quiet) progress.flush()
        if (o.json) return io.out(json({ from: fromName, to: toName, verified: true, ...summary }))
        const shown = summary.streams.slice(0, 20)
        io.out(
          labelled([
            ['from', fromName],
            ['to', toName],
            ['streams', String(summary.streams.length)],
            ['events in source', String(summary.total)],
            ['copied', String(summary.copied)],
            ['already in target', String(summary.alreadyThere)],
            ['events in target', `${summary.targetEvents} of these streams${summary.otherTargetEvents ? `, ${summary.otherTargetEvents} of other streams (untouched)` : ''}`],
            ['verified', 'per-stream counts, total and every hash equal to the source; hash chains intact'],
            ['elapsed', `${seconds(summary.elapsedMs)}${summary.copied > 0 ? ` (${rate(summary.copied, summary.elapsedMs)})` : ''}`],
            ...shown.map(
              (s) =>
                [`  ${s.stream}`, `${s.events} events (${s.copied} copied${s.alreadyThere ? `, ${s.alreadyThere} already there` : ''})`] as const,
            ),
            ...(summary.streams.length > shown.length ? [[`  …`, `${summary.streams.length - shown.length} more streams`] as const] : []),
            ...(summary.sourceGrew
              ? [['note', 'the source received events while migrating; they were not copied: run migrate again'] as const]
              : []),
          ]),
        )
      } catch (error) {
        if (!o.quiet) progress.flush()
        if (error instanceof MigrationRefused) throw new CliError(`migrate: ${error.message}`)
        if (error instanceof StoreUnavailable)
          throw new CliError(`migrate: ${error.message}`, 1, ['  what was copied so far is kept and verified on the next run: run the same migrate again to resume'])
        throw error
      } finally {
        for (const s of opened.reverse()) await s.close()
      }
    })
}
