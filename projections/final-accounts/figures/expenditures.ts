import type Decimal from 'decimal.js'
import type { BudgetYearState, Line } from '../../../src/domain/budget-year'
import { spendingKindOf } from '../../../src/domain/budget-year/spending'
import type { ThreePublic } from '../../../src/domain/budget-file/classification'
import { isZeroFen, toYuan } from '../../../src/domain/money/fen'

/** Spending of one line under one 部门 economic code (null: none) and 三公 category (null: none). */
export interface Expenditures {
  readonly line: Line
  readonly economicCode: string | null
  readonly threePublic: ThreePublic | null
  readonly amount: Decimal
}

/**
 * The year's spending by line, economic code and 三公 category, as the fold keeps it (each line's
 * `spending`, in 分: an expenditure without an economic code is booked under its line's code, a
 * reversal takes its amount back). Sums that came back to zero are left out. Lines in allocation
 * order, each line's sums in the order they were first spent on; the tables sort or add them.
 */
export const expendituresOf = (s: BudgetYearState): Expenditures[] =>
  [...s.lines.values()].flatMap((line) =>
    Object.entries(line.spending).flatMap(([key, fen]) => (isZeroFen(fen) ? [] : [{ line, ...spendingKindOf(key), amount: toYuan(fen) }])),
  )
