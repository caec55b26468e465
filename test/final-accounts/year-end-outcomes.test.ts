import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { carryOverOf, recoveredOf, surplusOf } from '../../src/domain/budget-year/state'
import type { Command } from '../../src/domain/events/commands'
import { closeYearCommand } from '../../src/ledger/opening-closing/close-year'
import { allocate, given, openYear, when } from '../support/years/given'

/**
 * The year-end outcomes of a line's unspent money: 结转 (carried forward), 结余 (left over) and
 * 收回 (taken back by the finance bureau), hand-computed (元):
 *   p1 100,000.00 spent 70,000.00 → 30,000.00 left: 结转 10,000.00 + 结余 5,000.00 + 收回 15,000.00
 *   p2  50,000.00 spent 50,000.00 → nothing left
 *   b1  20,000.00 spent 12,345.67 →  7,654.33 left: 收回 7,654.33 (all of it)
 */
const spend = (line: string, amount: string): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: `V-${line}`, threePublic: null, procurement: null } }) as Command
const close = (lines: object[], recoveryNotice?: string): Command =>
  ({ type: 'CloseYear', data: { lines, ...(recoveryNotice ? { recoveryNotice } : {}) } }) as Command
const YEAR = [
  openYear(),
  allocate('p1', '100000.00'),
  allocate('p2', '50000.00'),
  allocate('b1', '20000.00', { kind: 'basic', basicCategory: 'operating' }),
  spend('p1', '70000.00'),
  spend('p2', '50000.00'),
  spend('b1', '12345.67'),
]
const year = () => given(YEAR).state
const NOTICE = '财收〔2021〕12号'
const refusal = (r: ReturnType<typeof when>) => (E.isLeft(r) ? r.left : undefined)

describe('decide: the year-end close with 结转, 结余 and 收回', () => {
  it('given lines with money left, when the close splits each into 结转 + 结余 + 收回 exactly, then it is recorded and each line ends with its three outcomes', () => {
    const c = close(
      [
        { line: 'p1', carryOver: '10000.00', balance: '5000.00', recovered: '15000.00' },
        { line: 'b1', carryOver: '0.00', balance: '0.00', recovered: '7654.33' },
      ],
      NOTICE,
    )
    expect(E.isRight(when(year(), c))).toBe(true)
    const after = given([...YEAR, c]).state
    const outcomes = (id: string) => [carryOverOf, surplusOf, recoveredOf].map((f) => f(after.lines.get(id)!).toFixed(2))
    expect(outcomes('p1')).toEqual(['10000.00', '5000.00', '15000.00'])
    expect(outcomes('b1')).toEqual(['0.00', '0.00', '7654.33'])
    expect(outcomes('p2')).toEqual(['0.00', '0.00', '0.00'])
    expect(after.closed).toBe(true)
  })

  it('when 结转 + 结余 + 收回 is one 分 short of what is left, then the close is refused naming the line and the three amounts', () => {
    const e = refusal(
      when(year(), close([{ line: 'p1', carryOver: '10000.00', balance: '5000.00', recovered: '14999.99' }, { line: 'b1', carryOver: '0.00', balance: '0.00', recovered: '7654.33' }], NOTICE)),
    )
    expect(e).toMatchObject({ code: 'close-mismatch', path: 'data.lines[0]' })
    expect(e!.message).toBe(
      'line "p1": 结转 10000.00 元 + 结余 5000.00 元 + 收回 14999.99 元 = 29999.99 元, but its available amount is 30000.00 元 (adjusted 100000.00 元 − spent 70000.00 元)',
    )
  })

  it('when money is recovered without the finance bureau’s 收回 notice, then the close is refused naming data.recoveryNotice', () => {
    const e = refusal(when(year(), close([{ line: 'p1', carryOver: '0.00', balance: '0.00', recovered: '30000.00' }, { line: 'b1', carryOver: '0.00', balance: '7654.33' }])))
    expect(e).toMatchObject({ code: 'document-required', path: 'data.recoveryNotice' })
    expect(e!.message).toContain('收回')
  })

  it('when a close without 收回 names a 收回 notice, then it is refused: the notice would cite nothing', () => {
    const e = refusal(when(year(), close([{ line: 'p1', carryOver: '30000.00', balance: '0.00' }, { line: 'b1', carryOver: '0.00', balance: '7654.33' }], NOTICE)))
    expect(e).toMatchObject({ code: 'close-mismatch', path: 'data.recoveryNotice' })
  })

  it('when a line’s 收回 is negative, then the close is refused naming the line', () => {
    const e = refusal(when(year(), close([{ line: 'p1', carryOver: '30000.00', balance: '1.00', recovered: '-1.00' }, { line: 'b1', carryOver: '0.00', balance: '7654.33' }], NOTICE)))
    expect(e).toMatchObject({ code: 'close-mismatch', path: 'data.lines[0]' })
  })
})

describe('closeYearCommand: the close from what is carried and what is recovered', () => {
  it('given --carry p1=10000.00 and --recover p1=15000.00 b1=all, then the rest is 结余: p1 5,000.00, b1 0.00, and the notice is cited', () => {
    const c = closeYearCommand(year(), { p1: '10000.00' }, { recover: { p1: '15000.00', b1: 'all' }, recoveryNotice: NOTICE })
    expect(c).toEqual(
      E.right({
        type: 'CloseYear',
        data: {
          lines: [
            { line: 'p1', carryOver: '10000.00', balance: '5000.00', recovered: '15000.00' },
            { line: 'b1', carryOver: '0.00', balance: '0.00', recovered: '7654.33' },
          ],
          recoveryNotice: NOTICE,
        },
      }),
    )
    expect(E.isRight(when(year(), (c as E.Right<Command>).right))).toBe(true)
  })

  it('when more is carried and recovered than a line has left, then it is refused naming the line', () => {
    expect(closeYearCommand(year(), { p1: '20000.00' }, { recover: { p1: '10000.01' }, recoveryNotice: NOTICE })).toEqual(
      E.left({
        wish: 'recover',
        line: 'p1',
        path: 'recover.p1',
        message: 'line "p1": cannot carry over 20000.00 元 and recover 10000.01 元, it has only 30000.00 元 left',
        words: '预算行 "p1" 只剩 30000.00 元，不能结转 20000.00 元并收回 10000.01 元',
      }),
    )
  })

  it('when a recovered amount is not 元 with two decimals, then it is refused naming the line', () => {
    expect(closeYearCommand(year(), {}, { recover: { p1: '1.234' }, recoveryNotice: NOTICE })).toEqual(
      E.left(
        expect.objectContaining({
          path: 'recover.p1',
          message: 'line "p1": the amount to recover must be "all" or a decimal string in 元 (e.g. 1200.00) or 万元 (1.25万元), got "1.234"',
        }),
      ),
    )
  })
})
