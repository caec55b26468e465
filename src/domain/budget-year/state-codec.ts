import type Decimal from 'decimal.js'
import { type Fen, fenOf, fenText } from '../money/fen'
import { yuan } from '../money/money'
import { LineTable } from './line-table'
import type { BudgetYearState, JournalEntry, Line, Split } from './state'

/**
 * A folded state as plain JSON for a persisted snapshot: money as decimal strings in 元 (never a JS
 * number, whatever the fold keeps it in), collections as arrays in their order. The journal is left out: what reversals need is
 * kept beside it (src/ledger/fold/snapshots/snapshot-record.ts) and the entries are looked up by id when needed.
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
type Money<T> = { readonly [K in keyof T]: T[K] extends Fen ? string : T[K] extends Split ? EncodedSplit : T[K] }
export type EncodedLine = Omit<Money<Line>, 'closing' | 'spending'> & {
  readonly spending: Readonly<Record<string, string>>
  readonly closing: { readonly carryOver: string; readonly balance: string; readonly recovered: string } | null
}

/** Plain notation whatever the exponent: toString would write 1e-7 or 1e+21. */
const text = (d: Decimal): string => d.toFixed()
const split = (s: Split): EncodedSplit => ({ ordinary: fenText(s.ordinary), exempt: fenText(s.exempt) })
const unsplit = (s: EncodedSplit): Split => ({ ordinary: fenOf(s.ordinary), exempt: fenOf(s.exempt) })
const texts = <V>(r: Readonly<Partial<Record<string, V>>>, f: (v: V) => string): Record<string, string> =>
  Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v === undefined ? [] : [[k, f(v as V)]])))
const amounts = <K extends string, V>(r: Readonly<Record<string, string>>, f: (text: string) => V): Record<K, V> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)])) as Record<K, V>

const encodeLine = (l: Line): EncodedLine => ({
  ...l,
  initial: fenText(l.initial),
  added: split(l.added),
  reduced: split(l.reduced),
  transferredIn: split(l.transferredIn),
  transferredOut: split(l.transferredOut),
  spent: fenText(l.spent),
  spending: texts(l.spending, fenText),
  specialFunds: fenText(l.specialFunds),
  detailed: fenText(l.detailed),
  closing: l.closing && { carryOver: fenText(l.closing.carryOver), balance: fenText(l.closing.balance), recovered: fenText(l.closing.recovered) },
})

const decodeLine = (l: EncodedLine): Line => ({
  ...l,
  initial: fenOf(l.initial),
  added: unsplit(l.added),
  reduced: unsplit(l.reduced),
  transferredIn: unsplit(l.transferredIn),
  transferredOut: unsplit(l.transferredOut),
  spent: fenOf(l.spent),
  spending: amounts(l.spending, fenOf),
  specialFunds: fenOf(l.specialFunds),
  detailed: fenOf(l.detailed),
  closing: l.closing && { carryOver: fenOf(l.closing.carryOver), balance: fenOf(l.closing.balance), recovered: fenOf(l.closing.recovered) },
})

export const encodeState = (s: BudgetYearState): EncodedState => ({
  revision: s.revision,
  identity: s.identity ?? null,
  lines: [...s.lines.values()].map(encodeLine),
  earmarks: texts(s.earmarks, text),
  unitTargets: s.unitTargets ?? null,
  spentThreePublic: texts(s.spentThreePublic, fenText),
  spentProcurement: texts(s.spentProcurement, fenText),
  closed: s.closed,
  recommendations: [...s.recommendations.values()],
})

/** The state back, with the journal it is to share (entries are visible by revision, state.ts). */
export const decodeState = (e: EncodedState, journal: Map<string, JournalEntry>): BudgetYearState => ({
  revision: e.revision,
  identity: e.identity ?? undefined,
  lines: e.lines.reduce((t, l) => t.with(decodeLine(l)), LineTable.empty()),
  earmarks: amounts(e.earmarks, yuan),
  unitTargets: e.unitTargets ?? undefined,
  spentThreePublic: amounts(e.spentThreePublic, fenOf),
  spentProcurement: amounts(e.spentProcurement, fenOf),
  closed: e.closed,
  recommendations: new Map(e.recommendations.map((r) => [r.id, r])),
  journal,
})
