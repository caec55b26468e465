import * as t from 'io-ts'
import { EconomicCode, FundSource, FunctionCode, Procurement, ThreePublic, UnitType } from '../budget-file/classification'
import { MoneyString, NonNegativeMoney, PositiveMoney } from '../money/money'
import { Bounded, LineId, NonEmpty, UnitCode, Year } from '../codecs/primitives'
import { strict } from '../codecs/strict'
import { ProjectTarget, UnitIndicator, UnitTask } from '../budget-file/targets'

/**
 * The event catalogue of one budget year of one unit (stream `budget-<unit>-<year>`).
 * Amounts are 元 as decimal strings. Who, when, why and on which document live in the envelope
 * metadata (src/store/envelope.ts), so every event carries them the same way.
 */

const ThreePublicComparatives = strict(
  {},
  { abroad: MoneyString, reception: MoneyString, vehicleOperation: MoneyString, vehiclePurchase: MoneyString },
  'threePublic',
)

/**
 * The previous year's published 决算 (final accounts), for the 决算 情况说明's "与上年度相比" where
 * that year is not in the ledger. Each field as the previous year's document printed it, or as this
 * year's document states it (this year's figure less the printed change); never estimated.
 */
const FinalComparatives = strict({}, {
  /** 收入支出决算总表: 收入总计 (= 支出总计) */
  total: MoneyString,
  /** 本年收入合计 */
  yearIncome: MoneyString,
  /** 本年支出合计, and its 基本支出 / 项目支出 */
  yearExpenditure: MoneyString,
  basic: MoneyString,
  project: MoneyString,
  /** 财政拨款收入支出决算总表: 收入总计 */
  fiscalTotal: MoneyString,
  /** 一般公共预算财政拨款支出 合计 */
  generalBudget: MoneyString,
  /** 一般公共预算财政拨款基本支出: 公用经费合计 (the documents' 机关运行经费) */
  officeOperating: MoneyString,
  /** 财政拨款“三公”经费 决算数 by category */
  threePublic: ThreePublicComparatives,
  /** 财政拨款“三公”经费 决算数 合计, where the document states the total only (else the sum of the four categories) */
  threePublicTotal: MoneyString,
}, 'finalAccounts')
export type FinalComparatives = t.TypeOf<typeof FinalComparatives>

const Comparatives = strict({}, {
  /** 上年预算 收支总计 */
  total: MoneyString,
  /** 一般公共预算 收支预算 */
  generalBudget: MoneyString,
  governmentFund: MoneyString,
  stateCapital: MoneyString,
  threePublic: ThreePublicComparatives,
  officeOperating: MoneyString,
  /** 上年决算: strict optional, so years opened before it decode as they were. */
  finalAccounts: FinalComparatives,
}, 'Comparatives')
export type Comparatives = t.TypeOf<typeof Comparatives>
export { Comparatives }

/**
 * A unit as documents name it. A unit without a published 预算单位编码 (many 所属单位 and small
 * units have none) gets a code assigned locally, marked localCode so it is never shown as official.
 */
export const UnitIdentity = strict({ code: UnitCode, name: NonEmpty }, { localCode: t.literal(true) }, 'unit')
export type UnitIdentity = t.TypeOf<typeof UnitIdentity>

/** A unit's place in its department: 本级 (`own`, the department's own office) or 所属单位 (`subordinate`). */
export const DepartmentRole = t.keyof({ own: null, subordinate: null }, 'DepartmentRole')
export type DepartmentRole = t.TypeOf<typeof DepartmentRole>

/**
 * The department (部门) a unit-year belongs to, whose 合并 (consolidated) tables add its units up.
 * A unit "预算不单列，并入本级" has no unit-year of its own: its money is recorded in 本级's.
 */
export const DepartmentMembership = strict({ code: UnitCode, name: NonEmpty, role: DepartmentRole }, {}, 'department')
export type DepartmentMembership = t.TypeOf<typeof DepartmentMembership>

export const BudgetYearOpened = strict(
  {
    unit: UnitIdentity,
    year: Year,
    unitType: UnitType,
    /** What the previous year's published budget said, where known. Never derived, never guessed. */
    previousYear: Comparatives,
  },
  {
    /** Absent for a unit that is a department of its own (and on every opening recorded before it existed). */
    department: DepartmentMembership,
  },
)

export const LineKind = t.keyof({ basic: null, project: null }, 'LineKind')
export type LineKind = t.TypeOf<typeof LineKind>
/** 基本支出 splits into 人员经费 and 公用经费; null when the source does not say which. */
export const BasicCategory = t.union([t.keyof({ personnel: null, operating: null }), t.null], 'BasicCategory')
export type BasicCategory = t.TypeOf<typeof BasicCategory>

/** Where a carried-forward line comes from: the line of an earlier, closed year whose 结转 it is. */
export const CarriedFrom = strict({ year: Year, line: LineId }, {}, 'CarriedFrom')
export type CarriedFrom = t.TypeOf<typeof CarriedFrom>

export const LineAllocated = strict(
  {
    line: LineId,
    kind: LineKind,
    basicCategory: BasicCategory,
    projectName: t.union([NonEmpty, t.null]),
    functionCode: FunctionCode,
    economicCode: t.union([EconomicCode, t.null]),
    fundSource: FundSource,
    /** 年初预算 of the line. */
    amount: MoneyString,
  },
  {
    /** Only on 上年结转 lines (fundSource carriedForward) opened from a closed year: the source line. */
    carriedFrom: CarriedFrom,
    /**
     * Only on 上年结转 lines: the fund source the money had when it was budgeted (财政拨款, 事业收入,
     * …), which the 决算 tables split 年初结转和结余 by. Absent on lines recorded before it existed.
     */
    carriedFundSource: FundSource,
  },
  'LineAllocated',
)

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

/**
 * 专项资金: the part of a project line's budget the department distributes to others (部门参与分配
 * 资金, the denominator of 专项资金细化率). The latest declaration for a line wins.
 */
export const SpecialFundsDeclared = strict({ line: LineId, amount: NonNegativeMoney })

/**
 * Part of a line's special funds assigned to a named recipient (a county or city, an implementing
 * unit): 已细化 funds, the numerator of 专项资金细化率. Reversible, like an expenditure.
 */
export const SpecialFundsDetailed = strict({
  line: LineId,
  recipient: Bounded(1, 200, 'the recipient: a named county, city or implementing unit (at most 200 characters)'),
  amount: PositiveMoney,
})

/** The performance reviews of a project: 绩效监控, 绩效自评 and 部门绩效评价. */
export const Review = t.keyof({ monitoring: null, selfEvaluation: null, evaluation: null }, 'Review')
export type Review = t.TypeOf<typeof Review>
export const REVIEWS: ReadonlyArray<Review> = ['monitoring', 'selfEvaluation', 'evaluation']

/** A project chosen as one of the department's key evaluations (部门重点绩效评价项目). */
export const EvaluationScheduled = strict({ line: LineId })

/** A recommendation's id, unique within the budget year (e.g. "2021-M-p01-1"). */
export const RecommendationId = t.refinement(
  t.string,
  (s) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(s),
  'recommendation id of letters, digits, ".", "_" or "-" (at most 64)',
)
export const Recommendation = strict({ id: RecommendationId, text: NonEmpty }, {}, 'Recommendation')

/** A review of a project done, with the recommendations (意见建议) it made. */
export const ReviewCompleted = strict({ line: LineId, review: Review, recommendations: t.array(Recommendation) })

/** A recommendation taken up (评价结果应用). */
export const RecommendationAdopted = strict({ recommendation: RecommendationId })

/**
 * The actual result of a project's performance target, by the target's name (e.g.
 * 全年开展安全生产指导、检查次数 → "14"). The latest record for a target wins.
 */
export const TargetActualRecorded = strict({
  line: LineId,
  target: NonEmpty,
  actual: Bounded(1, 200, 'the actual value (at most 200 characters), e.g. "14" or "良好"'),
})

/** One line at the year-end close: its unspent amount split into 结转, 结余 and 收回. */
export const LineClosing = strict(
  {
    line: LineId,
    /** 结转: carried into next year (opened there as 上年结转). */
    carryOver: NonNegativeMoney,
    /** 结余: left over. */
    balance: NonNegativeMoney,
  },
  {
    /** 收回: taken back by the finance bureau. Optional so that closes recorded before it read as 0. */
    recovered: NonNegativeMoney,
  },
  'LineClosing',
)
export type LineClosing = t.TypeOf<typeof LineClosing>

/**
 * The year-end close (年终结账). Every line with money left is split, 结转 + 结余 + 收回 = exactly
 * its available amount (adjusted − spent). A closed year takes no more changes. The close's own
 * document (in the envelope) approves the 结转 and 结余; 收回 is the finance bureau's decision, so it
 * cites that bureau's notice, a different document.
 */
export const YearClosed = strict(
  { lines: t.array(LineClosing) },
  { recoveryNotice: Bounded(1, 200, 'the finance bureau’s 收回 notice (文号, at most 200 characters)') },
  'YearClosed',
)

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
  event('SpecialFundsDeclared', SpecialFundsDeclared),
  event('SpecialFundsDetailed', SpecialFundsDetailed),
  event('EvaluationScheduled', EvaluationScheduled),
  event('ReviewCompleted', ReviewCompleted),
  event('RecommendationAdopted', RecommendationAdopted),
  event('TargetActualRecorded', TargetActualRecorded),
  event('YearClosed', YearClosed),
])
export type DomainEvent = t.TypeOf<typeof DomainEvent>
export type EventType = DomainEvent['type']
export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>

/** Every event type, as the history filter checks a type against. */
export const EVENT_TYPES: ReadonlyArray<EventType> = DomainEvent.types.map((c) => c.props.type.value)

/** Every event type's payload codec, by type: what stored events are read with (stored-event.ts). */
export const EVENT_CODECS: ReadonlyMap<EventType, t.Mixed> = new Map(DomainEvent.types.map((c) => [c.props.type.value, c.props.data as t.Mixed]))
