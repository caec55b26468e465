import type Decimal from 'decimal.js'
import type { Line } from '../src/domain/budget-year'
import { type Catalogue, functionName } from '../src/domain/budget-file/catalogue'
import { FUND_SOURCES, type FundSource } from '../src/domain/budget-file/classification'
import { type Fen, ZERO_FEN, isZeroFen, plusFen, toYuan } from '../src/domain/money/fen'
import { budgetFenOf } from './budget-year'
import type { Cell, Row } from './table'

/**
 * Readings shared by the fund-source tables (1, 2, 4, 5, 8, 9) and the Part 2 report: sums of the
 * lines' current budgets (budgetOf) by fund source and by function 类. Summed in 分 and handed out
 * as exact Decimal 元, one conversion a sum (docs/speed.md, "As-of, the render in 分").
 */

/** The current budget of the lines that `keep` accepts. */
export const budgetWhere = (lines: ReadonlyArray<Line>, keep: (l: Line) => boolean): Decimal => {
  let total: Fen = ZERO_FEN
  for (const l of lines) if (keep(l)) total = plusFen(total, budgetFenOf(l))
  return toYuan(total)
}

/** The current budget per fund source; every source present, zero when it has no money. */
export const budgetBySource = (lines: ReadonlyArray<Line>): Record<FundSource, Decimal> => {
  const sums = Object.fromEntries(FUND_SOURCES.map((s) => [s, ZERO_FEN])) as Record<FundSource, Fen>
  for (const l of lines) sums[l.fundSource] = plusFen(sums[l.fundSource], budgetFenOf(l))
  return Object.fromEntries(FUND_SOURCES.map((s) => [s, toYuan(sums[s])])) as Record<FundSource, Decimal>
}

/** A line's function 类 (the first three digits of its code). */
export const classOf = (l: Line): string => l.functionCode.slice(0, 3)

/**
 * The current budget per 类 of the given lines, in code order, leaving out 类 whose money sums
 * to zero (a table lists the 类 "that have money").
 */
export const budgetByClass = (lines: ReadonlyArray<Line>): Array<readonly [code: string, amount: Decimal]> => {
  const sums = new Map<string, Fen>()
  for (const l of lines) sums.set(classOf(l), plusFen(sums.get(classOf(l)) ?? ZERO_FEN, budgetFenOf(l)))
  return [...sums]
    .filter(([, a]) => !isZeroFen(a))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, a]) => [code, toYuan(a)] as const)
}

/** "一般公共服务支出" → "一般公共服务": the 类 name as the report prints it before （类）. */
export const classStem = (catalogue: Catalogue, code: string): string => {
  const name = functionName(catalogue, code)
  return name.endsWith('支出') && name.length > 2 ? name.slice(0, -2) : name
}

/** A row of blank cells: keeps two side-by-side parts aligned (totals on the same printed line). */
export const blankRow = (width: number): Row => ({ cells: Array.from({ length: width }, (): Cell => null) })

/** 1 → 一, 10 → 十, 15 → 十五, 20 → 二十, 33 → 三十三 (1 ≤ n ≤ 99), as 类 numbering prints them. */
export const chineseNumeral = (n: number): string => {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`invariant: chineseNumeral takes 1..99, got ${n}`)
  const D = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九']
  const tens = Math.floor(n / 10)
  const ones = n % 10
  if (tens === 0) return D[ones]!
  return `${tens === 1 ? '' : D[tens]}十${D[ones]}`
}
