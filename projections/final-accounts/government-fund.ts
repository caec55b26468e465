import type Decimal from 'decimal.js'
import { linesOf } from '../budget-year'
import { functionRows } from '../function-tree'
import { noneNote } from '../fund-expenditure'
import { type TableProjection, tableHeading } from '../table'
import { stageNote } from './stage-note'
import { figuresOf, spentByKind } from './year-figures'

/**
 * 决算表八、政府性基金预算财政拨款收入支出决算表: for 政府性基金预算 money, function 类/款/项 ×
 * (年初结转和结余, 本年收入, 本年支出 合计 = 基本支出 + 项目支出, 年末结转和结余, 收回). On every row
 * 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余 + 收回.
 */
export const finalGovernmentFund: TableProjection = {
  id: 'final-government-fund',
  number: 8,
  title: '政府性基金预算财政拨款收入支出决算表',
  set: 'final',
  render(s, catalogue) {
    const lines = linesOf(s).filter((l) => l.fundSource === 'governmentFund')
    const rows = functionRows(
      lines.map((l) => {
        const f = figuresOf(l)
        return { functionCode: l.functionCode, amounts: [f.carriedIn, f.income, f.spent, ...spentByKind(l), f.yearEnd, f.recovered] }
      }),
      7,
      catalogue,
    )
    const [carriedIn, income, expenditure, basic, project, yearEnd, recovered] = rows[0]!.cells.slice(2) as Decimal[]
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'governmentFund',
          columns: [
            { label: '功能分类科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '年初结转和结余', kind: 'amount' },
            { label: '本年收入', kind: 'amount' },
            { label: '本年支出合计', kind: 'amount', sumOf: [5, 6] },
            { label: '基本支出', kind: 'amount' },
            { label: '项目支出', kind: 'amount' },
            { label: '年末结转和结余', kind: 'amount' },
            { label: '收回', kind: 'amount' },
          ],
          rows,
        },
      ],
      notes: [...(lines.length === 0 ? [noneNote(s.identity!.year, '政府性基金预算')] : []), stageNote(s)],
      totals: { carriedIn: carriedIn!, income: income!, expenditure: expenditure!, basic: basic!, project: project!, yearEnd: yearEnd!, recovered: recovered! },
    }
  },
}
