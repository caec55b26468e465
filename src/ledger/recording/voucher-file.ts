import * as E from 'fp-ts/Either'
import { type BudgetYearState, type Line, decide, evolve, forkState } from '../../domain/budget-year'
import { type Command, CommandContext } from '../../domain/events/commands'
import { ExpenditureRecorded } from '../../domain/events/events'
import { type FieldError, decode } from '../../domain/codecs/decode'
import { Yuan } from '../../domain/money/money'
import { isIsoDate, streamOf } from '../../domain/codecs/primitives'
import { canonicalJson, sha256 } from '../../store/chain/hash-chain'
import type { Actor, LedgerDeps } from '../deps'
import { type BatchStep, type RecordError, recordSteps } from './record'
import { type CellValue, type SheetGrid, cellDate, cellError, cellMoney, cellRef, cellText, rowIsEmpty, showCell } from './sheet-grid'
import { budgetYearAt } from '../fold/snapshots/snapshots'

/**
 * Expenditure vouchers in bulk: a sheet of one voucher per row (XLSX or CSV), each row recorded as
 * a RecordExpenditure decided by the domain, like `spend`. The whole file is checked first against
 * the year as it stands, in row order (a row's spending counts against the rows after it), and every
 * bad cell is named; then recorded as ONE atomic batch, or not at all. The file's rows are its
 * idempotency key: the same file again records nothing and answers with what the first recorded.
 */

/**
 * At most this many rows in one file: one event each, and one batch appends at most 10,000 events;
 * a larger file is refused before any row is checked.
 */
export const MAX_VOUCHER_ROWS = 5000
/** Progress is told every this many rows (and at the end). */
export const PROGRESS_EVERY = 1000

/** The columns: [key, Chinese header, meaning]. A header cell may give either name. */
export const VOUCHER_COLUMNS = [
  ['date', '日期', 'the business date of the expenditure, YYYY-MM-DD (or a date cell)'],
  ['voucher', '凭证号', 'the voucher the expenditure is booked on'],
  ['line', '预算行号', 'the line id; or leave it out and give the function code'],
  ['functionCode', '功能分类科目编码', 'the line by its function code, when the line id is not given'],
  ['projectName', '项目名称', 'with a function code that several lines share: the project'],
  ['economicCode', '经济分类科目编码', '部门 economic code (e.g. 30217); may be empty'],
  ['amount', '金额（元）', 'the amount in 元, positive, at most two decimals'],
  ['threePublic', '三公经费', 'abroad/reception/vehicleOperation/vehiclePurchase or 因公出国(境)费/公务接待费/公务用车运行维护费/公务用车购置费; may be empty'],
  ['procurement', '政府采购', 'goods/works/services or 货物/工程/服务; may be empty'],
  ['reason', '摘要', 'why: recorded as the reason of the event'],
] as const
type Key = (typeof VOUCHER_COLUMNS)[number][0]
const REQUIRED: ReadonlyArray<Key> = ['date', 'voucher', 'amount', 'reason']

const THREE_PUBLIC_NAMES: Record<string, string> = {
  '因公出国(境)费': 'abroad',
  '因公出国（境）费': 'abroad',
  公务接待费: 'reception',
  公务用车运行维护费: 'vehicleOperation',
  公务用车购置费: 'vehiclePurchase',
}
const PROCUREMENT_NAMES: Record<string, string> = { 货物: 'goods', 工程: 'works', 服务: 'services' }

/** A voucher file read and checked: the steps to record, or every bad cell. */
export interface CheckedVouchers {
  readonly rows: number
  /** The sum of the amounts, 元 with two decimals. */
  readonly total: string
  readonly steps: ReadonlyArray<BatchStep>
  /** The spreadsheet row of each step, for a refusal at recording time. */
  readonly rowNumbers: ReadonlyArray<number>
  readonly errors: ReadonlyArray<FieldError>
}

/** The rows of a voucher sheet as read: the header's columns, and the data rows with their numbers. */
interface Parsed {
  readonly columns: Partial<Record<Key, number>>
  readonly rows: ReadonlyArray<{ readonly index: number; readonly cells: ReadonlyArray<CellValue> }>
  readonly errors: FieldError[]
}

const parseGrid = (grid: SheetGrid): Parsed => {
  const errors: FieldError[] = []
  const headerIndex = grid.rows.findIndex((r) => !rowIsEmpty(r))
  if (headerIndex < 0) return { columns: {}, rows: [], errors: [{ path: grid.name, expected: 'a header row', got: 'an empty sheet', message: `${grid.name}: the sheet is empty; the first row names the columns (${VOUCHER_COLUMNS.map((c) => c[1]).join(', ')})` }] }
  const columns: Partial<Record<Key, number>> = {}
  grid.rows[headerIndex]!.forEach((cell, i) => {
    const name = cellText(cell)
    if (name === undefined) return
    const column = VOUCHER_COLUMNS.find(([key, label]) => label === name || key.toLowerCase() === name.toLowerCase())
    if (!column) errors.push(cellError(cellRef(grid.name, headerIndex, i), `a column name (${VOUCHER_COLUMNS.map((c) => c[1]).join(', ')})`, showCell(cell)))
    else if (columns[column[0]] !== undefined) errors.push(cellError(cellRef(grid.name, headerIndex, i), `each column once`, `${showCell(cell)} again`))
    else columns[column[0]] = i
  })
  for (const key of REQUIRED)
    if (columns[key] === undefined) {
      const label = VOUCHER_COLUMNS.find((c) => c[0] === key)![1]
      errors.push({ path: `${grid.name}!${headerIndex + 1}`, expected: `a column ${label}`, got: 'none', message: `${grid.name}: row ${headerIndex + 1} has no column ${label} (${key})` })
    }
  if (columns.line === undefined && columns.functionCode === undefined)
    errors.push({ path: `${grid.name}!${headerIndex + 1}`, expected: 'a column 预算行号 or 功能分类科目编码', got: 'neither', message: `${grid.name}: row ${headerIndex + 1} has neither 预算行号 (line) nor 功能分类科目编码 (functionCode): say which line each voucher is on` })
  const rows: Array<{ index: number; cells: ReadonlyArray<CellValue> }> = []
  for (let r = headerIndex + 1; r < grid.rows.length; r++) if (!rowIsEmpty(grid.rows[r])) rows.push({ index: r, cells: grid.rows[r]! })
  return { columns, rows, errors }
}

/**
 * The idempotency key of a voucher file: a digest of its rows as read (and the document they are
 * recorded on), so the same file again, however named or re-saved, is the same request.
 */
const fileKey = (parsed: Parsed, document: string | null): string => {
  // Every column, an absent one empty: the same vouchers with or without an empty 政府采购 column are one file.
  const keys = VOUCHER_COLUMNS.map((c) => c[0])
  // Amounts and dates as the ledger reads them: the same vouchers as CSV ("1200.00") or XLSX (1200, a date cell) are one file.
  const normal = (k: Key, v: CellValue): string => {
    const money = k === 'amount' ? cellMoney(v) : undefined
    if (money && 'ok' in money) return money.ok
    return (k === 'date' ? cellDate(v)?.replace(/\//g, '-') : cellText(v)) ?? ''
  }
  const rows = parsed.rows.map((r) => keys.map((k) => (parsed.columns[k] === undefined ? '' : normal(k, r.cells[parsed.columns[k]!] ?? null))))
  return `voucher-file:${sha256(canonicalJson({ rows, document }))}`
}

/** The line a row names: by id, or by function code (and project name where the code is shared). */
const lineOf = (state: BudgetYearState, id: string | undefined, code: string | undefined, project: string | undefined): { line: Line } | { column: Key; expected: string; got: string } => {
  if (id !== undefined) {
    const line = state.lines.get(id)
    return line ? { line } : { column: 'line', expected: 'the id of a line of this year', got: JSON.stringify(id) }
  }
  if (code === undefined) return { column: 'functionCode', expected: 'a line id or a function code', got: 'an empty cell' }
  const byCode = [...state.lines.values()].filter((l) => l.functionCode === code.replace(/\s+/g, ''))
  if (byCode.length === 0) return { column: 'functionCode', expected: 'the function code of a line of this year', got: JSON.stringify(code) }
  const matching = byCode.length > 1 && project !== undefined ? byCode.filter((l) => l.projectName === project) : byCode
  if (matching.length === 1) return { line: matching[0]! }
  const names = byCode.map((l) => `${l.id}${l.projectName ? ` ${l.projectName}` : ''}`).join(', ')
  return project !== undefined && matching.length === 0
    ? { column: 'projectName', expected: `the project of a line with function code ${code} (${names})`, got: JSON.stringify(project) }
    : { column: 'functionCode', expected: `one line, but ${byCode.length} lines have function code ${code} (${names}): give the 项目名称 or the 预算行号`, got: JSON.stringify(code) }
}

/** Which column a path of the command or its context is about. */
const COLUMN_OF_PATH: Record<string, Key> = {
  'data.line': 'line',
  'data.amount': 'amount',
  'data.economicCode': 'economicCode',
  'data.voucher': 'voucher',
  'data.threePublic': 'threePublic',
  'data.procurement': 'procurement',
  effectiveDate: 'date',
  reason: 'reason',
}

/**
 * Checks every row against the year as it stands, in order, each accepted row's spending counted
 * against those after it; names every bad cell. Decisions are the domain's (decide): this only
 * reads the cells and says which cell a refusal is about.
 */
export const checkVouchers = (
  grid: SheetGrid,
  parsed: Parsed,
  start: BudgetYearState,
  document: string | null,
  onProgress: (done: number, total: number) => void = () => {},
): CheckedVouchers => {
  const errors: FieldError[] = [...parsed.errors]
  const steps: BatchStep[] = []
  const rowNumbers: number[] = []
  let total = new Yuan(0)
  let state = forkState(start)
  const col = (key: Key) => parsed.columns[key]
  parsed.rows.forEach(({ index, cells }, n) => {
    // A key without a column of its own: the line's cell is whichever of 预算行号 / 功能分类科目编码 the file has.
    const lineColumn = col('line') ?? col('functionCode') ?? 0
    const ref = (key: Key) => cellRef(grid.name, index, col(key) ?? (key === 'line' || key === 'functionCode' || key === 'projectName' ? lineColumn : 0))
    const value = (key: Key): CellValue => (col(key) === undefined ? null : (cells[col(key)!] ?? null))
    const text = (key: Key) => cellText(value(key))
    const rowErrors: FieldError[] = []
    const bad = (key: Key, expected: string, got = showCell(value(key))) => rowErrors.push(cellError(ref(key), expected, got))

    const date = cellDate(value('date'))?.replace(/\//g, '-')
    if (date === undefined || !isIsoDate(date)) bad('date', 'a date YYYY-MM-DD that exists (or a date cell)')
    const amount = cellMoney(value('amount'))
    if (amount === undefined) bad('amount', 'a decimal amount in 元 with at most two decimals')
    else if ('expected' in amount) bad('amount', amount.expected, amount.got)
    const alias = (key: Key, names: Record<string, string>) => {
      const t = text(key)
      return t === undefined ? null : (names[t] ?? t)
    }
    const found = lineOf(state, text('line'), text('functionCode'), text('projectName'))
    if ('column' in found) rowErrors.push(cellError(ref(found.column), found.expected, found.got))

    const command = {
      type: 'RecordExpenditure',
      data: {
        line: 'line' in found ? found.line.id : '',
        amount: amount && 'ok' in amount ? amount.ok : '',
        economicCode: text('economicCode') ?? null,
        voucher: text('voucher') ?? '',
        threePublic: alias('threePublic', THREE_PUBLIC_NAMES),
        procurement: alias('procurement', PROCUREMENT_NAMES),
      },
    }
    const ctx = { reason: text('reason') ?? '', document, effectiveDate: date ?? '' }
    // The codecs of the command and its context, as every other way of recording applies them.
    const named = new Set(rowErrors.map((e) => e.path))
    const codecErrors = [decode(ExpenditureRecorded, 'data')(command.data), decode(CommandContext)(ctx)].flatMap((d) => (E.isLeft(d) ? d.left : []))
    for (const e of codecErrors) {
      const key = COLUMN_OF_PATH[e.path]
      if (key === undefined || col(key) === undefined) {
        if (key !== 'line') rowErrors.push({ ...e, message: `${grid.name} row ${index + 1}: ${e.message}` })
        continue
      }
      if (!named.has(ref(key))) rowErrors.push(cellError(ref(key), e.expected, e.got))
    }
    if (rowErrors.length === 0) {
      const c = command as Command
      const decided = decide(state, c, ctx as CommandContext)
      if (E.isLeft(decided)) {
        const key = COLUMN_OF_PATH[decided.left.path ?? ''] ?? 'amount'
        rowErrors.push({ path: ref(key), expected: 'accepted by the ledger', got: decided.left.code, message: `${ref(key)}: ${decided.left.message}`, words: decided.left.words })
      } else {
        decided.right.forEach((event, i) => (state = evolve(state, { id: `row-${index + 1}-${i}`, revision: state.revision + 1, event })))
        steps.push({ ctx: ctx as CommandContext, commands: [c] })
        rowNumbers.push(index + 1)
        total = total.plus((amount as { ok: string }).ok)
      }
    }
    errors.push(...rowErrors)
    if ((n + 1) % PROGRESS_EVERY === 0 || n + 1 === parsed.rows.length) onProgress(n + 1, parsed.rows.length)
  })
  return { rows: parsed.rows.length, total: total.toFixed(2), steps, rowNumbers, errors }
}

export type VoucherImportError =
  | { readonly kind: 'invalid'; readonly errors: ReadonlyArray<FieldError> }
  | { readonly kind: 'not-open'; readonly message: string }
  | RecordError

export interface VoucherImport {
  readonly rows: number
  readonly total: string
  readonly dryRun: boolean
  /** True when this file was imported before: nothing new was recorded, the first import's events are shown. */
  readonly repeated: boolean
  readonly events: number
  readonly revision: number
  /** When the first import of this file was recorded (a repeat only). */
  readonly firstRecordedAt?: string
}

/**
 * Imports a voucher file into a unit-year: checked whole, then recorded as one atomic batch (or,
 * with dryRun, only checked). A file imported before answers with the first import and records
 * nothing; a file whose rows are refused records nothing and names every bad cell.
 */
export const importVoucherFile = async (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  grid: SheetGrid,
  options: { readonly document: string | null; readonly dryRun?: boolean; readonly onProgress?: (done: number, total: number) => void },
  actor: Actor,
): Promise<E.Either<VoucherImportError, VoucherImport>> => {
  const parsed = parseGrid(grid)
  if (parsed.errors.length > 0) return E.left({ kind: 'invalid', errors: parsed.errors })
  if (parsed.rows.length === 0) return E.left({ kind: 'invalid', errors: [{ path: grid.name, expected: 'at least one voucher row', got: 'none', message: `${grid.name}: no voucher rows under the header` }] })
  if (parsed.rows.length > MAX_VOUCHER_ROWS)
    return E.left({
      kind: 'invalid',
      errors: [{ path: grid.name, expected: `at most ${MAX_VOUCHER_ROWS} rows`, got: String(parsed.rows.length), message: `${grid.name}: ${parsed.rows.length} voucher rows, more than the ${MAX_VOUCHER_ROWS} one import takes: split the file (each part is recorded on its own)` }],
    })
  const key = fileKey(parsed, options.document)
  // A repeat is found before the rows are checked: checked again, the first import's spending would refuse them.
  const earlier = await deps.store.readByIdempotencyKey(streamOf(target.unit, target.year), key)
  if (earlier.length > 0)
    return E.right({
      rows: parsed.rows.length,
      total: earlier.reduce((sum, e) => sum.plus(String((e.data as { amount?: string }).amount ?? '0')), new Yuan(0)).toFixed(2),
      dryRun: Boolean(options.dryRun),
      repeated: true,
      events: earlier.length,
      revision: earlier.at(-1)!.revision,
      firstRecordedAt: String(earlier[0]!.metadata.recordedAt),
    })
  const { state } = await budgetYearAt(deps.store, target.unit, target.year)
  if (!state.identity) return E.left({ kind: 'not-open', message: `budget year ${target.year} of unit ${target.unit} is not open` })
  const checked = checkVouchers(grid, parsed, state, options.document, options.onProgress)
  if (checked.errors.length > 0) return E.left({ kind: 'invalid', errors: checked.errors })
  if (options.dryRun) return E.right({ rows: checked.rows, total: checked.total, dryRun: true, repeated: false, events: checked.steps.length, revision: state.revision })
  const recorded = await recordSteps(deps, target, checked.steps, actor, { idempotencyKey: key })
  if (E.isLeft(recorded)) {
    const e = recorded.left
    // Decided again at recording time: a change made meanwhile may refuse a row the check accepted.
    if (e.kind === 'refused' && e.step !== undefined)
      return E.left({ kind: 'invalid', errors: [{ path: `${grid.name}!${checked.rowNumbers[e.step]}`, expected: 'accepted by the ledger', got: e.error.code, message: `${grid.name} row ${checked.rowNumbers[e.step]}: ${e.error.message}`, words: e.error.words }] })
    return E.left(e)
  }
  const r = recorded.right
  return E.right({ rows: checked.rows, total: checked.total, dryRun: false, repeated: Boolean(r.repeated), events: r.events.length, revision: r.revision })
}

/** The columns as a person reads them (CLI help, docs, the 422 of a bad header). */
export const voucherColumnsHelp = (): string => `in any order, by either name: ${VOUCHER_COLUMNS.map(([key, label]) => `${label} (${key})`).join(', ')}`
