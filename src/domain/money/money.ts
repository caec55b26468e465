import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
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

/**
 * Within ±MAX_AMOUNT, read from the text of a DECIMAL_PATTERN string (no leading zeros): an integer
 * part of up to 15 digits is under 10^15, one of 16 is 10^15 exactly only when it is 1 and zeros
 * with no non-zero decimal. The same answer as `new Yuan(s).abs().lte(MAX_AMOUNT)` without two
 * decimal.js values per amount of every command (docs/speed.md, "Writes, the main thread's allocations").
 */
const withinMaxAmount = (s: string): boolean => {
  const from = s.charCodeAt(0) === MINUS ? 1 : 0
  const point = s.indexOf('.', from)
  const digits = (point < 0 ? s.length : point) - from
  if (digits <= 15) return true
  return digits === 16 && s.startsWith('1000000000000000', from) && !hasNonZeroDigit(s, point < 0 ? s.length : point + 1)
}
const MINUS = 0x2d
/** Whether a digit other than 0 appears in `s` from `from` on (the decimals of a DECIMAL_PATTERN string, or the whole of one). */
const hasNonZeroDigit = (s: string, from: number): boolean => {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 0x30 && c <= 0x39) return true
  }
  return false
}

export const MoneyString = t.brand(
  t.string,
  (s): s is MoneyString => DECIMAL_PATTERN.test(s) && withinMaxAmount(s),
  'Money',
)

export interface PositiveBrand {
  readonly PositiveMoney: unique symbol
}
/** A strictly positive amount: adjustments and spending carry their direction in the event type. */
export type PositiveMoney = t.Branded<MoneyString, PositiveBrand>
export const PositiveMoney = t.brand(
  MoneyString,
  // A MoneyString: above zero when it has no minus sign and a digit that is not 0 (as `new Yuan(s).gt(0)`).
  (s): s is PositiveMoney => s.charCodeAt(0) !== MINUS && hasNonZeroDigit(s, 0),
  'PositiveMoney',
)

export interface NonNegativeBrand {
  readonly NonNegativeMoney: unique symbol
}
/** Zero or more: the parts of a year-end split (结转 / 结余), a declared amount. */
export type NonNegativeMoney = t.Branded<MoneyString, NonNegativeBrand>
export const NonNegativeMoney = t.brand(
  MoneyString,
  // A MoneyString: not below zero when it has no minus sign or only zeros ("-0.00"), as `!new Yuan(s).lt(0)`.
  (s): s is NonNegativeMoney => s.charCodeAt(0) !== MINUS || !hasNonZeroDigit(s, 1),
  'NonNegativeMoney',
)

export const ZERO = new Yuan(0)

export const yuan = (s: string | Decimal): Decimal => new Yuan(s)

export const sum = (xs: ReadonlyArray<Decimal>): Decimal => xs.reduce((a, b) => a.plus(b), ZERO)

/** The canonical wire form: two decimals, no exponent. */
export const toMoneyString = (d: Decimal): MoneyString => d.toFixed(2) as MoneyString

/**
 * 万元 with two decimals, half-up: the unit every published table uses. Sum first, round here.
 * An amount with at most two decimals (every figure of the fold, and sums of them) is read from its
 * text: 0.01 万元 is 100 元, so the result is the 元 without their last two digits, one more when
 * the tens digit is 5 or above (the rest is then ≥ 50 元, half or more); the sign stays, as
 * decimal.js prints it ("-0.00" for -0.01 元). Same text as dividing, without a decimal.js
 * division a cell, most of a table's render (docs/speed.md, "As-of, the render in 分"); anything
 * finer (a quotient) is divided as before.
 */
export const toWan = (d: Decimal): string => {
  const text = d.toFixed()
  const point = text.indexOf('.')
  if (point >= 0 && text.length - point > 3) return d.div(10_000).toFixed(2, Decimal.ROUND_HALF_UP)
  const negative = text.charCodeAt(0) === MINUS
  const whole = text.slice(negative ? 1 : 0, point < 0 ? text.length : point)
  const hundreds = whole.length > 2 ? whole.slice(0, -2) : '0'
  const up = whole.length >= 2 && whole.charCodeAt(whole.length - 2) >= DIGIT_FIVE
  // Fewer than 16 digits are below 2^53, where a double adds 1 exactly.
  const q = !up ? hundreds : hundreds.length < 16 ? String(Number(hundreds) + 1) : String(BigInt(hundreds) + 1n)
  const padded = q.length < 3 ? q.padStart(3, '0') : q
  return `${negative ? '-' : ''}${padded.slice(0, -2)}.${padded.slice(-2)}`
}
const DIGIT_FIVE = 0x35

/** 万元 (as printed in a budget document) to 元. */
export const fromWan = (s: string): Decimal => new Yuan(s).times(10_000)

/**
 * The units people type amounts in. Events, the wire and every table keep 元; an amount typed in
 * 万元 is converted once, by yuanFromUnit, and only when the unit is stated (a flag, a field or a
 * suffix): nothing is ever guessed from the size of a number.
 */
export const AmountUnit = t.keyof({ 元: null, 万元: null }, 'AmountUnit')
export type AmountUnit = t.TypeOf<typeof AmountUnit>

/** How many 元 one unit is, and how many decimals reach exactly one 分 in it. */
const UNIT_SCALE: Record<AmountUnit, { readonly yuan: number; readonly decimals: number }> = {
  元: { yuan: 1, decimals: 2 },
  万元: { yuan: 10_000, decimals: 6 },
}

const DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/

/**
 * An amount typed in `unit` as a 元 decimal string, exactly (decimal.js on the string, never a
 * float): "0.000001" 万元 is "0.01" 元; "0.0000001" 万元, a tenth of a 分, is refused, as is anything
 * that is not a plain decimal. Left: why, in a person's words.
 */
export const yuanFromUnit = (text: string, unit: AmountUnit): E.Either<string, MoneyString> => {
  const { yuan: factor, decimals } = UNIT_SCALE[unit]
  if (!DECIMAL_TEXT.test(text))
    return E.left(`expected a decimal string in ${unit} with at most ${decimals} decimals (e.g. "12.5"), got ${JSON.stringify(text)}`)
  const typed = new Yuan(text)
  const yuan = typed.times(factor)
  if (typed.decimalPlaces() > decimals)
    return E.left(
      `${text} ${unit} is ${yuan.toFixed()} 元, not a whole number of 分: ${unit} take at most ${decimals} decimals (${new Yuan(1).div(10 ** decimals).toFixed()} ${unit} = 0.01 元)`,
    )
  const money = yuan.toFixed(2)
  return MoneyString.is(money) ? E.right(money) : E.left(`${text} ${unit} is over the largest amount an event may carry (${MAX_AMOUNT.toFixed(0)} 元)`)
}

/** A 元 amount in `unit`, exactly (no rounding: a 分 is 0.000001 万元). The inverse of yuanFromUnit. */
export const inUnit = (money: MoneyString, unit: AmountUnit): string => new Yuan(money).div(UNIT_SCALE[unit].yuan).toFixed()

/** "12.5万元" → the amount and its stated unit; a bare "12.5" has no unit (the caller's default applies). */
export const splitUnitSuffix = (text: string): { readonly amount: string; readonly unit: AmountUnit | undefined } => {
  const m = /^(.*?)\s*(万元|元)$/.exec(text)
  return m ? { amount: m[1]!, unit: m[2] as AmountUnit } : { amount: text, unit: undefined }
}

/** A share in percent with two decimals; undefined when the denominator is zero. */
export const percent = (part: Decimal, whole: Decimal): string | undefined =>
  whole.isZero() ? undefined : part.div(whole).times(100).toFixed(2, Decimal.ROUND_HALF_UP)
