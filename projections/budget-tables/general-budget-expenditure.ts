import type Decimal from 'decimal.js'
import type { Line } from '../../src/domain/budget-year'
import { isGeneralBudget } from '../../src/domain/budget-file/classification'
import { type Fen, ZERO_FEN } from '../../src/domain/money/fen'
import { budgetFenOf, linesOf } from '../budget-year'
import { functionRows } from '../function-tree'
import { type TableProjection, tableHeading } from '../table'

/** [基本支出小计, 人员经费, 公用经费, 未细分, 项目支出] of one line. */
const split = (l: Line): Fen[] => {
  const a = budgetFenOf(l)
  if (l.kind === 'project') return [ZERO_FEN, ZERO_FEN, ZERO_FEN, ZERO_FEN, a]
  return [a, l.basicCategory === 'personnel' ? a : ZERO_FEN, l.basicCategory === 'operating' ? a : ZERO_FEN, l.basicCategory === null ? a : ZERO_FEN, ZERO_FEN]
}

export const UNSPLIT_NOTE = '未细分：基本支出中未记录属于人员经费还是公用经费的部分，如实列示，不作推定。'

/**
 * 五、一般公共预算支出情况表: 一般公共预算 money only; function 类/款/项 × (合计, 基本支出 小计,
 * 人员经费, 公用经费, 未细分, 项目支出). 未细分 holds basic money whose personnel/operating split is
 * not recorded (the seed's 32.30 万元): shown apart rather than guessed.
 * Columns: 0 code, 1 name, 2 合计 (= 3 + 7), 3 基本小计 (= 4 + 5 + 6), 4 人员, 5 公用, 6 未细分, 7 项目.
 */
export const generalBudgetExpenditure: TableProjection = {
  id: 'general-budget-expenditure',
  number: 5,
  title: '一般公共预算支出情况表',
  render(s, catalogue) {
    const rows = functionRows(
      linesOf(s)
        .filter((l) => isGeneralBudget(l.fundSource))
        .map((l) => {
          const parts = split(l)
          return { functionCode: l.functionCode, amounts: [budgetFenOf(l), ...parts] }
        }),
      6,
      catalogue,
    )
    const cells = rows[0]!.cells
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'expenditure',
          columns: [
            { label: '功能分类科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '合计', kind: 'amount', sumOf: [3, 7] },
            { label: '基本支出小计', kind: 'amount', sumOf: [4, 5, 6] },
            { label: '人员经费', kind: 'amount' },
            { label: '公用经费', kind: 'amount' },
            { label: '未细分', kind: 'amount' },
            { label: '项目支出', kind: 'amount' },
          ],
          rows,
        },
      ],
      ...((cells[6] as Decimal).isZero() ? {} : { notes: [UNSPLIT_NOTE] }),
      totals: { total: cells[2] as Decimal, basic: cells[3] as Decimal, project: cells[7] as Decimal },
    }
  },
}
