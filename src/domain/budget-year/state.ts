import type Decimal from 'decimal.js'
import type { EconomicCode, FundSource, FunctionCode, Procurement, ThreePublic, UnitType } from '../classification'
import type { AdjustmentCategory, BasicCategory, CarriedFrom, Comparatives, DepartmentMembership, DomainEvent, Earmark, LineKind, Review } from '../events'
import { ZERO } from '../money'
import type { ProjectTarget, UnitIndicator, UnitTask } from '../targets'
import { LineTable } from './line-table'
import { OverlayJournal } from './overlay-journal'

/** Amounts split by whether the 预算调整率 counts them (ordinary) or leaves them out (exempt). */
export interface Split {
  readonly ordinary: Decimal
  readonly exempt: Decimal
}
export const NO_SPLIT: Split = { ordinary: ZERO, exempt: ZERO }
export const splitTotal = (s: Split): Decimal => s.ordinary.plus(s.exempt)

export interface Line {
  readonly id: string
  readonly kind: LineKind
  readonly basicCategory: BasicCategory
  readonly projectName: string | null
  readonly functionCode: FunctionCode
  readonly economicCode: EconomicCode | null
  readonly fundSource: FundSource
  /** 年初预算 */
  readonly initial: Decimal
  readonly added: Split
  readonly reduced: Split
  readonly transferredIn: Split
  readonly transferredOut: Split
  readonly spent: Decimal
  readonly targets: ReadonlyArray<ProjectTarget>
  /** 专项资金 declared for distribution (部门参与分配资金); zero when none was declared. */
  readonly specialFunds: Decimal
  /** Of which detailed to named recipients (已细化). */
  readonly detailed: Decimal
  /** One of the department's key evaluations (部门重点绩效评价项目). */
  readonly keyEvaluation: boolean
  /** The reviews done of this project. */
  readonly reviews: Readonly<Record<Review, boolean>>
  /** Actual results by target name (the latest record of each). */
  readonly actuals: Readonly<Record<string, string>>
  /** For a 上年结转 line: the line of the closed year it carries. */
  readonly carriedFrom: CarriedFrom | null
  /** For a 上年结转 line: the fund source its money had when budgeted; null when not recorded. */
  readonly carriedFundSource: FundSource | null
  /** The year-end split of its unspent amount; null until the close (or when it had nothing left). */
  readonly closing: { readonly carryOver: Decimal; readonly balance: Decimal; readonly recovered: Decimal } | null
  /**
   * The type of the unit the line belongs to, on a department's consolidated lines only (its units
   * may be of both types, and table 6 maps economic codes by type); else the year's unitType.
   */
  readonly unitType?: UnitType
}

export const NO_REVIEWS: Readonly<Record<Review, boolean>> = { monitoring: false, selfEvaluation: false, evaluation: false }

/** 调整数: the initial budget with every addition, reduction and transfer applied. */
export const adjustedOf = (l: Line): Decimal =>
  l.initial
    .plus(splitTotal(l.added))
    .minus(splitTotal(l.reduced))
    .plus(splitTotal(l.transferredIn))
    .minus(splitTotal(l.transferredOut))

export const availableOf = (l: Line): Decimal => adjustedOf(l).minus(l.spent)

/*
 * The year-end and carried-in figures every 决算 table reads, in one place each, so that the
 * tables do not depend on how the fold keeps them (the 决算 domain work may change the bodies).
 */

/**
 * 年初结转和结余: what the line carries in from earlier years. The model: money carried in is a line
 * of its own with fund source carriedForward (上年结转), as open-next-year records it; its allocated
 * amount is carried in, not 年初预算. The 预算 tables keep showing it as 上年结转 income.
 */
export const carriedInOf = (l: Line): Decimal => (l.fundSource === 'carriedForward' ? l.initial : ZERO)

/** 年初预算 as 决算 and the indicators mean it: the year's own initial budget, without what it carries in. */
export const initialBudgetOf = (l: Line): Decimal => l.initial.minus(carriedInOf(l))

/**
 * The fund source the line's money came from: its own, or for carried-in money the one it had when
 * budgeted (财政拨款 carried in is 年初财政拨款结转和结余); null when a carried line does not say.
 */
export const originalFundSourceOf = (l: Line): FundSource | null =>
  l.fundSource === 'carriedForward' ? l.carriedFundSource : l.fundSource

/** 年末结转 (kept for its purpose next year), zero before the close. */
export const carryOverOf = (l: Line): Decimal => l.closing?.carryOver ?? ZERO

/** 年末结余 (left over), zero before the close. */
export const surplusOf = (l: Line): Decimal => l.closing?.balance ?? ZERO

/** 收回: unspent money the finance bureau took back at year end; zero before the close. */
export const recoveredOf = (l: Line): Decimal => l.closing?.recovered ?? ZERO

export interface YearIdentity {
  /** localCode: the code was assigned locally; the unit has no published 预算单位编码. */
  readonly unit: { readonly code: string; readonly name: string; readonly localCode?: true }
  readonly year: number
  readonly unitType: UnitType
  readonly previousYear: Comparatives
  /** The department the unit-year belongs to (本级 or 所属单位); absent for a unit on its own. */
  readonly department?: DepartmentMembership
}

export interface UnitTargets {
  readonly annualGoals: ReadonlyArray<string>
  readonly tasks: ReadonlyArray<UnitTask>
  readonly indicators: ReadonlyArray<UnitIndicator>
}

/**
 * What an earlier event did, kept so that a reversal can undo exactly that. The journal is shared
 * between successive states and only ever grows; an entry is visible to a state only when it was
 * recorded at or before the state's revision, so an older state never sees a later entry. This keeps
 * evolve O(1) per event on streams of millions of events.
 */
export interface JournalEntry {
  readonly revision: number
  readonly event: DomainEvent
  reversedAt?: number
}

/** A recommendation (意见建议) made by a review, and whether it was taken up (评价结果应用). */
export interface Recommendation {
  readonly id: string
  readonly line: string
  readonly review: Review
  readonly text: string
  readonly adopted: boolean
}

export interface BudgetYearState {
  /** Revision of the last event folded in; -1 before the first. */
  readonly revision: number
  readonly identity: YearIdentity | undefined
  /** Lines in order of allocation. */
  readonly lines: LineTable
  readonly earmarks: Readonly<Partial<Record<Earmark, Decimal>>>
  readonly unitTargets: UnitTargets | undefined
  readonly spentThreePublic: Readonly<Record<ThreePublic, Decimal>>
  readonly spentProcurement: Readonly<Record<Procurement, Decimal>>
  /** Set by the year-end close (YearClosed): the year takes no more changes. */
  readonly closed: boolean
  /** Recommendations of the reviews, by id, in the order they were made. */
  readonly recommendations: ReadonlyMap<string, Recommendation>
  readonly journal: Map<string, JournalEntry>
}

export const initialState = (): BudgetYearState => ({
  revision: -1,
  identity: undefined,
  lines: LineTable.empty(),
  earmarks: {},
  unitTargets: undefined,
  spentThreePublic: { abroad: ZERO, reception: ZERO, vehicleOperation: ZERO, vehiclePurchase: ZERO },
  spentProcurement: { goods: ZERO, works: ZERO, services: ZERO },
  closed: false,
  recommendations: new Map(),
  journal: new Map(),
})

/** The journal entry of `id` as this state knows it (recorded at or before its revision). */
export const journalEntry = (s: BudgetYearState, id: string): JournalEntry | undefined => {
  const e = s.journal.get(id)
  return e && e.revision <= s.revision ? e : undefined
}

export const isReversed = (s: BudgetYearState, e: JournalEntry): boolean =>
  e.reversedAt !== undefined && e.reversedAt <= s.revision

/**
 * A branch of the fold: folding events onto it (a dry run, a command being decided, an as-of tail
 * on a snapshot) leaves `s` and every state sharing its journal as they were. O(lines), not
 * O(journal).
 */
export const forkState = (s: BudgetYearState): BudgetYearState =>
  s.revision < 0 ? initialState() : { ...s, lines: s.lines.fork(), journal: new OverlayJournal(s.journal, s.revision) }

/** `s` with `amount` moved (sign 1 added, -1 taken back) in the part `category` counts in. */
export const bySplit = (category: AdjustmentCategory, amount: string, sign: 1 | -1, s: Split): Split =>
  category === 'ordinary' ? { ordinary: moved(s.ordinary, amount, sign), exempt: s.exempt } : { ordinary: s.ordinary, exempt: moved(s.exempt, amount, sign) }

/** `total` moved by `amount` in the direction of `sign`; the amount goes to decimal.js as its string (parsed once, not parsed and then copied). */
export const moved = (total: Decimal, amount: string, sign: 1 | -1): Decimal => (sign === 1 ? total.plus(amount) : total.minus(amount))
