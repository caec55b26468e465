import { ZERO } from '../../../src/domain/money/money'
import { linesOf } from '../../budget-year'
import { basicProjectPart } from '../../budget-tables/basic-project-table'
import { type TableProjection, tableHeading } from '../../table'
import { stageNote } from '../figures/stage-note'

/**
 * Columns the published 支出决算表 prints after 项目支出. No event records payments to the level
 * above, a unit's business spending or grants to its own subordinate units yet, so they are 0.
 */
const UNRECORDED = ['上缴上级支出', '经营支出', '对附属单位补助支出'] as const

/**
 * 决算表三、支出决算表: function 类/款/项 × (本年支出合计, 基本支出, 项目支出, 上缴上级支出, 经营支出,
 * 对附属单位补助支出) of the year's spending.
 */
export const finalExpenditure: TableProjection = {
  id: 'final-expenditure',
  number: 3,
  title: '支出决算表',
  set: 'final',
  render(s, catalogue) {
    const { part, totals } = basicProjectPart(linesOf(s), catalogue, (l) => l.spent, '本年支出合计')
    const [code, name, total, ...rest] = part.columns
    return {
      ...tableHeading(this, s),
      parts: [
        {
          ...part,
          columns: [code!, name!, { ...total!, sumOf: [3, 4, 5, 6, 7] }, ...rest, ...UNRECORDED.map((label) => ({ label, kind: 'amount' as const }))],
          rows: part.rows.map((r) => ({ ...r, cells: [...r.cells, ...UNRECORDED.map(() => ZERO)] })),
        },
      ],
      notes: [stageNote(s)],
      totals,
    }
  },
}
