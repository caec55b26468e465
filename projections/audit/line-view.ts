import type Decimal from 'decimal.js'
import { LineTable } from '../../src/domain/budget-year/line-table'
import { type BudgetYearState, type Line, adjustedOf, availableOf, initialOf, spentOf, splitTotal } from '../../src/domain/budget-year'
import { toWan } from '../../src/domain/money/money'
import type { RecordedEvent } from '../../src/store/envelope'
import { type HistoryEntry, historyOf } from './history'
import { INDICATORS, evaluateIndicator } from '../indicators/indicators'

/**
 * One budget line followed through the year: its figures (元 and 万元, as the other reads carry
 * them), its execution rate as the 预算执行率 indicator computes it, and every event that touched
 * it. Pure: the state and events a query selected in, the view out.
 */
export interface Figure {
  /** 元, two decimals. */
  readonly yuan: string
  /** 万元, two decimals, half-up (as the tables round). */
  readonly wan: string
}

export interface LineView {
  readonly unit: string
  readonly year: number
  readonly revision: number
  readonly line: {
    readonly id: string
    readonly kind: Line['kind']
    readonly name: string
    readonly functionCode: string
    readonly economicCode: string | null
    readonly fundSource: string
  }
  readonly figures: {
    /** 年初预算 */
    readonly initial: Figure
    readonly added: Figure
    readonly reduced: Figure
    readonly transferredIn: Figure
    readonly transferredOut: Figure
    /** 调整后预算 */
    readonly adjusted: Figure
    readonly spent: Figure
    /** adjusted − spent */
    readonly available: Figure
  }
  /** 预算执行率 of this line alone, per variant of the indicator (headline first); null when nothing is budgeted. */
  readonly executionRate: ReadonlyArray<{ readonly id: string; readonly label: string; readonly value: string | null }>
  readonly events: ReadonlyArray<HistoryEntry>
}

/** A line's amounts, 元: what the year summary and the line view both show. */
export const lineAmounts = (l: Line) => ({
  initial: initialOf(l),
  added: splitTotal(l.added),
  reduced: splitTotal(l.reduced),
  transferredIn: splitTotal(l.transferredIn),
  transferredOut: splitTotal(l.transferredOut),
  adjusted: adjustedOf(l),
  spent: spentOf(l),
  available: availableOf(l),
})

export const mapAmounts = <A, B>(o: Record<keyof ReturnType<typeof lineAmounts>, A>, f: (a: A) => B): Record<keyof ReturnType<typeof lineAmounts>, B> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as A)])) as Record<keyof ReturnType<typeof lineAmounts>, B>

const figure = (d: Decimal): Figure => ({ yuan: d.toFixed(2), wan: toWan(d) })

const EXECUTION = INDICATORS.find((d) => d.id === 'budget-execution')!

/** The year as if it held this one line: the indicators' own measures then give the line's rates. */
const onlyLine = (s: BudgetYearState, l: Line): BudgetYearState => ({ ...s, lines: LineTable.empty().with(l) })

/** The view of a line the state holds; undefined when it holds no such line. */
export const lineView = (s: BudgetYearState, events: ReadonlyArray<RecordedEvent>, id: string): LineView | undefined => {
  const l = s.lines.get(id)
  if (!l || !s.identity) return undefined
  return {
    unit: s.identity.unit.code,
    year: s.identity.year,
    revision: s.revision,
    line: {
      id: l.id,
      kind: l.kind,
      name: l.projectName ?? '基本支出',
      functionCode: l.functionCode,
      economicCode: l.economicCode,
      fundSource: l.fundSource,
    },
    figures: mapAmounts(lineAmounts(l), figure),
    executionRate: evaluateIndicator(onlyLine(s, l), EXECUTION).variants.map((v) => ({ id: v.id, label: v.label, value: v.value })),
    events: historyOf(events, { line: id }),
  }
}
