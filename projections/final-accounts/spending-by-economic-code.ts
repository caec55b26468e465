import type Decimal from 'decimal.js'
import { type BudgetYearState, type Line, isReversed } from '../../src/domain/budget-year'
import { ZERO } from '../../src/domain/money'

/** Spending of one line under one 部门 economic code (null: recorded without one). */
export interface CodedSpending {
  readonly line: Line
  readonly economicCode: string | null
  readonly amount: Decimal
}

/**
 * The year's spending by line and economic code. The fold keeps a line's spending as one sum, so
 * this reads the expenditures themselves: a pure fold over the ExpenditureRecorded events the
 * state's journal holds (those recorded at or before its revision and not reversed at it). An
 * expenditure without an economic code is booked under its line's code, if the line has one.
 */
export const spendingByEconomicCode = (s: BudgetYearState): CodedSpending[] => {
  const sums = new Map<string, { line: Line; economicCode: string | null; amount: Decimal }>()
  for (const entry of s.journal.values()) {
    if (entry.revision > s.revision || entry.event.type !== 'ExpenditureRecorded' || isReversed(s, entry)) continue
    const d = entry.event.data
    const line = s.lines.get(d.line)
    if (!line) continue
    const code = d.economicCode ?? line.economicCode
    const key = `${d.line}\u0000${code ?? ''}`
    const acc = sums.get(key) ?? { line, economicCode: code, amount: ZERO }
    sums.set(key, { ...acc, amount: acc.amount.plus(d.amount) })
  }
  return [...sums.values()].filter((x) => !x.amount.isZero())
}
