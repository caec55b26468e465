import Decimal from 'decimal.js'
import * as t from 'io-ts'

/**
 * Money is kept in 元 as decimal.js values and travels as decimal strings with at most two
 * decimals (分). It is never a JS number: a float cannot hold 0.1 exactly, and a ledger must.
 */
export const Yuan = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP })
export type Yuan = Decimal

/** Largest amount a single event may carry: 10^15 元 is far above any public budget. */
export const MAX_AMOUNT = new Yuan('1e15')

const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d{1,2})?$/

export interface MoneyBrand {
  readonly Money: unique symbol
}
/** A decimal string in 元 with at most two decimals, e.g. "9043400.00". */
export type MoneyString = t.Branded<string, MoneyBrand>

export const MoneyString = t.brand(
  t.string,
  (s): s is MoneyString => DECIMAL_PATTERN.test(s) && new Yuan(s).abs().lte(MAX_AMOUNT),
  'Money',
)

export interface PositiveBrand {
  readonly PositiveMoney: unique symbol
}
/** A strictly positive amount: adjustments and spending carry their direction in the event type. */
export type PositiveMoney = t.Branded<MoneyString, PositiveBrand>
export const PositiveMoney = t.brand(
  MoneyString,
  (s): s is PositiveMoney => new Yuan(s).gt(0),
  'PositiveMoney',
)

export interface NonNegativeBrand {
  readonly NonNegativeMoney: unique symbol
}
/** Zero or more: the parts of a year-end split (结转 / 结余), a declared amount. */
export type NonNegativeMoney = t.Branded<MoneyString, NonNegativeBrand>
export const NonNegativeMoney = t.brand(
  MoneyString,
  (s): s is NonNegativeMoney => !new Yuan(s).lt(0),
  'NonNegativeMoney',
)

export const ZERO = new Yuan(0)

export const yuan = (s: string | Decimal): Decimal => new Yuan(s)

export const sum = (xs: ReadonlyArray<Decimal>): Decimal => xs.reduce((a, b) => a.plus(b), ZERO)

/** The canonical wire form: two decimals, no exponent. */
export const toMoneyString = (d: Decimal): MoneyString => d.toFixed(2) as MoneyString

/** 万元 with two decimals, half-up: the unit every published table uses. Sum first, round here. */
export const toWan = (d: Decimal): string => d.div(10_000).toFixed(2, Decimal.ROUND_HALF_UP)

/** 万元 (as printed in a budget document) to 元. */
export const fromWan = (s: string): Decimal => new Yuan(s).times(10_000)

/** A share in percent with two decimals; undefined when the denominator is zero. */
export const percent = (part: Decimal, whole: Decimal): string | undefined =>
  whole.isZero() ? undefined : part.div(whole).times(100).toFixed(2, Decimal.ROUND_HALF_UP)
