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
    $(id + '-error').textContent += x.reason
  }
  return loose
}
