import * as E from 'fp-ts/Either'
import { parseAsOf, parseEffective } from '../../src/domain/time/as-of'
import type { HistoryEntry } from './history'

/**
 * Narrowing a history to what an auditor is looking for: a document number, a person, event
 * types, and windows on either time axis. The line and the asOf / effective point select the
 * events folded (src/ledger/reports/audit.ts); these only choose which of the folded entries are shown, so
 * running balances stay those of the whole year. One filter serves the CLI and the HTTP route.
 */
export interface HistoryFilter {
  /** A part of the approval document number (case-insensitive). */
  readonly document?: string
  /** A part of the actor's name, or the signed-in person's subject (case-insensitive). */
  readonly person?: string
  /** Only these event types. */
  readonly types?: ReadonlyArray<string>
  /** Recorded after this instant (exclusive, as the diff's from). */
  readonly from?: string
  /** Recorded by this instant (inclusive). */
  readonly to?: string
  /** Business date on or after (YYYY-MM-DD). */
  readonly effectiveFrom?: string
  /** Business date on or before (YYYY-MM-DD). */
  readonly effectiveTo?: string
}

/** The filter as given on a command line or in a query string: text, each optional. */
export interface HistoryFilterInput {
  readonly document?: string | undefined
  readonly person?: string | undefined
  readonly type?: string | undefined
  readonly from?: string | undefined
  readonly to?: string | undefined
  readonly effectiveFrom?: string | undefined
  readonly effectiveTo?: string | undefined
}

export interface FilterIssue {
  readonly path: keyof HistoryFilterInput
  readonly reason: string
}

/** The names of the filter's inputs, for shells that list them. */
export const FILTER_INPUTS: ReadonlyArray<keyof HistoryFilterInput> = ['document', 'person', 'type', 'from', 'to', 'effectiveFrom', 'effectiveTo']

/**
 * Reads the filter's text; every bad input named. Bare dates are days in `zone`: a recording-time
 * bound is the end of that day (from is exclusive, so from=03-03 starts at 4 March), a business
 * date is the date itself. `type` is a comma-separated list.
 */
export const parseHistoryFilter = (input: HistoryFilterInput, zone: string, now: Date, knownTypes?: ReadonlyArray<string>): E.Either<FilterIssue[], HistoryFilter> => {
  const issues: FilterIssue[] = []
  const out: { -readonly [K in keyof HistoryFilter]: HistoryFilter[K] } = {}
  const text = (path: 'document' | 'person') => {
    const v = input[path]?.trim()
    if (v === undefined) return
    if (v === '') issues.push({ path, reason: 'empty: give some text or leave it out' })
    else out[path] = v
  }
  text('document')
  text('person')
  if (input.type !== undefined) {
    const types = input.type.split(',').map((t) => t.trim()).filter((t) => t !== '')
    const unknown = knownTypes ? types.filter((t) => !knownTypes.includes(t)) : []
    if (types.length === 0) issues.push({ path: 'type', reason: 'empty: give one or more event types, comma-separated' })
    else if (unknown.length > 0) issues.push({ path: 'type', reason: `unknown event type ${unknown.join(', ')} (types: ${knownTypes!.join(', ')})` })
    else out.types = types
  }
  for (const path of ['from', 'to'] as const) {
    const v = input[path]
    if (v === undefined) continue
    const r = parseAsOf(v, zone, now)
    if (E.isLeft(r)) issues.push({ path, reason: r.left })
    else out[path] = r.right
  }
  for (const path of ['effectiveFrom', 'effectiveTo'] as const) {
    const v = input[path]
    if (v === undefined) continue
    const r = parseEffective(v, zone, now)
    if (E.isLeft(r)) issues.push({ path, reason: r.left })
    else out[path] = r.right
  }
  if (out.from && out.to && Date.parse(out.from) > Date.parse(out.to)) issues.push({ path: 'from', reason: `${out.from} is after to ${out.to}` })
  if (out.effectiveFrom && out.effectiveTo && out.effectiveFrom > out.effectiveTo)
    issues.push({ path: 'effectiveFrom', reason: `${out.effectiveFrom} is after effectiveTo ${out.effectiveTo}` })
  return issues.length > 0 ? E.left(issues) : E.right(out)
}

const contains = (haystack: string | null | undefined, needle: string): boolean =>
  haystack != null && haystack.toLowerCase().includes(needle.toLowerCase())

/** Does one entry pass the filter? */
export const passes = (f: HistoryFilter) => (e: HistoryEntry): boolean =>
  (f.document === undefined || contains(e.document, f.document)) &&
  (f.person === undefined || contains(e.actor, f.person) || contains(e.subject, f.person)) &&
  (f.types === undefined || f.types.includes(e.type)) &&
  (f.from === undefined || Date.parse(e.recordedAt) > Date.parse(f.from)) &&
  (f.to === undefined || Date.parse(e.recordedAt) <= Date.parse(f.to)) &&
  (f.effectiveFrom === undefined || e.effectiveDate >= f.effectiveFrom) &&
  (f.effectiveTo === undefined || e.effectiveDate <= f.effectiveTo)

export const filterHistory = (entries: ReadonlyArray<HistoryEntry>, f: HistoryFilter): HistoryEntry[] => entries.filter(passes(f))



