import { ZERO } from '../src/domain/money'
import { budgetOf, linesOf } from './budget-year'
import { functionRows } from './function-tree'
import { type TableProjection, tableHeading } from './table'

/** 三、部门支出总体情况表: function 类/款/项 × (合计, 基本支出, 项目支出). */
export const expenditureSummary: TableProjection = {
  id: 'expenditure-summary',
  number: 3,
  title: '部门支出总体情况表',
  render(s, catalogue) {
    const lines = linesOf(s)
    const rows = functionRows(
      lines.map((l) => {
        const amount = budgetOf(l)
        return {
          functionCode: l.functionCode,
          amounts: [amount, l.kind === 'basic' ? amount : ZERO, l.kind === 'project' ? amount : ZERO],
        }
      }),
      3,
      catalogue,
    )
    const [total, basic, project] = rows[0]!.cells.slice(2) as [typeof ZERO, typeof ZERO, typeof ZERO]
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'expenditure',
          columns: [
            { label: '功能分类科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '合计', kind: 'amount', sumOf: [3, 4] },
            { label: '基本支出', kind: 'amount' },
            { label: '项目支出', kind: 'amount' },
          ],
          rows,
        },
      ],
      totals: { total, basic, project },
    }
  },
}
