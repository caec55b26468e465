import Decimal from 'decimal.js'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { TableJson } from '../../../projections/render'
import { cli } from '../shells/cli'
import type { FinalReportJson } from './final-accounts-comparison'

/**
 * How a published 部门决算 is recorded through the public commands of the CLI, as a finance user
 * would: the budget file (in 万元, as printed), allocations made in the year, 追加, earmarks, the
 * year's vouchers (import-spending) and the year-end close. Amounts are 万元 strings as printed.
 */
export interface RecordingPlan {
  /** The budget file of the year (test/fixtures/final-accounts/budget-files/…). */
  readonly budgetFile: string
  readonly unit: string
  readonly year: number
  /** Lines allocated in the year (a carried-in line, a line of 其他收入, …). */
  readonly allocations?: ReadonlyArray<{
    readonly line: string
    readonly kind: 'basic' | 'project'
    readonly functionCode: string
    readonly fundSource: string
    readonly carriedFundSource?: string
    readonly projectName?: string
    readonly amount: string
  }>
  /** 追加: [line, amount]. */
  readonly additions?: ReadonlyArray<readonly [line: string, amount: string]>
  /** 三公 and other earmarks set in the year: [earmark, amount]. */
  readonly earmarks?: ReadonlyArray<readonly [earmark: string, amount: string]>
  /** The year's spending, one voucher per row: [line, economic code, amount, 三公 category?]. */
  readonly vouchers: ReadonlyArray<readonly [line: string, economicCode: string, amount: string, threePublic?: string]>
  /** 年终结账: lines whose unspent money is carried over, and lines whose unspent money is 收回. */
  readonly close: { readonly carry: ReadonlyArray<string>; readonly recover: ReadonlyArray<string> }
}

/** The CLI on one ledger file; a command that fails fails the test with what it printed. */
const ledgerOn = (db: string) => async (...argv: string[]): Promise<string> => {
  const r = await cli(['--db', db, ...argv])
  if (r.code !== 0) throw new Error(`budget-ledger ${argv.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`)
  return r.stdout
}

/** 万元 as printed → 元 with two decimals, as a voucher file's 金额（元） column takes it. */
const yuanOf = (wan: string): string => new Decimal(wan).times(10_000).toFixed(2)

/** Records the plan into the SQLite ledger at `db` (a fresh file), each step through the CLI. */
export const recordDocument = async (db: string, plan: RecordingPlan): Promise<void> => {
  const run = ledgerOn(db)
  const y = plan.year
  const at = ['--unit', plan.unit, '--year', String(y)]
  await run('import', plan.budgetFile)
  for (const a of plan.allocations ?? [])
    await run(
      'allocate', ...at, '--line', a.line, '--kind', a.kind, '--function-code', a.functionCode, '--fund-source', a.fundSource,
      ...(a.carriedFundSource ? ['--carried-fund-source', a.carriedFundSource] : []),
      ...(a.projectName ? ['--project-name', a.projectName] : []),
      '--amount', a.amount, '--amount-unit', '万元', '--reason', '年中安排', '--date', `${y}-03-01`,
    )
  for (const [line, amount] of plan.additions ?? [])
    await run('add', ...at, '--line', line, '--amount', amount, '--amount-unit', '万元', '--reason', '追加预算', '--document', `追加〔${y}〕1号`, '--date', `${y}-06-30`)
  for (const [earmark, amount] of plan.earmarks ?? [])
    await run('set-earmark', ...at, '--earmark', earmark, '--amount', amount, '--amount-unit', '万元', '--reason', '三公经费预算', '--date', `${y}-01-02`)
  const csv = [
    '日期,凭证号,预算行号,经济分类科目编码,金额（元）,三公经费,摘要',
    ...plan.vouchers.map(([line, code, amount, threePublic], i) => `${y}-12-20,V${String(i + 1).padStart(4, '0')},${line},${code},${yuanOf(amount)},${threePublic ?? ''},支出`),
  ].join('\n')
  const vouchers = path.join(path.dirname(db), 'vouchers.csv')
  writeFileSync(vouchers, `${csv}\n`)
  await run('import-spending', vouchers, ...at, '--document', `支出〔${y}〕`)
  await run(
    'close-year', ...at, '--date', `${y}-12-31`,
    ...plan.close.carry.flatMap((l) => ['--carry', `${l}=all`]),
    ...plan.close.recover.flatMap((l) => ['--recover', `${l}=all`]),
    ...(plan.close.recover.length > 0 ? ['--recovery-notice', `财收〔${y}〕1号`] : []),
  )
}

/** The ledger's nine 决算 tables of a unit-year, as `table F1 … F9 --format json` prints them (万元). */
export const finalTablesOf = async (db: string, unit: string, year: number): Promise<TableJson[]> => {
  const run = ledgerOn(db)
  const tables: TableJson[] = []
  for (let n = 1; n <= 9; n++) tables.push(JSON.parse(await run('table', `F${n}`, '--unit', unit, '--year', String(year), '--format', 'json')) as TableJson)
  return tables
}

/** The ledger's 决算 情况说明 of a unit-year, as `report --final --format json` prints it. */
export const finalReportOf = async (db: string, unit: string, year: number): Promise<FinalReportJson> =>
  JSON.parse(await ledgerOn(db)('report', '--final', '--unit', unit, '--year', String(year), '--format', 'json')) as FinalReportJson
