import type Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { BudgetYearState } from '../../../src/domain/budget-year'
import type { Command } from '../../../src/domain/events/commands'
import type { Comparatives } from '../../../src/domain/events/events'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import { crossTableProblems, footingProblems } from '../../../projections/consistency'
import { FISCAL_TEMPLATE, fiscalAppropriationSummary } from '../../../projections/budget-tables/fiscal-appropriation-summary'
import { chineseNumeral } from '../../../projections/fund-amounts'
import { generalBudgetExpenditure } from '../../../projections/budget-tables/general-budget-expenditure'
import { governmentFundExpenditure } from '../../../projections/budget-tables/government-fund-expenditure'
import { incomeExpenditureSummary } from '../../../projections/budget-tables/income-expenditure-summary'
import { incomeSummary } from '../../../projections/budget-tables/income-summary'
import { TABLES } from '../../../projections/index'
import { toJson } from '../../../projections/render'
import { renderReport, reportFigures } from '../../../projections/report'
import { stateCapitalExpenditure } from '../../../projections/budget-tables/state-capital-expenditure'
import type { TableModel, TableProjection } from '../../../projections/table'
import { allocate, given } from '../../support/years/given'

const catalogue = bundledCatalogue()

const open = (previousYear: Comparatives = {}): Command => ({
  type: 'OpenBudgetYear',
  data: { unit: { code: '101065', name: '测试单位' }, year: 2021, unitType: 'administrative', previousYear },
})

/**
 * A small ledger touching every kind of money the fiscal tables sort (元):
 *   201 2010601 basic personnel  general.appropriation      120000.10
 *   201 2010601 basic operating  general.appropriation       30000.20
 *   215 (类 only) basic unsplit    general.appropriation       50000.00
 *   215 2150502 project          general.administrativeFees  10000.00 + 0.05 added
 *   206 20604 (款 only) project   governmentFund              80000.00
 *   215 2150502 project          stateCapital                 7000.00
 *   206 2060499 project          carriedForward              40000.00
 *   201 2011308 project          institutionIncome            5000.00
 *   224 2240299 project          general.appropriation        3000.00   (a 类 the table-4 template lacks)
 */
const ledgerCommands = (previousYear: Comparatives = {}): Command[] => [
  open(previousYear),
  allocate('b-pers', '120000.10', { kind: 'basic', basicCategory: 'personnel', functionCode: '2010601' }),
  allocate('b-oper', '30000.20', { kind: 'basic', basicCategory: 'operating', functionCode: '2010601' }),
  allocate('b-unsplit', '50000.00', { kind: 'basic', functionCode: '215' }),
  allocate('p-fees', '10000.00', { functionCode: '2150502', fundSource: 'general.administrativeFees' }),
  allocate('p-fund', '80000.00', { functionCode: '20604', fundSource: 'governmentFund' }),
  allocate('p-capital', '7000.00', { functionCode: '2150502', fundSource: 'stateCapital' }),
  allocate('p-carried', '40000.00', { functionCode: '2060499', fundSource: 'carriedForward' }),
  allocate('p-inst', '5000.00', { functionCode: '2011308', fundSource: 'institutionIncome' }),
  allocate('p-disaster', '3000.00', { functionCode: '2240299' }),
  { type: 'AddToLine', data: { line: 'p-fees', amount: '0.05', category: 'ordinary' } } as Command,
]

const ledger = (previousYear: Comparatives = {}): BudgetYearState => given(ledgerCommands(previousYear)).state

/** Only 一般公共预算 money: nothing for tables 8 and 9. */
const generalOnly = (): BudgetYearState =>
  given([open(), allocate('p1', '1000.00', { functionCode: '2150502' }), allocate('b1', '500.00', { kind: 'basic', functionCode: '215' })]).state

const render = (p: TableProjection, s: BudgetYearState): TableModel => p.render(s, catalogue)
const fixed = (d: Decimal | undefined): string | undefined => d?.toFixed(2)
const totalsOf = (m: TableModel): Record<string, string> => Object.fromEntries(Object.entries(m.totals).map(([k, v]) => [k, v.toFixed(2)]))
/** The amount cells of a part's row, as 元 strings (text cells left out). */
const amounts = (m: TableModel, part: number, row: number): string[] =>
  m.parts[part]!.rows[row]!.cells.flatMap((c) => (c !== null && typeof c === 'object' ? [(c as Decimal).toFixed(2)] : []))
const rowIndex = (m: TableModel, part: number, label: string, column = 0): number => {
  const i = m.parts[part]!.rows.findIndex((r) => r.cells[column] === label)
  expect(i, `row "${label}"`).toBeGreaterThanOrEqual(0)
  return i
}

const MINE = [
  incomeExpenditureSummary,
  incomeSummary,
  fiscalAppropriationSummary,
  generalBudgetExpenditure,
  governmentFundExpenditure,
  stateCapitalExpenditure,
]

describe('given a ledger with several fund sources, a 类-only and a 款-only line, personnel and operating basic lines', () => {
  const s = ledger()

  it('when tables 1, 2, 4, 5, 8, 9 are rendered, then every table foots to the 分', () => {
    for (const p of MINE) expect(footingProblems(render(p, s)), p.id).toEqual([])
  })

  it('when all registered tables are rendered, then they agree with each other (consistency.ts)', () => {
    const tables = TABLES.map((p) => render(p, s))
    for (const t of tables) expect(footingProblems(t), t.id).toEqual([])
    expect(crossTableProblems(tables)).toEqual([])
    for (const p of MINE) expect(TABLES.map((t) => t.id)).toContain(p.id)
  })

  it('when table 1 is rendered, then income by source, 上年结转 and expenditure by 类 are as hand-computed', () => {
    const m = render(incomeExpenditureSummary, s)
    expect(totalsOf(m)).toEqual({
      income: '345000.35',
      expenditure: '345000.35',
      currentIncome: '305000.35',
      currentExpenditure: '345000.35',
      carriedForward: '40000.00',
      carryOver: '0.00',
    })
    const income = m.parts[0]!.rows.map((r) => [r.cells[0], fixed(r.cells[1] as Decimal | undefined)])
    expect(income.filter(([l]) => l !== null)).toEqual([
      ['一、一般公共预算拨款收入', '213000.35'],
      ['二、政府性基金预算拨款收入', '80000.00'],
      ['三、国有资本经营预算拨款收入', '7000.00'],
      ['四、财政专户管理资金收入', '0.00'],
      ['五、事业收入', '5000.00'],
      ['六、上级补助收入', '0.00'],
      ['七、附属单位上缴收入', '0.00'],
      ['八、事业单位经营收入', '0.00'],
      ['九、其他收入', '0.00'],
      ['本年收入合计', '305000.35'],
      ['上年结转', '40000.00'],
      ['收入总计', '345000.35'],
    ])
    const expenditure = m.parts[1]!.rows.map((r) => [r.cells[0], fixed(r.cells[1] as Decimal | undefined)])
    expect(expenditure.filter(([l]) => l !== null)).toEqual([
      ['201 一般公共服务支出', '155000.30'],
      ['206 科学技术支出', '120000.00'],
      ['215 资源勘探工业信息等支出', '67000.05'],
      ['224 灾害防治及应急管理支出', '3000.00'],
      ['本年支出合计', '345000.35'],
      ['结转下年', '0.00'],
      ['支出总计', '345000.35'],
    ])
    // The totals of both parts print on the same lines.
    const j = toJson(m)
    const last = j.rows[j.rows.length - 1]!
    expect([last[0], last[2]]).toEqual(['收入总计', '支出总计'])
    expect([j.rows[j.rows.length - 3]![0], j.rows[j.rows.length - 3]![2]]).toEqual(['本年收入合计', '本年支出合计'])
  })

  it('when table 2 is rendered, then each fund source has its column and the 类-only basic line its unsplit row', () => {
    const m = render(incomeSummary, s)
    expect(totalsOf(m)).toEqual({ total: '345000.35', carriedForward: '40000.00' })
    const labels = m.parts[0]!.columns.map((c) => c.label)
    expect(labels.slice(0, 4)).toEqual(['功能分类科目编码', '科目名称', '合计', '上年结转'])
    expect(labels).toContain('一般公共预算·财政拨款')
    expect(labels).toContain('事业收入')
    expect(labels).toHaveLength(4 + 13)
    const col = (label: string) => labels.indexOf(label)
    const rows = m.parts[0]!.rows
    const cell = (code: string, label: string) => (rows.find((r) => r.cells[0] === code)!.cells[col(label)] as Decimal).toFixed(2)
    expect(cell('206', '合计')).toBe('120000.00')
    expect(cell('206', '上年结转')).toBe('40000.00')
    expect(cell('206', '政府性基金预算')).toBe('80000.00')
    expect(cell('215', '一般公共预算·财政拨款')).toBe('50000.00')
    expect(cell('215', '一般公共预算·行政事业性收费')).toBe('10000.05')
    expect(cell('215', '国有资本经营预算')).toBe('7000.00')
    expect(cell('201', '事业收入')).toBe('5000.00')
    const unsplit = rows.filter((r) => r.cells[1] === '（未细分到款）')
    expect(unsplit.map((r) => (r.cells[2] as Decimal).toFixed(2))).toEqual(['50000.00'])
  })

  it('when table 4 is rendered, then only fiscal money appears, in the seed layout, with the missing 类 224 numbered 二十四', () => {
    const m = render(fiscalAppropriationSummary, s)
    expect(totalsOf(m)).toEqual({
      income: '300000.35',
      expenditure: '300000.35',
      general: '213000.35',
      governmentFund: '80000.00',
      stateCapital: '7000.00',
    })
    const income = m.parts[0]!.rows.filter((r) => r.cells[2] !== null).map((r) => [r.cells[0], r.cells[1], (r.cells[2] as Decimal).toFixed(2)])
    expect(income).toEqual([
      ['一般公共预算', '小计', '213000.35'],
      ['', '财政拨款', '203000.30'],
      ['', '行政事业性收费', '10000.05'],
      ['', '专项收入', '0.00'],
      ['', '国有资产资源有偿使用收', '0.00'],
      ['', '政府住房基金收入', '0.00'],
      ['政府性基金预算', '', '80000.00'],
      ['国有资本经营预算', '', '7000.00'],
      ['收入合计：', '', '300000.35'],
    ])
    const exp = 1
    //                           合计        小计        拨款        收费      专项    资产    住房    基金        国资
    expect(amounts(m, exp, rowIndex(m, exp, '一、一般公共服务'))).toEqual(['150000.30', '150000.30', '150000.30', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00'])
    expect(amounts(m, exp, rowIndex(m, exp, '六、科学技术'))).toEqual(['80000.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '80000.00', '0.00'])
    expect(amounts(m, exp, rowIndex(m, exp, '十五、资源勘探电力信息等事务'))).toEqual(['67000.05', '60000.05', '50000.00', '10000.05', '0.00', '0.00', '0.00', '0.00', '7000.00'])
    expect(amounts(m, exp, rowIndex(m, exp, '支出合计'))).toEqual(['300000.35', '213000.35', '203000.30', '10000.05', '0.00', '0.00', '0.00', '80000.00', '7000.00'])
    const labels = m.parts[exp]!.rows.map((r) => r.cells[0])
    const extra = labels.indexOf('二十四、灾害防治及应急管理支出')
    expect(extra).toBeGreaterThan(0)
    expect([labels[extra - 1], labels[extra + 1]]).toEqual(['二十三、国有资本经营预算', '二十七、预备费'])
    expect(amounts(m, exp, extra)[0]).toBe('3000.00')
    // 收入合计： and 支出合计 on the same printed line, the last one.
    const j = toJson(m)
    expect([j.rows.at(-1)![0], j.rows.at(-1)![3]]).toEqual(['收入合计：', '支出合计'])
  })

  it('when table 5 is rendered, then only 一般公共预算 money appears, split into 人员 / 公用 / 未细分 / 项目', () => {
    const m = render(generalBudgetExpenditure, s)
    expect(totalsOf(m)).toEqual({ total: '213000.35', basic: '200000.30', project: '13000.05' })
    expect(m.parts[0]!.columns.map((c) => c.label).slice(2)).toEqual(['合计', '基本支出小计', '人员经费', '公用经费', '未细分', '项目支出'])
    expect(amounts(m, 0, 0)).toEqual(['213000.35', '200000.30', '120000.10', '30000.20', '50000.00', '13000.05'])
    expect(amounts(m, 0, rowIndex(m, 0, '2010601'))).toEqual(['150000.30', '150000.30', '120000.10', '30000.20', '0.00', '0.00'])
    expect(amounts(m, 0, rowIndex(m, 0, '215'))).toEqual(['60000.05', '50000.00', '0.00', '0.00', '50000.00', '10000.05'])
    // No 事业收入, no 政府性基金, no 上年结转 here.
    expect(m.parts[0]!.rows.some((r) => r.cells[0] === '2011308' || r.cells[0] === '206')).toBe(false)
    expect(m.notes?.length).toBe(1)
  })

  it('when tables 8 and 9 are rendered, then each shows its own money only, as table 3 does, and no note', () => {
    const t8 = render(governmentFundExpenditure, s)
    expect(totalsOf(t8)).toEqual({ total: '80000.00' })
    expect(t8.parts[0]!.rows.map((r) => [r.cells[0], r.cells[1], ...amounts(t8, 0, t8.parts[0]!.rows.indexOf(r))])).toEqual([
      ['', '合计', '80000.00', '0.00', '80000.00'],
      ['206', '科学技术支出', '80000.00', '0.00', '80000.00'],
      ['20604', '技术研究与开发', '80000.00', '0.00', '80000.00'],
      ['', '（未细分到项）', '80000.00', '0.00', '80000.00'],
    ])
    expect(t8.notes).toBeUndefined()
    const t9 = render(stateCapitalExpenditure, s)
    expect(totalsOf(t9)).toEqual({ total: '7000.00' })
    expect(t9.parts[0]!.rows.map((r) => r.cells[0])).toEqual(['', '215', '21505', '2150502'])
    expect(t9.notes).toBeUndefined()
  })
})

describe('given a ledger with 一般公共预算 money only', () => {
  const s = generalOnly()

  it('when tables 8 and 9 are rendered, then each is the 合计 row of zeros and a note saying there is none', () => {
    for (const [p, what] of [
      [governmentFundExpenditure, '政府性基金预算'],
      [stateCapitalExpenditure, '国有资本经营预算'],
    ] as const) {
      const m = render(p, s)
      expect(toJson(m).rows).toEqual([['', '合计', '0.00', '0.00', '0.00']])
      expect(m.notes).toEqual([`本单位2021年无${what}支出（未使用${what}拨款安排的支出）。`])
      expect(totalsOf(m)).toEqual({ total: '0.00' })
      expect(footingProblems(m)).toEqual([])
    }
  })

  it('when the report is rendered, then sections 八 and 九 say no such money was used', () => {
    const text = renderReport(s, catalogue)
    expect(text).toContain('测试单位 2021 年未使用政府性基金预算拨款安排的支出。')
    expect(text).toContain('测试单位 2021 年未使用国有资本经营预算拨款安排的支出。')
  })
})

describe('given a budget line added to after allocation', () => {
  it('when the tables are rendered, then they show the current budget (调整数), not the 年初预算', () => {
    const s = ledger()
    expect(fixed(render(fiscalAppropriationSummary, s).totals.general)).toBe('213000.35')
    const f = reportFigures(s, catalogue)
    expect(f.generalBudget.adjusted).toBe(true)
    expect(renderReport(s, catalogue)).toContain('一般公共预算支出调整后预算为 21.30 万元')
  })
})

describe('chineseNumeral (the table 4 numbering: 类 code − 200)', () => {
  it('when given 1, 10, 15, 20, 24, 33, then it writes them as the seed does', () => {
    expect([1, 10, 15, 20, 24, 33].map(chineseNumeral)).toEqual(['一', '十', '十五', '二十', '二十四', '三十三'])
  })

  it('when applied to each 类 of the table 4 template, then it gives the numeral the seed printed, in code order', () => {
    for (const [code, label] of FISCAL_TEMPLATE) expect(label.startsWith(`${chineseNumeral(Number(code) - 200)}、`), label).toBe(true)
    const codes = FISCAL_TEMPLATE.map(([c]) => c)
    expect([...codes].sort()).toEqual(codes)
  })
})

describe('given the previous year was larger (previousYear.total 400000.00, 三公 reception 2000.00)', () => {
  const previousYear: Comparatives = {
    total: '400000.00' as Comparatives['total'],
    generalBudget: '213000.35' as Comparatives['total'],
    threePublic: { abroad: '0.00', reception: '2000.00', vehicleOperation: '0.00', vehiclePurchase: '0.00' } as Comparatives['threePublic'],
  }
  const s = given([
    ...ledgerCommands(previousYear),
    { type: 'SetEarmark', data: { earmark: 'threePublic.reception', amount: '1000.00' } } as Command,
    { type: 'SetEarmark', data: { earmark: 'officeOperating', amount: '12345.67' } } as Command,
  ]).state

  it('when the figures are computed, then the change is negative and exact', () => {
    const f = reportFigures(s, catalogue)
    expect(fixed(f.incomeTotal)).toBe('345000.35')
    expect(fixed(f.totalChange!.change)).toBe('-54999.65')
    expect(f.totalChange!.growth).toBe('-13.75')
    expect([fixed(f.basic), f.basicShare, fixed(f.project), f.projectShare]).toEqual(['200000.30', '57.97', '145000.05', '42.03'])
    expect(f.generalBudget.byClass.map((c) => [c.code, c.name, fixed(c.amount), c.share])).toEqual([
      ['201', '一般公共服务', '150000.30', '70.42'],
      ['215', '资源勘探工业信息等', '60000.05', '28.17'],
      ['224', '灾害防治及应急管理', '3000.00', '1.41'],
    ])
    expect(f.fiscal.generalChange!.change.isZero()).toBe(true)
    expect(f.fiscal.governmentFundChange).toBeUndefined()
    expect(fixed(f.threePublic.total)).toBe('1000.00')
    expect(fixed(f.threePublic.change!.change)).toBe('-1000.00')
    expect(f.threePublic.change!.growth).toBe('-50.00')
    expect(fixed(f.officeOperating.amount)).toBe('12345.67')
    expect(f.procurement.total).toBeUndefined()
  })

  it('when the report is rendered, then it says 减少 and 下降 with the amounts in 万元', () => {
    const text = renderReport(s, catalogue)
    expect(text).toContain('收入总计 34.50 万元，支出总计 34.50 万元，与 2020 年预算相比，收入减少 5.50 万元，下降 13.75%；支出减少 5.50 万元，下降 13.75%。')
    expect(text).toContain('基本支出 20.00 万元，占 57.97%；项目支出 14.50 万元，占 42.03%')
    expect(text).toContain('一般公共服务（类）支出 15.00 万元，占 70.42%')
    expect(text).toContain('与 2020 年相比，一般公共预算收支预算持平；')
    expect(text).toContain('政府性基金收支预算的 2020 年数未记录，无法比较')
    expect(text).toContain('“三公”经费预算为 0.10 万元，预算数比 2020 年减少 0.10 万元，下降 50.00%。')
    expect(text).toContain('机关运行经费支出预算 1.23 万元')
    expect(text).toContain('2021 年政府采购预算未记录。')
    expect(text).toContain('国有资本经营收支预算 0.70 万元')
    expect(text).not.toContain('增长')
  })
})

describe('given previousYear.total was not recorded', () => {
  const s = ledger({})

  it('when the report is rendered, then it says the comparison is not possible rather than invent one', () => {
    const f = reportFigures(s, catalogue)
    expect(f.totalChange).toBeUndefined()
    expect(f.threePublic.total).toBeUndefined()
    const text = renderReport(s, catalogue)
    expect(text).toContain('2020 年预算收支总计未记录，无法与上年预算相比较。')
    expect(text).toContain('“三公”经费预算未记录。')
    expect(text).toContain('2020 年财政拨款收支预算数未记录，无法与上年比较。')
    expect(text).not.toMatch(/增加|减少|增长|下降/)
  })
})
