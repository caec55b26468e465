import { readFileSync, statSync } from 'node:fs'
import { userInfo } from 'node:os'
import { Command as Cli, CommanderError, Option } from 'commander'
import * as E from 'fp-ts/Either'
import { tablesOf } from '../../projections'
import { tableCode } from '../../projections/table'
import { toCsv, toJson, toText } from '../../projections/render'
import { type BudgetFile, MAX_FILE_BYTES, SPLIT_ADVICE } from '../domain/budget-file/budget-file'
import { ledgerDeps } from '../ledger/deps'
import { snapshotsFor } from '../ledger/fold/snapshots/snapshots'
import { decodeUtf8, notUtf8 } from '../ledger/recording/utf8-text'
import { checkBudgetFile, parseJsonText, recordBudgetFile } from '../ledger/recording/import-file'
import { isXlsx } from '../ledger/recording/sheet-grid'
import type { RecordError, Recorded } from '../ledger/recording/record'
import type { ImportError } from '../ledger/recording/import-file'
import { renderTable, yearOfState } from '../ledger/reports/tables'
import { packageVersion, samplePath } from '../package-root'
import { bundledCatalogue } from '../reference/catalogue'
import { type StoreAccess, describeStore, openStore } from '../store/open'
import { LedgerNotFound, LedgerUnusable } from '../store/sqlite/sqlite-file'
import type { EventStore } from '../store/port'
import { labelled, json } from './shell/format'
import { helpSettings } from './shell/help'
import { CliError, type CliIo } from './shell/io'
import { readScopeAt } from '../ledger/reports/read-scope'
import { reportAt } from '../ledger/reports/report'
import { resolveReadScope } from './shell/target'
import { type TimeOptions, notOpenAt, timeNote, timePointOf, withTimeOptions } from './shell/time-options'

export interface GlobalOptions {
  db?: string
  store?: string
}

/** Who records from the command line: LEDGER_ACTOR, else the OS user. */
export const cliActor = (env: NodeJS.ProcessEnv, role = 'finance') => ({
  name: env.LEDGER_ACTOR ?? safeUser(),
  role,
})
const safeUser = () => {
  try {
    return `cli:${userInfo().username}`
  } catch {
    return 'cli'
  }
}

/**
 * Runs one store-using action with the store opened from the global options, closing it after.
 * A writing command may create the ledger; a reading one (readingStore) never does, and neither
 * does a writing command's --dry-run: it only reads, so it opens the store as readingStore does.
 */
export const withStore =
  <A extends unknown[]>(io: CliIo, cli: Cli, action: (store: EventStore, ...args: A) => Promise<void>, access: StoreAccess = 'write') =>
  async (...args: A): Promise<void> => {
    const store = openForCommand(cli.opts<GlobalOptions>(), io.env, isDryRun(args) ? 'read' : access)
    try {
      await action(store, ...args)
    } finally {
      // What the snapshot cache folded for this command (docs/audit.md, "Snapshots"): for diagnostics.
      if (io.env.LEDGER_FOLD_STATS === '1') io.err(`${JSON.stringify({ foldStats: snapshotsFor(store).stats() })}\n`)
      await store.close()
    }
  }

/** Whether the command being run was given --dry-run: commander passes the command itself last. */
const isDryRun = (args: ReadonlyArray<unknown>): boolean => {
  const command = args.at(-1)
  return command instanceof Cli && command.opts<{ dryRun?: boolean }>().dryRun === true
}

/** For commands that only read: a mistyped --db names the missing file instead of creating an empty ledger. */
export const readingStore = <A extends unknown[]>(io: CliIo, cli: Cli, action: (store: EventStore, ...args: A) => Promise<void>) =>
  withStore(io, cli, action, 'read')

const openForCommand = (choice: GlobalOptions, env: NodeJS.ProcessEnv, access: StoreAccess): EventStore => {
  try {
    return openStore(choice, env, access)
  } catch (err) {
    if (err instanceof LedgerNotFound)
      throw new CliError(`${err.message}; check --db or LEDGER_DB, or run "budget-ledger sample" / "import" to create one`)
    if (err instanceof LedgerUnusable) throw new CliError(err.message)
    throw err
  }
}

export const explainRecordError = (e: ImportError | RecordError): CliError => {
  switch (e.kind) {
    case 'invalid':
      return new CliError(`the budget file has ${e.errors.length} bad field(s); nothing was written`, 1, e.errors.map((x) => `  ${x.message}`))
    case 'refused':
      return new CliError(`refused: ${e.error.message}${e.error.path ? ` (${e.error.path})` : ''}; nothing was written`)
    case 'stale':
      return new CliError(`the budget year changed meanwhile (now at revision ${e.actual}, expected ${e.expected}); nothing was written`)
    case 'contended':
      return new CliError(`too many concurrent changes (${e.attempts} attempts); nothing was written: try again`)
    case 'key-reused':
      return new CliError(`idempotency key "${e.key}" was already used for a different request; nothing was written`)
  }
}

const FORMAT = () => new Option('--format <format>', 'output format').choices(['text', 'json', 'csv']).default('text')

export const buildProgram = (io: CliIo, extensions: ReadonlyArray<(cli: Cli, io: CliIo) => void> = []): Cli => {
  const cli = new Cli('budget-ledger')
    .description('Event-sourced department budget ledger (部门预算): record, replay, audit.')
    .option('--db <path>', 'SQLite file of the embedded store (env LEDGER_DB; default ./data/ledger.db)')
    .option('--store <url>', 'event store URL: esdb://host:2113?tls=false (env EVENTSTORE_CONNECTION_STRING) or sqlite:PATH')
    .version(packageVersion(), '-V, --version', 'print the version of budget-ledger')
    .showHelpAfterError()
    .exitOverride()
    .configureHelp(helpSettings(io).help)
    .configureOutput({ writeOut: io.out, writeErr: io.err, ...helpSettings(io).output })

  /** The budget file at `path`, read and checked whole before any ledger is opened: a refused file creates none. */
  const checkedFile = async (path: string): Promise<BudgetFile> => {
    let bytes: Buffer
    try {
      // The size first: a file too large to record is refused before it is read or decoded.
      const size = statSync(path).size
      if (size > MAX_FILE_BYTES)
        throw new CliError(`${path}: the file has ${size} bytes, more than the ${MAX_FILE_BYTES} a budget file may have: ${SPLIT_ADVICE}; nothing was written`)
      bytes = readFileSync(path)
    } catch (err) {
      if (err instanceof CliError) throw err
      throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
    }
    // A workbook is told by its content (a ZIP archive), whatever the file is called.
    if (isXlsx(bytes)) {
      const checked = await checkBudgetFile(bytes, cliActor(io.env))
      if (E.isLeft(checked)) throw explainRecordError(checked.left)
      return checked.right
    }
    if (/\.xlsx$/i.test(path)) throw new CliError(`${path}: not an XLSX workbook (a .xlsx file is a ZIP archive, this one is not); nothing was written`)
    const text = decodeUtf8(bytes)
    if (E.isLeft(text)) throw new CliError(`${notUtf8(path, text.left.offset)}; nothing was written`)
    const parsed = parseJsonText(text.right, path)
    if (E.isLeft(parsed)) throw new CliError(parsed.left[0]!.message)
    const checked = await checkBudgetFile(parsed.right, cliActor(io.env))
    if (E.isLeft(checked)) throw explainRecordError(checked.left)
    return checked.right
  }

  const printImported = (r: Recorded & { file: BudgetFile }, asJson: boolean, label: string) => {
    const summary = {
      imported: label,
      unit: r.file.unit.code,
      unitName: r.file.unit.name,
      year: r.file.year,
      lines: r.file.lines.length,
      events: r.events.length,
      revision: r.revision,
      store: describeStore(cli.opts<GlobalOptions>(), io.env),
    }
    io.out(
      asJson
        ? json(summary)
        : labelled([
            ['imported', label],
            ['unit', `${summary.unit} ${summary.unitName}`],
            ['year', String(summary.year)],
            ['lines', String(summary.lines)],
            ['events recorded', String(summary.events)],
            ['store', summary.store],
          ]),
    )
  }

  const importFile = async (path: string, asJson: boolean, label: string) => {
    const file = await checkedFile(path)
    await withStore(io, cli, async (store) => {
      const result = await recordBudgetFile(ledgerDeps(store), file, cliActor(io.env))
      if (E.isLeft(result)) throw explainRecordError(result.left)
      printImported(result.right, asJson, label)
    })()
  }

  cli
    .command('import')
    .description('record a budget file (JSON budget-ledger/budget-year@1, or an XLSX workbook: see `template`) as one atomic batch')
    .argument('<file>', 'budget file: .json, or .xlsx in the template layout or as the ledger exports it')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: { json?: boolean }) => importFile(file, Boolean(o.json), file))

  cli
    .command('sample')
    .description('import the bundled 2021 budget of 工信科技金融办 (unit 101065)')
    .option('--json', 'print the result as JSON')
    .action((o: { json?: boolean }) => importFile(samplePath(), Boolean(o.json), 'bundled 2021 sample'))

  cli
    .command('tables')
    .description('list the eleven official tables (--final: the 决算 set, F1-F9)')
    .option('--final', 'list the 决算 (final accounts) tables instead')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((o: { format: string; final?: boolean }) => {
      const list = tablesOf(o.final ? 'final' : 'budget').map((t) => ({ number: t.number, code: tableCode(t), id: t.id, title: t.title }))
      io.out(
        o.format === 'json'
          ? json(list.map((t) => (o.final ? t : { number: t.number, id: t.id, title: t.title })))
          : labelled(list.map((t) => [`${t.code.padStart(3)}  ${t.id}`, t.title])),
      )
    })

  withTimeOptions(
    cli
      .command('table')
      .description('print one official table of a unit-year (万元): 预算 1-11, 决算 F1-F9')
      .argument('<table>', 'number 1-11, F1-F9 for the 决算 tables, or id (see `tables`, `tables --final`)')
      .option('--unit <code>', 'unit code, e.g. 101065')
      .option('--department <code>', 'a department: its units consolidated (合并), instead of --unit')
      .option('--year <year>', 'budget year, e.g. 2021')
      .addOption(FORMAT()),
  ).action(
    readingStore(io, cli, async (store, id: string, o: { unit?: string; department?: string; year?: string; format: string } & TimeOptions) => {
      const at = timePointOf(o, io.env)
      const target = await resolveReadScope(store, o)
      const state = await readScopeAt(store, target, at)
      if (!state.identity) throw notOpenAt(target, at, o, io.env)
      const model = renderTable(state, id, bundledCatalogue(), yearOfState(state))
      io.out(o.format === 'json' ? json(toJson(model)) : o.format === 'csv' ? toCsv(model) : toText(model) + timeNote(at, o, io.env))
    }),
  )

  withTimeOptions(
    cli
      .command('report')
      .description('print the 情况说明 (Part 2) of a unit-year; --final: the 决算 情况说明')
      .option('--final', 'the 决算 (final accounts) 情况说明 instead of the 预算 one')
      .option('--unit <code>', 'unit code')
      .option('--department <code>', 'a department: its units consolidated (合并), instead of --unit')
      .option('--year <year>', 'budget year')
      .addOption(new Option('--format <format>', 'output format (json: the text, and for the 决算 情况说明 its comparisons and shares)').choices(['text', 'json']).default('text')),
  ).action(
    readingStore(io, cli, async (store, o: { unit?: string; department?: string; year?: string; final?: boolean; format: string } & TimeOptions) => {
      const at = timePointOf(o, io.env)
      const target = await resolveReadScope(store, o)
      const state = await readScopeAt(store, target, at)
      if (!state.identity) throw notOpenAt(target, at, o, io.env)
      const report = await reportAt(store, target, state, at, o.final ? 'final' : 'budget', bundledCatalogue())
      io.out(o.format === 'json' ? json(report) : report.text + timeNote(at, o, io.env))
    }),
  )

  for (const extend of extensions) extend(cli, io)
  return cli
}

/** Parses and runs; returns the exit code instead of exiting, so tests can run it in-process. */
export const run = async (argv: ReadonlyArray<string>, io: CliIo, extensions: ReadonlyArray<(cli: Cli, io: CliIo) => void> = []): Promise<number> => {
  const cli = buildProgram(io, extensions)
  try {
    await cli.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    if (err instanceof CliError) {
      io.err(`budget-ledger: ${err.message}\n${err.details.map((d) => `${d}\n`).join('')}`)
      return err.exitCode
    }
    const message = err instanceof Error ? err.message : String(err)
    io.err(`budget-ledger: ${message}\n`)
    return 1
  }
}

