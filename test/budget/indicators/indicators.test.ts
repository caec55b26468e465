import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { drillDown } from '../../../projections/indicators/indicator-drilldown'
import { type IndicatorReport, type IndicatorView, findIndicator, indicatorReport } from '../../../projections/indicators/indicators'
import { indicatorChanges } from '../../../projections/indicators/indicators-render'
import { type BudgetYearState, decide, evolve, initialState } from '../../../src/domain/budget-year'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import type { DomainError } from '../../../src/domain/codecs/errors'
import type { UnitIndicator } from '../../../src/domain/budget-file/targets'
import { decodeCommandBody } from '../../../src/ledger/recording/handle-command'
import type { RecordedEvent } from '../../../src/store/envelope'
import { allocate, ctx, openYear } from '../../support/years/given'

/**
 * Hand-computed indicator scenarios. Every expected value below is worked out in the comments from
 * the commands, never by calling the code under test.
 */

// ---- a small ledger that keeps the recorded events (for the drill-down) -----------------------

const ledger = () => {
  let state: BudgetYearState = initialState()
  const events: RecordedEvent[] = []
  return {
    get state() {
      return state
    },
    events,
    /** Records a command (refusal throws); returns the ids of its events. */
    run(c: Command, context: CommandContext = ctx): string[] {
      const d = decide(state, c, context)
      if (E.isLeft(d)) throw new Error(`${c.type} refused: ${d.left.message}`)
      return d.right.map((event) => {
        const revision = state.revision + 1
        const id = `e${revision}`
        state = evolve(state, { id, revision, event })
        events.push({
          id,
          stream: 'budget-900101-2021',
          revision,
          position: revision,
          type: event.type,
          data: event.data,
          metadata: { ...context, recordedAt: '2021-12-31T00:00:00.000Z', actor: 'tester', role: 'finance', prevHash: '', hash: '' },
        })
        return id
      })
    },
    refusal(c: Command, context: CommandContext = ctx): DomainError | undefined {
      const d = decide(state, c, context)
      return E.isLeft(d) ? d.left : undefined
    },
  }
}

const cmd = (type: string, data: unknown): Command => ({ type, data }) as Command
const add = (line: string, amount: string, category = 'ordinary') => cmd('AddToLine', { line, amount, category })
const reduce = (line: string, amount: string, category = 'ordinary') => cmd('ReduceLine', { line, amount, category })
const transfer = (from: string, to: string, amount: string, category = 'ordinary') => cmd('TransferBetweenLines', { from, to, amount, category })
const spend = (line: string, amount: string, opts: { threePublic?: string; procurement?: string } = {}) =>
  cmd('RecordExpenditure', { line, amount, economicCode: null, voucher: `V-${line}-${amount}`, threePublic: opts.threePublic ?? null, procurement: opts.procurement ?? null })
const earmark = (earmark: string, amount: string) => cmd('SetEarmark', { earmark, amount })
const reverse = (event: string) => cmd('ReverseEvent', { event })

/** The seed's 投入管理 / 绩效管理 targets (table 十), as data. */
const target = (level3: string, operator: '≥' | '≤' | '=', value: string): UnitIndicator => ({
  level1: '',
  level2: '投入管理指标',
  level3,
  operator,
  value,
  unit: '%',
  explanation: '',
})
const SEED_TARGETS: UnitIndicator[] = [
  target('预算执行率', '≥', '90'),
  target('预算调整率', '≤', '30'),
  target('结转结余率', '≤', '20'),
  target('“三公经费”控制率', '≤', '60'),
  target('专项资金细化率', '≥', '90'),
  target('政府采购执行率', '≥', '80'),
  target('绩效监控完成率', '=', '100'),
  target('绩效自评完成率', '=', '100'),
  target('部门绩效评价完成率', '=', '100'),
  target('评价结果应用率', '=', '100'),
]
const unitTargets = (indicators: UnitIndicator[]) => cmd('SetUnitTargets', { annualGoals: [], tasks: [], indicators })

const byId = (r: IndicatorReport, id: string): IndicatorView => r.indicators.find((i) => i.id === id)!
const variant = (r: IndicatorReport, id: string, v: string) => byId(r, id).variants.find((x) => x.id === v)!

/**
 * The year of unit 900101 (元):
 *   b1 basic 200,000.00 · p1 project 500,000.00 · p2 project 300,000.00 → 年初预算 1,000,000.00
 *   ordinary:  +100,000.00 p1 · −50,000.00 p2 · 20,000.00 p1→b1
 *   exempt:    +80,000.00 p2 (nationalPolicy) · 10,000.00 b1→p2 (forceMajeure)
 *   adjusted:  b1 200,000 + 20,000 − 10,000 = 210,000 · p1 500,000 + 100,000 − 20,000 = 580,000
 *              p2 300,000 − 50,000 + 80,000 + 10,000 = 340,000 → 1,130,000.00
 *   spent:     b1 174,000 + 6,000 (三公 reception) = 180,000 · p1 475,000 + 45,000 (procurement
 *              services) = 520,000 · p2 300,000 (+12,345.67 recorded by mistake and reversed)
 *              → 1,000,000.00
 *   earmarks:  三公 reception 10,000.00 · procurement services 50,000.00 · goods 10,000.00 then
 *              re-declared 0.00 (the latest wins) → procurement budget 50,000.00
 *   special funds: p2 declares 200,000.00; detailed 甲县 120,000 + 乙县 70,000 (+ 丙单位 5,000
 *              reversed) → 190,000.00
 *   reviews:   monitoring p1, p2 · self-evaluation p1 · p1 scheduled and evaluated with three
 *              recommendations, two adopted
 *   close:     available b1 30,000 · p1 60,000 · p2 40,000 = 130,000.00;
 *              b1 结余 30,000 · p1 结转 60,000 · p2 结转 25,000 + 结余 15,000
 */
const scenario = () => {
  const l = ledger()
  l.run(openYear('900101', 2021))
  l.run(allocate('b1', '200000.00', { kind: 'basic', functionCode: '2010101' }))
  l.run(allocate('p1', '500000.00'))
  l.run(allocate('p2', '300000.00', { functionCode: '2060499' }))
  l.run(unitTargets(SEED_TARGETS))
  l.run(earmark('threePublic.reception', '10000.00'))
  l.run(earmark('procurement.services', '50000.00'))
  const goods = l.run(earmark('procurement.goods', '10000.00'))
  l.run(add('p1', '100000.00'))
  l.run(reduce('p2', '50000.00'))
  l.run(transfer('p1', 'b1', '20000.00'))
  l.run(add('p2', '80000.00', 'nationalPolicy'))
  l.run(transfer('b1', 'p2', '10000.00', 'forceMajeure'))
  l.run(earmark('procurement.goods', '0.00'))
  l.run(spend('b1', '174000.00'))
  l.run(spend('b1', '6000.00', { threePublic: 'reception' }))
  l.run(spend('p1', '475000.00'))
  l.run(spend('p1', '45000.00', { procurement: 'services' }))
  l.run(spend('p2', '300000.00'))
  const [mistake] = l.run(spend('p2', '12345.67'))
  l.run(reverse(mistake!))
  l.run(cmd('DeclareSpecialFunds', { line: 'p2', amount: '200000.00' }))
  l.run(cmd('DetailSpecialFunds', { line: 'p2', recipient: '甲县', amount: '120000.00' }))
  l.run(cmd('DetailSpecialFunds', { line: 'p2', recipient: '乙县', amount: '70000.00' }))
  const [wrongRecipient] = l.run(cmd('DetailSpecialFunds', { line: 'p2', recipient: '丙单位', amount: '5000.00' }))
  l.run(reverse(wrongRecipient!))
  l.run(cmd('CompleteReview', { line: 'p1', review: 'monitoring', recommendations: [] }))
  l.run(cmd('CompleteReview', { line: 'p2', review: 'monitoring', recommendations: [] }))
  l.run(cmd('CompleteReview', { line: 'p1', review: 'selfEvaluation', recommendations: [] }))
  l.run(cmd('ScheduleEvaluation', { line: 'p1' }))
  l.run(
    cmd('CompleteReview', {
      line: 'p1',
      review: 'evaluation',
      recommendations: [
        { id: 'r1', text: '细化绩效指标' },
        { id: 'r2', text: '加快资金拨付' },
        { id: 'r3', text: '加强台账管理' },
      ],
    }),
  )
  l.run(cmd('AdoptRecommendation', { recommendation: 'r1' }))
  l.run(cmd('AdoptRecommendation', { recommendation: 'r2' }))
  return { l, goods: goods[0]!, mistake: mistake!, wrongRecipient: wrongRecipient! }
}

const close = cmd('CloseYear', {
  lines: [
    { line: 'b1', carryOver: '0.00', balance: '30000.00' },
    { line: 'p1', carryOver: '60000.00', balance: '0.00' },
    { line: 'p2', carryOver: '25000.00', balance: '15000.00' },
  ],
})

describe('indicators: a hand-computed year against the seed’s targets', () => {
  it('given the year, then 预算执行率 is 88.50% of the adjusted budget (not met, ≥90) and 100.00% of the initial one', () => {
    const r = indicatorReport(scenario().l.state)
    // 1,000,000.00 / 1,130,000.00 = 0.884955… → 88.50 %  < 90 → not met
    expect(variant(r, 'budget-execution', 'adjusted')).toMatchObject({
      numerator: { value: '1000000.00' },
      denominator: { value: '1130000.00' },
      value: '88.50',
      status: 'not met',
      headline: true,
    })
    // 1,000,000.00 / 1,000,000.00 = 100.00 % ≥ 90 → met
    expect(variant(r, 'budget-execution', 'initial')).toMatchObject({ denominator: { value: '1000000.00' }, value: '100.00', status: 'met' })
    expect(byId(r, 'budget-execution')).toMatchObject({ headline: 'adjusted', value: '88.50', status: 'not met', target: { text: '≥90%' } })
  })

  it('then 预算调整率 leaves out the exempt adjustments: gross 17.00% (the headline), net 5.00%, both met (≤30)', () => {
    const r = indicatorReport(scenario().l.state)
    // gross: 100,000 + 50,000 + 20,000 = 170,000 / 1,000,000 = 17.00 %; the 80,000 and 10,000 exempt ones are out
    expect(variant(r, 'budget-adjustment', 'gross')).toMatchObject({ numerator: { value: '170000.00', valueWan: '17.00' }, denominator: { value: '1000000.00', valueWan: '100.00' }, value: '17.00', status: 'met' })
    // net: 100,000 − 50,000 (the transfer moves money, it does not change the total) = 50,000 / 1,000,000 = 5.00 %
    expect(variant(r, 'budget-adjustment', 'net')).toMatchObject({ numerator: { value: '50000.00' }, value: '5.00', status: 'met' })
    expect(byId(r, 'budget-adjustment').headline).toBe('gross')
    expect(byId(r, 'budget-adjustment').headlineWhy).toContain('资金总和')
  })

  it('then 三公 control is exactly at its limit: 6,000 / 10,000 = 60.00%, met (≤60)', () => {
    const r = indicatorReport(scenario().l.state)
    expect(byId(r, 'three-public-control')).toMatchObject({ value: '60.00', status: 'met', target: { text: '≤60%' } })
    expect(byId(r, 'three-public-control').variants[0]).toMatchObject({ numerator: { value: '6000.00' }, denominator: { value: '10000.00' } })
  })

  it('then procurement is 45,000 / 50,000 = 90.00% (the goods earmark re-declared 0 counts as 0), met (≥80)', () => {
    const r = indicatorReport(scenario().l.state)
    expect(byId(r, 'procurement-execution')).toMatchObject({ value: '90.00', status: 'met' })
    expect(byId(r, 'procurement-execution').variants[0]).toMatchObject({ numerator: { value: '45000.00' }, denominator: { value: '50000.00' } })
  })

  it('then 专项资金细化率 is 190,000 / 200,000 = 95.00% (the reversed detailing is out), met (≥90)', () => {
    const r = indicatorReport(scenario().l.state)
    expect(byId(r, 'special-funds-detailing')).toMatchObject({ value: '95.00', status: 'met' })
    expect(byId(r, 'special-funds-detailing').variants[0]).toMatchObject({ numerator: { value: '190000.00' }, denominator: { value: '200000.00' } })
  })

  it('then the completion rates count projects and recommendations: 2/2, 1/2, 1/1 and 2/3', () => {
    const r = indicatorReport(scenario().l.state)
    // monitoring 2 of 2 projects = 100.00 % = 100 → met
    expect(byId(r, 'monitoring-completion')).toMatchObject({ value: '100.00', status: 'met' })
    expect(byId(r, 'monitoring-completion').variants[0]).toMatchObject({ numerator: { value: '2' }, denominator: { value: '2' } })
    // self-evaluation 1 of 2 = 50.00 % ≠ 100 → not met
    expect(byId(r, 'self-evaluation-completion')).toMatchObject({ value: '50.00', status: 'not met' })
    // key evaluation 1 of the 1 scheduled = 100.00 % → met
    expect(byId(r, 'evaluation-completion')).toMatchObject({ value: '100.00', status: 'met' })
    // recommendations adopted 2 of 3 = 66.666… → 66.67 % ≠ 100 → not met
    expect(byId(r, 'recommendation-adoption')).toMatchObject({ value: '66.67', status: 'not met' })
    expect(byId(r, 'recommendation-adoption').variants[0]).toMatchObject({ numerator: { value: '2' }, denominator: { value: '3' } })
  })

  it('given the year is not closed, then 结转结余率 is not applicable (never 0%)', () => {
    const r = indicatorReport(scenario().l.state)
    expect(byId(r, 'carry-over')).toMatchObject({ value: null, status: 'not applicable' })
    expect(byId(r, 'carry-over').note).toContain('结账')
  })

  it('when the year is closed, then 结转结余率 is (结转 + 结余) / adjusted = 130,000 / 1,130,000 = 11.50%, met (≤20)', () => {
    const { l } = scenario()
    l.run(close)
    const r = indicatorReport(l.state)
    // 30,000 + 60,000 + 25,000 + 15,000 = 130,000; / 1,130,000 = 0.115044… → 11.50 %
    expect(byId(r, 'carry-over')).toMatchObject({ value: '11.50', status: 'met' })
    expect(byId(r, 'carry-over').variants[0]).toMatchObject({ numerator: { value: '130000.00' }, denominator: { value: '1130000.00' } })
    expect(r.closed).toBe(true)
  })

  it('when a dry-run-sized addition pushes the gross rate over 30%, then the change reads as such', () => {
    const { l } = scenario()
    const before = indicatorReport(l.state)
    // gross 170,000 + 154,000 = 324,000 / 1,000,000 = 32.40 % > 30 → not met
    l.run(add('p2', '154000.00'))
    const after = indicatorReport(l.state)
    expect(byId(after, 'budget-adjustment')).toMatchObject({ value: '32.40', status: 'not met' })
    expect(indicatorChanges(before, after)).toContain('预算调整率 17.00% → 32.40%（目标 ≤30%） 未达标')
  })
})

describe('indicators: zero denominators and missing targets', () => {
  it('given a year with lines but no procurement budget, special funds, key evaluations or recommendations, then those are not applicable, with null values', () => {
    const l = ledger()
    l.run(openYear('900102', 2021))
    l.run(allocate('p1', '1000.00'))
    l.run(unitTargets(SEED_TARGETS))
    const r = indicatorReport(l.state)
    for (const id of ['procurement-execution', 'special-funds-detailing', 'evaluation-completion', 'recommendation-adoption', 'three-public-control']) {
      expect(byId(r, id), id).toMatchObject({ value: null, status: 'not applicable' })
      expect(byId(r, id).note, id).toMatch(/为 0/)
    }
    // the initial budget is 1,000.00, nothing spent: 0 / 1,000 = 0.00 %, a real value, not met
    expect(byId(r, 'budget-execution')).toMatchObject({ value: '0.00', status: 'not met' })
  })

  it('given an empty year, then 预算执行率 and 预算调整率 are not applicable, not 0% or NaN', () => {
    const l = ledger()
    l.run(openYear('900103', 2021))
    const r = indicatorReport(l.state)
    for (const i of r.indicators) {
      expect(i.status, i.id).toBe('not applicable')
      expect(i.value, i.id).toBeNull()
      expect(JSON.stringify(i)).not.toContain('NaN')
    }
  })

  it('given no unit targets, then each indicator says "no target" (and invents none)', () => {
    const l = ledger()
    l.run(openYear('900104', 2021))
    l.run(allocate('p1', '1000.00'))
    l.run(spend('p1', '950.00'))
    const r = indicatorReport(l.state)
    // 950 / 1,000 = 95.00 %, but no threshold is recorded
    expect(byId(r, 'budget-execution')).toMatchObject({ value: '95.00', status: 'no target', target: null })
  })

  it('given the unit’s own thresholds differ from the seed’s, then they are the ones applied (thresholds are data)', () => {
    const l = ledger()
    l.run(openYear('900105', 2021))
    l.run(allocate('p1', '1000.00'))
    l.run(spend('p1', '950.00'))
    l.run(unitTargets([target('预算执行率', '≥', '96')]))
    // 95.00 % < 96 → not met (it would be met against the seed's 90)
    expect(byId(indicatorReport(l.state), 'budget-execution')).toMatchObject({ value: '95.00', status: 'not met', target: { text: '≥96%' } })
  })
})

describe('indicators: the events behind them (drill-down)', () => {
  it('given the year, then the adjustment rate’s gross numerator is the three ordinary adjustments and its denominator the three allocations', () => {
    const { l } = scenario()
    const d = drillDown(l.events, findIndicator('预算调整率')!)
    const gross = d.variants.find((v) => v.id === 'gross')!
    expect(gross.numerator.events.map((e) => [e.type, e.amount])).toEqual([
      ['BudgetAdded', '100000.00'],
      ['BudgetReduced', '50000.00'],
      ['BudgetTransferred', '20000.00'],
    ])
    expect(gross.numerator.total).toBe('170000.00')
    expect(gross.denominator.events.map((e) => e.amount)).toEqual(['200000.00', '500000.00', '300000.00'])
    const net = d.variants.find((v) => v.id === 'net')!
    expect(net.numerator.events.map((e) => [e.type, e.amount])).toEqual([
      ['BudgetAdded', '100000.00'],
      ['BudgetReduced', '-50000.00'],
    ])
  })

  it('given a reversed expenditure, then both it and its reversal feed the execution numerator, and they cancel', () => {
    const { l, mistake } = scenario()
    const d = drillDown(l.events, findIndicator('budget-execution')!)
    const n = d.variants[0]!.numerator
    const mine = n.events.filter((e) => e.id === mistake || (e.type === 'EventReversed' && e.amount === '-12345.67'))
    expect(mine.map((e) => e.amount)).toEqual(['12345.67', '-12345.67'])
    expect(n.total).toBe('1000000.00')
    expect(n.events[0]).toMatchObject({ actor: 'tester', reason: 'test', effectiveDate: '2021-03-01' })
  })

  it('given an earmark re-declared, then the later declaration feeds the denominator by the difference', () => {
    const { l, goods } = scenario()
    const d = drillDown(l.events, findIndicator('政府采购执行率')!)
    const den = d.variants[0]!.denominator.events
    expect(den.map((e) => e.amount)).toEqual(['50000.00', '10000.00', '-10000.00'])
    expect(den[1]!.id).toBe(goods)
  })

  it('for every indicator and variant, the events listed add up to the figures the indicator shows', () => {
    const { l } = scenario()
    l.run(close)
    const r = indicatorReport(l.state)
    for (const i of r.indicators) {
      const d = drillDown(l.events, findIndicator(i.id)!)
      for (const v of i.variants) {
        const dv = d.variants.find((x) => x.id === v.id)!
        const added = (xs: ReadonlyArray<{ amount: string }>) => xs.reduce((a, e) => a.plus(e.amount), new Decimal(0))
        expect(dv.numerator.total, `${i.id}/${v.id}`).toBe(v.numerator.value)
        expect(dv.denominator.total, `${i.id}/${v.id}`).toBe(v.denominator.value)
        expect(added(dv.numerator.events).eq(v.numerator.value), `${i.id}/${v.id} numerator`).toBe(true)
        expect(added(dv.denominator.events).eq(v.denominator.value), `${i.id}/${v.id} denominator`).toBe(true)
      }
    }
  })

  it('finds an indicator by its name with or without the quotes, or by its id', () => {
    expect(findIndicator('“三公经费”控制率')?.id).toBe('three-public-control')
    expect(findIndicator('三公经费控制率')?.id).toBe('three-public-control')
    expect(findIndicator('carry-over')?.name).toBe('结转结余率')
    expect(findIndicator('nope')).toBeUndefined()
  })
})

describe('the new commands’ codecs are strict', () => {
  it.each([
    ['DeclareSpecialFunds', { line: 'p1', amount: '1.00', recipient: 'x' }, 'data.recipient'],
    ['DetailSpecialFunds', { line: 'p1', recipient: '甲县', amount: '1.00', county: '甲' }, 'data.county'],
    ['ScheduleEvaluation', { line: 'p1', when: '2021' }, 'data.when'],
    ['CompleteReview', { line: 'p1', review: 'monitoring', recommendations: [{ id: 'r1', text: 't', adopted: true }] }, 'data.recommendations[0].adopted'],
    ['AdoptRecommendation', { recommendation: 'r1', by: 'x' }, 'data.by'],
    ['RecordTargetActual', { line: 'p1', target: 'T', actual: '1', unit: '次' }, 'data.unit'],
    ['CloseYear', { lines: [{ line: 'p1', carryOver: '1.00', balance: '0.00', reason: 'x' }] }, 'data.lines[0].reason'],
    ['AllocateLine', { ...(allocate('p1', '1.00').data as object), carriedFrom: { year: 2020, line: 'p1', amount: '1.00' } }, 'data.carriedFrom.amount'],
  ])('when %s carries an unknown key, then it is refused naming it', (type, data, path) => {
    const r = decodeCommandBody({ type, data, reason: 'r', document: null, effectiveDate: '2021-06-01' })
    expect(E.isLeft(r) && r.left.errors.map((e) => e.path)).toEqual([path])
  })

  it('when a close carries a negative 结转, then the codec refuses it', () => {
    const r = decodeCommandBody({ type: 'CloseYear', data: { lines: [{ line: 'p1', carryOver: '-1.00', balance: '2.00' }] }, reason: 'r', effectiveDate: '2021-12-31' })
    expect(E.isLeft(r) && r.left.errors.map((e) => e.path)).toEqual(['data.lines[0].carryOver'])
  })
})

describe('decide: special funds, reviews and results', () => {
  it('when more is detailed than was declared to distribute, then it is refused naming the amounts', () => {
    const { l } = scenario()
    // 190,000 detailed of 200,000: 15,000 more would make 205,000
    const e = l.refusal(cmd('DetailSpecialFunds', { line: 'p2', recipient: '丁县', amount: '15000.00' }))
    expect(e).toMatchObject({ code: 'over-detail', path: 'data.amount' })
    expect(e!.message).toContain('205000.00 元')
    expect(e!.message).toContain('200000.00 元')
    expect(l.refusal(cmd('DetailSpecialFunds', { line: 'p2', recipient: '丁县', amount: '10000.00' }))).toBeUndefined()
  })

  it('when special funds are declared above the line’s budget or below what is detailed, then it is refused', () => {
    const { l } = scenario()
    expect(l.refusal(cmd('DeclareSpecialFunds', { line: 'p2', amount: '340000.01' }))).toMatchObject({ code: 'special-funds-over-budget' })
    expect(l.refusal(cmd('DeclareSpecialFunds', { line: 'p2', amount: '189999.99' }))).toMatchObject({ code: 'below-detailed' })
    expect(l.refusal(cmd('DeclareSpecialFunds', { line: 'b1', amount: '1.00' }))).toMatchObject({ code: 'not-a-project' })
  })

  it('when a review is done twice, an unscheduled project is evaluated, or a recommendation adopted twice, then each is refused', () => {
    const { l } = scenario()
    expect(l.refusal(cmd('CompleteReview', { line: 'p1', review: 'monitoring', recommendations: [] }))).toMatchObject({ code: 'review-already-done' })
    expect(l.refusal(cmd('CompleteReview', { line: 'p2', review: 'evaluation', recommendations: [] }))).toMatchObject({ code: 'not-scheduled' })
    expect(l.refusal(cmd('AdoptRecommendation', { recommendation: 'r1' }))).toMatchObject({ code: 'already-adopted' })
    expect(l.refusal(cmd('AdoptRecommendation', { recommendation: 'r9' }))).toMatchObject({ code: 'unknown-recommendation' })
    expect(
      l.refusal(cmd('CompleteReview', { line: 'p2', review: 'selfEvaluation', recommendations: [{ id: 'r1', text: '重复' }] })),
    ).toMatchObject({ code: 'duplicate-recommendation' })
  })

  it('given a project target, when its actual result is recorded, then the project results compare it', () => {
    const l = ledger()
    l.run(openYear('900106', 2021))
    l.run(allocate('p1', '1000.00'))
    l.run(
      cmd('SetProjectTargets', {
        line: 'p1',
        targets: [
          { category: 'output', name: '检查次数', operator: '≥', value: '12', unit: '次' },
          { category: 'effect', name: '发展情况', operator: '定性', value: '良好', unit: '' },
          { category: 'output', name: '厉行节约', operator: '≤', value: '20', unit: '万元' },
        ],
      }),
    )
    l.run(cmd('RecordTargetActual', { line: 'p1', target: '检查次数', actual: '14' }))
    l.run(cmd('RecordTargetActual', { line: 'p1', target: '发展情况', actual: '良好' }))
    expect(l.refusal(cmd('RecordTargetActual', { line: 'p1', target: '不存在', actual: '1' }))).toMatchObject({ code: 'unknown-target' })
    const results = indicatorReport(l.state).projectResults
    expect(results.map((x) => [x.target, x.expected, x.actual, x.status])).toEqual([
      ['检查次数', '≥12次', '14', 'met'],
      ['发展情况', '良好', '良好', 'met'],
      ['厉行节约', '≤20万元', null, 'not recorded'],
    ])
  })
})
