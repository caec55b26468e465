import type Decimal from 'decimal.js'
import { yuan } from '../money'
import { LineTable } from './line-table'
import type { BudgetYearState, JournalEntry, Line, Split } from './state'

/**
 * A folded state as plain JSON for a persisted snapshot: money as decimal strings (never a JS
 * number), collections as arrays in their order. The journal is left out: what reversals need is
 * kept beside it (src/ledger/snapshot-record.ts) and the entries are looked up by id when needed.
 */
export interface EncodedState {
  readonly revision: number
  readonly identity: BudgetYearState['identity'] | null
  readonly lines: ReadonlyArray<EncodedLine>
  readonly earmarks: Readonly<Record<string, string>>
  readonly unitTargets: BudgetYearState['unitTargets'] | null
  readonly spentThreePublic: Readonly<Record<string, string>>
  readonly spentProcurement: Readonly<Record<string, string>>
  readonly closed: boolean
  readonly recommendations: ReadonlyArray<BudgetYearState['recommendations'] extends ReadonlyMap<string, infer R> ? R : never>
}

type EncodedSplit = { readonly ordinary: string; readonly exempt: string }
type Money<T> = { readonly [K in keyof T]: T[K] extends Decimal ? string : T[K] extends Split ? EncodedSplit : T[K] }
export type EncodedLine = Omit<Money<Line>, 'closing'> & {
  readonly closing: { readonly carryOver: string; readonly balance: string; readonly recovered: string } | null
}

/** Plain notation whatever the exponent: toString would write 1e-7 or 1e+21. */
const text = (d: Decimal): string => d.toFixed()
const split = (s: Split): EncodedSplit => ({ ordinary: text(s.ordinary), exempt: text(s.exempt) })
const unsplit = (s: EncodedSplit): Split => ({ ordinary: yuan(s.ordinary), exempt: yuan(s.exempt) })
const texts = (r: Readonly<Partial<Record<string, Decimal>>>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v === undefined ? [] : [[k, text(v)]])))
const amounts = <K extends string>(r: Readonly<Record<string, string>>): Record<K, Decimal> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, yuan(v)])) as Record<K, Decimal>

const encodeLine = (l: Line): EncodedLine => ({
  ...l,
  initial: text(l.initial),
  added: split(l.added),
  reduced: split(l.reduced),
  transferredIn: split(l.transferredIn),
  transferredOut: split(l.transferredOut),
  spent: text(l.spent),
  specialFunds: text(l.specialFunds),
  detailed: text(l.detailed),
  closing: l.closing && { carryOver: text(l.closing.carryOver), balance: text(l.closing.balance), recovered: text(l.closing.recovered) },
})

const decodeLine = (l: EncodedLine): Line => ({
  ...l,
  initial: yuan(l.initial),
  added: unsplit(l.added),
  reduced: unsplit(l.reduced),
  transferredIn: unsplit(l.transferredIn),
  transferredOut: unsplit(l.transferredOut),
  spent: yuan(l.spent),
  specialFunds: yuan(l.specialFunds),
  detailed: yuan(l.detailed),
  closing: l.closing && { carryOver: yuan(l.closing.carryOver), balance: yuan(l.closing.balance), recovered: yuan(l.closing.recovered) },
})

export const encodeState = (s: BudgetYearState): EncodedState => ({
  revision: s.revision,
  identity: s.identity ?? null,
  lines: [...s.lines.values()].map(encodeLine),
  earmarks: texts(s.earmarks),
  unitTargets: s.unitTargets ?? null,
  spentThreePublic: texts(s.spentThreePublic),
  spentProcurement: texts(s.spentProcurement),
  closed: s.closed,
  recommendations: [...s.recommendations.values()],
})

/** The state back, with the journal it is to share (entries are visible by revision, state.ts). */
export const decodeState = (e: EncodedState, journal: Map<string, JournalEntry>): BudgetYearState => ({
  revision: e.revision,
  identity: e.identity ?? undefined,
  lines: e.lines.reduce((t, l) => t.with(decodeLine(l)), LineTable.empty()),
  earmarks: amounts(e.earmarks),
  unitTargets: e.unitTargets ?? undefined,
  spentThreePublic: amounts(e.spentThreePublic),
  spentProcurement: amounts(e.spentProcurement),
  closed: e.closed,
  recommendations: new Map(e.recommendations.map((r) => [r.id, r])),
  journal,
})
