import type Decimal from 'decimal.js'
import { FUND_SOURCES, FUND_SOURCE_LABEL, type FundSource, isGeneralBudget } from '../../src/domain/budget-file/classification'
import { ZERO_FEN } from '../../src/domain/money/fen'
import { budgetFenOf, linesOf } from '../budget-year'
import { functionRows } from '../function-tree'
import { type Column, type TableProjection, tableHeading } from '../table'

/** The fund-source columns after 上年结转: every source but carriedForward, in FUND_SOURCES order. */
const SOURCE_COLUMNS: ReadonlyArray<FundSource> = FUND_SOURCES.filter((x) => x !== 'carriedForward')

const sourceLabel = (x: FundSource): string => (isGeneralBudget(x) ? `一般公共预算·${FUND_SOURCE_LABEL[x]}` : FUND_SOURCE_LABEL[x])

/**
 * 二、部门收入总体情况表: function 类/款/项 × (合计, 上年结转, one column per fund source).
 * Columns: [code, name, 合计, 上年结转, ...sources]; 合计 = 上年结转 + every source.
 */
export const incomeSummary: TableProjection = {
  id: 'income-summary',
  number: 2,
  title: '部门收入总体情况表',
  render(s, catalogue) {
    const order: ReadonlyArray<FundSource> = ['carriedForward', ...SOURCE_COLUMNS]
    const width = 1 + order.length
    const rows = functionRows(
      linesOf(s).map((l) => {
        const amount = budgetFenOf(l)
        return { functionCode: l.functionCode, amounts: [amount, ...order.map((x) => (x === l.fundSource ? amount : ZERO_FEN))] }
      }),
      width,
      catalogue,
    )
    const cells = rows[0]!.cells
    const columns: Column[] = [
      { label: '功能分类科目编码', kind: 'text' },
      { label: '科目名称', kind: 'text' },
      { label: '合计', kind: 'amount', sumOf: order.map((_, i) => 3 + i) },
      ...order.map((x): Column => ({ label: sourceLabel(x), kind: 'amount' })),
    ]
    return {
      ...tableHeading(this, s),
      parts: [{ name: 'income', columns, rows }],
      totals: { total: cells[2] as Decimal, carriedForward: cells[3] as Decimal },
    }
  },
}
