/*
 * A refusal shown where it belongs: each error the server names by path (a body field, a query
 * parameter) beside its control — the control marked aria-invalid, the reason in its "<id>-error"
 * element — and what names no control returned to be said elsewhere.
 */
import { $ } from './dom.js'

/** Clears the errors of the given controls (ids). */
export const clearFieldErrors = (ids) => {
  for (const id of new Set(ids)) {
    $(id).removeAttribute('aria-invalid')
    $(id + '-error').textContent = ''
  }
}

/** What a person reads of a bad field: the ledger's Chinese words when the answer has them, else its reason. */
export const reasonOf = (x) => x.words || x.reason

/** What a person reads of a refusal as a whole: its Chinese words when the answer has them, else its detail. */
export const detailOf = (body) => (body && (body.words || body.detail)) || ''

/** Shows each error beside the control its path maps to (fields: path → id); the rest, returned. */
export const showFieldErrors = (errors, fields) => {
  const loose = []
  for (const x of errors || []) {
    const id = fields[x.path]
    if (!id) {
      loose.push(x)
      continue
    }
    $(id).setAttribute('aria-invalid', 'true')
    $(id + '-error').textContent += reasonOf(x)
  }
  return loose
}
