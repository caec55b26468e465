import type Decimal from 'decimal.js'
import type { BudgetYearState } from '../../../src/domain/budget-year'
import { THREE_PUBLIC, type ThreePublic } from '../../../src/domain/budget-file/classification'
import { sum } from '../../../src/domain/money/money'
import { THREE_PUBLIC_NOTE } from '../../budget-tables/three-public-expenses'
import { type Row, type TableProjection, UNKNOWN, tableHeading } from '../../table'
import { expendituresOf } from '../figures/expenditures'
import { fiscalKindOfLine } from '../figures/fiscal-kinds'
import { stageNote } from '../figures/stage-note'
import { rateCell } from '../figures/year-figures'

/** The rows as the 决算 prints them, each with the categories it adds up and its parent row. */
const ROWS: ReadonlyArray<{ readonly label: string; readonly parts: ReadonlyArray<ThreePublic>; readonly parent?: number }> = [
  { label: '合计', parts: THREE_PUBLIC },
  { label: '1、因公出国（境）费', parts: ['abroad'], parent: 0 },
  { label: '2、公务用车购置及运行维护费', parts: ['vehiclePurchase', 'vehicleOperation'], parent: 0 },
  { label: '其中：（1）公务用车购置费', parts: ['vehiclePurchase'], parent: 2 },
  { label: '（2）公务用车运行维护费', parts: ['vehicleOperation'], parent: 2 },
  { label: '3、公务接待费', parts: ['reception'], parent: 0 },
]

/** The 决算数 of 三公 categories: spending booked to them and paid from 财政拨款. */
export const threePublicSpent = (s: BudgetYearState, parts: ReadonlyArray<ThreePublic>): Decimal =>
  sum(expendituresOf(s).filter((x) => x.threePublic !== null && parts.includes(x.threePublic) && fiscalKindOfLine(x.line) !== null).map((x) => x.amount))

/**
 * 决算表七、财政拨款“三公”经费支出决算表: per category, the 三公 budget (the earmarks threePublic.*)
 * against the 决算数: spending booked to the category and paid from 财政拨款 (money of other sources
 * is not in this table, unlike the 执行数 of 预算表七, which counts every source). A budget the year never stated is blank,
 * not 0 (as in 预算表七); a row adds up the categories stated. 完成率 only where the budget is known
 * and not zero.
 */
export const finalThreePublicExpenses: TableProjection = {
  id: 'final-three-public-expenses',
  number: 7,
  title: '财政拨款“三公”经费支出决算表',
  set: 'final',
  render(s) {
    const stated = (c: ThreePublic): Decimal | undefined => s.earmarks[`threePublic.${c}`]
    const rows: Row[] = ROWS.map((r) => {
      const known = r.parts.map(stated).filter((d): d is Decimal => d !== undefined)
      const budget = known.length === 0 ? UNKNOWN : sum(known)
      const actual = threePublicSpent(s, r.parts)
      return {
        cells: [r.label, budget, actual, budget === UNKNOWN ? null : rateCell(actual, budget)],
        ...(r.parent === undefined ? {} : { parent: r.parent }),
      }
    })
    const unstated = THREE_PUBLIC.filter((c) => stated(c) === undefined)
    const total = rows[0]!.cells
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'threePublic',
          columns: [
            { label: '项目', kind: 'text' },
            { label: '预算数', kind: 'amount' },
            { label: '决算数', kind: 'amount' },
            { label: '完成率（%）', kind: 'percent' },
          ],
          rows,
        },
      ],
      notes: [
        THREE_PUBLIC_NOTE,
        ...(unstated.length > 0 ? ['预算未列数的科目，预算数留空（未列不等于 0），完成率不列示。'] : []),
        stageNote(s),
      ],
      totals: { ...(total[1] === UNKNOWN ? {} : { budget: total[1] as Decimal }), actual: total[2] as Decimal },
    }
  },
}
