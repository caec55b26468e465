import { fenOfYuan } from '../../../src/domain/money/fen'
import type Decimal from 'decimal.js'
import type { BudgetYearState } from '../../../src/domain/budget-year'
import type { Catalogue } from '../../../src/domain/budget-file/catalogue'
import { linesOf } from '../../budget-year'
import { functionRows } from '../../function-tree'
import { noneNote } from '../../fund-expenditure'
import { type TableModel, type TableProjection, tableHeading } from '../../table'
import { type FiscalKind, fiscalKindOfLine } from '../figures/fiscal-kinds'
import { recoveredNote } from '../figures/recovered-note'
import { stageNote } from '../figures/stage-note'
import { figuresOf, spentByKind, sumFigures } from '../figures/year-figures'

/**
 * The 决算 tables of one government fund's 财政拨款 (政府性基金预算, 国有资本经营预算), laid out as
 * the published 收入支出决算表: function 类/款/项 × (年初结转和结余, 本年收入, 本年支出 合计 =
 * 基本支出 + 项目支出, 年末结转和结余). On every row 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和
 * 结余; money the finance bureau took back (收回) was never received and is said in a note.
 */
export const fundIncomeExpenditureTable = (spec: {
  readonly id: string
  readonly number: number
  readonly title: string
  readonly kind: FiscalKind
  /** What the note calls the money: "政府性基金预算". */
  readonly what: string
}): TableProjection => ({
  id: spec.id,
  number: spec.number,
  title: spec.title,
  set: 'final',
  render(s: BudgetYearState, catalogue: Catalogue): TableModel {
    const lines = linesOf(s).filter((l) => fiscalKindOfLine(l) === spec.kind)
    const rows = functionRows(
      lines.map((l) => {
        const f = figuresOf(l)
        return { functionCode: l.functionCode, amounts: [f.carriedIn, f.income, f.spent, ...spentByKind(l), f.yearEnd].map(fenOfYuan) }
      }),
      6,
      catalogue,
    )
    const [carriedIn, income, expenditure, basic, project, yearEnd] = rows[0]!.cells.slice(2) as Decimal[]
    const { recovered } = sumFigures(lines)
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'fund',
          columns: [
            { label: '功能分类科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '年初结转和结余', kind: 'amount' },
            { label: '本年收入', kind: 'amount' },
            { label: '本年支出合计', kind: 'amount', sumOf: [5, 6] },
            { label: '基本支出', kind: 'amount' },
            { label: '项目支出', kind: 'amount' },
            { label: '年末结转和结余', kind: 'amount' },
          ],
          rows,
        },
      ],
      notes: [...(lines.length === 0 ? [noneNote(s.identity!.year, spec.what)] : []), ...recoveredNote(recovered), stageNote(s)],
      totals: { carriedIn: carriedIn!, income: income!, expenditure: expenditure!, basic: basic!, project: project!, yearEnd: yearEnd!, recovered, actual: expenditure! },
    }
  },
})
