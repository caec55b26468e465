import type Decimal from 'decimal.js'
import { functionName } from '../../src/domain/budget-file/catalogue'
import { type FundSource, isFiscal } from '../../src/domain/budget-file/classification'
import { ZERO, sum } from '../../src/domain/money/money'
import { budgetOf, linesOf } from '../budget-year'
import { blankRow, chineseNumeral, classOf } from '../fund-amounts'
import { type Row, type TableProjection, tableHeading } from '../table'

/** The fiscal sources in column order: the five parts of 一般公共预算, then 政府性基金, 国有资本经营. */
const GENERAL: ReadonlyArray<FundSource> = [
  'general.appropriation',
  'general.administrativeFees',
  'general.specialRevenue',
  'general.stateAssetIncome',
  'general.housingFund',
]
const FISCAL: ReadonlyArray<FundSource> = [...GENERAL, 'governmentFund', 'stateCapital']

/**
 * The expenditure rows the seed's template prints, in its order and with its labels (older 类
 * names included): the numeral is the 类 code − 200. 类 with money that are missing here get a row
 * of their own, labelled from the catalogue, in code order.
 */
export const FISCAL_TEMPLATE: ReadonlyArray<readonly [code: string, label: string]> = [
  ['201', '一、一般公共服务'],
  ['202', '二、外交'],
  ['203', '三、国防'],
  ['204', '四、公共安全'],
  ['205', '五、教育'],
  ['206', '六、科学技术'],
  ['207', '七、文化体育与传媒'],
  ['208', '八、社会保障和就业'],
  ['209', '九、社会保险基金支出'],
  ['210', '十、医疗卫生'],
  ['211', '十一、节能环保'],
  ['212', '十二、城乡社区事务'],
  ['213', '十三、农林水事务'],
  ['214', '十四、交通运输'],
  ['215', '十五、资源勘探电力信息等事务'],
  ['216', '十六、商业服务业等事务'],
  ['217', '十七、金融支出'],
  ['219', '十九、援助其他地区支出'],
  ['220', '二十、国土海洋气象等支出'],
  ['221', '二十一、住房保障支出'],
  ['222', '二十二、粮油物资储备支出'],
  ['223', '二十三、国有资本经营预算'],
  ['227', '二十七、预备费'],
  ['229', '二十九、其他支出'],
  ['230', '三十、转移性支出'],
  ['231', '三十一、债务还本支出'],
  ['232', '三十二、债务付息支出'],
  ['233', '三十三、债务发行费用支出'],
]

/** The income rows as the seed prints them: [group, item, sources]; "国有资产资源有偿使用收" [sic]. */
const INCOME: ReadonlyArray<readonly [group: string, item: string, sources: ReadonlyArray<FundSource>]> = [
  ['一般公共预算', '小计', GENERAL],
  ['', '财政拨款', ['general.appropriation']],
  ['', '行政事业性收费', ['general.administrativeFees']],
  ['', '专项收入', ['general.specialRevenue']],
  ['', '国有资产资源有偿使用收', ['general.stateAssetIncome']],
  ['', '政府住房基金收入', ['general.housingFund']],
  ['政府性基金预算', '', ['governmentFund']],
  ['国有资本经营预算', '', ['stateCapital']],
]

export const INCOME_TOTAL_LABEL = '收入合计：'
export const EXPENDITURE_TOTAL_LABEL = '支出合计'

/**
 * 四、财政拨款收支总体情况表, in the seed's layout: fiscal income by source ‖ expenditure by 类 ×
 * (合计, 一般公共预算 小计 and its five parts, 政府性基金预算, 国有资本经营预算). Only fiscal money
 * (isFiscal) appears. The income part is padded with blank rows so that 收入合计： and 支出合计
 * print on the same line, as in the seed.
 *
 * Income columns: [项目, 明细, 金额]. Expenditure columns (indexes): 0 项目, 1 合计 (= 2 + 8 + 9),
 * 2 一般公共预算小计 (= 3..7), 3 财政拨款, 4 行政事业性收费, 5 专项收入, 6 国有资产资源有偿使用收入,
 * 7 政府住房基金收入, 8 政府性基金预算, 9 国有资本经营预算.
 */
export const fiscalAppropriationSummary: TableProjection = {
  id: 'fiscal-appropriation-summary',
  number: 4,
  title: '财政拨款收支总体情况表',
  render(s, catalogue) {
    const lines = linesOf(s).filter((l) => isFiscal(l.fundSource))

    // Per 类: the amount of each fiscal source.
    const byClass = new Map<string, Decimal[]>()
    for (const l of lines) {
      const acc = byClass.get(classOf(l)) ?? FISCAL.map(() => ZERO)
      const i = FISCAL.indexOf(l.fundSource)
      acc[i] = acc[i]!.plus(budgetOf(l))
      byClass.set(classOf(l), acc)
    }
    const inTemplate = new Set(FISCAL_TEMPLATE.map(([c]) => c))
    const extra = [...byClass]
      .filter(([code, xs]) => !inTemplate.has(code) && xs.some((x) => !x.isZero()))
      .map(([code]) => [code, `${chineseNumeral(Number(code) - 200)}、${functionName(catalogue, code)}`] as const)
    const classes = [...FISCAL_TEMPLATE, ...extra].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

    const amountCells = (xs: ReadonlyArray<Decimal>): Decimal[] => {
      const general = sum(xs.slice(0, GENERAL.length))
      const total = general.plus(xs[5]!).plus(xs[6]!)
      return [total, general, ...xs]
    }
    const bySource = FISCAL.map((x) => sum(lines.filter((l) => l.fundSource === x).map(budgetOf)))
    const totals = amountCells(bySource)
    const [expenditure, general] = totals as [Decimal, Decimal]
    const governmentFund = bySource[5]!
    const stateCapital = bySource[6]!
    const income = general.plus(governmentFund).plus(stateCapital)

    const height = Math.max(INCOME.length, classes.length) + 1
    const last = height - 1

    const incomeRows: Row[] = [
      ...INCOME.map(([group, item, of], i): Row => ({
        cells: [group, item, sum(of.map((x) => bySource[FISCAL.indexOf(x)]!))],
        parent: i >= 1 && i <= GENERAL.length ? 0 : last,
      })),
      ...Array.from({ length: last - INCOME.length }, () => blankRow(3)),
      { cells: [INCOME_TOTAL_LABEL, '', income] },
    ]
    const expenditureRows: Row[] = [
      ...classes.map(([code, label]): Row => ({ cells: [label, ...amountCells(byClass.get(code) ?? FISCAL.map(() => ZERO))], parent: last })),
      ...Array.from({ length: last - classes.length }, () => blankRow(10)),
      { cells: [EXPENDITURE_TOTAL_LABEL, ...totals] },
    ]
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'income',
          columns: [
            { label: '收入项目', kind: 'text' },
            { label: '明细', kind: 'text' },
            { label: '金额', kind: 'amount' },
          ],
          rows: incomeRows,
        },
        {
          name: 'expenditure',
          columns: [
            { label: '支出项目', kind: 'text' },
            { label: '合计', kind: 'amount', sumOf: [2, 8, 9] },
            { label: '一般公共预算小计', kind: 'amount', sumOf: [3, 4, 5, 6, 7] },
            { label: '财政拨款', kind: 'amount' },
            { label: '行政事业性收费', kind: 'amount' },
            { label: '专项收入', kind: 'amount' },
            { label: '国有资产资源有偿使用收入', kind: 'amount' },
            { label: '政府住房基金收入', kind: 'amount' },
            { label: '政府性基金预算', kind: 'amount' },
            { label: '国有资本经营预算', kind: 'amount' },
          ],
          rows: expenditureRows,
        },
      ],
      totals: { income, expenditure, general, governmentFund, stateCapital },
    }
  },
}
