import { linesOf } from '../budget-year'
import { noneNote } from '../fund-expenditure'
import { type TableProjection, tableHeading } from '../table'
import { executionPart } from './execution-part'
import { stageNote } from './stage-note'

/** 决算表九、国有资本经营预算财政拨款支出决算表: as 决算表五, for 国有资本经营预算 money only. */
export const finalStateCapitalExpenditure: TableProjection = {
  id: 'final-state-capital-expenditure',
  number: 9,
  title: '国有资本经营预算财政拨款支出决算表',
  set: 'final',
  render(s, catalogue) {
    const lines = linesOf(s).filter((l) => l.fundSource === 'stateCapital')
    const { part, totals } = executionPart(lines, catalogue)
    const none = lines.length === 0 ? [noneNote(s.identity!.year, '国有资本经营预算')] : []
    return { ...tableHeading(this, s), parts: [part], notes: [...none, stageNote(s)], totals: { ...totals, total: totals.actual } }
  },
}
