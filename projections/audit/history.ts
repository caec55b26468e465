import { type BudgetYearState, adjustedOf, evolve, initialState, spentOf } from '../../src/domain/budget-year'
import { readStoredEvent } from '../../src/domain/events/stored-event'
import { toMoneyString } from '../../src/domain/money/money'
import type { EventMetadata, RecordedEvent } from '../../src/store/envelope'
import { type Path, changedPaths, linesIn, overlaps, showPath } from './state-trace'

/**
 * The history of a unit-year for auditors: every event in order with who recorded it, when, on
 * which business date, why and on which approval document, what it changed, and the running
 * balance (budget and spent, 元) of each line it touched, right after it. A pure fold over the
 * events a query selected (src/ledger/fold/as-of/time-travel.ts), with the domain's own evolve.
 */
export interface LineBalance {
  readonly line: string
  /** 调整数 after the event (元). */
  readonly budget: string
  /** Spent after the event (元). */
  readonly spent: string
}

/** One event as the history shows it: the envelope's who, when and why, flattened beside the event's own fields. */
export interface HistoryEntry extends Pick<EventMetadata, 'recordedAt' | 'effectiveDate' | 'actor' | 'role' | 'subject' | 'reason' | 'document'> {
  readonly revision: number
  readonly position: number
  readonly id: string
  readonly type: string
  readonly data: unknown
  /** For a reversal: the id of the event it undoes. */
  readonly reverses?: string
  /** The figures of the state the event changed, e.g. "lines[p01].added.ordinary". */
  readonly changed: ReadonlyArray<string>
  /** The lines it touched, each with its balance right after it. */
  readonly balances: ReadonlyArray<LineBalance>
}

/** One fold step: the event, the state before and after, and the paths it wrote. */
export interface FoldStep {
  readonly event: RecordedEvent
  readonly before: BudgetYearState
  readonly after: BudgetYearState
  readonly paths: ReadonlyArray<Path>
}

/** Folds the events from an empty year (a private journal), yielding each step. */
export function* traceFold(events: ReadonlyArray<RecordedEvent>): Generator<FoldStep> {
  let state = initialState()
  for (const e of events) {
    const before = state
    state = evolve(before, readStoredEvent(e, e.metadata.schemaVersion))
    yield { event: e, before, after: state, paths: changedPaths(before, state) }
  }
}

export const balanceOf = (s: BudgetYearState, line: string): LineBalance | undefined => {
  const l = s.lines.get(line)
  return l && { line, budget: toMoneyString(adjustedOf(l)), spent: toMoneyString(spentOf(l)) }
}

export const entryOf = (step: FoldStep): HistoryEntry => {
  const { event: e, after, paths } = step
  const m = e.metadata
  const reverses = e.type === 'EventReversed' ? (e.data as { event?: unknown }).event : undefined
  return {
    revision: e.revision,
    position: e.position,
    id: e.id,
    type: e.type,
    recordedAt: m.recordedAt,
    effectiveDate: m.effectiveDate,
    actor: m.actor,
    role: m.role,
    ...(m.subject === undefined ? {} : { subject: m.subject }),
    reason: m.reason,
    document: m.document ?? null,
    data: e.data,
    ...(typeof reverses === 'string' ? { reverses } : {}),
    changed: paths.map(showPath),
    balances: linesIn(paths).flatMap((l) => balanceOf(after, l) ?? []),
  }
}

export interface HistoryOptions {
  /** Only the events that touched this line. */
  readonly line?: string
  /** Only the events that wrote one of these figures (cell-explain.ts). */
  readonly figures?: ReadonlyArray<Path>
  /** Only events with these revisions (e.g. those recorded in a window). */
  readonly revisions?: (revision: number) => boolean
}

/** The history of the events, in order, filtered as asked. */
export const historyOf = (events: ReadonlyArray<RecordedEvent>, options: HistoryOptions = {}): HistoryEntry[] => {
  const out: HistoryEntry[] = []
  for (const step of traceFold(events)) {
    if (options.revisions && !options.revisions(step.event.revision)) continue
    if (options.line !== undefined && !linesIn(step.paths).includes(options.line)) continue
    if (options.figures && !step.paths.some((p) => options.figures!.some((f) => overlaps(p, f)))) continue
    out.push(entryOf(step))
  }
  return out
}
