import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { decode, type FieldError } from '../../../src/domain/codecs/decode'
import { strict } from '../../../src/domain/codecs/strict'

/**
 * Published 部门决算 kept as fixtures (test/fixtures/final-accounts/README.md): every figure as
 * printed, with its source, so the reproduction tests compare the ledger's 决算 tables with the
 * document and name where the document itself does not foot.
 */
export const FINAL_ACCOUNTS_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'final-accounts')

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
