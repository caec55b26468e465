import type Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { FINAL_TABLES, findTable } from '../../projections'
import { ledgerProblems } from '../../projections/consistency'
import { toJson } from '../../projections/render'
import type { TableModel } from '../../projections/table'
import type { Command } from '../../src/domain/events/commands'
import { renderAllTables } from '../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { renderFinalReport } from '../../projections/final-accounts/figures/report'
import { compareWithLastYear } from '../../projections/final-accounts/figures/year-comparison'
import { allocate, ctx, given, openYear } from '../support/years/given'

const catalogue = bundledCatalogue()

const spend = (line: string, amount: string, economicCode: string | null, threePublic: string | null = null): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode, voucher: `V-${line}-${amount}`, threePublic, procurement: null } }) as Command
const earmark = (earmark: string, amount: string): Command => ({ type: 'SetEarmark', data: { earmark, amount } }) as Command

/**
 * A hand-computed year (元):
 *   b1 2010601 basic personnel 301  general.appropriation  1,000,000.00
 *   b2 2010601 basic operating 302  general.appropriation    300,000.00  − 20,000.00 reduced + 10,000.00 transferred in
 *   p1 2010602 project              general.appropriation    500,000.00  + 100,000.00 added − 10,000.00 transferred out
 *   g1 2120102 project              governmentFund           200,000.00
 *   c1 223 (类 only) project        stateCapital             100,000.00
 *   i1 2060499 project              institutionIncome         50,000.00
 *   cf 2010602 project              carriedForward            80,000.00 (年初结转和结余)
 * Spending: b1 600,000 (30101) + 300,000 (30103) + 50,000 (303) [+ 1,000 reversed];
 *   b2 200,000 (30201) + 30,000 (30217 接待) + 40,000 (30231 用车运行) + 5,000 (none: the line's 302);
 *   p1 20,000 (30212 出国) + 430,000 (30227); g1 150,000; c1 100,000; i1 30,000 (30217 接待, 事业收入); cf 80,000.
 * 三公 budget: 出国 30,000, 接待 40,000, 用车运行 50,000; 用车购置 never stated.
 * Close: b1 结余 50,000; b2 结余 15,000; p1 结转 100,000 + 结余 40,000; g1 结转 50,000; i1 结余 20,000.
 */
const YEAR: Command[] = [
  openYear('900301', 2021),
  allocate('b1', '1000000.00', { kind: 'basic', basicCategory: 'personnel', functionCode: '2010601', economicCode: '301' }),
  allocate('b2', '300000.00', { kind: 'basic', basicCategory: 'operating', functionCode: '2010601', economicCode: '302' }),
  allocate('p1', '500000.00', { functionCode: '2010602' }),
  allocate('g1', '200000.00', { functionCode: '2120102', fundSource: 'governmentFund' }),
  allocate('c1', '100000.00', { functionCode: '223', fundSource: 'stateCapital' }),
  allocate('i1', '50000.00', { functionCode: '2060499', fundSource: 'institutionIncome' }),
  allocate('cf', '80000.00', { functionCode: '2010602', fundSource: 'carriedForward' }),
  earmark('threePublic.abroad', '30000.00'),
  earmark('threePublic.reception', '40000.00'),
  earmark('threePublic.vehicleOperation', '50000.00'),
  { type: 'AddToLine', data: { line: 'p1', amount: '100000.00', category: 'ordinary' } } as Command,
  { type: 'ReduceLine', data: { line: 'b2', amount: '20000.00', category: 'ordinary' } } as Command,
  { type: 'TransferBetweenLines', data: { from: 'p1', to: 'b2', amount: '10000.00', category: 'ordinary' } } as Command,
  spend('b1', '600000.00', '30101'),
  spend('b1', '300000.00', '30103'),
  spend('b1', '50000.00', '303'),
  spend('b1', '1000.00', '30101'),
  { type: 'ReverseEvent', data: { event: 'e17' } } as Command,
  spend('b2', '200000.00', '30201'),
  spend('b2', '30000.00', '30217', 'reception'),
  spend('b2', '40000.00', '30231', 'vehicleOperation'),
  spend('b2', '5000.00', null),
  spend('p1', '20000.00', '30212', 'abroad'),
  spend('p1', '430000.00', '30227'),
  spend('g1', '150000.00', null),
  spend('c1', '100000.00', null),
  spend('i1', '30000.00', '30217', 'reception'),
  spend('cf', '80000.00', null),
]
const CLOSE: Command = {
  type: 'CloseYear',
  data: {
    lines: [
      { line: 'b1', carryOver: '0.00', balance: '50000.00' },
      { line: 'b2', carryOver: '0.00', balance: '15000.00' },
      { line: 'p1', carryOver: '100000.00', balance: '40000.00' },
      { line: 'g1', carryOver: '50000.00', balance: '0.00' },
      { line: 'i1', carryOver: '0.00', balance: '20000.00' },
    ],
  },
} as Command

const closed = () => given([...YEAR, CLOSE]).state
const table = (id: string, state = closed()): TableModel => findTable(id)!.render(state, catalogue)
/** The printed rows (万元), keyed by their code, or their name where they have none. */
const rowsOf = (m: TableModel): Record<string, Array<string | null>> =>
  Object.fromEntries(toJson(m).rows.map((r) => [String(r[0] || r[1] || '').trim(), r]))
const yuanOf = (d: Decimal | undefined) => d?.toFixed(2)

describe('the 决算 table set on a hand-computed year', () => {
  it('given the hand-computed year, when it is built, then the reversal it names is the 1,000.00 spent on b1', () => {
    const { events } = given(YEAR)
    expect(events[17]).toMatchObject({ type: 'ExpenditureRecorded', data: { line: 'b1', amount: '1000.00' } })
  })

  it('given the closed year, when 收入支出决算总表 is rendered, then income by source, 使用非财政拨款结余 and 年初结转和结余 balance 本年支出, 结余分配 and 年末结转和结余 as the published template prints them', () => {
    const m = table('F1')
    expect(m).toMatchObject({ id: 'final-income-expenditure-summary', number: 1, set: 'final', title: '收入支出决算总表' })
    const j = toJson(m)
    const income = Object.fromEntries(j.rows.map((r) => [r[0], r[1]]))
    expect(income).toMatchObject({
      '一、一般公共预算财政拨款收入': '188.00',
      '二、政府性基金预算财政拨款收入': '20.00',
      '三、国有资本经营预算财政拨款收入': '10.00',
      '四、上级补助收入': '0.00',
      '五、事业收入': '5.00',
      '八、其他收入': '0.00',
      本年收入合计: '223.00',
      使用非财政拨款结余: '0.00',
      年初结转和结余: '8.00',
      总计: '231.00',
    })
    const spending = Object.fromEntries(j.rows.map((r) => [r[2], r[3]]))
    expect(spending).toMatchObject({
      '201 一般公共服务支出': '175.50',
      '206 科学技术支出': '3.00',
      '212 城乡社区支出': '15.00',
      '223 国有资本经营预算支出': '10.00',
      本年支出合计: '203.50',
      结余分配: '0.00',
      年末结转和结余: '27.50',
      总计: '231.00',
    })
    expect(j.rows.findIndex((r) => r[0] === '总计')).toBe(j.rows.findIndex((r) => r[2] === '总计'))
    expect(j.rows.findIndex((r) => r[0] === '使用非财政拨款结余')).toBe(j.rows.findIndex((r) => r[2] === '结余分配'))
  })

  it('given the closed year, when 收入决算表 and 支出决算表 are rendered, then they carry the 总表 totals down to the 项', () => {
    const income = rowsOf(table('F2'))
    expect(income['合计']!.slice(2)).toEqual(['223.00', '218.00', '0.00', '5.00', '0.00', '0.00', '0.00'])
    expect(income['2010601']!.slice(2, 4)).toEqual(['129.00', '129.00'])
    // cf's own 本年收入 is nothing: its 8.00 is 年初结转和结余
    expect(income['2010602']!.slice(2, 4)).toEqual(['59.00', '59.00'])
    const spending = rowsOf(table('F3'))
    expect(toJson(table('F3')).columns.slice(2)).toEqual(['本年支出合计', '基本支出', '项目支出', '上缴上级支出', '经营支出', '对附属单位补助支出'])
    expect(spending['合计']!.slice(2)).toEqual(['203.50', '122.50', '81.00', '0.00', '0.00', '0.00'])
    expect(spending['2010602']!.slice(2)).toEqual(['53.00', '0.00', '53.00', '0.00', '0.00', '0.00'])
  })

  it('given the closed year, when 财政拨款收入支出决算总表 is rendered, then only 财政拨款 counts, split by government budget', () => {
    const j = toJson(table('F4'))
    const income = Object.fromEntries(j.rows.map((r) => [r[0], r[1]]))
    expect(income).toMatchObject({ '一、一般公共预算财政拨款': '188.00', '二、政府性基金预算财政拨款': '20.00', '三、国有资本经营预算财政拨款': '10.00', 本年收入合计: '218.00', 年初财政拨款结转和结余: '0.00', 总计: '218.00' })
    // 年初财政拨款结转和结余 is split by government budget under it, with the labels of the 本年收入 rows
    const carriedRow = j.rows.findIndex((r) => r[0] === '年初财政拨款结转和结余')
    expect(j.rows.slice(carriedRow + 1, carriedRow + 4).map((r) => [r[0]!.trim(), r[1]])).toEqual([
      ['一、一般公共预算财政拨款', '0.00'],
      ['二、政府性基金预算财政拨款', '0.00'],
      ['三、国有资本经营预算财政拨款', '0.00'],
    ])
    const spending = Object.fromEntries(j.rows.map((r) => [r[2], r.slice(3)]))
    expect(spending['本年支出合计']).toEqual(['192.50', '167.50', '15.00', '10.00'])
    expect(spending['年末财政拨款结转和结余']).toEqual(['25.50', '20.50', '5.00', '0.00'])
    expect(spending['总计']).toEqual(['218.00', '188.00', '20.00', '10.00'])
  })

  it('given the closed year, when 一般公共预算财政拨款支出决算表 is rendered, then each 项 sets 年初预算 and 全年预算 against 决算数 with both rates', () => {
    const m = table('F5')
    expect(toJson(m).columns).toEqual(['功能分类科目编码', '科目名称', '年初预算', '全年预算', '决算数合计', '基本支出', '项目支出', '完成率（%）', '为年初预算的（%）'])
    const r = rowsOf(m)
    expect(r['合计']!.slice(2)).toEqual(['180.00', '188.00', '167.50', '122.50', '45.00', '89.10%', '93.06%'])
    expect(r['2010601']!.slice(2)).toEqual(['130.00', '129.00', '122.50', '122.50', '0.00', '94.96%', '94.23%'])
    expect(r['2010602']!.slice(2)).toEqual(['50.00', '59.00', '45.00', '0.00', '45.00', '76.27%', '90.00%'])
    expect(yuanOf(m.totals.actual)).toBe('1675000.00')
  })

  it('given a 项 with no 年初预算, when its rates are rendered, then 为年初预算的 is blank (not applicable), never 0%', () => {
    const { state } = given([openYear('900301', 2021), allocate('n', '0.00', { functionCode: '2010602' }), { type: 'AddToLine', data: { line: 'n', amount: '100.00', category: 'ordinary' } } as Command, spend('n', '50.00', null)])
    expect(rowsOf(table('F5', state))['2010602']!.slice(2)).toEqual(['0.00', '0.01', '0.01', '0.00', '0.01', '50.00%', ''])
  })

  it('given the closed year, when 一般公共预算财政拨款基本支出决算表 is rendered, then basic spending is split into 人员经费 and 公用经费 by the expenditures’ economic codes', () => {
    const m = table('F6')
    const all = toJson(m).rows.map((r) => [String(r[0]).trim(), String(r[1]).trim(), r[2]])
    // the template's 款 of 301, 303, 302 and 310 print whatever was spent: 0.00 where nothing was
    expect(all.filter((r) => r[2] === '0.00').map((r) => r[0])).toContain('30102')
    expect(all.filter((r) => r[2] === '0.00').map((r) => r[0])).toContain('31099')
    const rows = all.filter((r) => r[2] !== '0.00')
    expect(rows).toEqual([
      ['', '合计', '122.50'],
      ['', '人员经费合计', '95.00'],
      ['301', '工资福利支出', '90.00'],
      ['30101', '基本工资', '60.00'],
      ['30103', '奖金', '30.00'],
      ['303', '对个人和家庭的补助', '5.00'],
      ['', '（未细分到款）', '5.00'],
      ['', '公用经费合计', '27.50'],
      ['302', '商品和服务支出', '27.50'],
      ['30201', '办公费', '20.00'],
      ['30217', '公务接待费', '3.00'],
      ['30231', '公务用车运行维护费', '4.00'],
      ['', '（未细分到款）', '0.50'],
    ])
    expect(yuanOf(m.totals.basic)).toBe('1225000.00')
  })

  it('given the closed year, when 财政拨款“三公”经费支出决算表 is rendered, then each category sets its budget against its 财政拨款 actual, blank where no budget was stated', () => {
    const m = table('F7')
    const rows = Object.fromEntries(toJson(m).rows.map((r) => [r[0], r.slice(1)]))
    expect(rows).toEqual({
      合计: ['12.00', '9.00', '75.00%'],
      '1、因公出国（境）费': ['3.00', '2.00', '66.67%'],
      '2、公务用车购置及运行维护费': ['5.00', '4.00', '80.00%'],
      '其中：（1）公务用车购置费': [null, '0.00', ''],
      '（2）公务用车运行维护费': ['5.00', '4.00', '80.00%'],
      '3、公务接待费': ['4.00', '3.00', '75.00%'],
    })
    // i1's 接待 is paid from 事业收入: in 预算表七's 执行数 (every source), not in the 财政拨款 决算
    expect(toJson(table('7')).rows.find((r) => r[0] === '2、公务接待费')![4]).toBe('6.00')
  })

  it('given the closed year, when the 政府性基金 and 国有资本经营 收入支出决算表 are rendered, then each shows its own money only, in one layout', () => {
    const columns = ['功能分类科目编码', '科目名称', '年初结转和结余', '本年收入', '本年支出合计', '基本支出', '项目支出', '年末结转和结余']
    expect([toJson(table('F8')).columns, toJson(table('F9')).columns]).toEqual([columns, columns])
    expect(table('F9').title).toBe('国有资本经营预算财政拨款收入支出决算表')
    expect(rowsOf(table('F8'))['合计']!.slice(2)).toEqual(['0.00', '20.00', '15.00', '0.00', '15.00', '5.00'])
    const capital = rowsOf(table('F9'))
    expect(capital['合计']!.slice(2)).toEqual(['0.00', '10.00', '10.00', '0.00', '10.00', '0.00'])
    expect(capital['（未细分到款）']!.slice(2, 5)).toEqual(['0.00', '10.00', '10.00'])
  })

  it('given the year before its close, when the 决算 tables are rendered, then they are the execution report so far: the unspent money is 年末结转和结余 and every identity holds', () => {
    const { state } = given(YEAR.slice(0, 20))
    const m = table('F1', state)
    expect(yuanOf(m.totals.yearExpenditure)).toBe('1150000.00')
    expect(yuanOf(m.totals.yearEnd)).toBe('1160000.00')
    expect(m.notes?.join('')).toContain('尚未年终结账')
    expect(ledgerProblems([...renderAllTables(state, catalogue), ...renderAllTables(state, catalogue, 'final')])).toEqual([])
  })

  it('given the closed year, when every table of both sets is checked, then each foots and they agree (总表 = 收入/支出决算表, 财政拨款 tables, 基本支出 by class = basic spending)', () => {
    const state = closed()
    const finals = renderAllTables(state, catalogue, 'final')
    expect(finals.map((t) => `F${t.number} ${t.id}`)).toEqual(FINAL_TABLES.map((t) => `F${t.number} ${t.id}`))
    expect(finals).toHaveLength(9)
    expect(ledgerProblems([...renderAllTables(state, catalogue), ...finals])).toEqual([])
  })

  it('given a line whose unspent money the finance bureau took back (收回), when the 总表 are rendered, then 本年收入 is what was received (net of 收回), 收回 is in no row and a note says how much', () => {
    // p 100.00 元 budgeted, 70.00 spent, 30.00 收回: received 70.00, nothing left at year end
    const recover: Command = { type: 'CloseYear', data: { lines: [{ line: 'p', carryOver: '0.00', balance: '0.00', recovered: '3000.00' }], recoveryNotice: '财收〔2021〕1号' } } as Command
    const { state } = given([openYear('900301', 2021), allocate('p', '10000.00', { functionCode: '2010602' }), spend('p', '7000.00', null), recover])
    for (const id of ['F1', 'F4']) {
      const j = toJson(table(id, state))
      const figures = Object.fromEntries(j.rows.flatMap((r) => [[r[0]?.trim(), r[1]], [r[2]?.trim(), r[3]]]))
      expect([figures['本年收入合计'], figures['本年支出合计'], figures['总计']]).toEqual(['0.70', '0.70', '0.70'])
      expect(j.rows.flat().some((c) => c?.includes('收回'))).toBe(false)
      expect(j.notes).toContain('年终财政收回 0.30 万元（全年预算中未支出、未结转的部分），不计入本年收入和年末结转和结余。')
    }
    expect(rowsOf(table('F2', state))['2010602']!.slice(2, 4)).toEqual(['0.70', '0.70'])
    expect(ledgerProblems(renderAllTables(state, catalogue, 'final'))).toEqual([])
  })

  it('given a table that does not foot, when the consistency rules check it, then the 决算 identity names what is wrong', () => {
    const m = table('F1')
    const broken = { ...m, totals: { ...m.totals, yearEnd: m.totals.yearEnd!.plus(1) } }
    expect(ledgerProblems([broken])).toEqual([
      'final-income-expenditure-summary: 年初结转和结余 80000 + 本年收入 2230000 ≠ 本年支出 2035000 + 年末结转和结余 275001',
    ])
    const f6 = table('F6')
    expect(ledgerProblems([table('F5'), { ...f6, totals: { ...f6.totals, basic: f6.totals.basic!.minus(1) } }])).toEqual([
      'final-general-budget-expenditure.basic = 1225000 but final-general-budget-basic-expenditure.basic = 1224999',
    ])
  })
})

describe('the 决算 情况说明', () => {
  it('given the closed year with last year’s budget recorded, when the text is written, then its figures are the tables’ and it compares with 年初预算 and last year', () => {
    const open: Command = {
      type: 'OpenBudgetYear',
      data: { unit: { code: '900301', name: '测试单位' }, year: 2021, unitType: 'administrative', previousYear: { total: '2000000.00', generalBudget: '2000000.00' } },
    } as Command
    const text = renderFinalReport(given([open, ...YEAR.slice(1), CLOSE]).state, catalogue)
    expect(text).toContain('收入总计 231.00 万元，其中本年收入 223.00 万元，年初结转和结余 8.00 万元')
    expect(text).toContain('年末结转和结余 27.50 万元。年终财政收回 0.00 万元，未拨付，不计入本年收入和支出总计。')
    expect(text).toContain('收支总计比 2020 年预算数增加 31.00 万元，增长 15.50%。')
    expect(text).toContain('年初预算 180.00 万元，全年预算 188.00 万元，决算数 167.50 万元，完成全年预算的 89.10%，为年初预算的 93.06%')
    expect(text).toContain('一般公共预算财政拨款支出比 2020 年预算数减少 32.50 万元，下降 16.25%。')
    expect(text).toContain('其中人员经费 95.00 万元，公用经费 27.50 万元。')
    expect(text).toContain('“三公”经费决算数 9.00 万元，预算数 12.00 万元，完成预算的 75.00%。“三公”经费决算数：2020 年预算数未记录，不作比较。')
  })

  const openWith = (previousYear: Record<string, unknown>): Command =>
    ({ type: 'OpenBudgetYear', data: { unit: { code: '900301', name: '测试单位' }, year: 2021, unitType: 'administrative', previousYear } }) as Command

  it('given last year’s 决算 recorded with the opening (a 总计 of 0, the 一般公共预算 支出, one 三公 category), when the text is written, then it compares each recorded figure, gives no growth over 0, and says which are not available', () => {
    const open = openWith({ finalAccounts: { total: '0', generalBudget: '1500000.00', threePublic: { abroad: '20000.00' } } })
    const text = renderFinalReport(given([open, ...YEAR.slice(1), CLOSE]).state, catalogue)
    expect(text).toContain('九、与 2020 年度决算相比（2020 年度公开的决算数（随本年度开账记录））')
    expect(text).toContain('  收入支出总计 231.00 万元，比 2020 年度增加 231.00 万元（2020 年为 0，增长率不适用）。')
    expect(text).toContain('  一般公共预算财政拨款支出 167.50 万元，比 2020 年度增加 17.50 万元，增长 11.67%。')
    expect(text).toContain('  本年收入 223.00 万元：2020 年度决算数未记录，不作比较。')
    expect(text).toContain('  因公出国（境）费 2.00 万元，与 2020 年度持平。')
    // one category recorded is not a 三公 合计
    expect(text).toContain('  财政拨款“三公”经费 9.00 万元：2020 年度决算数未记录，不作比较。')
    expect(text).toContain('  一般公共服务支出（类）167.50 万元，占 100.00%。')
  })

  it('given the previous unit-year in the ledger (open, 80.00 spent) and other figures recorded with the opening, when the text is written, then last year’s figures are the ledger’s', () => {
    const open = openWith({ finalAccounts: { yearExpenditure: '1.00' } })
    const last = given([openYear('900301', 2020), allocate('b1', '1000000.00', { kind: 'basic', basicCategory: 'personnel', functionCode: '2010601' }), spend('b1', '800000.00', '30101')], { ...ctx, effectiveDate: '2020-03-01' }).state
    const comparison = compareWithLastYear(given([open, ...YEAR.slice(1), CLOSE]).state, catalogue, last)
    expect(comparison).toMatchObject({ lastYear: 2020, source: 'ledger', lastYearOpen: true })
    const spent = comparison.items.find((i) => i.item === 'yearExpenditure')!
    expect([spent.current.toFixed(2), spent.previous!.toFixed(2), spent.growth]).toEqual(['2035000.00', '800000.00', '154.38'])
    const text = renderFinalReport(given([open, ...YEAR.slice(1), CLOSE]).state, catalogue, last)
    expect(text).toContain('九、与 2020 年度决算相比（本账簿 2020 年度决算（2020 年尚未年终结账，为截至目前的执行数））')
    expect(text).toContain('  本年支出 203.50 万元，比 2020 年度增加 123.50 万元，增长 154.38%。')
  })

  it('given neither the previous unit-year nor its 决算 recorded, when the text is written, then the comparison is said not to be available, not 0', () => {
    const text = renderFinalReport(given([...YEAR, CLOSE]).state, catalogue)
    expect(text).toContain('九、与 2020 年度决算相比\n  2020 年度决算数未记录，不作比较。')
    expect(text).not.toMatch(/比 2020 年度(增加|减少)/)
  })
})
