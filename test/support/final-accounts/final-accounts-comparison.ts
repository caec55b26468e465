import Decimal from 'decimal.js'
import type { TableJson } from '../../../projections/render'
import { figure, NUMBERED } from './final-accounts-cells'
import type { FinalAccounts, Table } from './final-accounts-fixture'

/**
 * Sets a published 部门决算 (a fixture) beside the ledger's 决算 tables, cell by cell: every figure
 * the fixture holds is compared with the ledger's cell in 万元 as the ledger prints it (its JSON
 * form). Tables are matched by title, rows by code, else by label (numbering such as "八、" or
 * "其中：（1）" and a leading code set aside, the n-th row of a label against the n-th), columns by
 * title (COLUMN_ALIASES where the ledger names a column otherwise).
 *
 * A printed blank (null) matches a zero the ledger prints, an empty cell, or a row or column the
 * ledger does not print (the official template leaves a zero blank); a printed figure, "0.00" too,
 * must be a figure the ledger prints, equal to the 分.
 */

/** Where the ledger names a column otherwise than the document, by table title (and part). */
const COLUMN_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // The ledger prints 年初预算 and 全年预算 beside the 决算数 (合计 = 基本 + 项目); the 情况说明
  // restates 决算数 per 项: both are the ledger's 决算数合计.
  一般公共预算财政拨款支出决算表: { 合计: '决算数合计' },
  '一般公共预算财政拨款支出决算表 情况说明': { 决算数: '决算数合计' },
  // The documents flatten the two-level heading 本年支出 › 基本支出 into one title.
  政府性基金预算财政拨款收入支出决算表: { 本年支出基本支出: '基本支出', 本年支出项目支出: '项目支出' },
  国有资本经营预算财政拨款收入支出决算表: { 本年支出基本支出: '基本支出', 本年支出项目支出: '项目支出' },
}

/** One cell the fixture holds, against the ledger's. */
export interface Compared {
  /** "收入支出决算总表 支出", "一般公共预算财政拨款基本支出决算表" */
  readonly table: string
  /** The row's code, else its label as printed. */
  readonly row: string
  readonly column: string
  readonly printed: string | null
  /** The ledger's cell; null when it prints none (blank, or no such row or column). */
  readonly ledger: string | null
}

/** A label without its printed numbering and without a leading code: "八、社会保障和就业支出" → "社会保障和就业支出". */
export const bareLabel = (label: string): string =>
  label
    .trim()
    .replace(/^\d{3,7}\s+/, '')
    .replace(NUMBERED, '')
    .replace(/^\d+、/, '')
    .replace(/^其中：/, '')
    .replace(/^（\d+）/, '')

interface LedgerPart {
  readonly columns: ReadonlyArray<string>
  /** Per row: its code ('' for none), its label, its figures by column title. */
  readonly rows: ReadonlyArray<{ readonly code: string; readonly label: string; readonly cells: ReadonlyMap<string, string | null> }>
}

/**
 * The part of a ledger table a fixture table is set beside: a 总表's 收入 or 支出 side (the 支出 side
 * starts at the column "支出项目…"), else the whole table. Codes are read from a code column
 * ("…编码"), labels from the first text column that is not one.
 */
const ledgerPart = (j: TableJson, part: Table['part']): LedgerPart => {
  const split = j.columns.findIndex((c) => c.startsWith('支出项目'))
  const [from, to] = split < 0 || part === undefined || part === '情况说明' ? [0, j.columns.length] : part === '收入' ? [0, split] : [split, j.columns.length]
  const columns = j.columns.slice(from, to)
  const hasCode = columns[0]!.endsWith('编码')
  const rows = j.rows
    .map((r) => r.slice(from, to))
    .filter((r) => r.some((c) => c !== null && c.trim() !== ''))
    .map((r) => ({
      code: hasCode ? (r[0] ?? '').trim() : '',
      label: (hasCode ? r[1] : r[0])?.trim() ?? '',
      cells: new Map(columns.map((c, i) => [c, r[i] ?? null] as const)),
    }))
  return { columns, rows }
}

/** Every figure of a fixture table against the ledger's, in the fixture's order. */
const compareTable = (tb: Table, j: TableJson | undefined): Compared[] => {
  const name = tb.part ? `${tb.title} ${tb.part}` : tb.title
  const aliases = COLUMN_ALIASES[name] ?? {}
  const ledger = j ? ledgerPart(j, tb.part) : { columns: [], rows: [] }
  const seen = new Map<string, number>()
  return tb.rows.flatMap((row) => {
    const label = bareLabel(row.label)
    const nth = seen.get(label) ?? 0
    seen.set(label, nth + 1)
    const match = row.code !== null ? ledger.rows.find((r) => r.code === row.code) : ledger.rows.filter((r) => bareLabel(r.label) === label)[nth]
    return tb.columns.map((column, i): Compared => {
      const cell = match?.cells.get(aliases[column] ?? column) ?? null
      return { table: name, row: row.code ?? row.label, column, printed: row.cells[i] ?? null, ledger: cell === null || cell.trim() === '' ? null : cell.trim() }
    })
  })
}

/** Whether the ledger's cell is the printed one (module doc: a printed blank is a zero left blank). */
export const agrees = (c: Compared): boolean =>
  c.printed === null ? c.ledger === null || new Decimal(c.ledger).isZero() : c.ledger !== null && figure(c.printed).eq(new Decimal(c.ledger))

/** Every figure of every table of the document against the ledger's tables (by title). */
export const compareDocument = (doc: FinalAccounts, ledger: ReadonlyArray<TableJson>): Compared[] =>
  doc.tables.flatMap((tb) => compareTable(tb, ledger.find((j) => j.title === tb.title)))

/** A mismatch as the tests list it: "table | row | column | printed → ledger". */
export const showMismatch = (c: Compared): string => `${c.table} | ${c.row} | ${c.column} | ${c.printed ?? '(blank)'} → ${c.ledger ?? '(none)'}`

/** The ledger's 决算 情况说明 as `report --final --format json` gives it: what the rates are set beside. */
export interface FinalReportJson {
  readonly lastYear: { readonly items: ReadonlyArray<{ readonly item: string; readonly growth: string | null }> }
  readonly generalBudgetShares: ReadonlyArray<{ readonly name: string; readonly share: string | null }>
}

/** Which of the ledger's 与上年度相比 items a printed growth is of, by table and row. */
const GROWTH_ITEM: Readonly<Record<string, string>> = {
  '收入支出决算总表|总计': 'total',
  '收入支出决算总表|本年收入合计': 'yearIncome',
  '收入支出决算总表|本年支出合计': 'yearExpenditure',
  '财政拨款收入支出决算总表|总计': 'fiscalTotal',
  '一般公共预算财政拨款支出决算表|合计': 'generalBudget',
  '一般公共预算财政拨款基本支出决算表|公用经费合计': 'officeOperating',
  '财政拨款“三公”经费支出决算表|合计': 'threePublic',
  '财政拨款“三公”经费支出决算表|因公出国（境）费': 'threePublic.abroad',
  '财政拨款“三公”经费支出决算表|公务用车购置费': 'threePublic.vehiclePurchase',
  '财政拨款“三公”经费支出决算表|公务用车运行维护费': 'threePublic.vehicleOperation',
  '财政拨款“三公”经费支出决算表|公务接待费': 'threePublic.reception',
}

/**
 * The rates the 情况说明 prints, against the ledger's. 完成全年预算 (or a 三公 预算数) is the
 * table's 完成率（%）, 完成年初预算 its 为年初预算的（%）, on the row of that name (a 项 before a 款
 * of the same name). A growth is the ledger's 情况说明 与上年度相比 rate of the same figure (its
 * last year being the 决算 recorded with the year); a share of 一般公共预算财政拨款支出 by 类 is
 * the ledger's 情况说明 share of that 类. A rate the ledger's 情况说明 does not give is "(none)".
 */
export const compareRates = (doc: FinalAccounts, ledger: ReadonlyArray<TableJson>, report: FinalReportJson): Compared[] =>
  doc.statedRates.map((r): Compared => {
    const table = `${r.table} 情况说明`
    const given = (v: string | null | undefined): string | null => (v === null || v === undefined || v === '' ? null : v)
    if (r.kind === 'growth') {
      const item = GROWTH_ITEM[`${r.table}|${bareLabel(r.row)}`]
      const growth = report.lastYear.items.find((i) => i.item === item)?.growth
      return { table, row: r.row, column: `增长率（与${r.against}相比）`, printed: r.printed, ledger: given(growth) }
    }
    if (r.kind === 'share') {
      const share = r.table === '一般公共预算财政拨款支出决算表' && r.of === '合计' ? report.generalBudgetShares.find((x) => x.name === bareLabel(r.row))?.share : undefined
      return { table, row: r.row, column: `占${r.of}（${r.column}）`, printed: r.printed, ledger: given(share) }
    }
    const j = ledger.find((t) => t.title === r.table)
    const column = r.budget === '年初预算' ? '为年初预算的（%）' : '完成率（%）'
    const part = j ? ledgerPart(j, undefined) : { columns: [], rows: [] }
    const named = part.rows.filter((x) => bareLabel(x.label) === r.row)
    const row = named.find((x) => x.code.length === 7) ?? named[0]
    const cell = row?.cells.get(column)?.replace(/%$/, '') ?? null
    const budget = r.budget ? `完成${r.budget}` : '完成预算'
    return { table, row: r.row, column: budget, printed: r.printed, ledger: given(cell) }
  })
