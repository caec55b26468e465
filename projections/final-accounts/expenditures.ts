import type Decimal from 'decimal.js'
import { type BudgetYearState, type Line, isReversed } from '../../src/domain/budget-year'
import type { ThreePublic } from '../../src/domain/classification'
import { ZERO } from '../../src/domain/money'

/** Spending of one line under one 部门 economic code (null: none) and 三公 category (null: none). */
export interface Expenditures {
  readonly line: Line
  readonly economicCode: string | null
  readonly threePublic: ThreePublic | null
  readonly amount: Decimal
}

/**
 * The year's spending by line, economic code and 三公 category. The fold keeps a line's spending as
 * one sum (and 三公 spending for the unit as a whole), so this reads the expenditures themselves: a
 * pure fold over the ExpenditureRecorded events the state's journal holds (those recorded at or
 * before its revision and not reversed at it). An expenditure without an economic code is booked
 * under its line's code, if the line has one.
 */
export const expendituresOf = (s: BudgetYearState): Expenditures[] => {
  const sums = new Map<string, Expenditures>()
  for (const entry of s.journal.values()) {
    if (entry.revision > s.revision || entry.event.type !== 'ExpenditureRecorded' || isReversed(s, entry)) continue
    const d = entry.event.data
    const line = s.lines.get(d.line)
    if (!line) continue
    const code = d.economicCode ?? line.economicCode
    const key = `${d.line}\u0000${code ?? ''}\u0000${d.threePublic ?? ''}`
    const acc = sums.get(key) ?? { line, economicCode: code, threePublic: d.threePublic, amount: ZERO }
    sums.set(key, { ...acc, amount: acc.amount.plus(d.amount) })
  }
  return [...sums.values()].filter((x) => !x.amount.isZero())
}
