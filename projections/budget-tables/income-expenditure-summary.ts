import type Decimal from 'decimal.js'
import { carryOverOf, surplusOf } from '../../src/domain/budget-year'
import { functionName } from '../../src/domain/budget-file/catalogue'
import { FUND_SOURCES, type FundSource, isGeneralBudget } from '../../src/domain/budget-file/classification'
import { ZERO, sum, toWan } from '../../src/domain/money/money'
import { linesOf } from '../budget-year'
import { blankRow, budgetByClass, budgetBySource } from '../fund-amounts'
import { type Row, type TableProjection, tableHeading } from '../table'

/** The income rows of table 1, each with the fund sources it adds up; 上年结转 is shown apart. */
const INCOME_ROWS: ReadonlyArray<readonly [label: string, sources: ReadonlyArray<FundSource>]> = [
  ['一、一般公共预算拨款收入', FUND_SOURCES.filter(isGeneralBudget)],
  ['二、政府性基金预算拨款收入', ['governmentFund']],
  ['三、国有资本经营预算拨款收入', ['stateCapital']],
  ['四、财政专户管理资金收入', ['specialAccount']],
  ['五、事业收入', ['institutionIncome']],
  ['六、上级补助收入', ['higherLevelSubsidy']],
  ['七、附属单位上缴收入', ['subordinateRemittance']],
  ['八、事业单位经营收入', ['institutionOperatingIncome']],
  ['九、其他收入', ['otherIncome']],
]

// Every source but 上年结转 is in exactly one income row, so 本年收入合计 misses nothing.
{
  const listed = INCOME_ROWS.flatMap(([, s]) => s)
  const expected = FUND_SOURCES.filter((s) => s !== 'carriedForward')
  if (listed.length !== expected.length || !expected.every((s) => listed.includes(s)))
    throw new Error('invariant: table 1 income rows must cover every fund source except carriedForward once')
}

/**
 * 一、部门收支总体情况表: income by source + 上年结转 ‖ expenditure by function 类 + 结转下年.
 * The two parts are padded to the same height so that 本年收入合计 / 本年支出合计, 上年结转 /
 * 结转下年 and 收入总计 / 支出总计 print on the same lines, as the template has them.
 */
export const incomeExpenditureSummary: TableProjection = {
  id: 'income-expenditure-summary',
  number: 1,
  title: '部门收支总体情况表',
  render(s, catalogue) {
    const lines = linesOf(s)
    const bySource = budgetBySource(lines)
    const sources = INCOME_ROWS.map(([label, of]) => [label, sum(of.map((x) => bySource[x]))] as const)
    const currentIncome = sum(sources.map(([, a]) => a))
    const carriedForward = bySource.carriedForward
    const income = currentIncome.plus(carriedForward)

    const classes = budgetByClass(lines)
    const currentExpenditure = sum(classes.map(([, a]) => a))
    /**
     * 结转下年: this is a budget table, so it stays 0 even after the year-end close; the close's
     * 结转 becomes the next year's 上年结转 lines (src/ledger/opening-closing/open-next-year.ts) and is shown by
     * the indicators (结转结余率). The note says what was carried.
     */
    const carryOver: Decimal = ZERO
    const closedCarry = sum(lines.map(carryOverOf))
    const closedBalance = sum(lines.map(surplusOf))
    const expenditure = currentExpenditure.plus(carryOver)

    // Body rows, then [本年合计, 结转, 总计] at the same indexes in both parts.
    const body = Math.max(sources.length, classes.length)
    const current = body
    const grand = body + 2

    const incomeRows: Row[] = [
      ...sources.map(([label, a]): Row => ({ cells: [label, a], parent: current })),
      ...Array.from({ length: body - sources.length }, () => blankRow(2)),
      { cells: ['本年收入合计', currentIncome], parent: grand },
      { cells: ['上年结转', carriedForward], parent: grand },
      { cells: ['收入总计', income] },
    ]
    const expenditureRows: Row[] = [
      ...classes.map(([code, a]): Row => ({ cells: [`${code} ${functionName(catalogue, code)}`, a], parent: current })),
      ...Array.from({ length: body - classes.length }, () => blankRow(2)),
      { cells: ['本年支出合计', currentExpenditure], parent: grand },
      { cells: ['结转下年', carryOver], parent: grand },
      { cells: ['支出总计', expenditure] },
    ]
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'income',
          columns: [
            { label: '收入项目', kind: 'text' },
            { label: '金额', kind: 'amount' },
          ],
          rows: incomeRows,
        },
        {
          name: 'expenditure',
          columns: [
            { label: '支出项目（功能分类 类）', kind: 'text' },
            { label: '金额', kind: 'amount' },
          ],
          rows: expenditureRows,
        },
      ],
      notes: [
        s.closed
          ? `本年已年终结账：结转 ${toWan(closedCarry)} 万元（列入下年上年结转），结余 ${toWan(closedBalance)} 万元；本表为预算表，结转下年栏列示为 0。`
          : '结转下年在年终结账前为 0。',
      ],
      totals: { income, expenditure, currentIncome, currentExpenditure, carriedForward, carryOver },
    }
  },
}
