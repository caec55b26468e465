import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { executionView } from '../../../projections/indicators/execution'
import { indicatorReport } from '../../../projections/indicators/indicators'
import { carriedInOf, initialBudgetOf, originalFundSourceOf } from '../../../src/domain/budget-year/state'
import { yuan } from '../../../src/domain/money/money'
import type { Command } from '../../../src/domain/events/commands'
import { nextYearCommands } from '../../../src/ledger/opening-closing/open-next-year'
import { renderTable } from '../../../src/ledger/reports/tables'
import { ledgerProblems } from '../../../projections/consistency'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import { allocate, given, openYear, when } from '../../support/years/given'
import { ZERO_FEN, fenOf, toYuan } from '../../../src/domain/money/fen'

/**
 * 年初结转和结余 is its own column and fund source, not part of 年初预算. Hand-computed, 2022 (元):
 *   p1   年初预算 400,000.00 (财政拨款)
 *   cf-1 carried in  100,000.00 (上年结转, budgeted in 2021 as 财政拨款)
 *   spent: p1 300,000.00, cf-1 80,000.00 → 380,000.00
 *   全年预算 (adjusted, carried-in included) 500,000.00 → 预算执行率 76.00%
 *   年初预算 (carried-in excluded) 400,000.00 → 完成年初预算的 95.00%
 */
const spend = (line: string, amount: string): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: `V-${line}`, threePublic: null, procurement: null } }) as Command
const carried = (line: string, amount: string, extra: object = { carriedFundSource: 'general.appropriation' }): Command =>
  ({
    type: 'AllocateLine',
    data: { line, kind: 'project', basicCategory: null, projectName: '结转项目', functionCode: '2150502', economicCode: null, fundSource: 'carriedForward', amount, carriedFrom: { year: 2021, line: 'p9' }, ...extra },
  }) as Command
const YEAR = [openYear('101065', 2022), allocate('p1', '400000.00'), carried('cf-1', '100000.00'), spend('p1', '300000.00'), spend('cf-1', '80000.00')]
const at2022 = { reason: 'test', document: '测试〔2022〕1号', effectiveDate: '2022-03-01' }

describe('年初结转和结余: carried-in money beside 年初预算', () => {
  it('given a carried-in line, then it counts as 年初结转和结余 from 财政拨款 and not as 年初预算', () => {
    const { state } = given(YEAR, at2022)
    const cf = state.lines.get('cf-1')!
    const p1 = state.lines.get('p1')!
    expect([carriedInOf(cf), initialBudgetOf(cf), carriedInOf(p1), initialBudgetOf(p1)].map((d) => d.toFixed(2))).toEqual(['100000.00', '0.00', '0.00', '400000.00'])
    expect([originalFundSourceOf(cf), originalFundSourceOf(p1)]).toEqual(['general.appropriation', 'general.appropriation'])
  })

  it('given the year, then 预算执行率 is against 全年预算 with the carried-in money (76.00%) and the 年初预算 variant against 年初预算 without it (95.00%)', () => {
    const { state } = given(YEAR, at2022)
    const execution = indicatorReport(state).indicators.find((i) => i.id === 'budget-execution')!
    expect(execution.value).toBe('76.00')
    expect(execution.variants.map((v) => [v.id, v.denominator.value, v.value])).toEqual([
      ['adjusted', '500000.00', '76.00'],
      ['initial', '400000.00', '95.00'],
    ])
  })

  it('given the year, then the dashboard\'s execution by 类 shows 年初预算 without the carried-in money and 调整后预算 with it', () => {
    const { state } = given(YEAR, at2022)
    const view = executionView(state, new Map([['2022-03', yuan('380000.00')]]), bundledCatalogue())
    expect([view.totals.initial, view.totals.adjusted, view.totals.spent]).toEqual(['400000.00', '500000.00', '380000.00'])
  })

  it('given the year, then the 预算 tables still show the carried-in money as 上年结转 income, as before', () => {
    const { state } = given(YEAR, at2022)
    const t1 = renderTable(state, '1', bundledCatalogue(), { unit: '101065', year: 2022 })
    expect(t1.totals.carriedForward!.toFixed(2)).toBe('100000.00')
    expect(t1.totals.income!.toFixed(2)).toBe('500000.00')
  })

  it('given the year with a 追加 of 10,000.00 on p1, then 预算表五 is the year’s own 一般公共预算 (410,000.00, the carry-in out) while 决算表五 sets 年初预算 400,000.00 and 全年预算 510,000.00 (the carry-in in) against 决算数 380,000.00, and the two agree on the year’s own money', () => {
    const { state } = given([...YEAR, { type: 'AddToLine', data: { line: 'p1', amount: '10000.00', category: 'ordinary' } } as Command], at2022)
    // By design (DESIGN.md §7: 年初结转和结余 is its own column, not 年初预算): the 预算 tables show
    // carried-in money only where they print 上年结转 (表一, 表二, 表三); 表四 and 表五 are the year's own
    // 财政拨款. The 决算 counts 财政拨款 carried in as 财政拨款 by the source it was budgeted from.
    const t5 = renderTable(state, '5', bundledCatalogue(), { unit: '101065', year: 2022 })
    const f5 = renderTable(state, 'F5', bundledCatalogue(), { unit: '101065', year: 2022 })
    expect(t5.totals.total!.toFixed(2)).toBe('410000.00')
    expect(renderTable(state, '4', bundledCatalogue(), { unit: '101065', year: 2022 }).totals.general!.toFixed(2)).toBe('410000.00')
    expect([f5.totals.initial, f5.totals.fullYear, f5.totals.actual, f5.totals.allotted].map((d) => d!.toFixed(2))).toEqual(['400000.00', '510000.00', '380000.00', '410000.00'])
    expect(ledgerProblems([t5, f5])).toEqual([])
  })

  it('when a line names the fund source of carried money without being carried in, or names carriedForward as it, then it is refused naming data.carriedFundSource', () => {
    const { state } = given([openYear('101065', 2022)], at2022)
    const plain = { type: 'AllocateLine', data: { ...(allocate('x', '1.00').data as object), carriedFundSource: 'general.appropriation' } } as Command
    expect(when(state, plain, at2022)).toEqual(E.left(expect.objectContaining({ code: 'carried-from', path: 'data.carriedFundSource' })))
    expect(when(state, carried('x', '1.00', { carriedFundSource: 'carriedForward' }), at2022)).toEqual(
      E.left(expect.objectContaining({ code: 'carried-from', path: 'data.carriedFundSource' })),
    )
  })

  it('given a closed line that itself carried money in, when the next year is opened, then the money keeps the fund source it was budgeted in', () => {
    const { state } = given(YEAR, at2022)
    const cf = { ...state.lines.get('cf-1')!, closing: { carryOver: fenOf(toYuan(state.lines.get('cf-1')!.initial).minus(80000).toFixed(2)), balance: ZERO_FEN, recovered: ZERO_FEN } }
    const [, line] = nextYearCommands({ unit: { code: '101065', name: '测试单位' }, year: 2022, unitType: 'administrative', lines: [cf] }, false)
    expect(line!.data).toMatchObject({ fundSource: 'carriedForward', carriedFundSource: 'general.appropriation', amount: '20000.00' })
  })
})
