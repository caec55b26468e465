import type { BudgetYearState } from '../../domain/budget-year'
import type { RecordedEvent } from '../../store/envelope'

/** The wire forms of reads. Amounts are 元 as decimal strings with two decimals, never numbers. */

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
