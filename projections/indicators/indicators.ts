import Decimal from 'decimal.js'
import { type BudgetYearState, type Line, adjustedOf, carryOverOf, detailedOf, initialBudgetOf, specialFundsOf, spentOf, surplusOf } from '../../src/domain/budget-year'
import { minusFen, plusFen, toYuan } from '../../src/domain/money/fen'
import { PROCUREMENT, THREE_PUBLIC } from '../../src/domain/budget-file/classification'
import { ZERO, percent, sum, toWan } from '../../src/domain/money/money'
import type { TargetOperator, UnitIndicator } from '../../src/domain/budget-file/targets'
import { statusLabel } from '../status-labels'

/**
 * The 投入管理 and 绩效管理 indicators of the 部门整体绩效目标表 (DESIGN.md §4), computed from the
 * budget-year state and judged against the unit's own targets (state.unitTargets.indicators, found
 * by the 三级指标 name): thresholds are data, never constants here.
 *
 * INDICATORS below is the one place that says what feeds each indicator: every variant's `measure`
 * reads its numerator and denominator off the state. The drill-down (indicator-drilldown.ts) uses
 * the very same measures: an event feeds an indicator exactly when folding it changes the measure,
 * by the amount it changes it. So the events listed always add up to the figures shown.
 */

export type IndicatorId =
  | 'budget-execution'
  | 'budget-adjustment'
  | 'carry-over'
  | 'three-public-control'
  | 'special-funds-detailing'
  | 'procurement-execution'
  | 'monitoring-completion'
  | 'self-evaluation-completion'
  | 'evaluation-completion'
  | 'recommendation-adoption'

/** Money in 元 (two decimals), or a count of projects / recommendations. */
export type Quantity = 'amount' | 'count'

/** An exact numerator over an exact denominator. */
export interface Ratio {
  readonly numerator: Decimal
  readonly denominator: Decimal
}

export interface VariantDef {
  readonly id: string
  readonly label: string
  readonly numeratorLabel: string
  readonly denominatorLabel: string
  readonly measure: (s: BudgetYearState) => Ratio
}

export interface IndicatorDef {
  readonly id: IndicatorId
  /** The 三级指标 name as the seed prints it; the unit's target is found by it. */
  readonly name: string
  readonly formula: string
  readonly quantity: Quantity
  /** The first variant is the headline: its value and status are the indicator's. */
  readonly variants: readonly [VariantDef, ...VariantDef[]]
  /** Why the headline is this variant, where there is a choice. */
  readonly headlineWhy?: string
  /** Why the indicator cannot be judged yet although its denominator is known (e.g. before the close). */
  readonly pending?: (s: BudgetYearState) => string | undefined
}

const lines = (s: BudgetYearState): Line[] => [...s.lines.values()]
const projects = (s: BudgetYearState): Line[] => lines(s).filter((l) => l.kind === 'project')
const total = (s: BudgetYearState, f: (l: Line) => Decimal): Decimal => sum(lines(s).map(f))
const count = <A>(xs: ReadonlyArray<A>, keep: (x: A) => boolean): Decimal => new Decimal(xs.filter(keep).length)
const earmarked = (s: BudgetYearState, names: ReadonlyArray<string>): Decimal =>
  sum(names.map((n) => s.earmarks[n as keyof typeof s.earmarks] ?? ZERO))

/** 年初预算 without what the year carries in (年初结转和结余 is its own column in published 决算). */
const initial = (s: BudgetYearState) => total(s, initialBudgetOf)
const adjusted = (s: BudgetYearState) => total(s, adjustedOf)
const spent = (s: BudgetYearState) => total(s, spentOf)

/**
 * 预算调整率: the seed defines 预算调整数 as "the sum of the funds involved in 追加、追减 or 结构调整"
 * (资金总和), leaving out adjustments caused by national policy, force majeure or temporary
 * assignments from above (AdjustmentCategory ≠ ordinary).
 *
 * HEADLINE = GROSS: Σ |ordinary additions| + Σ |ordinary reductions| + Σ |ordinary transfers|, over
 * 年初预算. Why: the definition counts structural transfers (结构调整), which change no total, so it
 * can only mean the gross amount moved; a net reading would show 0% for a year that added and cut
 * the same large sum, hiding exactly the churn the indicator is meant to limit. The seed's formula
 * text "(预算调整数 − 年初预算数) / 年初预算数" reads 预算调整数 as the adjusted budget; that is the
 * NET variant, (ordinary-adjusted budget − 年初预算) / 年初预算, shown beside it for comparison.
 * Reversed adjustments count in neither (the reversal undoes them).
 */
const ordinaryGross = (s: BudgetYearState) =>
  total(s, (l) => toYuan(plusFen(plusFen(l.added.ordinary, l.reduced.ordinary), l.transferredIn.ordinary)))
const ordinaryNet = (s: BudgetYearState) =>
  total(s, (l) => toYuan(minusFen(plusFen(minusFen(l.added.ordinary, l.reduced.ordinary), l.transferredIn.ordinary), l.transferredOut.ordinary)))

/** 结转结余总额: 结转 + 结余 of every line, as split at the close. */
const carryOverAndBalance = (s: BudgetYearState) =>
  total(s, (l) => carryOverOf(l).plus(surplusOf(l)))

const THREE_PUBLIC_EARMARKS = THREE_PUBLIC.map((c) => `threePublic.${c}`)
const PROCUREMENT_EARMARKS = PROCUREMENT.map((c) => `procurement.${c}`)

export const INDICATORS: ReadonlyArray<IndicatorDef> = [
  {
    id: 'budget-execution',
    name: '预算执行率',
    formula: '预算完成数（支出）/ 预算数 × 100%',
    quantity: 'amount',
    headlineWhy: '预算数指财政部门批复的本年度（调整）预算数，故以调整后预算为准；对年初预算的执行率并列供参考',
    variants: [
      {
        id: 'adjusted',
        label: '对调整后预算',
        numeratorLabel: '支出',
        denominatorLabel: '调整后预算',
        measure: (s) => ({ numerator: spent(s), denominator: adjusted(s) }),
      },
      {
        id: 'initial',
        label: '对年初预算',
        numeratorLabel: '支出',
        denominatorLabel: '年初预算',
        measure: (s) => ({ numerator: spent(s), denominator: initial(s) }),
      },
    ],
  },
  {
    id: 'budget-adjustment',
    name: '预算调整率',
    formula: '预算调整数 / 年初预算数 × 100%（不含因国家政策、不可抗力、上级临时交办的调整）',
    quantity: 'amount',
    headlineWhy:
      '预算调整数定义为追加、追减或结构调整的“资金总和”：调剂不改变预算总额，只有总额口径能计入它；净额口径让追加与追减相互抵消，会掩盖本指标要控制的调整幅度。净额口径（调整后预算 − 年初预算）/ 年初预算 并列供参考',
    variants: [
      {
        id: 'gross',
        label: '总额口径',
        numeratorLabel: '一般调整总额（追加+追减+调剂）',
        denominatorLabel: '年初预算',
        measure: (s) => ({ numerator: ordinaryGross(s), denominator: initial(s) }),
      },
      {
        id: 'net',
        label: '净额口径',
        numeratorLabel: '一般调整净额（调整后 − 年初）',
        denominatorLabel: '年初预算',
        measure: (s) => ({ numerator: ordinaryNet(s), denominator: initial(s) }),
      },
    ],
  },
  {
    id: 'carry-over',
    name: '结转结余率',
    formula: '结转结余总额 / 预算数（调整后）× 100%',
    quantity: 'amount',
    pending: (s) => (s.closed ? undefined : '年终结账前没有结转结余：结账（CloseYear）后计算'),
    variants: [
      {
        id: 'adjusted',
        label: '对调整后预算',
        numeratorLabel: '结转+结余',
        denominatorLabel: '调整后预算',
        measure: (s) => ({ numerator: carryOverAndBalance(s), denominator: adjusted(s) }),
      },
    ],
  },
  {
    id: 'three-public-control',
    name: '“三公经费”控制率',
    formula: '“三公经费”实际支出数 / “三公经费”预算数 × 100%',
    quantity: 'amount',
    variants: [
      {
        id: 'budget',
        label: '对三公预算',
        numeratorLabel: '三公支出',
        denominatorLabel: '三公预算',
        measure: (s) => ({ numerator: sum(THREE_PUBLIC.map((c) => toYuan(s.spentThreePublic[c]))), denominator: earmarked(s, THREE_PUBLIC_EARMARKS) }),
      },
    ],
  },
  {
    id: 'special-funds-detailing',
    name: '专项资金细化率',
    formula: '已细化到具体市县和承担单位的资金数 / 部门参与分配资金总数 × 100%',
    quantity: 'amount',
    variants: [
      {
        id: 'declared',
        label: '对参与分配资金',
        numeratorLabel: '已细化',
        denominatorLabel: '参与分配资金',
        measure: (s) => ({ numerator: total(s, detailedOf), denominator: total(s, specialFundsOf) }),
      },
    ],
  },
  {
    id: 'procurement-execution',
    name: '政府采购执行率',
    formula: '实际政府采购金额 / 政府采购预算数 × 100%',
    quantity: 'amount',
    variants: [
      {
        id: 'budget',
        label: '对采购预算',
        numeratorLabel: '采购支出',
        denominatorLabel: '政府采购预算',
        measure: (s) => ({ numerator: sum(PROCUREMENT.map((c) => toYuan(s.spentProcurement[c]))), denominator: earmarked(s, PROCUREMENT_EARMARKS) }),
      },
    ],
  },
  {
    id: 'monitoring-completion',
    name: '绩效监控完成率',
    formula: '已完成绩效监控项目数量 / 部门项目总数 × 100%',
    quantity: 'count',
    variants: [
      {
        id: 'projects',
        label: '对项目总数',
        numeratorLabel: '已监控项目',
        denominatorLabel: '项目总数',
        measure: (s) => ({ numerator: count(projects(s), (l) => l.reviews.monitoring), denominator: count(projects(s), () => true) }),
      },
    ],
  },
  {
    id: 'self-evaluation-completion',
    name: '绩效自评完成率',
    formula: '已完成自评项目数量 / 部门项目总数 × 100%',
    quantity: 'count',
    variants: [
      {
        id: 'projects',
        label: '对项目总数',
        numeratorLabel: '已自评项目',
        denominatorLabel: '项目总数',
        measure: (s) => ({ numerator: count(projects(s), (l) => l.reviews.selfEvaluation), denominator: count(projects(s), () => true) }),
      },
    ],
  },
  {
    id: 'evaluation-completion',
    name: '部门绩效评价完成率',
    formula: '已完成评价项目数量 / 部门重点绩效评价项目数 × 100%',
    quantity: 'count',
    variants: [
      {
        id: 'scheduled',
        label: '对重点评价项目',
        numeratorLabel: '已评价项目',
        denominatorLabel: '重点评价项目',
        measure: (s) => ({
          numerator: count(projects(s), (l) => l.keyEvaluation && l.reviews.evaluation),
          denominator: count(projects(s), (l) => l.keyEvaluation),
        }),
      },
    ],
  },
  {
    id: 'recommendation-adoption',
    name: '评价结果应用率',
    formula: '评价提出的意见建议采纳数 / 提出的意见建议总数 × 100%',
    quantity: 'count',
    variants: [
      {
        id: 'recommendations',
        label: '对意见建议总数',
        numeratorLabel: '已采纳',
        denominatorLabel: '意见建议',
        measure: (s) => {
          const all = [...s.recommendations.values()]
          return { numerator: count(all, (r) => r.adopted), denominator: new Decimal(all.length) }
        },
      },
    ],
  },
]

/** Names compare without quotes and spaces: “三公经费”控制率 = "三公经费"控制率 = 三公经费控制率. */
export const normalName = (s: string): string => s.replace(/[“”"'‘’「」\s]/g, '')

/** An indicator by id ("budget-adjustment") or by name ("预算调整率"). */
export const findIndicator = (nameOrId: string): IndicatorDef | undefined =>
  INDICATORS.find((d) => d.id === nameOrId || normalName(d.name) === normalName(nameOrId))

/** The unit's own target of an indicator, by its 三级指标 name; undefined when none is recorded. */
export const targetOf = (s: BudgetYearState, def: Pick<IndicatorDef, 'name'>): UnitIndicator | undefined =>
  s.unitTargets?.indicators.find((i) => normalName(i.level3) === normalName(def.name))

// ---------------------------------------------------------------------------------------------
// Judging against the target and the wire form.

export type Status = 'met' | 'not met' | 'not applicable' | 'no target'

export interface TargetView {
  readonly operator: TargetOperator
  readonly value: string
  readonly unit: string
  /** As printed: "≥90%". */
  readonly text: string
}

export interface SideView {
  readonly label: string
  /** 元 with two decimals for amounts; a whole number for counts. */
  readonly value: string
  /** Amounts only: the same in 万元 (two decimals, half-up), the unit the page shows its figures in. */
  readonly valueWan?: string
}

export interface VariantView {
  readonly id: string
  readonly label: string
  readonly headline: boolean
  readonly numerator: SideView
  readonly denominator: SideView
  /** Percent with two decimals (half-up); null when not applicable (a zero denominator). */
  readonly value: string | null
  readonly status: Status
  /** The status as people read it (达标, 未达标, …): projections/status-labels.ts. */
  readonly statusLabel: string
  readonly note?: string
}

export interface IndicatorView {
  readonly id: IndicatorId
  readonly name: string
  readonly formula: string
  readonly quantity: Quantity
  readonly target: TargetView | null
  /** The headline variant's id, value and status. */
  readonly headline: string
  readonly headlineWhy?: string
  readonly value: string | null
  readonly status: Status
  readonly statusLabel: string
  readonly note?: string
  readonly variants: ReadonlyArray<VariantView>
}

export const showQuantity = (q: Quantity, d: Decimal): string => (q === 'amount' ? d.toFixed(2) : d.toFixed(0))

const sideView = (q: Quantity, label: string, d: Decimal): SideView => ({ label, value: showQuantity(q, d), ...(q === 'amount' ? { valueWan: toWan(d) } : {}) })

const COMPARABLE: ReadonlyArray<TargetOperator> = ['≥', '≤', '=']
const NUMBER = /^-?\d+(\.\d+)?$/

/**
 * Met or not, on the value as shown (two decimals, half-up): what a reader sees and the status
 * can never disagree. A target with ↑, ↓ or 定性, or a non-numeric value, cannot judge a rate.
 */
const judge = (value: string, target: UnitIndicator | undefined): { status: Status; note?: string } => {
  if (!target) return { status: 'no target', note: '单位未录入该指标的目标值' }
  if (!COMPARABLE.includes(target.operator) || !NUMBER.test(target.value.trim()))
    return { status: 'no target', note: `目标 ${target.operator}${target.value}${target.unit} 不是可比较的数值阈值` }
  const v = new Decimal(value)
  const t = new Decimal(target.value.trim())
  const ok = target.operator === '≥' ? v.gte(t) : target.operator === '≤' ? v.lte(t) : v.eq(t)
  return { status: ok ? 'met' : 'not met' }
}

export const evaluateIndicator = (s: BudgetYearState, def: IndicatorDef): IndicatorView => {
  const target = targetOf(s, def)
  const pending = def.pending?.(s)
  const variants: VariantView[] = def.variants.map((v, i) => {
    const r = v.measure(s)
    const value = percent(r.numerator, r.denominator) ?? null
    const judged: { status: Status; note?: string } =
      value === null
        ? { status: 'not applicable', note: `分母（${v.denominatorLabel}）为 0` }
        : pending
          ? { status: 'not applicable', note: pending }
          : judge(value, target)
    return {
      id: v.id,
      label: v.label,
      headline: i === 0,
      numerator: sideView(def.quantity, v.numeratorLabel, r.numerator),
      denominator: sideView(def.quantity, v.denominatorLabel, r.denominator),
      value: judged.status === 'not applicable' ? null : value,
      status: judged.status,
      statusLabel: statusLabel(judged.status),
      ...(judged.note ? { note: judged.note } : {}),
    }
  })
  const head = variants[0]!
  return {
    id: def.id,
    name: def.name,
    formula: def.formula,
    quantity: def.quantity,
    target: target ? { operator: target.operator, value: target.value, unit: target.unit, text: `${target.operator}${target.value}${target.unit}` } : null,
    headline: head.id,
    ...(def.headlineWhy ? { headlineWhy: def.headlineWhy } : {}),
    value: head.value,
    status: head.status,
    statusLabel: head.statusLabel,
    ...(head.note ? { note: head.note } : {}),
    variants,
  }
}

// ---------------------------------------------------------------------------------------------
// Project performance targets against their actual results.

export type ResultStatus = 'met' | 'not met' | 'not recorded' | 'not comparable'

export interface ProjectResultView {
  readonly line: string
  readonly project: string
  readonly category: string
  readonly target: string
  /** As printed: "≥12次". */
  readonly expected: string
  readonly actual: string | null
  readonly status: ResultStatus
  readonly statusLabel: string
}

/**
 * ≥ ≤ = compare numbers; ↑ and ↓ (rise / fall by) are met when the recorded change is at least the
 * target's; 定性 is met when the actual states the target's word (良好 = 良好), else a person judges.
 */
const judgeResult = (operator: TargetOperator, expected: string, actual: string | undefined): ResultStatus => {
  if (actual === undefined) return 'not recorded'
  if (operator === '定性') return actual.trim() === expected.trim() ? 'met' : 'not comparable'
  const a = actual.trim().replace(/[%％]$/, '')
  if (!NUMBER.test(a) || !NUMBER.test(expected.trim())) return 'not comparable'
  const x = new Decimal(a)
  const t = new Decimal(expected.trim())
  const ok = operator === '≤' ? x.lte(t) : operator === '=' ? x.eq(t) : x.gte(t)
  return ok ? 'met' : 'not met'
}

const withLabel = (status: ResultStatus) => ({ status, statusLabel: statusLabel(status) })

export const projectResults = (s: BudgetYearState): ProjectResultView[] =>
  projects(s).flatMap((l) => {
    const seen = new Set<string>()
    return l.targets.flatMap((t) => {
      const key = JSON.stringify([t.category, t.name, t.operator, t.value, t.unit])
      if (seen.has(key)) return []
      seen.add(key)
      const actual = l.actuals[t.name]
      return [
        {
          line: l.id,
          project: l.projectName ?? l.id,
          category: t.category,
          target: t.name,
          expected: t.operator === '定性' ? t.value : `${t.operator}${t.value}${t.unit}`,
          actual: actual ?? null,
          ...withLabel(judgeResult(t.operator, t.value, actual)),
        },
      ]
    })
  })

// ---------------------------------------------------------------------------------------------

export interface IndicatorReport {
  readonly unit: string
  readonly unitName: string
  readonly year: number
  readonly revision: number
  readonly closed: boolean
  readonly indicators: ReadonlyArray<IndicatorView>
  readonly projectResults: ReadonlyArray<ProjectResultView>
}

/** Every indicator of an opened budget year, against the unit's targets. Pure. */
export const indicatorReport = (s: BudgetYearState): IndicatorReport => {
  if (!s.identity) throw new Error('invariant: indicators need an opened budget year')
  return {
    unit: s.identity.unit.code,
    unitName: s.identity.unit.name,
    year: s.identity.year,
    revision: s.revision,
    closed: s.closed,
    indicators: INDICATORS.map((d) => evaluateIndicator(s, d)),
    projectResults: projectResults(s),
  }
}
