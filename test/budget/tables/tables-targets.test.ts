import type Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { BudgetYearState } from '../../../src/domain/budget-year'
import type { Command } from '../../../src/domain/events/commands'
import type { Comparatives } from '../../../src/domain/events/events'
import type { ProjectTarget, UnitIndicator } from '../../../src/domain/budget-file/targets'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import { ledgerProblems, footingProblems } from '../../../projections/consistency'
import {
  NO_ECONOMIC_CODE,
  NO_GOV_MAPPING,
  UNSPLIT_ECONOMIC_CLASS,
  expenditureByEconomicClass,
} from '../../../projections/budget-tables/expenditure-by-economic-class'
import { expenditureSummary } from '../../../projections/budget-tables/expenditure-summary'
import { TABLES, findTable } from '../../../projections/index'
import { NO_PROJECTS_NOTE, projectPerformanceTargets } from '../../../projections/budget-tables/project-performance-targets'
import { toCsv, toJson, toText } from '../../../projections/render'
import { type TableModel, UNKNOWN } from '../../../projections/table'
import { threePublicExpenses } from '../../../projections/budget-tables/three-public-expenses'
import { BUDGET_LABELS, NO_UNIT_TARGETS_NOTE, unitPerformanceTargets } from '../../../projections/budget-tables/unit-performance-targets'
import { allocate, given } from '../../support/years/given'

const catalogue = bundledCatalogue()

const open = (unitType: 'administrative' | 'institution', previousYear: Comparatives = {}): Command =>
  ({
    type: 'OpenBudgetYear',
    data: { unit: { code: '101065', name: '测试单位' }, year: 2021, unitType, previousYear },
  }) as Command

const earmark = (name: string, amount: string): Command => ({ type: 'SetEarmark', data: { earmark: name, amount } }) as Command
const spend = (line: string, amount: string, threePublic: string | null = null, economicCode: string | null = null): Command =>
  ({
    type: 'RecordExpenditure',
    data: { line, amount, economicCode, voucher: `记-${line}-${amount}`, threePublic, procurement: null },
  }) as Command
const add = (line: string, amount: string): Command =>
  ({ type: 'AddToLine', data: { line, amount, category: 'ordinary' } }) as Command
const reverse = (event: string): Command => ({ type: 'ReverseEvent', data: { event } }) as Command
const projectTargets = (line: string, targets: ProjectTarget[]): Command =>
  ({ type: 'SetProjectTargets', data: { line, targets } }) as Command
const unitTargets = (annualGoals: string[], tasks: Array<{ name: string; content: string }>, indicators: UnitIndicator[]): Command =>
  ({ type: 'SetUnitTargets', data: { annualGoals, tasks, indicators } }) as Command

/** Exact 元 figures as strings with two decimals, so expectations read like the ledger. */
const yuanOf = (d: Decimal | undefined): string | undefined => d?.toFixed(2)
const totalsOf = (m: TableModel): Record<string, string> =>
  Object.fromEntries(Object.entries(m.totals).map(([k, v]) => [k, v.toFixed(2)]))
/** Code, name and the three amounts of a table 6 row, amounts in exact 元 (null stays null). */
const row6 = (m: TableModel, i: number) => {
  const c = m.parts[0]!.rows[i]!.cells
  return [c[0], c[1], ...c.slice(2).map((x) => (x === null ? null : (x as Decimal).toFixed(2)))]
}

/**
 * Five lines of an 机关 or 事业单位 year: 30217 (公务接待费, basic), 302 known only to 类 (basic),
 * 31013 (公务用车购置, project, later increased by 100.00), 30107 (绩效工资: no 政府 code for 机关),
 * and a project without any economic code.
 */
const economicLedger = (unitType: 'administrative' | 'institution') =>
  given([
    open(unitType),
    allocate('b1', '100000.00', { kind: 'basic', basicCategory: 'operating', economicCode: '30217' }),
    allocate('b2', '50000.00', { kind: 'basic', basicCategory: 'operating', economicCode: '302' }),
    allocate('p1', '200000.00', { economicCode: '31013' }),
    allocate('p2', '30000.00', { economicCode: '30107' }),
    allocate('p3', '12345.67', { economicCode: null }),
    add('p1', '100.00'),
  ]).state

describe('table 6 支出预算分类汇总表（按支出经济分类）', () => {
  it('given an 机关 with coded, class-only, unmapped and uncoded lines, when rendered, then the 部门 block groups 类 → 款 with catalogue names and an uncoded row', () => {
    const m = expenditureByEconomicClass.render(economicLedger('administrative'), catalogue)
    const rows = m.parts[0]!.rows
    expect(m.parts).toHaveLength(1)
    expect(m.parts[0]!.columns.map((c) => c.label)).toEqual(['科目编码', '科目名称', '合计', '基本支出', '项目支出'])
    const dept = rows.slice(0, 10).map((_, i) => row6(m, i))
    expect(dept).toEqual([
      ['', '部门预算支出经济分类', null, null, null],
      ['', '合计', '392445.67', '150000.00', '242445.67'],
      ['301', '工资福利支出', '30000.00', '0.00', '30000.00'],
      ['30107', '绩效工资', '30000.00', '0.00', '30000.00'],
      ['302', '商品和服务支出', '150000.00', '150000.00', '0.00'],
      ['30217', '公务接待费', '100000.00', '100000.00', '0.00'],
      ['', UNSPLIT_ECONOMIC_CLASS, '50000.00', '50000.00', '0.00'],
      ['310', '资本性支出', '200100.00', '0.00', '200100.00'],
      ['31013', '公务用车购置', '200100.00', '0.00', '200100.00'],
      ['', NO_ECONOMIC_CODE, '12345.67', '0.00', '12345.67'],
    ])
    expect(rows.slice(0, 10).map((r) => r.parent)).toEqual([undefined, undefined, 1, 2, 1, 4, 4, 1, 7, 1])
  })

  it('given the same 机关, when rendered, then the 政府 block maps 30217 → 50206 and 31013 → 50403, and 302 and 30107 stay unmapped', () => {
    const m = expenditureByEconomicClass.render(economicLedger('administrative'), catalogue)
    const rows = m.parts[0]!.rows
    expect(rows.slice(10).map((_, i) => row6(m, 10 + i))).toEqual([
      ['', '政府预算支出经济分类', null, null, null],
      ['', '合计', '392445.67', '150000.00', '242445.67'],
      ['502', '机关商品和服务支出', '100000.00', '100000.00', '0.00'],
      ['50206', '公务接待费', '100000.00', '100000.00', '0.00'],
      ['504', '机关资本性支出（二）', '200100.00', '0.00', '200100.00'],
      ['50403', '公务用车购置', '200100.00', '0.00', '200100.00'],
      ['', NO_GOV_MAPPING, '80000.00', '50000.00', '30000.00'],
      ['', NO_ECONOMIC_CODE, '12345.67', '0.00', '12345.67'],
    ])
    expect(rows.slice(10).map((r) => r.parent)).toEqual([undefined, undefined, 11, 12, 11, 14, 11, 11])
    expect(footingProblems(m)).toEqual([])
    expect(totalsOf(m)).toEqual({
      deptTotal: '392445.67',
      govTotal: '392445.67',
      unclassified: '12345.67',
      unmapped: '80000.00',
      basic: '150000.00',
      project: '242445.67',
    })
  })

  it('given the same lines in a 事业单位, when rendered, then the 政府 block uses the 事业单位 mapping (505 / 506) and 30107 is mapped', () => {
    const m = expenditureByEconomicClass.render(economicLedger('institution'), catalogue)
    const gov = m.parts[0]!.rows.map((_, i) => row6(m, i)).slice(10)
    expect(gov).toEqual([
      ['', '政府预算支出经济分类', null, null, null],
      ['', '合计', '392445.67', '150000.00', '242445.67'],
      ['505', '对事业单位经常性补助', '130000.00', '100000.00', '30000.00'],
      ['50501', '工资福利支出', '30000.00', '0.00', '30000.00'],
      ['50502', '商品和服务支出', '100000.00', '100000.00', '0.00'],
      ['506', '对事业单位资本性补助', '200100.00', '0.00', '200100.00'],
      ['50602', '资本性支出（二）', '200100.00', '0.00', '200100.00'],
      ['', NO_GOV_MAPPING, '50000.00', '50000.00', '0.00'],
      ['', NO_ECONOMIC_CODE, '12345.67', '0.00', '12345.67'],
    ])
    expect(footingProblems(m)).toEqual([])
    expect(yuanOf(m.totals.unmapped)).toBe('50000.00')
    expect(yuanOf(m.totals.govTotal)).toBe(yuanOf(m.totals.deptTotal))
  })

  it('given only coded lines, when rendered, then no 未分类 row appears and unclassified is 0', () => {
    const { state } = given([open('administrative'), allocate('b1', '1000.00', { kind: 'basic', economicCode: '30201' })])
    const m = expenditureByEconomicClass.render(state, catalogue)
    const labels = m.parts[0]!.rows.map((r) => r.cells[1])
    expect(labels).toEqual(['部门预算支出经济分类', '合计', '商品和服务支出', '办公费', '政府预算支出经济分类', '合计', '机关商品和服务支出', '办公经费'])
    expect(yuanOf(m.totals.unclassified)).toBe('0.00')
    expect(footingProblems(m)).toEqual([])
  })

  it('given an opened year without lines, when rendered, then each block is its section and a zero 合计', () => {
    const m = expenditureByEconomicClass.render(given([open('administrative')]).state, catalogue)
    expect(toJson(m).rows).toEqual([
      ['', '部门预算支出经济分类', '', '', ''],
      ['', '合计', '0.00', '0.00', '0.00'],
      ['', '政府预算支出经济分类', '', '', ''],
      ['', '合计', '0.00', '0.00', '0.00'],
    ])
    expect(footingProblems(m)).toEqual([])
  })
})

describe('table 7 一般公共预算“三公”经费支出情况表', () => {
  const previous: Comparatives = {
    threePublic: { abroad: '0.00', reception: '6000.00', vehicleOperation: '3000.00', vehiclePurchase: '0.00' },
  } as Comparatives
  const ledger = (comparatives: Comparatives = previous) =>
    given([
      open('administrative', comparatives),
      allocate('b1', '100000.00', { kind: 'basic', economicCode: '30217' }),
      earmark('threePublic.reception', '21000.00'),
      earmark('threePublic.vehicleOperation', '5000.00'),
      earmark('threePublic.vehicleOperation', '4500.00'), // the latest declaration wins
      spend('b1', '1234.56', 'reception', '30217'),
      spend('b1', '800.00', 'vehicleOperation', '30231'),
      spend('b1', '999.00', 'reception', '30217'),
      reverse('e7'), // the 999.00 was booked in error
      spend('b1', '50.00'), // not 三公
      earmark('threePublic.abroad', '0.00'), // stated as zero: prints 0.00
      earmark('threePublic.vehiclePurchase', '0.00'),
    ])

  it('given 三公 earmarks, spending and last year’s budget, when rendered, then every row shows budget, last year, change and spent', () => {
    const { state, ids } = ledger()
    expect(ids[7]).toBe('e7')
    const m = threePublicExpenses.render(state, catalogue)
    expect(m.parts[0]!.columns.map((c) => c.label)).toEqual(['项目', '2021年“三公”经费预算数', '2020年预算数', '增减', '执行数'])
    expect(toJson(m).rows).toEqual([
      ['共计', '2.55', '0.90', '1.65', '0.20'],
      ['1、因公出国（境）费用', '0.00', '0.00', '0.00', '0.00'],
      ['2、公务接待费', '2.10', '0.60', '1.50', '0.12'],
      ['3、公务用车费', '0.45', '0.30', '0.15', '0.08'],
      ['其中：（1）公务用车运行维护费', '0.45', '0.30', '0.15', '0.08'],
      ['（2）公务用车购置', '0.00', '0.00', '0.00', '0.00'],
    ])
    expect(m.parts[0]!.rows.map((r) => r.parent)).toEqual([undefined, 0, 0, 0, 3, 3])
    expect(footingProblems(m)).toEqual([])
    expect(totalsOf(m)).toEqual({ budget: '25500.00', previous: '9000.00', spent: '2034.56' })
  })

  it('given no previous-year comparatives, when rendered, then last year and the change are blank and a note says so', () => {
    const m = threePublicExpenses.render(ledger({}).state, catalogue)
    const json = toJson(m)
    expect(json.rows.map((r) => [r[2], r[3]])).toEqual(Array.from({ length: 6 }, () => [null, null]))
    expect(m.parts[0]!.rows.every((r) => r.cells[2] === UNKNOWN && r.cells[3] === UNKNOWN)).toBe(true)
    expect(json.rows[0]).toEqual(['共计', '2.55', null, null, '0.20'])
    expect(toText(m)).toMatch(/共计\s+2\.55\s+0\.20\n/)
    expect(m.totals.previous).toBeUndefined()
    expect(m.notes?.some((n) => n.includes('未录入2020年“三公”经费预算数'))).toBe(true)
    expect(footingProblems(m)).toEqual([])
  })

  it('given last year’s 三公 budget only in part, when rendered, then the column stays blank rather than print a short total, and the note names what is missing', () => {
    const m = threePublicExpenses.render(ledger({ threePublic: { reception: '6000.00' } } as Comparatives).state, catalogue)
    expect(m.parts[0]!.rows.map((r) => r.cells[2])).toEqual(Array.from({ length: 6 }, () => UNKNOWN))
    expect(m.notes?.find((n) => n.includes('只录入了部分科目'))).toContain('因公出国（境）费用、公务用车运行维护费、公务用车购置')
    expect(footingProblems(m)).toEqual([])
  })

  it('given no 三公 earmarks at all, when rendered, then the budget column is blank (unknown, not 0), a note says so, and it still foots', () => {
    const m = threePublicExpenses.render(given([open('institution')]).state, catalogue)
    expect(toJson(m).rows.map((r) => r[1])).toEqual([null, null, null, null, null, null])
    expect(totalsOf(m)).toEqual({ spent: '0.00' })
    expect(m.notes).toContain('预算未列“三公”经费预算数，该栏留空（未列不等于 0）。')
    expect(footingProblems(m)).toEqual([])
  })

  it('given a budget that states 公务接待 and 公务用车运行维护 only, when rendered, then the categories never stated are blank with their change, the stated ones print (0.00 included), and 共计 adds the stated', () => {
    const { state } = given([
      open('administrative', previous),
      earmark('threePublic.reception', '21000.00'),
      earmark('threePublic.vehicleOperation', '0.00'),
    ])
    const m = threePublicExpenses.render(state, catalogue)
    expect(toJson(m).rows).toEqual([
      ['共计', '2.10', '0.90', '1.20', '0.00'],
      ['1、因公出国（境）费用', null, '0.00', null, '0.00'],
      ['2、公务接待费', '2.10', '0.60', '1.50', '0.00'],
      ['3、公务用车费', '0.00', '0.30', '-0.30', '0.00'],
      ['其中：（1）公务用车运行维护费', '0.00', '0.30', '-0.30', '0.00'],
      ['（2）公务用车购置', null, '0.00', null, '0.00'],
    ])
    expect(toText(m)).toMatch(/1、因公出国（境）费用\s+0\.00\s+0\.00\n/)
    expect(toCsv(m)).toContain('\r\n1、因公出国（境）费用,,0.00,,0.00\r\n')
    expect(m.notes).toContain('预算未列因公出国（境）费用、公务用车购置的预算数，该栏留空（未列不等于 0）。')
    expect(footingProblems(m)).toEqual([])
  })
})

const indicators: UnitIndicator[] = [
  { level1: '', level2: '投入管理指标', level3: '预算执行率', operator: '≥', value: '90', unit: '%', explanation: '预算完成数/预算数' },
  { level1: '', level2: '', level3: '预算调整率', operator: '≤', value: '30', unit: '%', explanation: '' },
  { level1: '产出指标', level2: '重点工作任务完成', level3: '规模以上工业增加值', operator: '↑', value: '13', unit: '%', explanation: '' },
  { level1: '', level2: '履职目标实现', level3: '年度主要目标', operator: '定性', value: '完成', unit: '', explanation: '' },
  { level1: '效益指标', level2: '满意度', level3: '服务企业满意率', operator: '=', value: '100', unit: '%', explanation: '' },
] as UnitIndicator[]

const mixedFunding = () =>
  given([
    open('institution'),
    allocate('b1', '300000.00', { kind: 'basic', basicCategory: 'personnel', economicCode: '30101' }),
    allocate('b2', '20000.50', { kind: 'basic', fundSource: 'institutionIncome' }),
    allocate('p1', '500000.00'),
    allocate('p2', '80000.00', { fundSource: 'governmentFund', functionCode: '2060499' }),
    allocate('p3', '7000.25', { fundSource: 'otherIncome', functionCode: '2011308' }),
    allocate('p4', '0.00'),
    add('p1', '1000.00'),
    unitTargets(['目标一。', '目标二。'], [{ name: '任务甲', content: '内容甲' }, { name: '任务乙', content: '内容乙' }], indicators),
    projectTargets('p1', [
      { category: 'output', name: '检查次数', operator: '≥', value: '12', unit: '次' },
      { category: 'effect', name: '安全水平提高', operator: '≥', value: '10', unit: '%' },
      { category: 'satisfaction', name: '服务企业满意度', operator: '≥', value: '98', unit: '%' },
      { category: 'output', name: '问题办结率', operator: '≥', value: '90', unit: '%' },
      { category: 'output', name: '厉行节约', operator: '≤', value: '20', unit: '万元' },
      { category: 'effect', name: '发展情况', operator: '定性', value: '良好', unit: '' },
    ] as ProjectTarget[]),
    projectTargets('p2', [
      { category: 'satisfaction', name: '参与专家满意度', operator: '≥', value: '98', unit: '%' },
      { category: 'output', name: '拨付时间', operator: '≤', value: '15', unit: '个工作日' },
    ] as ProjectTarget[]),
  ]).state

describe('table 10 部门(单位)整体绩效目标表', () => {
  it('given unit targets and fiscal and non-fiscal lines, when rendered, then 预算情况 carries the printed labels and the sums of the lines', () => {
    const m = unitPerformanceTargets.render(mixedFunding(), catalogue)
    expect(toJson(m).summary).toEqual([
      ['部门预算总额(万元)', '90.80'],
      ['1、资金来源：(1) 财政性资金', '88.10'],
      ['(2) 其他资金', '2.70'],
      ['2、资金结构：(1) 基本支出', '32.00'],
      ['(2) 项目支出', '58.80'],
    ])
    expect(totalsOf(m)).toEqual({
      budget: '908000.75',
      fiscal: '881000.00',
      other: '27000.75',
      basic: '320000.50',
      project: '588000.25',
    })
    expect(m.summary!.map(([l]) => l)).toEqual(Object.values(BUDGET_LABELS))
  })

  it('given unit targets, when rendered, then the sections hold the goals and tasks and the grid the indicators with their operators', () => {
    const m = unitPerformanceTargets.render(mixedFunding(), catalogue)
    expect(m.sections).toEqual([
      { title: '年度履职目标', rows: [['目标一。'], ['目标二。']] },
      { title: '年度主要任务', rows: [['任务甲', '内容甲'], ['任务乙', '内容乙']] },
    ])
    const json = toJson(m)
    expect(json.columns).toEqual(['一级指标', '二级指标', '三级指标', '指标值类型', '指标值', '度量单位', '指标值说明'])
    expect(json.rows).toEqual([
      ['', '投入管理指标', '预算执行率', '≥', '90', '%', '预算完成数/预算数'],
      ['', '', '预算调整率', '≤', '30', '%', ''],
      ['产出指标', '重点工作任务完成', '规模以上工业增加值', '↑', '13', '%', ''],
      ['', '履职目标实现', '年度主要目标', '定性', '完成', '', ''],
      ['效益指标', '满意度', '服务企业满意率', '=', '100', '%', ''],
    ])
    expect(m.notes).toBeUndefined()
    expect(footingProblems(m)).toEqual([])
  })

  it('given no unit targets, when rendered, then the grid is empty, the sections are empty and a note says none were set', () => {
    const { state } = given([open('administrative'), allocate('b1', '1000.00', { kind: 'basic' })])
    const m = unitPerformanceTargets.render(state, catalogue)
    expect(m.parts[0]!.rows).toEqual([])
    expect(m.parts[0]!.columns).toHaveLength(7)
    expect(m.sections!.map((s) => s.rows)).toEqual([[], []])
    expect(m.notes).toEqual([NO_UNIT_TARGETS_NOTE])
    expect(toJson(m).summary!.map(([, v]) => v)).toEqual(['0.10', '0.10', '0.00', '0.10', '0.00'])
  })
})

describe('table 11 部门(单位)预算项目绩效目标汇总表', () => {
  it('given projects with several, one and no targets, when rendered, then the unit row, project rows and continuation rows are laid out as published', () => {
    const m = projectPerformanceTargets.render(mixedFunding(), catalogue)
    const json = toJson(m)
    expect(json.columns).toEqual([
      '单位编码(项目编码)',
      '项目单位(项目名称)',
      '资金总额',
      '财政性资金',
      '其他资金',
      '产出指标 三级指标',
      '产出指标 指标值',
      '效益指标 三级指标',
      '效益指标 指标值',
      '满意度指标 三级指标',
      '满意度指标 指标值',
    ])
    expect(json.rows).toEqual([
      ['101065', '测试单位', '58.80', '58.10', '0.70', '', '', '', '', '', ''],
      ['2150502', '项目 p1', '50.10', '50.10', '0.00', '检查次数', '≥12次', '安全水平提高', '≥10%', '服务企业满意度', '≥98%'],
      ['', '', '', '', '', '问题办结率', '≥90%', '发展情况', '良好', '', ''],
      ['', '', '', '', '', '厉行节约', '≤20万元', '', '', '', ''],
      ['2060499', '项目 p2', '8.00', '8.00', '0.00', '拨付时间', '≤15个工作日', '', '', '参与专家满意度', '≥98%'],
      ['2011308', '项目 p3', '0.70', '0.00', '0.70', '', '', '', '', '', ''],
      ['2150502', '项目 p4', '0.00', '0.00', '0.00', '', '', '', '', '', ''],
    ])
    const rows = m.parts[0]!.rows
    expect(rows.map((r) => r.parent)).toEqual([undefined, 0, undefined, undefined, 0, 0, 0])
    expect(rows[2]!.cells.slice(0, 5)).toEqual([null, null, null, null, null])
    expect(footingProblems(m)).toEqual([])
    expect(totalsOf(m)).toEqual({ total: '588000.25', fiscal: '581000.00', other: '7000.25' })
  })

  it('given only basic expenditure, when rendered, then the unit row is zero and a note says there are no projects', () => {
    const { state } = given([open('administrative'), allocate('b1', '1000.00', { kind: 'basic' })])
    const m = projectPerformanceTargets.render(state, catalogue)
    expect(toJson(m).rows).toEqual([['101065', '测试单位', '0.00', '0.00', '0.00', '', '', '', '', '', '']])
    expect(m.notes).toEqual([NO_PROJECTS_NOTE])
    expect(footingProblems(m)).toEqual([])
  })
})

describe('tables 6, 7, 10 and 11 together', () => {
  const render = (s: BudgetYearState) =>
    [expenditureSummary, expenditureByEconomicClass, threePublicExpenses, unitPerformanceTargets, projectPerformanceTargets].map((t) =>
      t.render(s, catalogue),
    )

  it('given a mixed ledger, when all are rendered, then each foots and they agree with table 3 on total, basic and project', () => {
    expect(ledgerProblems(render(mixedFunding()))).toEqual([])
    expect(ledgerProblems(render(economicLedger('administrative')))).toEqual([])
  })

  it('given the table registry, when looked up by id or number, then the four tables are there', () => {
    for (const t of [expenditureByEconomicClass, threePublicExpenses, unitPerformanceTargets, projectPerformanceTargets]) {
      expect(findTable(t.id)).toBe(t)
      expect(findTable(String(t.number))).toBe(t)
    }
    expect(TABLES.map((t) => t.number)).toEqual([...TABLES.map((t) => t.number)].sort((a, b) => a - b))
  })
})
