import { linesOf } from '../budget-year'
import { basicProjectPart } from './basic-project-table'
import { type TableProjection, tableHeading } from '../table'

/** 三、部门支出总体情况表: function 类/款/项 × (合计, 基本支出, 项目支出). */
export const expenditureSummary: TableProjection = {
  id: 'expenditure-summary',
  number: 3,
  title: '部门支出总体情况表',
  render(s, catalogue) {
    const { part, totals } = basicProjectPart(linesOf(s), catalogue)
    return { ...tableHeading(this, s), parts: [part], totals }
  },
}
