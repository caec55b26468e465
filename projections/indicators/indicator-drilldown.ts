import type Decimal from 'decimal.js'
import { type BudgetYearState, evolve, initialState } from '../../src/domain/budget-year'
import { readStoredEvent } from '../../src/domain/stored-event'
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
}

export interface DrillSide {
  readonly label: string
  /** The side's value after all the events: the sum of the amounts listed. */
  readonly total: string
  readonly events: ReadonlyArray<DrillEvent>
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
  readonly variants: ReadonlyArray<VariantDrill>
}

const drillEvent = (e: RecordedEvent, amount: Decimal, q: Quantity): DrillEvent => ({
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
})

/** The events of one budget-year stream (in revision order) behind one indicator. */
export const drillDown = (events: ReadonlyArray<RecordedEvent>, def: IndicatorDef): IndicatorDrill => {
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
      if (!n.isZero()) numerators[i]!.push(drillEvent(e, n, def.quantity))
      if (!d.isZero()) denominators[i]!.push(drillEvent(e, d, def.quantity))
    })
    before = after
  }
  const id = state.identity
  return {
    id: def.id,
    name: def.name,
    formula: def.formula,
    quantity: def.quantity,
    unit: id?.unit.code ?? '',
    unitName: id?.unit.name ?? '',
    year: id?.year ?? 0,
    variants: def.variants.map((v, i) => ({
      id: v.id,
      label: v.label,
      headline: i === 0,
      numerator: { label: v.numeratorLabel, total: showQuantity(def.quantity, before[i]!.numerator), events: numerators[i]! },
      denominator: { label: v.denominatorLabel, total: showQuantity(def.quantity, before[i]!.denominator), events: denominators[i]! },
    })),
  }
}
