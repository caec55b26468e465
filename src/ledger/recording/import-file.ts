import * as E from 'fp-ts/Either'
import { type BudgetFile, budgetFileCommands, decodeBudgetFile, filePathOf } from '../../domain/budget-file/budget-file'
import type { FieldError } from '../../domain/codecs/decode'
import { MemoryEventStore } from '../../store/memory'
import { type Actor, type LedgerDeps, ledgerDeps } from '../deps'
import { type RecordError, type Recorded, recordSteps } from './record'
import { type ReadWorkbook, cellOf, readBudgetWorkbook, workbookErrors } from '../reports/budget-workbook'
import { type SheetGrid, workbookGrids } from './sheet-grid'

export type ImportError = { readonly kind: 'invalid'; readonly errors: ReadonlyArray<FieldError> } | RecordError

const invalid = (errors: FieldError[]): ImportError => ({ kind: 'invalid', errors })
const decodeFile = (input: unknown): E.Either<ImportError, BudgetFile> => E.mapLeft(invalid)(decodeBudgetFile(input))

/**
 * A budget file from the bytes of an XLSX workbook (the template's layout, or the ledger's own
 * export): read into the same input the JSON form is, then decoded by the same codec, every bad
 * cell named by sheet, row and column.
 */
export const decodeBudgetWorkbook = async (bytes: Uint8Array): Promise<E.Either<ImportError, { file: BudgetFile; read: ReadWorkbook }>> => {
  let grids: SheetGrid[]
  try {
    grids = await workbookGrids(bytes)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    return E.left(invalid([{ path: '', expected: 'an XLSX workbook', got: why, message: `not a readable XLSX workbook: ${why}` }]))
  }
  const read = readBudgetWorkbook(grids)
  const decoded = decodeBudgetFile(read.input)
  const errors = workbookErrors(read, E.isLeft(decoded) ? decoded.left : [])
  return errors.length > 0 || E.isLeft(decoded) ? E.left(invalid(errors)) : E.right({ file: decoded.right, read })
}

/** A refusal of a file read from a workbook names the cell the refused field came from. */
const atCell =
  (read: ReadWorkbook) =>
  (e: ImportError): ImportError => {
    if (e.kind !== 'refused' || e.error.path === undefined) return e
    const cell = cellOf(read, e.error.path)
    return cell === undefined ? e : { ...e, error: { ...e.error, path: cell.ref } }
  }

/**
 * Records a decoded budget file as one atomic batch: every command is decided in order; any
 * refused command and nothing at all is written.
 */
export const recordBudgetFile = async (
  deps: LedgerDeps,
  file: BudgetFile,
  actor: Actor,
  options: { readonly dryRun?: boolean } = {},
): Promise<E.Either<ImportError, Recorded & { file: BudgetFile }>> => {
  const { commands, context, sources } = budgetFileCommands(file)
  // One step per command, so a refusal says which command, hence which part of the file; still one batch.
  const steps = commands.map((c) => ({ ctx: context, commands: [c] }))
  const recorded = await recordSteps(
    deps,
    { unit: file.unit.code, year: file.year },
    steps,
    actor,
    {
      ...(file.synthetic ? { metadata: { synthetic: true } } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    },
    { commands, ctx: context },
  )
  // The file's commands all take its approval date: a refusal of the date is about approvedOn.
  const inFileTerms = E.mapLeft((e: RecordError): RecordError => {
    if (e.kind !== 'refused') return e
    const { step, ...rest } = e
    const path = e.error.path === 'effectiveDate' ? 'approvedOn' : e.error.path === undefined ? undefined : filePathOf(sources[step ?? 0] ?? '', e.error.path)
    return { ...rest, error: { ...e.error, ...(path === undefined ? {} : { path }) } }
  })
  return E.map((r: Recorded) => ({ ...r, file }))(inFileTerms(recorded))
}

/**
 * Records a budget file as one atomic batch: the file is decoded whole first, then every command
 * is decided in order; any bad field or refused command and nothing at all is written.
 */
export const importBudgetFile = async (
  deps: LedgerDeps,
  input: unknown,
  actor: Actor,
  options: { readonly dryRun?: boolean } = {},
): Promise<E.Either<ImportError, Recorded & { file: BudgetFile }>> => {
  const decoded = decodeFile(input)
  return E.isLeft(decoded) ? decoded : recordBudgetFile(deps, decoded.right, actor, options)
}

/** importBudgetFile for the bytes of an XLSX workbook. */
export const importBudgetWorkbook = async (
  deps: LedgerDeps,
  bytes: Uint8Array,
  actor: Actor,
  options: { readonly dryRun?: boolean } = {},
): Promise<E.Either<ImportError, Recorded & { file: BudgetFile }>> => {
  const decoded = await decodeBudgetWorkbook(bytes)
  return E.isLeft(decoded) ? decoded : E.mapLeft(atCell(decoded.right.read))(await recordBudgetFile(deps, decoded.right.file, actor, options))
}

/**
 * Everything a budget file can be refused for by itself, checked before any ledger is opened (so a
 * refused file never leaves a new, empty ledger behind): decoded whole, then imported as a dry run
 * into an empty ledger in memory. Only what depends on the ledger, a year already open, is left
 * to the import itself. The input is the parsed JSON, or the bytes of an XLSX workbook.
 */
export const checkBudgetFile = async (input: unknown, actor: Actor): Promise<E.Either<ImportError, BudgetFile>> => {
  const decoded = input instanceof Uint8Array ? await decodeBudgetWorkbook(input) : E.map((file: BudgetFile) => ({ file, read: undefined }))(decodeFile(input))
  if (E.isLeft(decoded)) return decoded
  const { file, read } = decoded.right
  const dryRun = await recordBudgetFile(ledgerDeps(new MemoryEventStore()), file, actor, { dryRun: true })
  return E.bimap(read ? atCell(read) : (e: ImportError) => e, () => file)(dryRun)
}

/** Parses JSON text, naming the line and column of a syntax error. */
export const parseJsonText = (text: string, source: string): E.Either<FieldError[], unknown> => {
  try {
    return E.right(JSON.parse(text.replace(/^\uFEFF/, '')))
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return E.left([{ path: '', expected: 'valid JSON', got: message, message: `${source}: not valid JSON: ${message}` }])
  }
}
