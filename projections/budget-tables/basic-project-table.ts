import type Decimal from 'decimal.js'
import type { Line } from '../../src/domain/budget-year'
import type { Catalogue } from '../../src/domain/budget-file/catalogue'
import { type Fen, ZERO_FEN } from '../../src/domain/money/fen'
import { budgetFenOf } from '../budget-year'
import { functionRows } from '../function-tree'
import type { TablePart } from '../table'

/**
 * The layout of tables 3, 8 and 9 (and of the 支出决算表): function 类/款/项 × (合计, 基本支出,
 * 项目支出) over some lines, of their budgets unless told which amount in 分 (the 决算 reads spending).
 * Returns the part and its exact totals.
 */
export const basicProjectPart = (
  lines: ReadonlyArray<Line>,
  catalogue: Catalogue,
  amountOf: (l: Line) => Fen = budgetFenOf,
  totalLabel = '合计',
): { part: TablePart; totals: { total: Decimal; basic: Decimal; project: Decimal } } => {
  const rows = functionRows(
    lines.map((l) => {
      const amount = amountOf(l)
      return { functionCode: l.functionCode, amounts: [amount, l.kind === 'basic' ? amount : ZERO_FEN, l.kind === 'project' ? amount : ZERO_FEN] }
    }),
    3,
    catalogue,
  )
  const [total, basic, project] = rows[0]!.cells.slice(2) as [Decimal, Decimal, Decimal]
  return {
    part: {
      name: 'expenditure',
      columns: [
        { label: '功能分类科目编码', kind: 'text' },
        { label: '科目名称', kind: 'text' },
        { label: totalLabel, kind: 'amount', sumOf: [3, 4] },
        { label: '基本支出', kind: 'amount' },
        { label: '项目支出', kind: 'amount' },
      ],
      rows,
    },
    totals: { total, basic, project },
  }
}
