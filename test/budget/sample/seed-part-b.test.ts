import * as E from 'fp-ts/Either'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BudgetFile, budgetFileCommands } from '../../../src/domain/budget-file/budget-file'
import { decode } from '../../../src/domain/codecs/decode'
import { fromWan } from '../../../src/domain/money/money'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import { footingProblems, ledgerProblems } from '../../../projections/consistency'
import { NO_ECONOMIC_CODE, expenditureByEconomicClass } from '../../../projections/budget-tables/expenditure-by-economic-class'
import { expenditureSummary } from '../../../projections/budget-tables/expenditure-summary'
import { projectPerformanceTargets } from '../../../projections/budget-tables/project-performance-targets'
import { toJson } from '../../../projections/render'
import { threePublicExpenses } from '../../../projections/budget-tables/three-public-expenses'
import { unitPerformanceTargets } from '../../../projections/budget-tables/unit-performance-targets'
import { given } from '../../support/years/given'
import { publishedBudgetLines } from '../../support/years/published-budget'

/**
 * Part B of the seed: tables 六, 七, 十 and 十一 rendered from the sample budget file and compared
 * with the published text itself (parsed here, not copied), cell by cell in 万元.
 */

const SAMPLE = path.resolve(__dirname, '..', '..', '..', 'src', 'sample', 'budget-101065-2021.json')
const seedLines = publishedBudgetLines()
const seedText = seedLines.join('\n')

const ledger = () => {
  const decoded = decode(BudgetFile)(JSON.parse(readFileSync(SAMPLE, 'utf8')))
  if (E.isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'))
  const { commands, context } = budgetFileCommands(decoded.right)
  return given(commands, context).state
}
const state = ledger()
const catalogue = bundledCatalogue()
const render = <T extends { render: typeof threePublicExpenses.render }>(t: T) => t.render(state, catalogue)

/** Index of the first seed line matching `p` at or after `from`; throws when the seed has none. */
const lineIndex = (p: (l: string) => boolean, from = 0): number => {
  const i = seedLines.findIndex((l, n) => n >= from && p(l))
  if (i < 0) throw new Error(`seed: no line matching ${String(p)} after line ${from}`)
  return i
}

/** The seed writes two comparison operators in LaTeX. */
const OPERATOR: Record<string, string> = { '\\geq': '≥', '\\leq': '≤', '≥': '≥', '≤': '≤', '=': '=', '↑': '↑', '↓': '↓', 定性: '定性' }

describe('given the sample budget file of 工信科技金融办 for 2021, folded into a budget year', () => {
  describe('table 七 一般公共预算“三公”经费支出情况表', () => {
    const start = lineIndex((l) => l.startsWith('2021年一般公共预算“三公”经费支出情况表'))
    const header = lineIndex((l) => l.startsWith('项目\t'), start)
    const seedRows: string[][] = []
    for (const l of seedLines.slice(header + 1)) {
      if (l.trim() === '') break
      seedRows.push(l.split('\t'))
    }

    it('when rendered, then its column header and every row’s label and value are the seed’s', () => {
      const json = toJson(render(threePublicExpenses))
      expect(seedRows).toHaveLength(6)
      expect(json.columns[1]).toBe(seedLines[header]!.split('\t')[1])
      expect(json.rows.map((r) => [r[0], r[1]])).toEqual(seedRows)
    })

    it('when rendered, then the change against 2020 is the prose’s “增加 1.5 万元” for the total and for 公务接待费', () => {
      const json = toJson(render(threePublicExpenses))
      const total = /“三公”经费支出预算数比 ?2020 ?年增加 ?([\d.]+) ?万元/.exec(seedText)![1]!
      const reception = /公务接待费[\d.]+万元[^。]*。预算数比2020年增加([\d.]+)万元/.exec(seedText)![1]!
      expect(json.rows[0]![3]).toBe(Number.parseFloat(total).toFixed(2))
      expect(json.rows[2]![3]).toBe(Number.parseFloat(reception).toFixed(2))
      expect(footingProblems(render(threePublicExpenses))).toEqual([])
    })
  })

  describe('table 十 部门(单位)整体绩效目标表', () => {
    const header = lineIndex((l) => l.startsWith('一级指标\t二级指标\t三级指标'))
    const end = lineIndex((l) => l.startsWith('2021年度区级部门预算项目绩效目标表'), header)
    /**
     * The printed grid merges cells unevenly: rows have 7, or 5 cells. Find the 指标值类型 cell;
     * 三级指标 is before it, 指标值 after it, and 度量单位 after that unless the row left it out
     * (the 预算和财务管理 rows print 说明 straight after the value).
     */
    const grid = seedLines
      .slice(header + 1, end)
      .map((l) => l.split('\t'))
      .filter((cells) => cells.length >= 5)
      .map((cells) => {
        const op = cells.findIndex((c) => c in OPERATOR)
        if (op < 1) throw new Error(`seed: no 指标值类型 in grid row ${cells.join('|')}`)
        const unit = cells.length - op - 2 >= 2 ? cells[op + 2]! : ''
        return [cells[op - 1]!, OPERATOR[cells[op]!]!, cells[op + 1]!, unit]
      })

    it('when rendered, then every indicator row’s 三级指标, 指标值类型, 指标值 and 度量单位 are the seed’s, in order', () => {
      const json = toJson(render(unitPerformanceTargets))
      expect(grid).toHaveLength(27)
      expect(json.columns).toEqual(['一级指标', '二级指标', '三级指标', '指标值类型', '指标值', '度量单位', '指标值说明'])
      expect(json.rows.map((r) => r.slice(2, 6))).toEqual(grid)
      // six rows write the operator in LaTeX (\geq / \leq); they render as ≥ / ≤
      const latex = seedLines.slice(header + 1, end).filter((l) => /\t\\(geq|leq)\t/.test(l))
      expect(latex).toHaveLength(6)
      for (const l of latex) {
        const level3 = l.split('\t')[0]!
        expect(json.rows.find((r) => r[2] === level3)![3]).toBe(l.includes('\\geq') ? '≥' : '≤')
      }
    })

    it('when rendered, then 预算情况 prints the seed’s labels and figures', () => {
      const from = lineIndex((l) => l.startsWith('预算情况\t'))
      const seedSummary = seedLines.slice(from, from + 5).map((l) => l.split('\t').slice(1, 3))
      const m = render(unitPerformanceTargets)
      expect(toJson(m).summary).toEqual(seedSummary)
      expect(Object.fromEntries(Object.entries(m.totals).map(([k, v]) => [k, v.toFixed(2)]))).toEqual({
        budget: fromWan(seedSummary[0]![1]!).toFixed(2),
        fiscal: fromWan(seedSummary[1]![1]!).toFixed(2),
        other: fromWan(seedSummary[2]![1]!).toFixed(2),
        basic: fromWan(seedSummary[3]![1]!).toFixed(2),
        project: fromWan(seedSummary[4]![1]!).toFixed(2),
      })
    })

    it('when rendered, then the sections hold the seed’s 年度履职目标 paragraphs and its ten 年度主要任务', () => {
      const goals = seedLines.find((l) => l.startsWith('年度履职目标\t'))!
      const paragraphs = [...goals.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]!)
      const first = lineIndex((l) => l.startsWith('年度主要任务\t'))
      const last = lineIndex((l) => l.startsWith('预算情况\t'), first)
      // the task rows: [merged cell, 任务名称, 主要内容]; the last one is printed shifted one cell left
      const tasks = seedLines.slice(first + 1, last).map((l) => l.split('\t').filter((c) => c !== ''))
      const m = render(unitPerformanceTargets)
      expect(m.sections).toEqual([
        { title: '年度履职目标', rows: paragraphs.map((p) => [p]) },
        { title: '年度主要任务', rows: tasks },
      ])
      expect(tasks).toHaveLength(10)
    })
  })

  describe('table 十一 部门(单位)预算项目绩效目标汇总表', () => {
    const title = lineIndex((l) => l.startsWith('2021年度区级部门预算项目绩效目标表'))
    const header = lineIndex((l) => l.startsWith('\t\t资金总额\t财政性资金\t其他资金'), title)
    // the unit row, project rows (a 7-digit code first) and continuation rows (starting with tabs)
    const seedRows = seedLines
      .slice(header + 1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.split('\t'))

    it('when rendered, then every cell of the unit, project and continuation rows is the seed’s', () => {
      const json = toJson(render(projectPerformanceTargets))
      expect(seedRows).toHaveLength(14)
      expect(seedRows.every((r) => r.length === 11)).toBe(true)
      expect(seedRows[0]!.slice(0, 2)).toEqual(['101065', '工信科技金融办'])
      expect(seedRows.filter((r) => /^\d{7}$/.test(r[0]!))).toHaveLength(11)
      expect(seedRows.filter((r) => r[0] === '')).toHaveLength(2)
      expect(json.rows).toEqual(seedRows)
    })

    it('when rendered, then the table foots and its totals are the unit row’s figures', () => {
      const m = render(projectPerformanceTargets)
      expect(footingProblems(m)).toEqual([])
      const [, , total, fiscal, other] = seedRows[0]!
      expect(m.totals.total!.toFixed(2)).toBe(fromWan(total!).toFixed(2))
      expect(m.totals.fiscal!.toFixed(2)).toBe(fromWan(fiscal!).toFixed(2))
      expect(m.totals.other!.toFixed(2)).toBe(fromWan(other!).toFixed(2))
    })
  })

  describe('table 六 支出预算分类汇总表（按支出经济分类）', () => {
    it('when rendered, then all 904.34 is unclassified in both schemes, split 32.30 basic and 872.04 project', () => {
      const m = render(expenditureByEconomicClass)
      const total = /支出总计 ([\d.]+) 万元/.exec(seedText)![1]!
      const basic = /基本支出 ([\d.]+) 万元/.exec(seedText)![1]!
      const project = /项目支出 ([\d.]+) 万元/.exec(seedText)![1]!
      expect(toJson(m).rows).toEqual([
        ['', '部门预算支出经济分类', '', '', ''],
        ['', '合计', total, basic, project],
        ['', NO_ECONOMIC_CODE, total, basic, project],
        ['', '政府预算支出经济分类', '', '', ''],
        ['', '合计', total, basic, project],
        ['', NO_ECONOMIC_CODE, total, basic, project],
      ])
      expect(m.totals.unclassified!.toFixed(2)).toBe(fromWan(total).toFixed(2))
      expect(m.totals.deptTotal!.eq(m.totals.govTotal!)).toBe(true)
      expect(footingProblems(m)).toEqual([])
    })
  })

  it('when tables 三, 六, 七, 十 and 十一 are rendered together, then they foot and agree with each other', () => {
    const tables = [expenditureSummary, expenditureByEconomicClass, threePublicExpenses, unitPerformanceTargets, projectPerformanceTargets]
    expect(ledgerProblems(tables.map((t) => t.render(state, catalogue)))).toEqual([])
  })
})
