import { adjustedFen, adjustedOf } from '../src/domain/budget-year'
import type { BudgetYearState, Line } from '../src/domain/budget-year'
import { sum } from '../src/domain/money/money'

/**
 * Every table folds the same budget-year events with the domain's own `evolve`; one fold serves
 * deciding, live views, rebuilds and as-of queries. These are the readings tables share.
 */
export { evolve as fold, initialState } from '../src/domain/budget-year'

/** The amount a budget table shows for a line: its current budget (调整数; 年初预算 until adjusted). */
export const budgetOf = (l: Line) => adjustedOf(l)

/** budgetOf in 分, for sums over many lines (functionRows): converted to 元 once a cell, not once a line. */
export const budgetFenOf = (l: Line) => adjustedFen(l)

export const linesOf = (s: BudgetYearState): Line[] => [...s.lines.values()]

export const totalBudget = (lines: ReadonlyArray<Line>) => sum(lines.map(budgetOf))
