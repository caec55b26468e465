import type { BudgetYearState } from '../domain/budget-year'
import { lineAmounts, mapAmounts } from '../../projections/audit/line-view'
import { adjustedOf, initialOf, spentOf } from '../domain/budget-year'
import { sum, toMoneyString } from '../domain/money'
import type { RecordedEvent } from '../store/envelope'

/** The wire forms of reads. Amounts are 元 as decimal strings with two decimals, never numbers. */

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

/** One event of the history, as stored: auditors see the envelope whole, hash chain included. */
export const eventView = (e: RecordedEvent) => ({
  id: e.id,
  revision: e.revision,
  position: e.position,
  type: e.type,
  data: e.data,
  metadata: e.metadata,
})

/** The performance targets a year holds: the unit's (null until set) and each project line's. */
export const targetsView = (s: BudgetYearState) => ({
  revision: s.revision,
  unitTargets: s.unitTargets ?? null,
  projects: [...s.lines.values()]
    .filter((l) => l.kind === 'project')
    .map((l) => ({ line: l.id, projectName: l.projectName, functionCode: l.functionCode, targets: l.targets })),
})
