import type { BudgetYearState } from '../../src/domain/budget-year'
import { grid, groupDigits } from '../indicators/indicators-render'
import { lineTitle } from '../line-title'

/** One line's parts of a close, as the CloseYear command states them (元). */
export interface ClosePart {
  readonly line: string
  readonly carryOver: string
  readonly balance: string
  readonly recovered?: string
}

/**
 * The lines of a close for a person to read before confirming: each line named as the tables name it,
 * its 结转, 结余 and (when anything is taken back) 收回 in right-aligned columns. Pure.
 */
export const closePreviewText = (s: BudgetYearState, parts: ReadonlyArray<ClosePart>): string => {
  const recovers = parts.some((p) => p.recovered !== undefined)
  const header = ['预算行', '结转（元）', '结余（元）', ...(recovers ? ['收回（元）'] : [])]
  const rows = parts.map((p) => {
    const l = s.lines.get(p.line)
    return [l ? lineTitle(l) : p.line, groupDigits(p.carryOver), groupDigits(p.balance), ...(recovers ? [groupDigits(p.recovered ?? '0.00')] : [])]
  })
  return `${grid([header, ...rows], [1, 2, 3]).join('\n')}\n`
}
