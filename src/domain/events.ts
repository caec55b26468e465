import * as t from 'io-ts'
import { EconomicCode, FundSource, FunctionCode, Procurement, ThreePublic, UnitType } from './classification'
import { MoneyString, PositiveMoney } from './money'
import { Bounded, LineId, NonEmpty, UnitCode, Year } from './primitives'
import { strict } from './strict'
import { ProjectTarget, UnitIndicator, UnitTask } from './targets'

/**
 * The event catalogue of one budget year of one unit (stream `budget-<unit>-<year>`).
 * Amounts are 元 as decimal strings. Who, when, why and on which document live in the envelope
 * metadata (src/store/envelope.ts), so every event carries them the same way.
 */

const Comparatives = strict({}, {
  /** 上年预算 收支总计 */
  total: MoneyString,
  /** 一般公共预算 收支预算 */
  generalBudget: MoneyString,
  governmentFund: MoneyString,
  stateCapital: MoneyString,
  threePublic: strict(
    {},
    { abroad: MoneyString, reception: MoneyString, vehicleOperation: MoneyString, vehiclePurchase: MoneyString },
    'threePublic',
  ),
  officeOperating: MoneyString,
}, 'Comparatives')
export type Comparatives = t.TypeOf<typeof Comparatives>
export { Comparatives }

export const BudgetYearOpened = strict({
  unit: strict({ code: UnitCode, name: NonEmpty }),
  year: Year,
  unitType: UnitType,
  /** What the previous year's published budget said, where known. Never derived, never guessed. */
  previousYear: Comparatives,
})

export const LineKind = t.keyof({ basic: null, project: null }, 'LineKind')
export type LineKind = t.TypeOf<typeof LineKind>
/** 基本支出 splits into 人员经费 and 公用经费; null when the source does not say which. */
export const BasicCategory = t.union([t.keyof({ personnel: null, operating: null }), t.null], 'BasicCategory')
export type BasicCategory = t.TypeOf<typeof BasicCategory>

export const LineAllocated = strict({
  line: LineId,
  kind: LineKind,
  basicCategory: BasicCategory,
  projectName: t.union([NonEmpty, t.null]),
  functionCode: FunctionCode,
  economicCode: t.union([EconomicCode, t.null]),
  fundSource: FundSource,
  /** 年初预算 of the line. */
  amount: MoneyString,
})

/** Adjustments caused by these are left out of 预算调整率 (DESIGN.md §4). */
export const AdjustmentCategory = t.keyof(
  { ordinary: null, nationalPolicy: null, forceMajeure: null, higherLevelAssignment: null },
  'AdjustmentCategory',
)
export type AdjustmentCategory = t.TypeOf<typeof AdjustmentCategory>
export const isExempt = (c: AdjustmentCategory): boolean => c !== 'ordinary'

export const BudgetAdded = strict({ line: LineId, amount: PositiveMoney, category: AdjustmentCategory })
export const BudgetReduced = strict({ line: LineId, amount: PositiveMoney, category: AdjustmentCategory })
export const BudgetTransferred = strict({
  from: LineId,
  to: LineId,
  amount: PositiveMoney,
  category: AdjustmentCategory,
})

export const ExpenditureRecorded = strict({
  line: LineId,
  amount: PositiveMoney,
  economicCode: t.union([EconomicCode, t.null]),
  voucher: Bounded(1, 200),
  threePublic: t.union([ThreePublic, t.null]),
  procurement: t.union([Procurement, t.null]),
})

/** Undoes an earlier adjustment or expenditure. The original stays in the log. */
export const EventReversed = strict({ event: NonEmpty })

/**
 * Amounts designated inside the lines rather than beside them: the “三公” budget, 机关运行经费,
 * and the government-procurement budget. The latest declaration of an earmark wins.
 */
export const Earmark = t.keyof(
  {
    'threePublic.abroad': null,
    'threePublic.reception': null,
    'threePublic.vehicleOperation': null,
    'threePublic.vehiclePurchase': null,
    officeOperating: null,
    'procurement.goods': null,
    'procurement.works': null,
    'procurement.services': null,
  },
  'Earmark',
)
export type Earmark = t.TypeOf<typeof Earmark>
export const EarmarkSet = strict({ earmark: Earmark, amount: MoneyString })

export const UnitTargetsSet = strict({
  /** 年度履职目标, one paragraph each. */
  annualGoals: t.array(NonEmpty),
  tasks: t.array(UnitTask),
  indicators: t.array(UnitIndicator),
})

export const ProjectTargetsSet = strict({ line: LineId, targets: t.array(ProjectTarget) })

const event = <T extends string, C extends t.Mixed>(type: T, data: C) =>
  t.type({ type: t.literal(type), data }, type)

export const DomainEvent = t.union([
  event('BudgetYearOpened', BudgetYearOpened),
  event('LineAllocated', LineAllocated),
  event('BudgetAdded', BudgetAdded),
  event('BudgetReduced', BudgetReduced),
  event('BudgetTransferred', BudgetTransferred),
  event('ExpenditureRecorded', ExpenditureRecorded),
  event('EventReversed', EventReversed),
  event('EarmarkSet', EarmarkSet),
  event('UnitTargetsSet', UnitTargetsSet),
  event('ProjectTargetsSet', ProjectTargetsSet),
])
export type DomainEvent = t.TypeOf<typeof DomainEvent>
export type EventType = DomainEvent['type']
export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>
