import { DuplicateEventId, EarlierBatchFailed, WrongExpectedRevision } from '../port'

/**
 * A store error as it crosses to another thread (the commit worker): a structured clone keeps an
 * Error's message but not its class or fields, and the recording path tells a lost race
 * (WrongExpectedRevision) from anything else by its class. Revived as the same class on arrival.
 */
export type WireError =
  | { readonly kind: 'wrong-expected-revision'; readonly stream: string; readonly expected: WrongExpectedRevision['expected']; readonly actual: number }
  | { readonly kind: 'earlier-batch-failed'; readonly stream: string }
  | { readonly kind: 'duplicate-event-id'; readonly eventId: string }
  | { readonly kind: 'range'; readonly message: string }
  | { readonly kind: 'other'; readonly name: string; readonly message: string; readonly code?: string }

export const toWire = (err: unknown): WireError => {
  if (err instanceof WrongExpectedRevision) return { kind: 'wrong-expected-revision', stream: err.stream, expected: err.expected, actual: err.actual }
  if (err instanceof EarlierBatchFailed) return { kind: 'earlier-batch-failed', stream: err.stream }
  if (err instanceof DuplicateEventId) return { kind: 'duplicate-event-id', eventId: err.eventId }
  if (err instanceof RangeError) return { kind: 'range', message: err.message }
  const e = err instanceof Error ? err : new Error(String(err))
  const code = (e as { code?: unknown }).code
  return { kind: 'other', name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) }
}

export const fromWire = (w: WireError): Error => {
  switch (w.kind) {
    case 'wrong-expected-revision':
      return new WrongExpectedRevision(w.stream, w.expected, w.actual)
    case 'earlier-batch-failed':
      return new EarlierBatchFailed(w.stream)
    case 'duplicate-event-id':
      return new DuplicateEventId(w.eventId)
    case 'range':
      return new RangeError(w.message)
    case 'other':
      // SQLite's own errors (SQLITE_BUSY, a full disk, a trigger's refusal) keep their name, message and code.
      return Object.assign(new Error(w.message), { name: w.name }, w.code === undefined ? {} : { code: w.code })
  }
}
