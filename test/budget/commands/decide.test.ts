import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { adjustedOf } from '../../../src/domain/budget-year'
import type { Command } from '../../../src/domain/events/commands'
import { allocate, ctx, given, openYear, when } from '../../support/years/given'
import { fenText } from '../../../src/domain/money/fen'

const add = (line: string, amount: string, category = 'ordinary'): Command =>
  ({ type: 'AddToLine', data: { line, amount, category } }) as Command
const reduce = (line: string, amount: string): Command =>
  ({ type: 'ReduceLine', data: { line, amount, category: 'ordinary' } }) as Command
const transfer = (from: string, to: string, amount: string): Command =>
  ({ type: 'TransferBetweenLines', data: { from, to, amount, category: 'ordinary' } }) as Command
const spend = (line: string, amount: string, threePublic: string | null = null): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: 'V-1', threePublic, procurement: null } }) as Command
const reverse = (event: string): Command => ({ type: 'ReverseEvent', data: { event } }) as Command

const refusal = (r: ReturnType<typeof when>) => (E.isLeft(r) ? r.left : undefined)

describe('decide: budget lines', () => {
  it('given an open year, when a line is allocated, then it records LineAllocated', () => {
    const { state } = given([openYear()])
    const r = when(state, allocate('p1', '100.00'))
    expect(E.isRight(r) && r.right.map((e) => e.type)).toEqual(['LineAllocated'])
  })

  it('given no open year, when anything is recorded, then it is refused', () => {
    const { state } = given([])
    expect(refusal(when(state, allocate('p1', '100.00')))).toMatchObject({ code: 'year-not-open' })
  })

  it('given an open year, when it is opened again, then it is refused', () => {
    const { state } = given([openYear()])
    expect(refusal(when(state, openYear()))).toMatchObject({ code: 'year-already-open' })
  })

  it('given a line, when the same id is allocated again, then it is refused naming the line', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, allocate('p1', '5.00')))).toMatchObject({ code: 'line-exists', path: 'data.line' })
  })
})

describe('decide: spending', () => {
  it('given a line of 100.00, when 60.00 then 40.00 is spent, then both are accepted and the line is fully spent', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '60.00'), spend('p1', '40.00')])
    expect(fenText(state.lines.get('p1')!.spent)).toBe('100.00')
  })

  it('given a line of 100.00, when 100.01 is spent, then it is refused as over-spend with the amounts in 元', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    const e = refusal(when(state, spend('p1', '100.01')))
    expect(e).toMatchObject({ code: 'over-spend', path: 'data.amount' })
    expect(e!.message).toContain('100.01 元')
    expect(e!.message).toContain('100.00 元')
  })

  it('when spending on an unknown line, then it is refused naming the line', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, spend('nope', '1.00')))).toMatchObject({ code: 'unknown-line', path: 'data.line' })
    expect(refusal(when(state, spend('nope', '1.00')))!.message).toContain('"nope"')
  })

  it('when the business date is outside the budget year, then spending is refused', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, spend('p1', '1.00'), { ...ctx, effectiveDate: '2022-01-03' }))).toMatchObject({ code: 'date-outside-year' })
  })

  it('tracks “三公” spending by category', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '12.34', 'reception')])
    expect(fenText(state.spentThreePublic.reception)).toBe('12.34')
    expect(fenText(state.spentThreePublic.abroad)).toBe('0.00')
  })
})

describe('decide: adjustments', () => {
  it('given a line with 70.00 spent of 100.00, when it is reduced by 30.01, then it is refused as below spent', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '70.00')])
    expect(refusal(when(state, reduce('p1', '30.01')))).toMatchObject({ code: 'below-spent' })
    expect(E.isRight(when(state, reduce('p1', '30.00')))).toBe(true)
  })

  it('when a transfer goes from a line to itself, then it is refused', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, transfer('p1', 'p1', '1.00')))).toMatchObject({ code: 'transfer-to-itself' })
  })

  it('when a transfer would take a line below what it spent, then it is refused', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), allocate('p2', '0.00'), spend('p1', '90.00')])
    expect(refusal(when(state, transfer('p1', 'p2', '10.01')))).toMatchObject({ code: 'below-spent' })
  })

  it('given additions, reductions and transfers, then each line’s adjusted budget follows, split ordinary/exempt', () => {
    const { state } = given([
      openYear(),
      allocate('p1', '100.00'),
      allocate('p2', '50.00'),
      add('p1', '20.00'),
      add('p1', '5.00', 'nationalPolicy'),
      reduce('p2', '10.00'),
      transfer('p1', 'p2', '15.00'),
    ])
    expect(adjustedOf(state.lines.get('p1')!).toFixed(2)).toBe('110.00')
    expect(adjustedOf(state.lines.get('p2')!).toFixed(2)).toBe('55.00')
    expect(fenText(state.lines.get('p1')!.added.exempt)).toBe('5.00')
    expect(fenText(state.lines.get('p1')!.added.ordinary)).toBe('20.00')
  })

  it('when an adjustment has no approval document, then it is refused', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, add('p1', '1.00'), { ...ctx, document: null }))).toMatchObject({ code: 'document-required' })
  })
})

describe('decide: reversals', () => {
  it('given an expenditure, when it is reversed, then the spending is undone and the original stays', () => {
    const { state, ids, events } = given([openYear(), allocate('p1', '100.00'), spend('p1', '40.00')])
    const after = given([openYear(), allocate('p1', '100.00'), spend('p1', '40.00'), reverse(ids[2]!)])
    expect(fenText(after.state.lines.get('p1')!.spent)).toBe('0.00')
    expect(after.events.map((e) => e.type)).toEqual([...events.map((e) => e.type), 'EventReversed'])
    expect(fenText(state.lines.get('p1')!.spent)).toBe('40.00')
  })

  it('when the same event is reversed twice, then the second is refused', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '40.00'), reverse('e2')])
    expect(refusal(when(state, reverse('e2')))).toMatchObject({ code: 'already-reversed' })
  })

  it('when an unknown or non-reversible event is reversed, then it is refused', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, reverse('e1')))).toMatchObject({ code: 'unknown-event' })
    expect(refusal(when(state, reverse('zzz')))).toMatchObject({ code: 'unknown-event' })
  })

  it('given an addition that was spent, when the addition is reversed, then it is refused as below spent', () => {
    const { state } = given([openYear(), allocate('p1', '10.00'), add('p1', '90.00'), spend('p1', '50.00')])
    expect(refusal(when(state, reverse('e2')))).toMatchObject({ code: 'below-spent' })
  })

  it('given a reversed transfer, then both lines are back where they were', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), allocate('p2', '0.00'), transfer('p1', 'p2', '30.00'), reverse('e3')])
    expect(adjustedOf(state.lines.get('p1')!).toFixed(2)).toBe('100.00')
    expect(adjustedOf(state.lines.get('p2')!).toFixed(2)).toBe('0.00')
  })
})

describe('decide: the business date of each command lies in its window of the budget year', () => {
  const { state } = given([openYear(), allocate('p1', '100.00')])
  const on = (c: Command, effectiveDate: string) => when(state, c, { ...ctx, effectiveDate })

  it.each([
    ['an addition', add('p1', '1.00'), '2021-01-01', '2022-03-31'],
    ['a reduction', reduce('p1', '1.00'), '2021-01-01', '2022-03-31'],
    ['a transfer', transfer('p1', 'p2', '1.00'), '2021-01-01', '2022-03-31'],
    ['an expenditure', spend('p1', '1.00'), '2021-01-01', '2021-12-31'],
    ['an allocation', allocate('p2', '1.00'), '2020-10-01', '2021-12-31'],
  ])('%s may be dated %s to %s, and not a day outside', (_what, c, first, last) => {
    const dayBefore = new Date(Date.parse(`${first}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    const dayAfter = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    for (const inside of [first, last]) expect(refusal(on(c, inside))?.code).not.toBe('date-outside-year')
    for (const outside of [dayBefore, dayAfter, '0000-01-01', '9999-12-31'])
      expect(refusal(on(c, outside))).toEqual({
        code: 'date-outside-year',
        path: 'effectiveDate',
        message: expect.stringContaining(`${first} to ${last}`),
        words: expect.stringContaining(`${first} 至 ${last}`),
      })
  })

  it('opening a year may be dated from 1 October of the year before', () => {
    const { state: empty } = given([])
    expect(E.isRight(when(empty, openYear(), { ...ctx, effectiveDate: '2020-10-01' }))).toBe(true)
    expect(refusal(when(empty, openYear(), { ...ctx, effectiveDate: '2020-09-30' }))).toMatchObject({ code: 'date-outside-year', path: 'effectiveDate' })
  })
})

describe('decide: every refusal also says it in Chinese (words), with the same figures and ids', () => {
  it('given a line of 100.00, when 100.01 is spent, then the words say 超支 with both amounts', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, spend('p1', '100.01')))!.words).toBe('超支：科目 "p1" 支出 100.01 元 后累计支出 100.01 元，超过调整后预算 100.00 元')
  })

  it('given 70.00 spent of 100.00, when reduced by 30.01, then the words say it would fall 低于已支出', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '70.00')])
    expect(refusal(when(state, reduce('p1', '30.01')))!.words).toBe('调减 30.01 元 后，科目 "p1" 的预算将为 69.99 元，低于已支出的 70.00 元')
  })

  it('given a closed year, when anything is recorded, then the words say the year 已结账', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '100.00'), { type: 'CloseYear', data: { lines: [] } } as unknown as Command])
    expect(refusal(when(state, spend('p1', '1.00')))!.words).toBe('单位 101065 的 2021 预算年度已结账，不能再作任何变动')
  })

  it('when spending is dated outside the year, then the words say 不在业务日期范围内 with the dates', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(refusal(when(state, spend('p1', '1.00'), { ...ctx, effectiveDate: '2022-01-03' }))!.words).toBe(
      '业务日期 2022-01-03 不在 2021 预算年度支出执行的业务日期范围内（2021-01-01 至 2021-12-31）',
    )
  })
})
