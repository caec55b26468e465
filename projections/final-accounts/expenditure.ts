import { linesOf } from '../budget-year'
import { basicProjectPart } from '../budget-tables/basic-project-table'
import { type TableProjection, tableHeading } from '../table'
import { stageNote } from './stage-note'

/** 决算表三、支出决算表: function 类/款/项 × (本年支出合计, 基本支出, 项目支出) of the year's spending. */
export const finalExpenditure: TableProjection = {
  id: 'final-expenditure',
  number: 3,
  title: '支出决算表',
  set: 'final',
  render(s, catalogue) {
    const { part, totals } = basicProjectPart(linesOf(s), catalogue, (l) => l.spent, '本年支出合计')
    return { ...tableHeading(this, s), parts: [part], notes: [stageNote(s)], totals }
  },
}
