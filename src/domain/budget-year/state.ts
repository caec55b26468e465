import type Decimal from 'decimal.js'
import type { EconomicCode, FundSource, FunctionCode, Procurement, ThreePublic, UnitType } from '../budget-file/classification'
import type { AdjustmentCategory, BasicCategory, CarriedFrom, Comparatives, DepartmentMembership, DomainEvent, Earmark, LineKind, Review } from '../events/events'
import { type Fen, ZERO_FEN, fenOf, minusFen, plusFen, toYuan } from '../money/fen'
import { ZERO } from '../money/money'
import type { ProjectTarget, UnitIndicator, UnitTask } from '../budget-file/targets'
import { LineTable } from './line-table'
import { OverlayJournal } from './overlay-journal'
import type { Spending } from './spending'

/** Amounts split by whether the 预算调整率 counts them (ordinary) or leaves them out (exempt), in 分. */
export interface Split {
  readonly ordinary: Fen
  readonly exempt: Fen
}
export const NO_SPLIT: Split = { ordinary: ZERO_FEN, exempt: ZERO_FEN }
const splitFen = (s: Split): Fen => plusFen(s.ordinary, s.exempt)
export const splitTotal = (s: Split): Decimal => toYuan(splitFen(s))

/**
 * A line of the budget. Its amounts are in 分 (fen.ts), the form the fold sums in; read them in 元
 * through the accessors below (adjustedOf, spentOf, …) or toYuan.
 */
export interface Line {
  readonly id: string
  readonly kind: LineKind
  readonly basicCategory: BasicCategory
  readonly projectName: string | null
  readonly functionCode: FunctionCode
  readonly economicCode: EconomicCode | null
  readonly fundSource: FundSource
  /** 年初预算 */
  readonly initial: Fen
  readonly added: Split
  readonly reduced: Split
  readonly transferredIn: Split
  readonly transferredOut: Split
  readonly spent: Fen
  /**
   * The same spending by economic code × 三公 category (spending.ts): an expenditure without an
   * economic code is booked under the line's code. Sums to `spent`.
   */
  readonly spending: Spending
  readonly targets: ReadonlyArray<ProjectTarget>
  /** 专项资金 declared for distribution (部门参与分配资金); zero when none was declared. */
  readonly specialFunds: Fen
  /** Of which detailed to named recipients (已细化). */
  readonly detailed: Fen
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
  readonly closing: { readonly carryOver: Fen; readonly balance: Fen; readonly recovered: Fen } | null
  /**
   * The type of the unit the line belongs to, on a department's consolidated lines only (its units
   * may be of both types, and table 6 maps economic codes by type); else the year's unitType.
   */
  readonly unitType?: UnitType
}

export const NO_REVIEWS: Readonly<Record<Review, boolean>> = { monitoring: false, selfEvaluation: false, evaluation: false }

/** 调整数 in 分, for readers that sum many lines (the tables' function rows) before converting once. */
export const adjustedFen = (l: Line): Fen =>
  minusFen(plusFen(minusFen(plusFen(l.initial, splitFen(l.added)), splitFen(l.reduced)), splitFen(l.transferredIn)), splitFen(l.transferredOut))

/** 调整数: the initial budget with every addition, reduction and transfer applied. */
export const adjustedOf = (l: Line): Decimal => toYuan(adjustedFen(l))

export const availableOf = (l: Line): Decimal => toYuan(minusFen(adjustedFen(l), l.spent))

/** 年初预算 as allocated (carried-in money included: see initialBudgetOf). */
export const initialOf = (l: Line): Decimal => toYuan(l.initial)

/** 支出: what the line has spent. */
export const spentOf = (l: Line): Decimal => toYuan(l.spent)

/** 专项资金 declared for distribution; zero when none was declared. */
export const specialFundsOf = (l: Line): Decimal => toYuan(l.specialFunds)

/** Of the special funds, what is detailed to named recipients. */
export const detailedOf = (l: Line): Decimal => toYuan(l.detailed)

/*
 * The year-end and carried-in figures every 决算 table reads, in one place each, so that the
 * tables do not depend on how the fold keeps them (the 决算 domain work may change the bodies).
 */

/**
 * 年初结转和结余: what the line carries in from earlier years. The model: money carried in is a line
 * of its own with fund source carriedForward (上年结转), as open-next-year records it; its allocated
 * amount is carried in, not 年初预算. The 预算 tables keep showing it as 上年结转 income.
 */
export const carriedInOf = (l: Line): Decimal => (l.fundSource === 'carriedForward' ? toYuan(l.initial) : ZERO)

/** 年初预算 as 决算 and the indicators mean it: the year's own initial budget, without what it carries in. */
export const initialBudgetOf = (l: Line): Decimal => (l.fundSource === 'carriedForward' ? ZERO : toYuan(l.initial))

/**
 * The fund source the line's money came from: its own, or for carried-in money the one it had when
 * budgeted (财政拨款 carried in is 年初财政拨款结转和结余); null when a carried line does not say.
 */
export const originalFundSourceOf = (l: Line): FundSource | null =>
  l.fundSource === 'carriedForward' ? l.carriedFundSource : l.fundSource

/** 年末结转 (kept for its purpose next year), zero before the close. */
export const carryOverOf = (l: Line): Decimal => (l.closing ? toYuan(l.closing.carryOver) : ZERO)

/** 年末结余 (left over), zero before the close. */
export const surplusOf = (l: Line): Decimal => (l.closing ? toYuan(l.closing.balance) : ZERO)

/** 收回: unspent money the finance bureau took back at year end; zero before the close. */
export const recoveredOf = (l: Line): Decimal => (l.closing ? toYuan(l.closing.recovered) : ZERO)

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
  /** In 分, as the lines' amounts (toYuan). */
  readonly spentThreePublic: Readonly<Record<ThreePublic, Fen>>
  readonly spentProcurement: Readonly<Record<Procurement, Fen>>
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
  spentThreePublic: { abroad: ZERO_FEN, reception: ZERO_FEN, vehicleOperation: ZERO_FEN, vehiclePurchase: ZERO_FEN },
  spentProcurement: { goods: ZERO_FEN, works: ZERO_FEN, services: ZERO_FEN },
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

/** `s` with `by` (分, negative to take back) added to the part `category` counts in. */
export const bySplit = (category: AdjustmentCategory, by: Fen, s: Split): Split =>
  category === 'ordinary' ? { ordinary: plusFen(s.ordinary, by), exempt: s.exempt } : { ordinary: s.ordinary, exempt: plusFen(s.exempt, by) }

/** An event's amount (a decimal string in 元) in 分, negated to undo it (sign -1, a reversal). */
export const signedFen = (amount: string, sign: 1 | -1): Fen => (sign === 1 ? fenOf(amount) : minusFen(ZERO_FEN, fenOf(amount)))
