import Decimal from 'decimal.js'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { adjustedOf, availableOf, spentOf } from '../../../src/domain/budget-year'
import type { Command } from '../../../src/domain/events/commands'
import { fenFromInteger, fenOf, fenText, minusFen, plusFen, toYuan } from '../../../src/domain/money/fen'
const ONE_FEN = fenFromInteger(1)
import { allocate, given, openYear, when } from '../../support/years/given'

/**
 * The fold sums amounts as integer 分 (src/domain/money/fen.ts). Every amount a MoneyString admits
 * (|x| ≤ 10^15 元, i.e. up to 10^17 分) and every sum of them must stay exact: past 2^53 a double
 * would round, so these tests cross it on purpose, and compare each answer with decimal.js.
 */
const TWO_53 = 2n ** 53n
const money = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.integer({ min: 0, max: 2 }))
  .map(([negative, fen, decimals]) => {
    const whole = fen / 100n
    const cents = String(fen % 100n).padStart(2, '0')
    const text = decimals === 0 ? `${whole}` : decimals === 1 ? `${whole}.${cents[0]}` : `${whole}.${cents}`
    return negative && text !== '0' ? `-${text}` : text
  })

describe('amounts in 分: exact at every size', () => {
  it('given the edges of what an event may carry, when read as 分, then each is exact and written back in 元', () => {
    expect(fenOf('1000000000000000')).toBe(10n ** 17n)
    expect(fenOf('-1000000000000000')).toBe(-(10n ** 17n))
    expect(fenOf('999999999999999.99')).toBe(10n ** 17n - 1n)
    expect(fenOf('0.01')).toBe(1)
    expect(fenOf('-0.01')).toBe(-1)
    expect(fenOf('-0.5')).toBe(-50)
    expect(fenOf('7')).toBe(700)
    expect(fenOf('-0')).toBe(0)
    expect(fenOf('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER)
    expect(fenOf('90071992547409.92')).toBe(TWO_53)
    expect(fenText(fenFromInteger(10n ** 17n))).toBe('1000000000000000.00')
    expect(fenText(fenFromInteger(-(10n ** 17n)))).toBe('-1000000000000000.00')
    expect(fenText(fenFromInteger(-1))).toBe('-0.01')
    expect(fenText(fenFromInteger(Number.MAX_SAFE_INTEGER))).toBe('90071992547409.91')
    expect(toYuan(fenFromInteger(10n ** 17n)).eq(new Decimal('1e15'))).toBe(true)
  })

  it('given a text that is not 元 with at most two decimals, when read as 分, then it is refused, never rounded', () => {
    for (const bad of ['', '-', '1.234', '1.', '.5', '-.5', '1e5', '1,000', '+1', ' 1', '1.2.3', '--1', 'NaN'])
      expect(() => fenOf(bad), bad).toThrow(/is not an amount in 元/)
  })

  it('given an amount in 分, when handed to decimal.js as if it were 元, then the type checker refuses it (the unit cannot be mixed up silently)', () => {
    const spent = fenOf('7.00')
    // @ts-expect-error a 分 amount is opaque: decimal.js would read 700 分 as 700 元
    const mixedUp = () => new Decimal(1).plus(spent)
    // what the checker prevents: at run time decimal.js would take the 分 as 元 without a word
    expect(mixedUp().toFixed(2)).toBe('701.00')
    expect(toYuan(spent).plus(1).toFixed(2)).toBe('8.00')
  })

  it('given sums that reach past 2^53 分 and come back, when added in 分, then every step equals decimal.js and is a number again below 2^53', () => {
    const max = fenOf('1000000000000000')
    let total = fenOf('90071992547409.91')
    total = plusFen(total, ONE_FEN)
    expect(total).toBe(TWO_53)
    total = plusFen(total, max)
    expect(total).toBe(TWO_53 + 10n ** 17n)
    total = minusFen(total, max)
    total = minusFen(total, ONE_FEN)
    expect(total).toBe(Number.MAX_SAFE_INTEGER)
    expect(minusFen(fenFromInteger(-Number.MAX_SAFE_INTEGER), ONE_FEN)).toBe(-TWO_53)
    expect(plusFen(fenFromInteger(-TWO_53), ONE_FEN)).toBe(-Number.MAX_SAFE_INTEGER)
  })

  it('given random amounts of every size and sign, when each is read and all are summed in 分, then text and sum are exactly decimal.js', () => {
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 40 }), (amounts) => {
        let fen = fenOf('0')
        let dec = new Decimal(0)
        for (const a of amounts) {
          expect(fenText(fenOf(a))).toBe(new Decimal(a).toFixed(2))
          fen = plusFen(fen, fenOf(a))
          dec = dec.plus(a)
          expect(fenText(fen)).toBe(dec.toFixed(2))
          expect(typeof fen === 'number').toBe(dec.abs().times(100).lt(Number.MAX_SAFE_INTEGER + 1))
        }
        expect(toYuan(fen).eq(dec)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('given a line whose budget grows past 2^53 分 by the largest amounts, when spent and reversed, then its figures are exact in 元', () => {
    const big = '1000000000000000.00'
    const spend: Command = { type: 'RecordExpenditure', data: { line: 'p1', amount: '1500000000000000.01', economicCode: null, voucher: 'v1', threePublic: 'reception', procurement: 'goods' } } as Command
    const year: Command[] = [
      openYear(),
      allocate('p1', big),
      { type: 'AddToLine', data: { line: 'p1', amount: big, category: 'ordinary' } } as Command,
      { type: 'AddToLine', data: { line: 'p1', amount: '0.01', category: 'nationalPolicy' } } as Command,
      spend,
    ]
    const { state, ids } = given(year)
    const l = state.lines.get('p1')!
    expect(adjustedOf(l).toFixed(2)).toBe('2000000000000000.01')
    expect(spentOf(l).toFixed(2)).toBe('1500000000000000.01')
    expect(availableOf(l).toFixed(2)).toBe('500000000000000.00')
    expect(fenText(state.spentThreePublic.reception)).toBe('1500000000000000.01')
    expect(E.isLeft(when(state, spend))).toBe(true)

    const undone = given([...year, { type: 'ReverseEvent', data: { event: ids[4]! } } as Command, { type: 'ReverseEvent', data: { event: ids[2]! } } as Command]).state
    const back = undone.lines.get('p1')!
    expect(adjustedOf(back).toFixed(2)).toBe('1000000000000000.01')
    expect(back.added).toEqual({ ordinary: 0, exempt: 1 })
    expect(back.spent).toBe(0)
    expect(undone.spentThreePublic.reception).toBe(0)
  })
})
