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

/**
 * Which half of a two-sided table (收入 | 支出, as the 总表 print them side by side), or
 * "情况说明" for figures the text gives beside the table (the 年初预算 of each 项).
 */
const Part = t.keyof({ 收入: null, 支出: null, 情况说明: null })

const TableCodec = strict(
  { title: t.string, coverage: Coverage, columns: t.array(t.string), rows: t.array(Row) },
  { part: Part },
  'Table',
)

const StatedRate = t.union([
  /** `budget`: the column the document divides by, where it says (完成年初预算 / 完成全年预算); else 预算数, 全年预算, 年初预算, the first printed. */
  strict({ kind: t.literal('completion'), table: t.string, row: t.string, printed: PrintedFigure }, { part: Part, budget: t.string }, 'CompletionRate'),
  strict({ kind: t.literal('share'), table: t.string, row: t.string, of: t.string, column: t.string, printed: PrintedFigure }, { part: Part }, 'Share'),
  strict(
    { kind: t.literal('growth'), table: t.string, row: t.string, column: t.string, against: t.string, change: PrintedFigure, printed: PrintedFigure },
    { part: Part },
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
    /** 备注 as printed, e.g. "预算不单列，并入本级" for a unit whose budget is folded into 本级. */
    units: t.array(strict({ name: t.string, code: t.union([t.string, t.null]) }, { note: t.string }, 'Unit')),
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
  /** The table, with its half ("收入支出决算总表 支出"), or two tables joined by ↔. */
  readonly table: string
  readonly column: string
  /** e.g. "总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余" */
  readonly rule: string
  readonly printed: string
  /** The sum of the printed parts, in 万元 with two decimals; "" where a part is missing. */
  readonly computed: string
  /** printed − computed, in 万元 with two decimals; "0.00" where the document foots, "" where unchecked. */
  readonly drift: string
  /** Rows the rule needs that the fixture does not hold: then the rule is not checked. */
  readonly missing: ReadonlyArray<string>
}

type Part = NonNullable<Table['part']>
type Row = Table['rows'][number]

const tableOf = (doc: FinalAccounts, title: string, part?: Part): Table | undefined =>
  doc.tables.find((tb) => tb.title === title && tb.part === part)

const nameOf = (tb: Table): string => (tb.part ? `${tb.title} ${tb.part}` : tb.title)

/** A printed label names a row also with a printed qualifier: "使用非财政拨款结余（含专用结余）". */
const labelIs = (row: Row, name: string): boolean => row.label === name || row.label.startsWith(`${name}（`)

/** The 总表 number their lines ("八、社会保障和就业支出"); the other tables do not. */
const NUMBERED = /^[一二三四五六七八九十]+、/
const unnumbered = (label: string): string => label.replace(NUMBERED, '')

/** A cell to check: where it is, and its value (a blank cell is zero; no such row, column or table is unknown). */
interface At {
  readonly where: string
  readonly value: Decimal | undefined
}

const cellAt = (tb: Table | undefined, row: Row | string | undefined, column: string): At => {
  const r = typeof row === 'string' ? tb?.rows.find((x) => labelIs(x, row)) : row
  const label = typeof row === 'string' ? row : (row?.label ?? '?')
  const where = tb ? `${nameOf(tb)}: ${label} (${column})` : `${label} (${column})`
  const index = tb?.columns.indexOf(column) ?? -1
  if (!tb || !r || index < 0) return { where, value: undefined }
  const printed = r.cells[index]
  return { where, value: printed === null || printed === undefined ? new Decimal(0) : figure(printed) }
}

const sumOf = (table: string, column: string, rule: string, total: At, parts: ReadonlyArray<At>): Footing => {
  const missing = [total, ...parts].filter((a) => a.value === undefined).map((a) => a.where)
  const printed = total.value?.toFixed(2) ?? ''
  if (missing.length > 0) return { table, column, rule, printed, computed: '', drift: '', missing }
  // A part not transcribed is unknown, not zero: only here, with every part known, is the sum taken.
  const computed = parts.reduce((a, p) => a.plus(p.value!), new Decimal(0))
  return { table, column, rule, printed, computed: computed.toFixed(2), drift: total.value!.minus(computed).toFixed(2), missing }
}

/** Within one table and column: total row = Σ part rows (by label). */
const rowsSum = (tb: Table, column: string, total: string, parts: ReadonlyArray<string>): Footing =>
  sumOf(nameOf(tb), column, `${total} = ${parts.join(' + ')}`, cellAt(tb, total, column), parts.map((p) => cellAt(tb, p, column)))

/** The numbered lines of a 总表 half between two rows (from the start, or after `after`, up to `until`). */
const numberedBetween = (tb: Table, until: string, after?: string): Row[] => {
  const from = after ? tb.rows.findIndex((r) => labelIs(r, after)) + 1 : 0
  const to = tb.rows.findIndex((r) => labelIs(r, until))
  return tb.rows.slice(from, to < 0 ? tb.rows.length : to).filter((r) => NUMBERED.test(r.label))
}

const itemsSum = (tb: Table, column: string, total: string, after?: string): Footing[] => {
  const items = numberedBetween(tb, after ? '总计' : total, after)
  if (items.length === 0 || !tb.rows.some((r) => labelIs(r, total))) return []
  return [sumOf(nameOf(tb), column, `${total} = Σ 各项 (${items.length} lines)`, cellAt(tb, total, column), items.map((r) => cellAt(tb, r, column)))]
}

/** The two 总表 (收入支出决算总表, 财政拨款收入支出决算总表): each half adds up, and the halves meet. */
const summaryFootings = (doc: FinalAccounts): Footing[] => {
  const out: Footing[] = []
  const all = tableOf(doc, '收入支出决算总表', '收入')
  const spent = tableOf(doc, '收入支出决算总表', '支出')
  if (all) {
    out.push(...itemsSum(all, '决算数', '本年收入合计'))
    out.push(rowsSum(all, '决算数', '总计', ['本年收入合计', '使用非财政拨款结余', '年初结转和结余']))
  }
  if (spent) {
    out.push(...itemsSum(spent, '决算数', '本年支出合计'))
    out.push(rowsSum(spent, '决算数', '总计', ['本年支出合计', '结余分配', '年末结转和结余']))
  }
  if (all && spent) out.push(sumOf('收入支出决算总表', '决算数', '支出 总计 = 收入 总计', cellAt(spent, '总计', '决算数'), [cellAt(all, '总计', '决算数')]))
  const fiscalIn = tableOf(doc, '财政拨款收入支出决算总表', '收入')
  const fiscalOut = tableOf(doc, '财政拨款收入支出决算总表', '支出')
  if (fiscalIn) {
    out.push(...itemsSum(fiscalIn, '决算数', '本年收入合计'))
    out.push(...itemsSum(fiscalIn, '决算数', '年初财政拨款结转和结余', '年初财政拨款结转和结余'))
    out.push(rowsSum(fiscalIn, '决算数', '总计', ['本年收入合计', '年初财政拨款结转和结余']))
  }
  if (fiscalOut) {
    for (const column of fiscalOut.columns) {
      out.push(...itemsSum(fiscalOut, column, '本年支出合计'))
      out.push(rowsSum(fiscalOut, column, '总计', ['本年支出合计', '年末财政拨款结转和结余']))
    }
  }
  if (fiscalIn && fiscalOut) {
    out.push(sumOf('财政拨款收入支出决算总表', '决算数 ↔ 合计', '支出 总计 = 收入 总计', cellAt(fiscalOut, '总计', '合计'), [cellAt(fiscalIn, '总计', '决算数')]))
  }
  return out
}

/** A table whose first column is the total of the others (收入决算表 by source, 支出决算表 by kind, …): every row. */
const ACROSS = new Set(['本年收入合计', '本年支出合计', '合计'])
const acrossFootings = (doc: FinalAccounts): Footing[] =>
  doc.tables
    .filter((tb) => tb.columns.length > 1 && ACROSS.has(tb.columns[0]!) && tb.part !== '情况说明')
    .flatMap((tb) =>
      tb.rows
        .filter((r) => !(tb.part && (r.label === '总计' || /结转和结余/.test(r.label)) && r.cells.slice(1).every((c) => c === null)))
        .map((r) =>
          sumOf(nameOf(tb), `row ${r.label}`, `${tb.columns[0]} = ${tb.columns.slice(1).join(' + ')}`, cellAt(tb, r, tb.columns[0]!), tb.columns.slice(1).map((c) => cellAt(tb, r, c))),
        ),
    )

/** Code-level footing: 合计 = Σ 类, each 类 = Σ its 款, each 款 = Σ its 项 (where the children are printed). */
const hierarchyFootings = (tb: Table): Footing[] => {
  const coded = tb.rows.filter((r) => r.code !== null)
  if (coded.length === 0) return []
  const childrenOf = (code: string | null): Row[] =>
    coded.filter((r) => (code === null ? r.code!.length === 3 : r.code!.length === code.length + 2 && r.code!.startsWith(code)))
  const totalRow = tb.rows.find((r) => r.code === null && r.label === '合计')
  const parents: Row[] = [...(totalRow ? [totalRow] : []), ...coded]
  return parents.flatMap((parent) => {
    const children = childrenOf(parent.code)
    if (children.length === 0) return []
    const level = parent.code === null ? '类' : parent.code.length === 3 ? '款' : '项'
    const rule = `${parent.code ?? ''} ${parent.label} = Σ ${level} (${children.map((c) => c.code).join(' + ')})`.trim()
    return tb.columns.map((column) => sumOf(nameOf(tb), column, rule, cellAt(tb, parent, column), children.map((c) => cellAt(tb, c, column))))
  })
}

/** 人员经费 = 301 + 303 and 公用经费 = 302 + 310 (shared/reference: economic classes). */
const economicFootings = (doc: FinalAccounts): Footing[] => {
  const tb = tableOf(doc, '一般公共预算财政拨款基本支出决算表')
  if (!tb) return []
  const byCode = (code: string) => tb.rows.find((r) => r.code === code) ?? code
  return [
    ['人员经费合计', ['301', '303']],
    ['公用经费合计', ['302', '310']],
  ].map(([total, codes]) =>
    sumOf(nameOf(tb), '决算数', `${total} = ${(codes as string[]).join(' + ')}`, cellAt(tb, total as string, '决算数'), (codes as string[]).map((c) => cellAt(tb, byCode(c), '决算数'))),
  )
}

/** The 三公 table: 合计 over the categories, and 公务用车 over 购置 and 运行维护 (each spelt two ways in print). */
const sangongFootings = (doc: FinalAccounts): Footing[] => {
  const tb = tableOf(doc, '财政拨款“三公”经费支出决算表')
  if (!tb) return []
  const spelt = (...names: string[]) => names.find((n) => tb.rows.some((r) => r.label === n)) ?? names[0]!
  const car = spelt('公务用车购置及运行维护费', '公务用车购置及运行费')
  const run = spelt('公务用车运行维护费', '公务用车运行费')
  return tb.columns.flatMap((column) => [
    rowsSum(tb, column, '合计', ['因公出国（境）费', car, '公务接待费']),
    rowsSum(tb, column, car, ['公务用车购置费', run]),
  ])
}

/** Tables that print the same figure twice must agree (the 总表 against the detail tables). */
const crossFootings = (doc: FinalAccounts): Footing[] => {
  const out: Footing[] = []
  const pair = (a: Table | undefined, b: Table | undefined, rule: string, column: string, total: At, parts: At[]) => {
    if (a && b) out.push(sumOf(`${nameOf(a)} ↔ ${nameOf(b)}`, column, rule, total, parts))
  }
  const allIn = tableOf(doc, '收入支出决算总表', '收入')
  const allOut = tableOf(doc, '收入支出决算总表', '支出')
  const income = tableOf(doc, '收入决算表')
  const spending = tableOf(doc, '支出决算表')
  const fiscalOut = tableOf(doc, '财政拨款收入支出决算总表', '支出')
  const general = tableOf(doc, '一般公共预算财政拨款支出决算表')
  const basic = tableOf(doc, '一般公共预算财政拨款基本支出决算表')
  pair(allIn, income, '本年收入合计 = 收入决算表 合计', '决算数', cellAt(allIn, '本年收入合计', '决算数'), [cellAt(income, '合计', '本年收入合计')])
  pair(allOut, spending, '本年支出合计 = 支出决算表 合计', '决算数', cellAt(allOut, '本年支出合计', '决算数'), [cellAt(spending, '合计', '本年支出合计')])
  const byClass = (summary: Table | undefined, detail: Table | undefined, summaryColumn: string, detailColumn: string) => {
    if (!summary || !detail) return
    for (const cls of detail.rows.filter((r) => r.code?.length === 3)) {
      const line = summary.rows.find((r) => NUMBERED.test(r.label) && unnumbered(r.label) === cls.label)
      pair(summary, detail, `${cls.label} = ${cls.code}`, summaryColumn, cellAt(summary, line ?? `…${cls.label}`, summaryColumn), [cellAt(detail, cls, detailColumn)])
    }
  }
  byClass(allOut, spending, '决算数', '本年支出合计')
  byClass(fiscalOut, general, '一般公共预算财政拨款', '合计')
  pair(basic, general, '人员经费合计 + 公用经费合计 = 基本支出', '决算数 ↔ 基本支出', cellAt(general, '合计', '基本支出'), [
    cellAt(basic, '人员经费合计', '决算数'),
    cellAt(basic, '公用经费合计', '决算数'),
  ])
  return out
}

/** Figures the 情况说明 gives beside a table (年初预算 by 项): 合计 over the lines, and each 决算数 against the table's. */
const statedFootings = (doc: FinalAccounts): Footing[] =>
  doc.tables
    .filter((tb) => tb.part === '情况说明')
    .flatMap((tb) => {
      const lines = tb.rows.filter((r) => r.label !== '合计')
      const table = tableOf(doc, tb.title)
      const sums = tb.columns.map((column) => sumOf(nameOf(tb), column, `合计 = Σ 项 (${lines.length} lines)`, cellAt(tb, '合计', column), lines.map((r) => cellAt(tb, r, column))))
      const same = lines
        .filter((r) => r.code !== null && table && tb.columns.includes('决算数'))
        .map((r) =>
          sumOf(`${nameOf(tb)} ↔ ${nameOf(table!)}`, '决算数 ↔ 合计', `${r.code} ${r.label}`, cellAt(tb, r, '决算数'), [cellAt(table, table!.rows.find((x) => x.code === r.code) ?? `${r.code}`, '合计')]),
        )
      return [...sums, ...same]
    })

/** Every identity that applies to the document, with the printed total, the sum of the printed parts and the drift. */
export const footings = (doc: FinalAccounts): Footing[] => [
  ...summaryFootings(doc),
  ...acrossFootings(doc),
  ...doc.tables.filter((tb) => tb.part !== '情况说明').flatMap(hierarchyFootings),
  ...economicFootings(doc),
  ...sangongFootings(doc),
  ...statedFootings(doc),
  ...crossFootings(doc),
]

/** The footings that were checked and do not foot. */
export const drifts = (doc: FinalAccounts): Footing[] => footings(doc).filter((f) => f.drift !== '' && f.drift !== '0.00')

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

const column = (doc: FinalAccounts, r: StatedRateOf, columnName: string): { table: Table; index: number } | undefined => {
  const table = doc.tables.find((tb) => tb.title === r.table && tb.part === r.part && tb.columns.includes(columnName))
  return table ? { table, index: table.columns.indexOf(columnName) } : undefined
}

const valueIn = (at: { table: Table; index: number } | undefined, label: string): Decimal | undefined =>
  at ? cellAt(at.table, label, at.table.columns[at.index]!).value : undefined

const ratio = (doc: FinalAccounts, r: StatedRateOf): { what: string; value: Decimal | undefined } => {
  if (r.kind === 'completion') {
    const budgetColumn = r.budget ?? ['预算数', '全年预算', '年初预算'].find((c) => column(doc, r, c)) ?? '预算数'
    const b = valueIn(column(doc, r, budgetColumn), r.row)
    const a = valueIn(column(doc, r, '决算数'), r.row)
    return { what: `${r.row} 决算数 ÷ ${budgetColumn}`, value: a && b && !b.isZero() ? a.div(b) : undefined }
  }
  const at = column(doc, r, r.column)
  const value = valueIn(at, r.row)
  if (r.kind === 'share') {
    const whole = valueIn(at, r.of)
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
