import { writeFileSync } from 'node:fs'
import { type Command as Cli, Option } from 'commander'
import { type TableModel, tableCode } from '../../../projections/table'
import { describeTimePoint, hasCutOff } from '../../domain/time/as-of'
import { csvFile } from '../../export/files'
import { emptyWorkbook } from '../../export/exceljs'
import { budgetWorkbook, tableWorkbook, xlsxBytes } from '../../export/xlsx'
import { budgetFileAt } from '../../ledger/reports/budget-export'
import { addBudgetFileSheets, addTemplateSheets } from '../../ledger/reports/budget-workbook'
import { TABLE_CHOICES, renderAllTables, renderTable, tableProjection, yearOfState } from '../../ledger/reports/tables'
import { bundledCatalogue } from '../../reference/catalogue'
import { CliError, type CliIo } from '../shell/io'
import { readingStore } from '../program'
import { readScopeAt } from '../../ledger/reports/read-scope'
import { reportAt } from '../../ledger/reports/report'
import { addReportSheet } from '../../export/report-sheet'
import { resolveReadScope, scopeName } from '../shell/target'
import { type TimeOptions, ledgerTimeZone, notOpenAt, timePointOf, withTimeOptions } from '../shell/time-options'

/**
 * `budget-ledger export`: the official tables as files. XLSX in the published layout (one sheet per
 * table; `--table all` is the whole budget, eleven sheets; `--table final` the 决算 tables and their
 * 情况说明) or CSV (UTF-8 with a byte-order mark
 * for Excel; `--table all` puts the eleven tables one after another). The workbook is built by
 * src/export/ (pure); this shell resolves the unit-year, and writes the bytes.
 */
interface ExportOptions extends TimeOptions {
  table: string
  format: 'csv' | 'xlsx'
  out?: string
  unit?: string
  department?: string
  year?: string
}

const write = (path: string, bytes: Buffer | string): void => {
  try {
    writeFileSync(path, bytes)
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

export const registerExport = (cli: Cli, io: CliIo): void => {
  withTimeOptions(
    cli
      .command('export')
      .description('write official tables to a file: XLSX in the published layout, or CSV (万元)')
      .requiredOption('--table <table>', 'a number 1-11, F1-F9 (决算), an id (see `tables`), all (the 预算 set) or final (the 决算 set)')
      .addOption(new Option('--format <format>', 'file format').choices(['csv', 'xlsx']).default('xlsx'))
      .option('--out <file>', 'the file to write (required for xlsx; without it, CSV goes to standard output)')
      .option('--unit <code>', 'unit code, e.g. 101065')
      .option('--department <code>', 'a department: its units consolidated (合并), instead of --unit')
      .option('--year <year>', 'budget year, e.g. 2021'),
  ).action(
    readingStore(io, cli, async (store, o: ExportOptions) => {
      const set = o.table === 'final' ? 'final' : 'budget'
      const all = o.table === 'all' || o.table === 'final'
      if (!all) {
        try {
          tableProjection(o.table)
        } catch {
          throw new CliError(`--table: no table "${o.table}": ${TABLE_CHOICES.replace(/^use /, 'use all, final, ')}`, 2)
        }
      }
      if (o.format === 'xlsx' && o.out === undefined) throw new CliError('--out FILE is required for --format xlsx (a workbook is not text for the terminal)', 2)
      const at = timePointOf(o, io.env)
      const target = await resolveReadScope(store, o)
      const state = await readScopeAt(store, target, at)
      if (!state.identity) throw notOpenAt(target, at, o, io.env)

      const catalogue = bundledCatalogue()
      const models: TableModel[] = all ? renderAllTables(state, catalogue, set) : [renderTable(state, o.table, catalogue, yearOfState(state))]
      const note = hasCutOff(at) ? { asOfNote: `数据时点：${describeTimePoint(at, ledgerTimeZone(o, io.env))}` } : {}
      const workbook = async () => {
        if (!all) return tableWorkbook(models[0]!, note)
        const wb = budgetWorkbook(models, note)
        // The whole budget also carries its budget file, so the workbook imports back (import FILE.xlsx);
        // a department's consolidated year is no unit's budget file, so its workbook has the tables only.
        if (set === 'budget' && 'unit' in target) addBudgetFileSheets(wb, await budgetFileAt(store, state))
        // The 决算's carries its 情况说明, as the published 部门决算 does.
        if (set === 'final') addReportSheet(wb, (await reportAt(store, target, state, at, set, catalogue)).text, note)
        return wb
      }
      const bytes = o.format === 'csv' ? csvFile(models) : await xlsxBytes(await workbook())
      // On a terminal, CSV without the byte-order mark (it is there for Excel, which reads files).
      if (o.out === undefined) return io.out((bytes as string).replace(/^\uFEFF/, ''))
      write(o.out, bytes)
      const what = all ? `all ${models.length} ${set === 'final' ? '决算 ' : ''}tables` : `table ${tableCode(models[0]!)} ${models[0]!.title}`
      io.out(`wrote ${what} of ${'unit' in target ? `${target.unit} ${target.year}` : scopeName(target)} as ${o.format.toUpperCase()} to ${o.out}\n`)
    }),
  )

  cli
    .command('template')
    .description('write the XLSX template of a budget file (one row per line, with a sheet explaining each column) for `import`')
    .requiredOption('--out <file>', 'the file to write, e.g. budget-template.xlsx')
    .action(async (o: { out: string }) => {
      const wb = emptyWorkbook()
      addTemplateSheets(wb)
      write(o.out, await xlsxBytes(wb))
      io.out(`wrote the budget template to ${o.out}: fill in 预算明细 (and the other sheets where the budget states them), then run budget-ledger import ${o.out}\n`)
    })
}
