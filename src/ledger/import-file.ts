import * as E from 'fp-ts/Either'
import { BudgetFile, budgetFileCommands } from '../domain/budget-file'
import { type FieldError, decode } from '../domain/decode'
import type { Actor, LedgerDeps } from './deps'
import { type RecordError, type Recorded, recordCommands } from './record'

export type ImportError = { readonly kind: 'invalid'; readonly errors: ReadonlyArray<FieldError> } | RecordError

/**
 * Records a budget file as one atomic batch: the file is decoded whole first, then every command
 * is decided in order; any bad field or refused command and nothing at all is written.
 */
export const importBudgetFile = async (
  deps: LedgerDeps,
  input: unknown,
  actor: Actor,
): Promise<E.Either<ImportError, Recorded & { file: BudgetFile }>> => {
  const decoded = decode(BudgetFile)(input)
  if (E.isLeft(decoded)) return E.left({ kind: 'invalid', errors: decoded.left })
  const file = decoded.right
  const { commands, context } = budgetFileCommands(file)
  const recorded = await recordCommands(deps, { unit: file.unit.code, year: file.year }, commands, context, actor, {
    ...(file.synthetic ? { metadata: { synthetic: true } } : {}),
  })
  // The file's commands all take its approval date: a refusal of the date is about approvedOn.
  const inFileTerms = E.mapLeft((e: RecordError): RecordError =>
    e.kind === 'refused' && e.error.path === 'effectiveDate' ? { ...e, error: { ...e.error, path: 'approvedOn' } } : e,
  )
  return E.map((r: Recorded) => ({ ...r, file }))(inFileTerms(recorded))
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
