import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { decode, type FieldError } from '../../src/domain/decode'
import { strict } from '../../src/domain/strict'

/**
 * Published 部门决算 kept as fixtures (test/fixtures/final-accounts/README.md): every figure as
 * printed, with its source, so the reproduction tests compare the ledger's 决算 tables with the
 * document and name where the document itself does not foot.
 */
export const FINAL_ACCOUNTS_DIR = path.resolve(__dirname, '../fixtures/final-accounts')

const matching = (name: string, pattern: RegExp, description: string): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && pattern.test(u),
    (u, c) => (typeof u === 'string' && pattern.test(u) ? t.success(u) : t.failure(u, c, description)),
    t.identity,
  )

/** A figure exactly as printed: thousands separators and the printed number of decimals kept. */
export const PrintedFigure = matching(
  'PrintedFigure',
  /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/,
  'a figure as printed, as a string (e.g. "434.72", "29.6", "1,055.4")',
)

/** A function code as 类 (3 digits), 款 (5) or 项 (7), or an economic code (3 or 5 digits). */
export const ClassificationCode = matching('ClassificationCode', /^\d{3}(\d{2}(\d{2})?)?$/, 'a code of 3, 5 or 7 digits (e.g. "2010301")')

/** A blank cell is null: blank and "0.00" are different things on the page. */
const Cell = t.union([PrintedFigure, t.null])

const Row = strict({ code: t.union([ClassificationCode, t.null]), label: t.string, cells: t.array(Cell) }, {}, 'Row')

const Coverage = t.keyof({
  /** Every row of the table, transcribed from the table itself. */
  complete: null,
  /** Only the rows the 情况说明 restates in its text: the table itself was not retrievable. */
  'restated-in-text': null,
})

const TableCodec = strict({ title: t.string, coverage: Coverage, columns: t.array(t.string), rows: t.array(Row) }, {}, 'Table')

const StatedRate = t.union([
  strict({ kind: t.literal('completion'), table: t.string, row: t.string, printed: PrintedFigure }, {}, 'CompletionRate'),
  strict({ kind: t.literal('share'), table: t.string, row: t.string, of: t.string, column: t.string, printed: PrintedFigure }, {}, 'Share'),
  strict(
    { kind: t.literal('growth'), table: t.string, row: t.string, column: t.string, against: t.string, change: PrintedFigure, printed: PrintedFigure },
    {},
    'Growth',
  ),
])

const Source = strict(
  { url: t.string, copyOf: t.union([t.string, t.null]), retrieved: matching('Date', /^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)'), via: t.string, retrievedPart: t.string },
  {},
  'Source',
)

const FinalAccountsCodec = strict(
  {
    id: t.string,
    title: t.string,
    department: t.string,
    units: t.array(strict({ name: t.string, code: t.union([t.string, t.null]) }, {}, 'Unit')),
    level: t.keyof({ county: null, district: null, city: null, province: null }),
    year: t.union([t.literal(2023), t.literal(2024)]),
    amountUnit: t.literal('万元'),
    source: Source,
    /** The table titles the document's 目录 lists, as printed; empty where the 目录 was not retrieved. */
    tableSet: t.array(t.string),
    tables: t.array(TableCodec),
    /** Rates and comparisons the 情况说明 prints, each checked against the figures it is computed from. */
    statedRates: t.array(StatedRate),
  },
  {},
  'FinalAccounts',
)

export type FinalAccounts = t.TypeOf<typeof FinalAccountsCodec>
export type Table = t.TypeOf<typeof TableCodec>
export type StatedRateOf = t.TypeOf<typeof StatedRate>

/** What the codec cannot say: a row with more or fewer cells than its table has columns. */
const shapeErrors = (doc: FinalAccounts): FieldError[] =>
  doc.tables.flatMap((table, ti) =>
    table.rows.flatMap((row, ri) => {
      if (row.cells.length === table.columns.length) return []
      const where = `tables[${ti}].rows[${ri}].cells`
      const expected = `${table.columns.length} cells (${table.columns.join(', ')})`
      return [{ path: where, expected, got: `${row.cells.length}`, message: `${where}: ${table.title} row ${row.label} has ${row.cells.length} cells, expected ${expected}` }]
    }),
  )

/** Decodes a fixture; on failure every bad cell or field with its path. */
export const decodeFinalAccounts = (input: unknown): E.Either<FieldError[], FinalAccounts> =>
  E.chain((doc: FinalAccounts) => {
    const errors = shapeErrors(doc)
    return errors.length > 0 ? E.left(errors) : E.right(doc)
  })(decode(FinalAccountsCodec)(input))

export const readFinalAccounts = (id: string): unknown => JSON.parse(readFileSync(path.join(FINAL_ACCOUNTS_DIR, `${id}.json`), 'utf8'))

export const loadFinalAccounts = (id: string): FinalAccounts => {
  const decoded = decodeFinalAccounts(readFinalAccounts(id))
  if (E.isLeft(decoded)) throw new Error(`${id}.json:\n${decoded.left.map((e) => e.message).join('\n')}`)
  return decoded.right
}

export const finalAccountsIds = (): string[] =>
  readdirSync(FINAL_ACCOUNTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort()

// ---------------------------------------------------------------------------------------------
// What the document itself does: which of its totals foot, and by how much the others drift.

const figure = (printed: string): Decimal => new Decimal(printed.replace(/,/g, ''))

/** One identity of the 决算 checked on the printed figures. */
export interface Footing {
  readonly table: string
  readonly column: string
  /** e.g. "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余" */
  readonly rule: string
  readonly printed: string
  /** The sum of the printed parts, in 万元 with two decimals; "" where a part is missing. */
  readonly computed: string
  /** printed − computed, in 万元 with two decimals; "0.00" where the document foots, "" where unchecked. */
  readonly drift: string
  /** Rows the rule needs that the fixture does not hold: then the rule is not checked. */
  readonly missing: ReadonlyArray<string>
}

/** "The total row equals the sum of these rows", per table title: the rules of DESIGN.md §7. */
interface Identity {
  readonly table: string
  readonly total: string
  readonly parts: ReadonlyArray<string>
}

const IDENTITIES: ReadonlyArray<Identity> = [
  { table: '收入支出决算总表', total: '收入总计', parts: ['本年收入合计', '使用非财政拨款结余', '年初结转和结余'] },
  { table: '收入支出决算总表', total: '支出总计', parts: ['本年支出合计', '结余分配', '年末结转和结余'] },
  { table: '收入支出决算总表', total: '支出总计', parts: ['收入总计'] },
  { table: '财政拨款“三公”经费支出决算表', total: '合计', parts: ['因公出国（境）费', '公务用车购置及运行维护费', '公务接待费'] },
  { table: '财政拨款“三公”经费支出决算表', total: '公务用车购置及运行维护费', parts: ['公务用车购置费', '公务用车运行维护费'] },
]

const rowByLabel = (table: Table, label: string) => table.rows.find((r) => r.label === label)

/** The printed value of a cell; a blank cell counts as zero, a row not transcribed as unknown. */
const cellOf = (table: Table, label: string, column: number): Decimal | undefined => {
  const row = rowByLabel(table, label)
  if (!row) return undefined
  const cell = row.cells[column]
  return cell === null || cell === undefined ? new Decimal(0) : figure(cell)
}

const foot = (table: Table, column: number, total: string, parts: ReadonlyArray<string>, rule: string): Footing => {
  const missing = [total, ...parts].filter((label) => !rowByLabel(table, label))
  const printed = cellOf(table, total, column)
  const at = { table: table.title, column: table.columns[column] ?? '', rule, printed: printed?.toFixed(2) ?? '', missing }
  // A part not transcribed is unknown, not zero: summing without it would invent a drift.
  if (missing.length > 0) return { ...at, computed: '', drift: '' }
  const computed = parts.reduce((a, p) => a.plus(cellOf(table, p, column)!), new Decimal(0))
  return { ...at, computed: computed.toFixed(2), drift: printed!.minus(computed).toFixed(2) }
}

/** Code-level footing: 合计 = Σ 类, each 类 = Σ its 款, each 款 = Σ its 项 (where the children are printed). */
const hierarchyFootings = (table: Table): Footing[] => {
  const coded = table.rows.filter((r) => r.code !== null)
  if (coded.length === 0) return []
  const childrenOf = (code: string | null): string[] =>
    coded.filter((r) => (code === null ? r.code!.length === 3 : r.code!.length === code.length + 2 && r.code!.startsWith(code))).map((r) => r.label)
  const totalRow = table.rows.find((r) => r.code === null && /合计|总计/.test(r.label))
  const parents: Array<{ label: string; code: string | null }> = [
    ...(totalRow ? [{ label: totalRow.label, code: null }] : []),
    ...coded.map((r) => ({ label: r.label, code: r.code })),
  ]
  return parents.flatMap(({ label, code }) => {
    const children = childrenOf(code)
    if (children.length === 0) return []
    const rule = `${label} = Σ ${code === null ? '类' : code.length === 3 ? '款' : '项'} (${children.join(' + ')})`
    return table.columns.map((_, c) => foot(table, c, label, children, rule))
  })
}

/** Every identity that applies to the document, with the printed total, the sum of the printed parts and the drift. */
export const footings = (doc: FinalAccounts): Footing[] =>
  doc.tables.flatMap((table) => [
    ...IDENTITIES.filter((i) => i.table === table.title).flatMap((i) =>
      table.columns.map((_, c) => foot(table, c, i.total, i.parts, `${i.total} = ${i.parts.join(' + ')}`)),
    ),
    ...hierarchyFootings(table),
  ])

/** A percentage the document prints, against the one its own printed figures give at the same precision. */
export interface RateCheck {
  readonly kind: StatedRateOf['kind']
  readonly what: string
  readonly printed: string
  /** From the printed figures, rounded half-up to the printed number of decimals; "" where it cannot be computed. */
  readonly computed: string
  readonly agrees: boolean
}

const decimalsOf = (printed: string): number => printed.split('.')[1]?.length ?? 0

const column = (doc: FinalAccounts, tableTitle: string, columnName: string): { table: Table; index: number } | undefined => {
  const table = doc.tables.find((tb) => tb.title === tableTitle)
  const index = table?.columns.indexOf(columnName) ?? -1
  return table && index >= 0 ? { table, index } : undefined
}

const ratio = (doc: FinalAccounts, r: StatedRateOf): { what: string; value: Decimal | undefined } => {
  if (r.kind === 'completion') {
    const budget = column(doc, r.table, '预算数')
    const actual = column(doc, r.table, '决算数')
    const b = budget && cellOf(budget.table, r.row, budget.index)
    const a = actual && cellOf(actual.table, r.row, actual.index)
    return { what: `${r.row} 决算数 ÷ 预算数`, value: a && b && !b.isZero() ? a.div(b) : undefined }
  }
  const at = column(doc, r.table, r.column)
  const value = at && cellOf(at.table, r.row, at.index)
  if (r.kind === 'share') {
    const whole = at && cellOf(at.table, r.of, at.index)
    return { what: `${r.row} ÷ ${r.of} (${r.column})`, value: value && whole && !whole.isZero() ? value.div(whole) : undefined }
  }
  // The base is this year's figure less the printed change: the previous figure is not printed.
  const change = figure(r.change)
  const base = value?.minus(change)
  return { what: `${r.row} ${r.column} against ${r.against} (change ${r.change})`, value: base && !base.isZero() ? change.div(base) : undefined }
}

/** Each rate the document states, recomputed from the figures it prints. */
export const rateChecks = (doc: FinalAccounts): RateCheck[] =>
  doc.statedRates.map((r) => {
    const { what, value } = ratio(doc, r)
    const computed = value ? value.times(100).toFixed(decimalsOf(r.printed), Decimal.ROUND_HALF_UP) : ''
    return { kind: r.kind, what, printed: r.printed, computed, agrees: computed !== '' && figure(computed).equals(figure(r.printed)) }
  })

/** The drifts in words, as the reproduction test names them. */
export const describeDrift = (f: Footing): string =>
  `${f.table} ${f.column}: ${f.rule} — printed ${f.printed}, parts sum to ${f.computed}, differs by ${f.drift} 万元`
