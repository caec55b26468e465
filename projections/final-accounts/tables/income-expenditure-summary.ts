import type Decimal from 'decimal.js'
import { functionName } from '../../../src/domain/budget-file/catalogue'
import { ZERO, sum } from '../../../src/domain/money/money'
import { linesOf } from '../../budget-year'
import { spentOf } from '../../../src/domain/budget-year'
import { chineseNumeral, classOf } from '../../fund-amounts'
import { type TableProjection, tableHeading } from '../../table'
import { balancedSides } from '../catalogue/balanced-sides'
import { FISCAL_KINDS, FISCAL_KIND_LABEL, fiscalKindOfLine } from '../figures/fiscal-kinds'
import { INCOME_SOURCES, INCOME_SOURCE_LABEL, incomeBySource } from '../figures/income-sources'
import { recoveredNote } from '../figures/recovered-note'
import { stageNote } from '../figures/stage-note'
import { sumFigures } from '../figures/year-figures'

/**
 * 决算表一、收入支出决算总表: 本年收入 by source (财政拨款 by government budget) + 使用非财政拨款结余
 * + 年初结转和结余 ‖ 本年支出 by function 类 + 结余分配 + 年末结转和结余, as the published template
 * prints it. The totals balance at every moment (year-figures.ts); 收回 was never received and is
 * a note. 使用非财政拨款结余 and 结余分配 are 0: no event records either yet.
 * The two parts are padded to one height so that the 合计 and 总计 rows print on the same lines.
 */
export const finalIncomeExpenditureSummary: TableProjection = {
  id: 'final-income-expenditure-summary',
  number: 1,
  title: '收入支出决算总表',
  set: 'final',
  render(s, catalogue) {
    const lines = linesOf(s)
    const income = new Map<string, Decimal>()
    const add = (key: string, a: Decimal) => income.set(key, (income.get(key) ?? ZERO).plus(a))
    for (const l of lines) {
      const { source, amount } = incomeBySource(l)
      add(source === 'fiscal' ? fiscalKindOfLine(l)! : source, amount)
    }
    const sources: Array<readonly [string, Decimal]> = [
      ...FISCAL_KINDS.map((k) => [`${FISCAL_KIND_LABEL[k]}收入`, income.get(k) ?? ZERO] as const),
      ...INCOME_SOURCES.filter((x) => x !== 'fiscal').map((x) => [INCOME_SOURCE_LABEL[x], income.get(x) ?? ZERO] as const),
    ].map(([label, a], i) => [`${chineseNumeral(i + 1)}、${label}`, a] as const)

    const byClass = new Map<string, Decimal>()
    for (const l of lines) byClass.set(classOf(l), (byClass.get(classOf(l)) ?? ZERO).plus(spentOf(l)))
    const classes = [...byClass].filter(([, a]) => !a.isZero()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

    const t = sumFigures(lines)
    const yearIncome = sum(sources.map(([, a]) => a))
    const sides = balancedSides(
      {
        body: sources.map(([label, a]) => [label, a]),
        current: ['本年收入合计', yearIncome],
        rest: [
          ['使用非财政拨款结余', ZERO],
          ['年初结转和结余', t.carriedIn],
        ],
        grand: ['总计', yearIncome.plus(t.carriedIn)],
      },
      {
        body: classes.map(([code, a]) => [`${code} ${functionName(catalogue, code)}`, a]),
        current: ['本年支出合计', t.spent],
        rest: [
          ['结余分配', ZERO],
          ['年末结转和结余', t.yearEnd],
        ],
        grand: ['总计', t.spent.plus(t.yearEnd)],
      },
    )
    return {
      ...tableHeading(this, s),
      parts: [
        { name: 'income', columns: [{ label: '收入项目', kind: 'text' }, { label: '决算数', kind: 'amount' }], rows: sides.income },
        {
          name: 'expenditure',
          columns: [{ label: '支出项目（功能分类 类）', kind: 'text' }, { label: '决算数', kind: 'amount' }],
          rows: sides.expenditure,
        },
      ],
      notes: [...recoveredNote(t.recovered), stageNote(s)],
      totals: {
        income: yearIncome.plus(t.carriedIn),
        expenditure: t.spent.plus(t.yearEnd),
        yearIncome,
        yearExpenditure: t.spent,
        carriedIn: t.carriedIn,
        yearEnd: t.yearEnd,
        recovered: t.recovered,
        fiscalIncome: sum(FISCAL_KINDS.map((k) => income.get(k) ?? ZERO)),
      },
    }
  },
}
