import type Decimal from 'decimal.js'
import { functionName } from '../../../src/domain/budget-file/catalogue'
import { ZERO, sum } from '../../../src/domain/money/money'
import { linesOf } from '../../budget-year'
import { spentOf } from '../../../src/domain/budget-year'
import { chineseNumeral, classOf } from '../../fund-amounts'
import { type Cell, type TableProjection, tableHeading } from '../../table'
import { balancedSides } from '../catalogue/balanced-sides'
import { FISCAL_KINDS, FISCAL_KIND_LABEL, type FiscalKind, fiscalKindOfLine } from '../figures/fiscal-kinds'
import { recoveredNote } from '../figures/recovered-note'
import { stageNote } from '../figures/stage-note'
import { type YearFigures, sumFigures } from '../figures/year-figures'

/**
 * 决算表四、财政拨款收入支出决算总表: 财政拨款 only. 本年收入 by government budget + 年初财政拨款
 * 结转和结余 (and its split by government budget, as the published template prints it) ‖ 本年支出
 * by function 类 × (合计, one column per government budget) + 年末财政拨款结转和结余. 收回 was never
 * received: a note. Expenditure columns: 0 项目, 1 合计 (= 2 + 3 + 4), 2 一般公共预算, 3 政府性基金, 4 国有资本经营.
 */
export const finalFiscalAppropriationSummary: TableProjection = {
  id: 'final-fiscal-appropriation-summary',
  number: 4,
  title: '财政拨款收入支出决算总表',
  set: 'final',
  render(s, catalogue) {
    const fiscal = linesOf(s).filter((l) => fiscalKindOfLine(l) !== null)
    const byKind = Object.fromEntries(
      FISCAL_KINDS.map((k) => [k, sumFigures(fiscal.filter((l) => fiscalKindOfLine(l) === k))]),
    ) as Record<FiscalKind, YearFigures>
    const perKind = (f: (x: YearFigures) => Decimal): Decimal[] => FISCAL_KINDS.map((k) => f(byKind[k]))
    const row = (label: string, f: (x: YearFigures) => Decimal): Cell[] => {
      const parts = perKind(f)
      return [label, sum(parts), ...parts]
    }

    const byClass = new Map<string, Decimal[]>()
    for (const l of fiscal) {
      const acc = byClass.get(classOf(l)) ?? FISCAL_KINDS.map(() => ZERO)
      const at = FISCAL_KINDS.indexOf(fiscalKindOfLine(l)!)
      byClass.set(classOf(l), acc.map((a, i) => (i === at ? a.plus(spentOf(l)) : a)))
    }
    const classes = [...byClass].filter(([, a]) => !sum(a).isZero()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

    const numbered = (k: FiscalKind, i: number) => `${chineseNumeral(i + 1)}、${FISCAL_KIND_LABEL[k]}`
    const sources = FISCAL_KINDS.map((k, i) => [numbered(k, i), byKind[k].income] as const)
    const yearIncome = sum(sources.map(([, a]) => a))
    const carriedIn = sum(perKind((x) => x.carriedIn))
    const sides = balancedSides(
      {
        body: sources.map(([label, a]) => [label, a]),
        current: ['本年收入合计', yearIncome],
        // The split rows are parts of 年初财政拨款结转和结余, not further terms of 总计.
        rest: [['年初财政拨款结转和结余', carriedIn], ...FISCAL_KINDS.map((k, i) => ({ cells: [numbered(k, i), byKind[k].carriedIn], partOf: 0 }))],
        grand: ['总计', yearIncome.plus(carriedIn)],
      },
      {
        body: classes.map(([code, a]) => [`${code} ${functionName(catalogue, code)}`, sum(a), ...a]),
        current: row('本年支出合计', (x) => x.spent),
        rest: [row('年末财政拨款结转和结余', (x) => x.yearEnd)],
        grand: row('总计', (x) => x.spent.plus(x.yearEnd)),
      },
    )
    const spent = perKind((x) => x.spent)
    return {
      ...tableHeading(this, s),
      parts: [
        { name: 'income', columns: [{ label: '收入项目', kind: 'text' }, { label: '决算数', kind: 'amount' }], rows: sides.income },
        {
          name: 'expenditure',
          columns: [
            { label: '支出项目（功能分类 类）', kind: 'text' },
            { label: '合计', kind: 'amount', sumOf: [2, 3, 4] },
            ...FISCAL_KINDS.map((k) => ({ label: FISCAL_KIND_LABEL[k], kind: 'amount' as const })),
          ],
          rows: sides.expenditure,
        },
      ],
      notes: [...recoveredNote(sum(perKind((x) => x.recovered))), stageNote(s)],
      totals: {
        income: yearIncome.plus(carriedIn),
        expenditure: sides.expenditure.at(-1)!.cells[1] as Decimal,
        yearIncome,
        yearExpenditure: sum(spent),
        general: spent[0]!,
        governmentFund: spent[1]!,
        stateCapital: spent[2]!,
      },
    }
  },
}
