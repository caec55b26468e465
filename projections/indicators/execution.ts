import type Decimal from 'decimal.js'
import { type BudgetYearState, adjustedOf, initialBudgetOf, spentOf } from '../../src/domain/budget-year'
import { type Catalogue, functionName } from '../../src/domain/budget-file/catalogue'
import { type Fen, ZERO_FEN, fenOf, minusFen, plusFen, toYuan } from '../../src/domain/money/fen'
import { ZERO, percent, sum, toWan, yuan } from '../../src/domain/money/money'
import type { RecordedEvent } from '../../src/store/envelope'
import { linesOf } from '../budget-year'
import { classOf } from '../fund-amounts'

/**
 * Budget execution for dashboards: per 支出功能分类 类, the initial and adjusted budget and the
 * money spent; per month, the money spent and its running total. Pure: a folded budget year and its
 * spending by month, from the events it was folded from (the same selection, for an as-of view).
 *
 * A month is the business (effective) date's month. A reversed expenditure counts where each was
 * booked: the expenditure in its month, the reversal (negative) in the reversal's month, as a
 * 红字冲销 is booked in the period it is made. So a past month never changes when a later
 * correction is recorded, and the months always add up to the spent total of the state.
 *
 * Every amount is 元 (exact, a decimal string with two decimals) with its 万元 display twin
 * (`…Wan`, half-up), as the tables round: sum first, round once.
 */
export interface ClassExecution {
  /** 类 code, e.g. "206". */
  readonly code: string
  readonly name: string
  readonly initial: string
  readonly adjusted: string
  readonly spent: string
  readonly initialWan: string
  readonly adjustedWan: string
  readonly spentWan: string
  /** spent / adjusted in percent (two decimals); null when nothing is budgeted. */
  readonly rate: string | null
}

export interface MonthExecution {
  /** YYYY-MM of the business date. */
  readonly month: string
  readonly spent: string
  readonly cumulative: string
  readonly spentWan: string
  readonly cumulativeWan: string
  /** cumulative / the year's adjusted budget in percent (two decimals); null when nothing is budgeted. */
  readonly cumulativeRate: string | null
}

export interface ExecutionView {
  readonly unit: string
  readonly unitName: string
  readonly year: number
  readonly revision: number
  readonly totals: Omit<ClassExecution, 'code' | 'name'>
  readonly byClass: ReadonlyArray<ClassExecution>
  /** January to December of the budget year, then any other month an expenditure is dated in. */
  readonly byMonth: ReadonlyArray<MonthExecution>
}

const amounts = (initial: Decimal, adjusted: Decimal, spent: Decimal) => ({
  initial: initial.toFixed(2),
  adjusted: adjusted.toFixed(2),
  spent: spent.toFixed(2),
  initialWan: toWan(initial),
  adjustedWan: toWan(adjusted),
  spentWan: toWan(spent),
  rate: percent(spent, adjusted) ?? null,
})

/** What one event does to the money spent in one business month. */
export interface SpendingMove {
  /** YYYY-MM of the event's business date. */
  readonly month: string
  /** In 分, as the fold sums (fen.ts): a rebuild moves a month per expenditure, and decimal.js was most of that cost. */
  readonly amount: Fen
}

/**
 * The one rule of the monthly figures: an expenditure adds its amount in the month of its business
 * date; a reversal of an expenditure takes that amount off in the reversal's own month. Every other
 * event moves nothing. `expenditureAmount` finds an earlier expenditure's amount by its event id
 * (undefined when the id is not an expenditure).
 */
export const spendingMove = (
  e: { readonly type: string; readonly data: unknown; readonly effectiveDate: string },
  expenditureAmount: (id: string) => string | undefined,
): SpendingMove | undefined => {
  if (e.type === 'ExpenditureRecorded') return { month: e.effectiveDate.slice(0, 7), amount: fenOf((e.data as { amount: string }).amount) }
  if (e.type !== 'EventReversed') return undefined
  const amount = expenditureAmount((e.data as { event: string }).event)
  return amount === undefined ? undefined : { month: e.effectiveDate.slice(0, 7), amount: minusFen(ZERO_FEN, fenOf(amount)) }
}

/** Running totals by month (分) with one more move; in place, for the one fold that owns them. */
export const addSpending = (months: Map<string, Fen>, move: SpendingMove | undefined): void => {
  if (move) months.set(move.month, plusFen(months.get(move.month) ?? ZERO_FEN, move.amount))
}

/** Totals by month in 分 as the views read them, in 元: a copy, so later moves do not reach it. */
export const monthsInYuan = (months: ReadonlyMap<string, Fen>): Map<string, Decimal> => new Map([...months].map(([m, f]) => [m, toYuan(f)]))

/** Money spent per business month, from a list of events (the whole stream, or an as-of selection). */
export const spentByMonth = (events: ReadonlyArray<Pick<RecordedEvent, 'id' | 'type' | 'data' | 'metadata'>>): Map<string, Decimal> => {
  const expenditures = new Map<string, string>()
  const months = new Map<string, Fen>()
  for (const e of events) {
    addSpending(months, spendingMove({ type: e.type, data: e.data, effectiveDate: e.metadata.effectiveDate }, (id) => expenditures.get(id)))
    if (e.type === 'ExpenditureRecorded') expenditures.set(e.id, (e.data as { amount: string }).amount)
  }
  return monthsInYuan(months)
}

/** The view of a folded budget year and its spending by month (spentByMonth, or the live fold in src/ledger/fold/snapshots/snapshots.ts). */
export const executionView = (s: BudgetYearState, spent: ReadonlyMap<string, Decimal>, catalogue: Catalogue): ExecutionView => {
  if (!s.identity) throw new Error('invariant: execution needs an opened budget year')
  const lines = linesOf(s)
  const codes = [...new Set(lines.map(classOf))].sort()
  const byClass = codes.map((code): ClassExecution => {
    const of = lines.filter((l) => classOf(l) === code)
    return {
      code,
      name: functionName(catalogue, code),
      ...amounts(sum(of.map(initialBudgetOf)), sum(of.map(adjustedOf)), sum(of.map(spentOf))),
    }
  })

  const total = amounts(sum(lines.map(initialBudgetOf)), sum(lines.map(adjustedOf)), sum(lines.map(spentOf)))
  const year = s.identity.year
  const yearMonths = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
  const months = [...yearMonths, ...[...spent.keys()].filter((m) => !yearMonths.includes(m)).sort()].sort()
  let running = ZERO
  const byMonth = months.map((month): MonthExecution => {
    const m = spent.get(month) ?? ZERO
    running = running.plus(m)
    return {
      month,
      spent: m.toFixed(2),
      cumulative: running.toFixed(2),
      spentWan: toWan(m),
      cumulativeWan: toWan(running),
      cumulativeRate: percent(running, yuan(total.adjusted)) ?? null,
    }
  })

  // The months must account for every yuan the lines say was spent.
  if (!running.eq(yuan(total.spent))) throw new Error(`invariant: monthly spending ${running.toFixed(2)} ≠ spent ${total.spent}`)
  return { unit: s.identity.unit.code, unitName: s.identity.unit.name, year, revision: s.revision, totals: total, byClass, byMonth }
}
