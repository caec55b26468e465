import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { adjustedOf } from '../../../src/domain/budget-year'
import type { Command } from '../../../src/domain/events/commands'
import { decodeCommandBody } from '../../../src/ledger/recording/handle-command'
import { allocate, ctx, given, openYear, when } from '../../support/years/given'
import { fenText } from '../../../src/domain/money/fen'

/** 更正 (CorrectEntry): a reversal and its replacement, decided as one command. */
const add = (line: string, amount: string) => ({ type: 'AddToLine', data: { line, amount, category: 'ordinary' } })
const spend = (line: string, amount: string) =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: 'V-1', threePublic: null, procurement: null } }) as Command
const correct = (event: string, replacement: unknown): Command => ({ type: 'CorrectEntry', data: { event, replacement } }) as Command

const refusal = (r: ReturnType<typeof when>) => (E.isLeft(r) ? r.left : undefined)

describe('decide: a correction (更正) is a reversal and its replacement, together', () => {
  it('given an expenditure of 60.00 (e2), when it is corrected to 70.00, then it records EventReversed of e2 then the 70.00 expenditure, and the line has spent 70.00', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '60.00')])
    const r = when(state, correct('e2', spend('p1', '70.00')))
    expect(E.isRight(r) && r.right).toEqual([
      { type: 'EventReversed', data: { event: 'e2' } },
      { type: 'ExpenditureRecorded', data: expect.objectContaining({ line: 'p1', amount: '70.00' }) },
    ])
    const after = given([openYear(), allocate('p1', '100.00'), spend('p1', '60.00'), correct('e2', spend('p1', '70.00'))])
    expect(fenText(after.state.lines.get('p1')!.spent)).toBe('70.00')
  })

  it('given a line of 100.00 with 60.00 and 30.00 spent, when the 60.00 is corrected to 70.00, then it is accepted: the replacement is decided after its own reversal', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '60.00'), spend('p1', '30.00')])
    expect(E.isRight(when(state, correct('e2', spend('p1', '70.00'))))).toBe(true)
  })

  it('given the same line, when the 60.00 is corrected to 70.01, then the whole correction is refused as over-spend, named at the replacement’s amount, and the given state is untouched', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '60.00'), spend('p1', '30.00')])
    const e = refusal(when(state, correct('e2', spend('p1', '70.01'))))
    expect(e).toMatchObject({ code: 'over-spend', path: 'data.replacement.data.amount' })
    expect(e!.message).toContain('70.01 元')
    // Deciding folded the reversal on a fork only: e2 can still be reversed, and is still spent.
    expect(fenText(state.lines.get('p1')!.spent)).toBe('90.00')
    expect(E.isRight(when(state, { type: 'ReverseEvent', data: { event: 'e2' } } as Command))).toBe(true)
  })

  it('given an addition of 20.00 to p1, when it is corrected to an addition of 25.00 to p2, then p1 is back to 100.00 and p2 is 75.00', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), allocate('p2', '50.00'), add('p1', '20.00') as Command, correct('e3', add('p2', '25.00'))])
    expect(adjustedOf(state.lines.get('p1')!).toFixed(2)).toBe('100.00')
    expect(adjustedOf(state.lines.get('p2')!).toFixed(2)).toBe('75.00')
  })

  it('when the entry was already reversed, or does not exist, then the correction is refused at data.event', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '60.00'), { type: 'ReverseEvent', data: { event: 'e2' } } as Command])
    expect(refusal(when(state, correct('e2', spend('p1', '1.00'))))).toMatchObject({ code: 'already-reversed', path: 'data.event' })
    expect(refusal(when(state, correct('nope', spend('p1', '1.00'))))).toMatchObject({ code: 'unknown-event', path: 'data.event' })
  })

  it('when the replacement is an adjustment without an approval document, then it is refused at document', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), add('p1', '20.00') as Command])
    expect(refusal(when(state, correct('e2', add('p1', '25.00')), { ...ctx, document: null }))).toMatchObject({ code: 'document-required', path: 'document' })
  })

  it('when the replacement is dated outside its own window (an expenditure in the next year), then it is refused at effectiveDate', () => {
    const { state } = given([openYear(), allocate('p1', '100.00'), spend('p1', '60.00')])
    expect(refusal(when(state, correct('e2', spend('p1', '50.00')), { ...ctx, effectiveDate: '2022-01-05' }))).toMatchObject({ code: 'date-outside-year', path: 'effectiveDate' })
  })
})

describe('the correction’s codec: the replacement is picked by its type, and bad fields are named by path', () => {
  const body = (replacement: unknown) => ({ type: 'CorrectEntry', data: { event: 'e2', replacement }, reason: '更正', document: null, effectiveDate: '2021-05-01' })
  const issues = (b: unknown) => {
    const r = decodeCommandBody(b)
    return E.isLeft(r) ? r.left.errors : []
  }

  it('when the replacement’s amount is not money, then only data.replacement.data.amount is named', () => {
    expect(issues(body(spend('p1', '12,5')))).toEqual([{ path: 'data.replacement.data.amount', reason: expect.stringContaining('"12,5"'), words: expect.stringContaining('"12,5"') }])
  })

  it('when the replacement is not an entry of amounts (opening a year, another correction), then data.replacement.type is named with the types it may be', () => {
    for (const type of ['OpenBudgetYear', 'CorrectEntry', 'ReverseEvent']) {
      const found = issues(body({ type, data: {} }))
      expect(found).toEqual([{ path: 'data.replacement.type', reason: expect.stringContaining('"RecordExpenditure"'), words: expect.stringContaining('"RecordExpenditure"') }])
    }
  })

  it('when it is well formed, then it decodes to the command', () => {
    const r = decodeCommandBody(body(spend('p1', '12.50')))
    expect(E.isRight(r) && r.right.command).toEqual({ type: 'CorrectEntry', data: { event: 'e2', replacement: spend('p1', '12.50') } })
  })
})
