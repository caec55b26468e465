import type Decimal from 'decimal.js'
import { Yuan, ZERO } from './money'

/**
 * An amount in 分 (hundredths of a 元) as an exact integer, the form the budget-year fold sums in:
 * constructing a decimal.js value from every event's amount was a fifth of the fold's time. A JS
 * number while it is a safe integer, a bigint beyond: a single amount reaches 10^17 分 (MAX_AMOUNT),
 * past 2^53, and a sum may go further; nothing is ever rounded. A value is canonical (a number
 * whenever it fits), so two equal amounts are ===. Readers get 元 back as a Decimal (toYuan).
 */
declare const inFen: unique symbol
/**
 * Opaque on purpose: decimal.js takes a number or a bigint as 元, so a bare `number | bigint` of 分
 * handed to `plus` would add a hundred times the amount without a type error. Only this module
 * looks inside.
 */
export type Fen = { readonly [inFen]: true }
type Raw = number | bigint
const raw = (f: Fen): Raw => f as unknown as Raw
const fen = (r: Raw): Fen => r as unknown as Fen

export const ZERO_FEN: Fen = fen(0)

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const canonical = (b: bigint): Fen => fen(b >= -MAX_SAFE && b <= MAX_SAFE ? Number(b) : b)

const malformed = (s: string): Error => new Error(`invariant: "${s}" is not an amount in 元 with at most two decimals`)

/**
 * The 分 of a decimal string in 元 ("123.45", "-0.5", "7"): read digit by digit, exact. Digits are
 * accumulated in a double while they stay below 2^53 (every step exact); a text whose value reaches
 * 2^53 is read again as a bigint. Anything else than the MoneyString form (at most two decimals, no
 * exponent, no sign but a leading minus) throws: an amount is never guessed.
 */
export const fenOf = (s: string): Fen => {
  const len = s.length
  let i = s.charCodeAt(0) === 45 ? 1 : 0
  const negative = i === 1
  let n = 0
  let dot = -1
  if (i === len) throw malformed(s)
  for (; i < len; i++) {
    const c = s.charCodeAt(i)
    if (c === 46 && dot < 0 && i > (negative ? 1 : 0) && i < len - 1) dot = i
    else if (c >= 48 && c <= 57) n = n * 10 + (c - 48)
    else throw malformed(s)
  }
  const decimals = dot < 0 ? 0 : len - dot - 1
  if (decimals > 2) throw malformed(s)
  n *= decimals === 0 ? 100 : decimals === 1 ? 10 : 1
  if (Number.isSafeInteger(n)) return fen(negative && n !== 0 ? -n : n)
  const digits = dot < 0 ? s.slice(negative ? 1 : 0) : s.slice(negative ? 1 : 0, dot) + s.slice(dot + 1)
  const big = BigInt(digits) * (decimals === 0 ? 100n : decimals === 1 ? 10n : 1n)
  return canonical(negative ? -big : big)
}

/** a + b, exact: a sum of safe integers is exact unless it reaches 2^53, and then it is redone in bigint. */
export const plusFen = (a: Fen, b: Fen): Fen => {
  const x = raw(a)
  const y = raw(b)
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x + y
    if (Number.isSafeInteger(r)) return fen(r)
  }
  return canonical(BigInt(x) + BigInt(y))
}

export const minusFen = (a: Fen, b: Fen): Fen => {
  const x = raw(a)
  const y = raw(b)
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x - y
    if (Number.isSafeInteger(r)) return fen(r)
  }
  return canonical(BigInt(x) - BigInt(y))
}

/** Whether the amount is zero (a canonical zero is the number 0). */
export const isZeroFen = (f: Fen): boolean => raw(f) === 0

/** The canonical wire form of an amount: 元 with two decimals ("-0.05", "1234.50"). */
export const fenText = (f: Fen): string => {
  const r = raw(f)
  if (typeof r === 'number') {
    const abs = r < 0 ? -r : r
    const cents = abs % 100
    // (abs − cents) is a multiple of 100, so the division is exact; abs / 100 floored need not be.
    return `${r < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`
  }
  const abs = r < 0n ? -r : r
  const cents = Number(abs % 100n)
  return `${r < 0n ? '-' : ''}${abs / 100n}.${cents < 10 ? '0' : ''}${cents}`
}

/** The amount in 元 as a Decimal, for the readers of the fold (tables, indicators, rules). */
export const toYuan = (f: Fen): Decimal => (raw(f) === 0 ? ZERO : new Yuan(fenText(f)))

/**
 * A Decimal of 元 with at most two decimals (one read from the fold, or sums of such) back in 分,
 * exactly; more decimals throw. For readers whose figures are Decimals (the 决算's year figures)
 * handing them to a sum in 分.
 */
export const fenOfYuan = (d: Decimal): Fen => fenOf(d.toFixed())

/** An integer count of 分 as an amount (tests, and the state codec's checks); anything else throws. */
export const fenFromInteger = (n: number | bigint): Fen => {
  if (typeof n === 'bigint') return canonical(n)
  if (!Number.isSafeInteger(n)) throw new Error(`invariant: ${n} is not a safe integer count of 分`)
  return fen(n === 0 ? 0 : n)
}

/** Whether a value of the state is an amount in 分 (state-trace tells figures by their type). */
export const isFen = (v: unknown): v is Fen => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))
