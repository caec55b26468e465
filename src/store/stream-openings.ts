import type { RecordedEvent } from './envelope'

/** A stream and its first event: what a listing shows of a stream (a unit-year's opening names its unit). */
export interface StreamOpening {
  readonly stream: string
  readonly first: RecordedEvent
}

/** A page of a listing: the streams after `after` (exclusive, a stream name), at most `limit` of them. */
export interface StreamPage {
  readonly after?: string
  readonly limit?: number
}

/**
 * Code-point order, which SQLite's BINARY collation of UTF-8 gives: UTF-16 order (`<`) differs
 * only where a surrogate pair meets U+E000…U+FFFF, so those code units are moved past each other.
 */
const unit = (s: string, i: number): number => {
  const c = s.charCodeAt(i)
  return c < 0xd800 ? c : c < 0xe000 ? c + 0x2000 : c - 0x800
}
export const byCodePoint = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = unit(a, i) - unit(b, i)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** The page of openings the port's listStreamOpenings answers, cut from all of a store's openings. */
export const pageOfOpenings = (all: Iterable<StreamOpening>, prefix: string, page: StreamPage = {}): StreamOpening[] => {
  const after = page.after
  return [...all]
    .filter((o) => o.stream.startsWith(prefix) && (after === undefined || byCodePoint(o.stream, after) > 0))
    .sort((a, b) => byCodePoint(a.stream, b.stream))
    .slice(0, page.limit)
}

/**
 * What a listing of units reads of a stream's opening, kept in the store's index beside the
 * stream so that a listing or a search reads no event: the first event's type, the name it gives
 * (`data.unit.name`) and the department it names (`data.department`). Every field is null where the
 * opening has no such text (an opening of another kind, or a file damaged by hand).
 */
export interface OpeningSummary {
  readonly stream: string
  readonly type: string
  readonly name: string | null
  readonly department: { readonly code: string; readonly name: string; readonly role: string } | null
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** The summary of an opening read whole (memory, EventStoreDB); SQLite's index extracts the same fields in SQL. */
export const summaryOf = ({ stream, first }: StreamOpening): OpeningSummary => {
  const data = first.data as { unit?: { name?: unknown }; department?: { code?: unknown; name?: unknown; role?: unknown } } | null
  const d = data?.department
  const [code, name, role] = [text(d?.code), text(d?.name), text(d?.role)]
  return {
    stream,
    type: first.type,
    name: text(data?.unit?.name),
    department: code !== null && name !== null && role !== null ? { code, name, role } : null,
  }
}
