import type Decimal from 'decimal.js'
import { type BudgetYearState, evolve, initialState } from '../../src/domain/budget-year'
import { sum } from '../../src/domain/money/money'
import { readStoredEvent } from '../../src/domain/events/stored-event'
import type { RecordedEvent } from '../../src/store/envelope'
import { type IndicatorDef, type Quantity, type Ratio, showQuantity } from './indicators'

/**
 * The events behind an indicator: for each variant, the events that make its numerator and its
 * denominator, with the amount each contributes (id, type, amount, business date, actor, reason).
 *
 * There is no second list of rules here. The events are folded one by one with the domain's
 * evolve, and each variant's own `measure` (projections/indicators/indicators.ts) is read before and after
 * every event: an event feeds the numerator (or the denominator) exactly when it changes it, by
 * the amount it changes it. A reversal therefore shows as a negative amount, a later earmark
 * declaration as the difference to the earlier one, and the amounts listed always add up to the
 * figure the indicator shows. Pure; O(events × lines).
 *
 * A department's indicator (合并) is computed from its units' amounts added up, so its explanation is
 * each unit's stream drilled the same way: each side's total is the sum of the units' totals (its
 * parts), and each event names its unit.
 */

export interface DrillEvent {
  readonly id: string
  readonly revision: number
  readonly type: string
  /** What this event adds to the side (negative when it takes away): 元 or a count. */
  readonly amount: string
  readonly effectiveDate: string
  readonly recordedAt: string
  readonly actor: string
  readonly role: string
  readonly reason: string
  readonly document: string | null
  readonly synthetic?: boolean
  /** A department's drill: the unit whose stream the event is in. */
  readonly unit?: string
}

export interface DrillSide {
  readonly label: string
  /** The side's value after all the events: the sum of the amounts listed. */
  readonly total: string
  readonly events: ReadonlyArray<DrillEvent>
  /** A department's drill: each unit's part of the total, 本级 first. */
  readonly parts?: ReadonlyArray<{ readonly unit: string; readonly total: string }>
}

export interface VariantDrill {
  readonly id: string
  readonly label: string
  readonly headline: boolean
  readonly numerator: DrillSide
  readonly denominator: DrillSide
}

export interface IndicatorDrill {
  readonly id: string
  readonly name: string
  readonly formula: string
  readonly quantity: Quantity
  readonly unit: string
  readonly unitName: string
  readonly year: number
  /** A department's (合并): unit and unitName are the department's code and name. */
  readonly consolidated?: true
  readonly variants: ReadonlyArray<VariantDrill>
}

const drillEvent = (e: RecordedEvent, amount: Decimal, q: Quantity, unit: string | undefined): DrillEvent => ({
  id: e.id,
  revision: e.revision,
  type: e.type,
  amount: showQuantity(q, amount),
  effectiveDate: e.metadata.effectiveDate,
  recordedAt: e.metadata.recordedAt,
  actor: e.metadata.actor,
  role: e.metadata.role,
  reason: e.metadata.reason,
  document: e.metadata.document,
  ...(e.metadata.synthetic === true ? { synthetic: true } : {}),
  ...(unit === undefined ? {} : { unit }),
})

/** One stream folded: per variant, the events that feed each side, and the sides at the end. */
interface StreamDrill {
  readonly state: BudgetYearState
  readonly final: ReadonlyArray<Ratio>
  readonly numerators: ReadonlyArray<ReadonlyArray<DrillEvent>>
  readonly denominators: ReadonlyArray<ReadonlyArray<DrillEvent>>
}

const drillStream = (events: ReadonlyArray<RecordedEvent>, def: IndicatorDef, unit?: string): StreamDrill => {
  const numerators = def.variants.map((): DrillEvent[] => [])
  const denominators = def.variants.map((): DrillEvent[] => [])
  let state: BudgetYearState = initialState()
  let before: Ratio[] = def.variants.map((v) => v.measure(state))
  for (const e of events) {
    state = evolve(state, readStoredEvent(e, e.metadata.schemaVersion))
    const after = def.variants.map((v) => v.measure(state))
    after.forEach((a, i) => {
      const n = a.numerator.minus(before[i]!.numerator)
      const d = a.denominator.minus(before[i]!.denominator)
      if (!n.isZero()) numerators[i]!.push(drillEvent(e, n, def.quantity, unit))
      if (!d.isZero()) denominators[i]!.push(drillEvent(e, d, def.quantity, unit))
    })
    before = after
  }
  return { state, final: before, numerators, denominators }
}

const drillOf = (
  def: IndicatorDef,
  whose: { unit: string; unitName: string; year: number; consolidated?: true },
  side: (variant: number, which: 'numerator' | 'denominator') => Omit<DrillSide, 'label'>,
): IndicatorDrill => ({
  id: def.id,
  name: def.name,
  formula: def.formula,
  quantity: def.quantity,
  ...whose,
  variants: def.variants.map((v, i) => ({
    id: v.id,
    label: v.label,
    headline: i === 0,
    numerator: { label: v.numeratorLabel, ...side(i, 'numerator') },
    denominator: { label: v.denominatorLabel, ...side(i, 'denominator') },
  })),
})

/** The events of one budget-year stream (in revision order) behind one indicator. */
export const drillDown = (events: ReadonlyArray<RecordedEvent>, def: IndicatorDef): IndicatorDrill => {
  const d = drillStream(events, def)
  const id = d.state.identity
  return drillOf(def, { unit: id?.unit.code ?? '', unitName: id?.unit.name ?? '', year: id?.year ?? 0 }, (i, which) => ({
    total: showQuantity(def.quantity, d.final[i]![which]),
    events: (which === 'numerator' ? d.numerators : d.denominators)[i]!,
  }))
}

/**
 * A department's indicator (合并) explained from its units' streams (本级 first, each in revision
 * order): each side the sum of the units' sides, with each unit's part.
 */
export const drillDownMerged = (
  members: ReadonlyArray<{ readonly unit: string; readonly events: ReadonlyArray<RecordedEvent> }>,
  def: IndicatorDef,
  department: { readonly code: string; readonly name: string; readonly year: number },
): IndicatorDrill => {
  const drills = members.map((m) => ({ unit: m.unit, drill: drillStream(m.events, def, m.unit) }))
  return drillOf(def, { unit: department.code, unitName: department.name, year: department.year, consolidated: true }, (i, which) => ({
    total: showQuantity(def.quantity, sum(drills.map((d) => d.drill.final[i]![which]))),
    events: drills.flatMap((d) => (which === 'numerator' ? d.drill.numerators : d.drill.denominators)[i]!),
    parts: drills.map((d) => ({ unit: d.unit, total: showQuantity(def.quantity, d.drill.final[i]![which]) })),
  }))
}
