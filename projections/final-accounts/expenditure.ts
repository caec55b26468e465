import type Decimal from 'decimal.js'
import { linesOf } from '../budget-year'
import { functionRows } from '../function-tree'
import { type TableProjection, tableHeading } from '../table'
import { stageNote } from './stage-note'
import { spentByKind } from './year-figures'

/** 决算表三、支出决算表: function 类/款/项 × (本年支出合计, 基本支出, 项目支出). */
export const finalExpenditure: TableProjection = {
  id: 'final-expenditure',
  number: 3,
  title: '支出决算表',
  set: 'final',
  render(s, catalogue) {
    const rows = functionRows(
      linesOf(s).map((l) => ({ functionCode: l.functionCode, amounts: [l.spent, ...spentByKind(l)] })),
      3,
      catalogue,
    )
    const [total, basic, project] = rows[0]!.cells.slice(2) as Decimal[]
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'expenditure',
          columns: [
            { label: '功能分类科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '本年支出合计', kind: 'amount', sumOf: [3, 4] },
            { label: '基本支出', kind: 'amount' },
            { label: '项目支出', kind: 'amount' },
          ],
          rows,
        },
      ],
      notes: [stageNote(s)],
      totals: { total: total!, basic: basic!, project: project! },
    }
  },
}
