import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type { Command as Cli } from 'commander'
import * as E from 'fp-ts/Either'
import { ledgerDeps } from '../../ledger/deps'
import { firstSheet } from '../../ledger/recording/sheet-grid'
import { MAX_VOUCHER_ROWS, type VoucherImportError, importVoucherFile, voucherColumnsHelp } from '../../ledger/recording/voucher-file'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import type { EventStore } from '../../store/port'
import { cliActor, explainRecordError, readingStore, withStore } from '../program'
import { resolveTarget } from '../shell/target'

/**
 * `budget-ledger import-spending FILE`: expenditure vouchers in bulk from a CSV or XLSX file
 * (src/ledger/recording/voucher-file.ts checks and records them). This shell reads the file, shows progress
 * on stderr, and prints the result.
 */
interface Options {
  unit?: string
  year?: string
  document?: string
  dryRun?: boolean
  json?: boolean
  progress?: boolean
}

/** Largest voucher file read from disk, like a budget file: 5,000 rows fit many times over. */
const MAX_BYTES = 8 * 1024 * 1024

export const explainVoucherError = (e: VoucherImportError): CliError =>
  e.kind === 'invalid'
    ? new CliError(`the voucher file has ${e.errors.length} bad cell(s); nothing was written`, 1, e.errors.map((x) => `  ${x.message}`))
    : e.kind === 'not-open'
      ? new CliError(`${e.message}; nothing was written`)
      : explainRecordError(e)

export const registerVouchers = (cli: Cli, io: CliIo): void => {
  cli
    .command('import-spending')
    .description(`record expenditure vouchers in bulk from CSV or XLSX, one per row, all or nothing (at most ${MAX_VOUCHER_ROWS} rows); the same file twice records once`)
    .argument('<file>', `vouchers.csv or vouchers.xlsx (first sheet); the first row names the columns: ${voucherColumnsHelp()}`)
    .option('--unit <code>', 'unit code, e.g. 101065')
    .option('--year <year>', 'budget year, e.g. 2021')
    .option('--document <ref>', 'the approval document the vouchers are recorded on')
    .option('--dry-run', 'check every row and show what would be recorded; write nothing')
    .option('--progress', 'show progress on stderr (shown anyway when stderr is a terminal)')
    .option('--json', 'print the result as JSON')
    .action(
      // Opened to read first: a mistyped --db is named, never created as an empty ledger; the write comes after the check.
      readingStore(io, cli, async (reader, path: string, o: Options) => {
        let bytes: Buffer
        try {
          const size = statSync(path).size
          if (size > MAX_BYTES) throw new CliError(`${path}: ${size} bytes, more than the ${MAX_BYTES} a voucher file may have: split it; nothing was written`)
          bytes = readFileSync(path)
        } catch (err) {
          if (err instanceof CliError) throw err
          throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
        }
        const grid = await firstSheet(bytes, basename(path))
        if (E.isLeft(grid)) throw new CliError(`${grid.left}; nothing was written`)
        const target = await resolveTarget(reader, o)
        const showProgress = o.progress === true || process.stderr.isTTY === true
        const run = (store: EventStore) =>
          importVoucherFile(
            ledgerDeps(store),
            target,
            grid.right,
            {
              document: o.document ?? null,
              dryRun: Boolean(o.dryRun),
              ...(showProgress ? { onProgress: (done: number, total: number) => io.err(`checked ${done} of ${total} rows\n`) } : {}),
            },
            cliActor(io.env),
          )
        let result: Awaited<ReturnType<typeof run>> | undefined
        if (o.dryRun) result = await run(reader)
        else await withStore(io, cli, async (writer) => void (result = await run(writer)))()
        if (result === undefined) throw new Error('import-spending: no result')
        if (E.isLeft(result)) throw explainVoucherError(result.left)
        const r = result.right
        if (o.json) return io.out(json({ file: path, unit: target.unit, year: target.year, ...r }))
        io.out(
          labelled([
            ['file', path],
            ['unit-year', `${target.unit} ${target.year}`],
            ['rows', String(r.rows)],
            ['total (元)', r.total],
            [
              r.repeated ? 'already imported' : r.dryRun ? 'dry run' : 'events recorded',
              r.repeated
                ? `at ${r.firstRecordedAt} (${r.events} events); nothing was recorded again`
                : r.dryRun
                  ? `every row accepted; ${r.events} events would be recorded, nothing was written`
                  : String(r.events),
            ],
            ['revision', String(r.revision)],
          ]),
        )
      }),
    )
}
