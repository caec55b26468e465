import Decimal from 'decimal.js'
import { cellAt, figure } from './final-accounts-cells'
import type { FinalAccounts, StatedRateOf, Table } from './final-accounts-fixture'

/** A percentage the document prints, against the one its own printed figures give at the same precision. */
export interface RateCheck {
  readonly kind: StatedRateOf['kind']
  readonly what: string
  readonly printed: string
  /** From the printed figures, rounded half-up to the printed number of decimals; "" where it cannot be computed. */
  readonly computed: string
  readonly agrees: boolean
}

const decimalsOf = (printed: string): number => printed.split('.')[1]?.length ?? 0

const column = (doc: FinalAccounts, r: StatedRateOf, columnName: string): { table: Table; index: number } | undefined => {
  const table = doc.tables.find((tb) => tb.title === r.table && tb.part === r.part && tb.columns.includes(columnName))
  return table ? { table, index: table.columns.indexOf(columnName) } : undefined
}

const valueIn = (at: { table: Table; index: number } | undefined, label: string): Decimal | undefined =>
  at ? cellAt(at.table, label, at.table.columns[at.index]!).value : undefined

const ratio = (doc: FinalAccounts, r: StatedRateOf): { what: string; value: Decimal | undefined } => {
  if (r.kind === 'completion') {
    const budgetColumn = r.budget ?? ['预算数', '全年预算', '年初预算'].find((c) => column(doc, r, c)) ?? '预算数'
    const b = valueIn(column(doc, r, budgetColumn), r.row)
    const a = valueIn(column(doc, r, '决算数'), r.row)
    return { what: `${r.row} 决算数 ÷ ${budgetColumn}`, value: a && b && !b.isZero() ? a.div(b) : undefined }
  }
  const at = column(doc, r, r.column)
  const value = valueIn(at, r.row)
  if (r.kind === 'share') {
    const whole = valueIn(at, r.of)
    return { what: `${r.row} ÷ ${r.of} (${r.column})`, value: value && whole && !whole.isZero() ? value.div(whole) : undefined }
  }
  // The base is this year's figure less the printed change: the previous figure is not printed.
  const change = figure(r.change)
  const base = value?.minus(change)
  return { what: `${r.row} ${r.column} against ${r.against} (change ${r.change})`, value: base && !base.isZero() ? change.div(base) : undefined }
}

/** Each rate the document states, recomputed from the figures it prints. */
export const rateChecks = (doc: FinalAccounts): RateCheck[] =>
  doc.statedRates.map((r) => {
    const { what, value } = ratio(doc, r)
    const computed = value ? value.times(100).toFixed(decimalsOf(r.printed), Decimal.ROUND_HALF_UP) : ''
    return { kind: r.kind, what, printed: r.printed, computed, agrees: computed !== '' && figure(computed).equals(figure(r.printed)) }
  })
