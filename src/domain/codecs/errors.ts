/** A refusal a person can act on: what is wrong, in the ledger's terms, and where. */
export interface DomainError {
  readonly code: DomainErrorCode
  readonly message: string
  /** The same refusal in plain finance Chinese, for the people who read the page (same figures, ids, dates). */
  readonly words: string
  /** The field the refusal is about, as a path into the command (e.g. "data.line"). */
  readonly path?: string
}

export type DomainErrorCode =
  | 'year-not-open'
  | 'year-already-open'
  | 'year-closed'
  | 'unit-mismatch'
  | 'unknown-line'
  | 'line-exists'
  | 'line-shape'
  | 'over-spend'
  | 'below-spent'
  | 'transfer-to-itself'
  | 'unknown-event'
  | 'not-reversible'
  | 'already-reversed'
  | 'document-required'
  | 'date-outside-year'
  | 'not-a-project'
  | 'carried-from'
  | 'special-funds-over-budget'
  | 'below-detailed'
  | 'over-detail'
  | 'already-scheduled'
  | 'not-scheduled'
  | 'review-already-done'
  | 'duplicate-recommendation'
  | 'unknown-recommendation'
  | 'already-adopted'
  | 'unknown-target'
  | 'close-duplicate-line'
  | 'close-missing-line'
  | 'close-mismatch'
  | 'second-own-unit'

export const domainError = (code: DomainErrorCode, message: string, words: string, path?: string): DomainError =>
  path === undefined ? { code, message, words } : { code, message, words, path }
