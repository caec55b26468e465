import { type BudgetYearState, adjustedOf, initialOf, spentOf } from '../src/domain/budget-year'
import { sum, toMoneyString } from '../src/domain/money/money'
import { lineAmounts, mapAmounts } from './audit/line-view'

/**
 * A budget year at a glance: who it is, its totals (年初预算, 调整后, 已支出) and every line with its
 * amounts, as 元 strings of two decimals. Forms and the dry run read it, so that no page sums.
 */
export const yearSummary = (s: BudgetYearState) => {
  const id = s.identity
  if (!id) throw new Error('invariant: a summary needs an opened budget year')
  const lines = [...s.lines.values()]
  return {
    unit: id.unit.code,
    name: id.unit.name,
    year: id.year,
    unitType: id.unitType,
    revision: s.revision,
    closed: s.closed,
    totals: {
      initial: toMoneyString(sum(lines.map(initialOf))),
      adjusted: toMoneyString(sum(lines.map(adjustedOf))),
      spent: toMoneyString(sum(lines.map(spentOf))),
    },
    lines: lines.map((l) => ({
      line: l.id,
      kind: l.kind,
      basicCategory: l.basicCategory,
      projectName: l.projectName,
      functionCode: l.functionCode,
      economicCode: l.economicCode,
      fundSource: l.fundSource,
      ...mapAmounts(lineAmounts(l), toMoneyString),
    })),
    earmarks: Object.fromEntries(Object.entries(s.earmarks).map(([k, v]) => [k, v ? toMoneyString(v) : null])),
  }
}
export type YearSummary = ReturnType<typeof yearSummary>
