import { BUDGET_FILE_FORMAT, type BudgetFile } from './budget-file'
import { type BudgetYearState, initialOf } from '../budget-year'
import type { Earmark } from '../events/events'
import type { MoneyString } from '../money/money'

/** What the state does not keep of the import that opened the year: its event metadata. */
export interface Opening {
  readonly approvedOn: string
  readonly document: string | null
  readonly source?: string
}

const money = (d: { toFixed(n: number): string }) => d.toFixed(2) as MoneyString

/**
 * The budget file that would open this year as it stands: every line with its 年初预算 (not the
 * adjustments or spending recorded since), the comparatives, earmarks and targets. Importing it
 * into an empty ledger gives the same eleven tables as the year's approved budget. A 上年结转 line
 * becomes an ordinary line: the file has no place for the closed year it came from.
 */
export const budgetFileOf = (state: BudgetYearState, opening: Opening): BudgetFile => {
  const id = state.identity
  if (!id) throw new Error('budgetFileOf: the year is not open')
  const lines = [...state.lines.values()].map((l) => ({
    id: l.id,
    kind: l.kind,
    ...(l.kind === 'basic' ? { basicCategory: l.basicCategory } : {}),
    ...(l.projectName !== null ? { projectName: l.projectName } : {}),
    functionCode: l.functionCode,
    economicCode: l.economicCode,
    fundSource: l.fundSource,
    amount: money(initialOf(l)),
    ...(l.carriedFundSource ? { carriedFundSource: l.carriedFundSource } : {}),
    ...(l.targets.length > 0 ? { targets: [...l.targets] } : {}),
  }))
  const earmarks = Object.fromEntries(
    (Object.entries(state.earmarks) as Array<[Earmark, { toFixed(n: number): string }]>).map(([k, v]) => [k, money(v)]),
  )
  return {
    format: BUDGET_FILE_FORMAT,
    unit: id.unit,
    unitType: id.unitType,
    year: id.year,
    approvedOn: opening.approvedOn,
    document: opening.document,
    ...(opening.source ? { source: opening.source } : {}),
    lines,
    previousYear: id.previousYear,
    ...(id.department ? { department: id.department } : {}),
    earmarks,
    ...(state.unitTargets ? { unitTargets: { annualGoals: [...state.unitTargets.annualGoals], tasks: [...state.unitTargets.tasks], indicators: [...state.unitTargets.indicators] } } : {}),
  } as BudgetFile
}
