import * as E from 'fp-ts/Either'
import { type IndicatorDrill, drillDown, drillDownMerged } from '../../../projections/indicators/indicator-drilldown'
import { INDICATORS, type IndicatorReport, findIndicator, indicatorReport } from '../../../projections/indicators/indicators'
import { indicatorChanges } from '../../../projections/indicators/indicators-render'
import type { BudgetYearState } from '../../domain/budget-year'
import type { Command, CommandContext } from '../../domain/events/commands'
import type { Actor, LedgerDeps } from '../deps'
import { loadBudgetYear } from '../fold/load'
import { type RecordError, type RecordOptions, type Recorded, recordCommands } from '../recording/record'
import { budgetYearAt } from '../fold/snapshots/snapshots'
import { YearNotOpen } from './tables'
import { departmentYearAt } from './department'
import type { ReadScope } from './read-scope'
import type { EventStore } from '../../store/port'
import type { TimePoint } from '../../domain/time/as-of'

/** The application side of the indicators: read a unit-year, evaluate, explain, preview. */

export class UnknownIndicator extends Error {
  constructor(readonly requested: string) {
    super(`no indicator "${requested}": use one of ${INDICATORS.map((d) => `${d.name} (${d.id})`).join(', ')}`)
  }
}

export const loadIndicators = async (store: EventStore, target: { unit: string; year: number }, at?: TimePoint): Promise<IndicatorReport> => {
  const { state } = await budgetYearAt(store, target.unit, target.year, at)
  if (!state.identity) throw new YearNotOpen(target.unit, target.year)
  return indicatorReport(state)
}

/**
 * The events behind one indicator, by id or name (e.g. "预算调整率"): a unit-year's from its stream,
 * a department's (合并) from each member's stream as read at the same point.
 */
export const explainIndicator = async (store: EventStore, scope: ReadScope, nameOrId: string, at?: TimePoint): Promise<IndicatorDrill> => {
  const def = findIndicator(nameOrId)
  if (!def) throw new UnknownIndicator(nameOrId)
  if ('department' in scope) {
    const { state, members } = await departmentYearAt(store, scope.department, scope.year, at)
    if (!state.identity) throw new YearNotOpen(scope.department, scope.year, 'department')
    const streams = await Promise.all(
      members.map(async (m) => ({ unit: m.identity!.unit.code, events: (await loadBudgetYear(store, m.identity!.unit.code, scope.year, at)).events })),
    )
    return drillDownMerged(streams, def, { code: scope.department, name: state.identity.unit.name, year: scope.year })
  }
  const { state, events } = await loadBudgetYear(store, scope.unit, scope.year, at)
  if (!state.identity) throw new YearNotOpen(scope.unit, scope.year)
  return drillDown(events, def)
}

export interface WhatIf {
  /** The dry run: the events the commands would record, and the state after them. Nothing was written. */
  readonly recorded: Recorded
  /** The indicators now; undefined when the year is not open yet. */
  readonly before: IndicatorReport | undefined
  /** The indicators if the commands were recorded. */
  readonly after: IndicatorReport | undefined
  /** One line per indicator whose headline value or status would change. */
  readonly changes: ReadonlyArray<string>
}

const MAX_ATTEMPTS = 5

/**
 * A dry run of any commands with the indicators before and after: "this brings the adjustment rate
 * to 32.40% (目标 ≤30%) 未达标", before anything is committed. The dry run is pinned to the
 * revision "before" was read at, so both sides describe the same ledger; writes nothing.
 */
export const whatIf = async (
  deps: LedgerDeps,
  target: { unit: string; year: number },
  commands: ReadonlyArray<Command>,
  ctx: CommandContext,
  actor: Actor,
  options: Pick<RecordOptions, 'metadata'> = {},
): Promise<E.Either<RecordError, WhatIf>> => {
  for (let attempt = 1; ; attempt++) {
    const now = await budgetYearAt(deps.store, target.unit, target.year)
    const r = await recordCommands(deps, target, commands, ctx, actor, { ...options, dryRun: true, expectedRevision: now.state.revision })
    if (E.isLeft(r) && r.left.kind === 'stale' && attempt < MAX_ATTEMPTS) continue
    return E.map((recorded: Recorded) => {
      const before = now.state.identity ? indicatorReport(now.state) : undefined
      const after = recorded.state.identity ? indicatorReport(recorded.state) : undefined
      return { recorded, before, after, changes: after ? indicatorChanges(before, after) : [] }
    })(r)
  }
}

/**
 * For a dry run already made (CLI --dry-run, HTTP ?dryRun=true): the indicators after it, and one
 * line per indicator whose headline would change against the ledger as it stands now.
 */
export const indicatorPreview = async (
  store: EventStore,
  target: { unit: string; year: number },
  after: BudgetYearState,
): Promise<{ after: IndicatorReport | undefined; changes: string[] }> => {
  if (!after.identity) return { after: undefined, changes: [] }
  const now = await budgetYearAt(store, target.unit, target.year)
  const report = indicatorReport(after)
  return { after: report, changes: indicatorChanges(now.state.identity ? indicatorReport(now.state) : undefined, report) }
}
