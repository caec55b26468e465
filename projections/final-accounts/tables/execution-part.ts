import { fenOfYuan } from '../../../src/domain/money/fen'
import type Decimal from 'decimal.js'
import type { Line } from '../../../src/domain/budget-year'
import { carriedInOf } from '../../../src/domain/budget-year/state'
import { sum } from '../../../src/domain/money/money'
import type { Catalogue } from '../../../src/domain/budget-file/catalogue'
import { functionRows } from '../../function-tree'
import type { Row, TablePart } from '../../table'
import { figuresOf, rateCell, spentByKind } from '../figures/year-figures'

/**
 * The layout of the 决算 tables that set budget against actual (一般公共预算财政拨款支出决算表,
 * 国有资本经营预算财政拨款支出决算表): function 类/款/项 × (年初预算, 全年预算, 决算数 合计 = 基本支出 +
 * 项目支出, 完成率 = 决算数 ÷ 全年预算, 为年初预算的 % where 年初预算 ≠ 0). Rates are of each row's
 * exact sums; a zero denominator leaves the rate blank.
 * Columns: 0 code, 1 name, 2 年初预算, 3 全年预算, 4 决算数合计, 5 基本支出, 6 项目支出, 7 完成率, 8 为年初预算的.
 */
export const executionPart = (
  lines: ReadonlyArray<Line>,
  catalogue: Catalogue,
): { part: TablePart; totals: { initial: Decimal; fullYear: Decimal; allotted: Decimal; actual: Decimal; basic: Decimal; project: Decimal } } => {
  const summed = functionRows(
    lines.map((l) => {
      const f = figuresOf(l)
      return { functionCode: l.functionCode, amounts: [f.initial, f.fullYear, f.spent, ...spentByKind(l)].map(fenOfYuan) }
    }),
    5,
    catalogue,
  )
  const rows: Row[] = summed.map((r) => {
    const [initial, fullYear, actual] = r.cells.slice(2) as Decimal[]
    return { ...r, cells: [...r.cells, rateCell(actual!, fullYear!), rateCell(actual!, initial!)] }
  })
  const [initial, fullYear, actual, basic, project] = summed[0]!.cells.slice(2) as Decimal[]
  return {
    part: {
      name: 'expenditure',
      columns: [
        { label: '功能分类科目编码', kind: 'text' },
        { label: '科目名称', kind: 'text' },
        { label: '年初预算', kind: 'amount' },
        { label: '全年预算', kind: 'amount' },
        { label: '决算数合计', kind: 'amount', sumOf: [5, 6] },
        { label: '基本支出', kind: 'amount' },
        { label: '项目支出', kind: 'amount' },
        { label: '完成率（%）', kind: 'percent' },
        { label: '为年初预算的（%）', kind: 'percent' },
      ],
      rows,
    },
    // allotted: 全年预算 less 年初结转和结余, the year's own budget that the 预算 tables show.
    totals: { initial: initial!, fullYear: fullYear!, allotted: fullYear!.minus(sum(lines.map(carriedInOf))), actual: actual!, basic: basic!, project: project! },
  }
}
