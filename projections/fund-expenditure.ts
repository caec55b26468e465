import type { FundSource } from '../src/domain/budget-file/classification'
import { budgetOf, linesOf } from './budget-year'
import { basicProjectPart } from './budget-tables/basic-project-table'
import { type TableProjection, tableHeading } from './table'

/**
 * Tables 8 and 9: table 3's layout — function 类/款/项 × (合计, 基本支出, 项目支出) — for the money of
 * one fund source only. A unit without such money gets the 合计 row of zeros and a note saying so
 * (the seed: "未使用政府性基金预算拨款安排的支出").
 */
export const fundExpenditureTable = (spec: {
  readonly id: string
  readonly number: number
  readonly title: string
  readonly source: FundSource
  /** What the note calls the money: "政府性基金预算". */
  readonly what: string
}): TableProjection => ({
  id: spec.id,
  number: spec.number,
  title: spec.title,
  render(s, catalogue) {
    const lines = linesOf(s).filter((l) => l.fundSource === spec.source && !budgetOf(l).isZero())
    const { part, totals } = basicProjectPart(lines, catalogue)
    return {
      ...tableHeading(this, s),
      parts: [part],
      ...(lines.length === 0 ? { notes: [noneNote(s.identity!.year, spec.what)] } : {}),
      totals: { total: totals.total },
    }
  },
})

/** "本单位2021年无政府性基金预算支出（未使用政府性基金预算拨款安排的支出）。" */
export const noneNote = (year: number, what: string): string => `本单位${year}年无${what}支出（未使用${what}拨款安排的支出）。`
