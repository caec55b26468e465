import type Decimal from 'decimal.js'
import { type Line, adjustedOf, carriedInOf, carryOverOf, initialBudgetOf, recoveredOf, spentOf, surplusOf } from '../../../src/domain/budget-year'
import { ZERO } from '../../../src/domain/money/money'

/**
 * What one line contributes to the 决算: the money it started with, received, spent and ended with,
 * exact in 元. Every 决算 table reads a line through here and nowhere else, so that how the domain
 * keeps the year-end figures (state.ts's carriedInOf, carryOverOf, surplusOf, recoveredOf) stays
 * one place to follow.
 */
export interface YearFigures {
  /** 年初结转和结余 */
  readonly carriedIn: Decimal
  /** 年初预算: the approved budget, without what was carried in. */
  readonly initial: Decimal
  /** 全年预算 (调整预算): everything the line had to spend this year, carried-in money included. */
  readonly fullYear: Decimal
  /**
   * 本年收入: the year's own money received, 全年预算 less 年初结转和结余 and less what the finance
   * bureau took back (收回): money recovered at the close was never paid out, so the published
   * 决算 (普陀区 2024: 本年财政拨款收入 = 决算数 where the unspent budget was recovered) count it
   * in neither 本年收入 nor 年末结转和结余.
   */
  readonly income: Decimal
  /** 本年支出 (决算数) */
  readonly spent: Decimal
  /**
   * 年末结转和结余. Before the close the unspent money is still the line's and is shown here as
   * the balance so far (the execution report), so the identity holds at every moment:
   * carriedIn + income = spent + yearEnd.
   */
  readonly yearEnd: Decimal
  /** 收回: taken back by the finance bureau at the close; outside the identity above (not received). */
  readonly recovered: Decimal
}

export const figuresOf = (l: Line): YearFigures => {
  const carriedIn = carriedInOf(l)
  const fullYear = adjustedOf(l)
  const kept = carryOverOf(l).plus(surplusOf(l))
  const recovered = recoveredOf(l)
  const spent = spentOf(l)
  const unsettled = fullYear.minus(spent).minus(kept).minus(recovered)
  return {
    carriedIn,
    initial: initialBudgetOf(l),
    fullYear,
    income: fullYear.minus(carriedIn).minus(recovered),
    spent,
    yearEnd: kept.plus(unsettled),
    recovered,
  }
}

/** The field-by-field sum of some lines' figures. */
export const sumFigures = (lines: ReadonlyArray<Line>): YearFigures => {
  let t: YearFigures = { carriedIn: ZERO, initial: ZERO, fullYear: ZERO, income: ZERO, spent: ZERO, yearEnd: ZERO, recovered: ZERO }
  for (const l of lines) {
    const f = figuresOf(l)
    t = {
      carriedIn: t.carriedIn.plus(f.carriedIn),
      initial: t.initial.plus(f.initial),
      fullYear: t.fullYear.plus(f.fullYear),
      income: t.income.plus(f.income),
      spent: t.spent.plus(f.spent),
      yearEnd: t.yearEnd.plus(f.yearEnd),
      recovered: t.recovered.plus(f.recovered),
    }
  }
  return t
}

/** 基本支出 / 项目支出 of a line's 决算数, as [basic, project]. */
export const spentByKind = (l: Line): readonly [Decimal, Decimal] => (l.kind === 'basic' ? [spentOf(l), ZERO] : [ZERO, spentOf(l)])

/**
 * A rate in percent (决算数 ÷ 全年预算 × 100) as a percent cell; null, a blank cell, when the
 * denominator is zero: "not applicable", never 0%.
 */
export const rateCell = (part: Decimal, whole: Decimal): Decimal | null => (whole.isZero() ? null : part.div(whole).times(100))
