import type Decimal from 'decimal.js'
import { ZERO_FEN, fenOfYuan } from '../../../src/domain/money/fen'
import { linesOf } from '../../budget-year'
import { functionRows } from '../../function-tree'
import { type TableProjection, tableHeading } from '../../table'
import { INCOME_SOURCES, INCOME_SOURCE_LABEL, incomeBySource } from '../figures/income-sources'
import { stageNote } from '../figures/stage-note'

/** 决算表二、收入决算表: function 类/款/项 × (本年收入合计, then each income source). */
export const finalIncome: TableProjection = {
  id: 'final-income',
  number: 2,
  title: '收入决算表',
  set: 'final',
  render(s, catalogue) {
    const rows = functionRows(
      linesOf(s).map((l) => {
        const { source, amount: yuan } = incomeBySource(l)
        const amount = fenOfYuan(yuan)
        return { functionCode: l.functionCode, amounts: [amount, ...INCOME_SOURCES.map((x) => (x === source ? amount : ZERO_FEN))] }
      }),
      1 + INCOME_SOURCES.length,
      catalogue,
    )
    const cells = rows[0]!.cells
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'income',
          columns: [
            { label: '功能分类科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '本年收入合计', kind: 'amount', sumOf: INCOME_SOURCES.map((_, i) => 3 + i) },
            ...INCOME_SOURCES.map((x) => ({ label: INCOME_SOURCE_LABEL[x], kind: 'amount' as const })),
          ],
          rows,
        },
      ],
      notes: [stageNote(s)],
      totals: { total: cells[2] as Decimal, fiscal: cells[3] as Decimal },
    }
  },
}
