import { linesOf } from '../../budget-year'
import { type TableProjection, tableHeading } from '../../table'
import { executionPart } from './execution-part'
import { fiscalKindOfLine } from '../figures/fiscal-kinds'
import { stageNote } from '../figures/stage-note'

/** 决算表五、一般公共预算财政拨款支出决算表: per 类/款/项, 年初预算 and 全年预算 against 决算数, with 完成率. */
export const finalGeneralBudgetExpenditure: TableProjection = {
  id: 'final-general-budget-expenditure',
  number: 5,
  title: '一般公共预算财政拨款支出决算表',
  set: 'final',
  render(s, catalogue) {
    const { part, totals } = executionPart(linesOf(s).filter((l) => fiscalKindOfLine(l) === 'general'), catalogue)
    return { ...tableHeading(this, s), parts: [part], notes: [stageNote(s)], totals: { ...totals, total: totals.actual } }
  },
}
