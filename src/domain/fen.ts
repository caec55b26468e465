import type Decimal from 'decimal.js'
import { Yuan, ZERO } from './money'

/**
 * An amount in 分 (hundredths of a 元) as an exact integer, the form the budget-year fold sums in:
 * constructing a decimal.js value from every event's amount was a fifth of the fold's time. A JS
 * number while it is a safe integer, a bigint beyond: a single amount reaches 10^17 分 (MAX_AMOUNT),
 * past 2^53, and a sum may go further; nothing is ever rounded. A value is canonical (a number
 * whenever it fits), so two equal amounts are ===. Readers get 元 back as a Decimal (toYuan).
 */
export type Fen = number | bigint

export const ZERO_FEN: Fen = 0

const canonical = (b: bigint): Fen => (b >= -MAX_SAFE && b <= MAX_SAFE ? Number(b) : b)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

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
  if (Number.isSafeInteger(n)) return negative && n !== 0 ? -n : n
  const digits = dot < 0 ? s.slice(negative ? 1 : 0) : s.slice(negative ? 1 : 0, dot) + s.slice(dot + 1)
  const big = BigInt(digits) * (decimals === 0 ? 100n : decimals === 1 ? 10n : 1n)
  return canonical(negative ? -big : big)
}

/** a + b, exact: a sum of safe integers is exact unless it reaches 2^53, and then it is redone in bigint. */
export const plusFen = (a: Fen, b: Fen): Fen => {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b
    if (Number.isSafeInteger(r)) return r
  }
  return canonical(BigInt(a) + BigInt(b))
}

export const minusFen = (a: Fen, b: Fen): Fen => {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b
    if (Number.isSafeInteger(r)) return r
  }
  return canonical(BigInt(a) - BigInt(b))
}

/** The canonical wire form of an amount: 元 with two decimals ("-0.05", "1234.50"). */
export const fenText = (f: Fen): string => {
  if (typeof f === 'number') {
    const abs = f < 0 ? -f : f
    const cents = abs % 100
    // (abs − cents) is a multiple of 100, so the division is exact; abs / 100 floored need not be.
    return `${f < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`
  }
  const abs = f < 0n ? -f : f
  const cents = Number(abs % 100n)
  return `${f < 0n ? '-' : ''}${abs / 100n}.${cents < 10 ? '0' : ''}${cents}`
}

/** The amount in 元 as a Decimal, for the readers of the fold (tables, indicators, rules). */
export const toYuan = (f: Fen): Decimal => (f === 0 ? ZERO : new Yuan(fenText(f)))

/** Whether a value of the state is an amount in 分 (state-trace tells figures by their type). */
export const isFen = (v: unknown): v is Fen => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))
