import type Decimal from 'decimal.js'
import { THREE_PUBLIC, type ThreePublic } from '../../src/domain/budget-file/classification'
import { sum, yuan } from '../../src/domain/money/money'
import { toYuan } from '../../src/domain/money/fen'
import { type Cell, type Row, type TableProjection, UNKNOWN, tableHeading } from '../table'

const LABEL: Record<ThreePublic, string> = {
  abroad: '因公出国（境）费用',
  reception: '公务接待费',
  vehicleOperation: '公务用车运行维护费',
  vehiclePurchase: '公务用车购置',
}

/**
 * The rows as the published table prints them, each with the categories it adds up and its parent.
 * No display indent: the labels carry their own numbering ("1、", "其中：（1）"), as printed.
 */
const ROWS: ReadonlyArray<{ readonly label: string; readonly parts: ReadonlyArray<ThreePublic>; readonly parent?: number }> = [
  { label: '共计', parts: THREE_PUBLIC },
  { label: '1、因公出国（境）费用', parts: ['abroad'], parent: 0 },
  { label: '2、公务接待费', parts: ['reception'], parent: 0 },
  { label: '3、公务用车费', parts: ['vehicleOperation', 'vehiclePurchase'], parent: 0 },
  { label: '其中：（1）公务用车运行维护费', parts: ['vehicleOperation'], parent: 3 },
  { label: '（2）公务用车购置', parts: ['vehiclePurchase'], parent: 3 },
]

export const THREE_PUBLIC_NOTE =
  '按照党中央、国务院有关规定及部门预算管理有关规定，“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费。' +
  '（1）因公出国（境）费，指单位工作人员公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出。' +
  '（2）公务用车购置及运行费，指单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出，' +
  '公务用车指用于履行公务的机动车辆，包括一般公务用车和执法执勤用车。' +
  '（3）公务接待费，指单位按规定开支的各类公务接待（含外宾接待）支出。'

/**
 * 七、一般公共预算“三公”经费支出情况表: this year's 三公 budget (the earmarks threePublic.*), last year's as published (identity.previousYear.threePublic), the change,
 * and what has been spent so far. Last year's column is known only as a whole: if the recorded
 * comparatives leave out any of the four categories, the column stays blank (and a note says which
 * are missing) rather than print totals that might be short.
 *
 * Unknown is not zero: a category the budget never stated (no earmark declared, not even 0.00)
 * is blank, as published tables leave it, and so is its 增减; a stated 0.00 prints 0.00. 共计 and
 * 公务用车费 add up the categories stated, as a reader adds the printed figures, and are blank
 * only when none of theirs is stated. A note names the categories left blank.
 */
export const threePublicExpenses: TableProjection = {
  id: 'three-public-expenses',
  number: 7,
  title: '一般公共预算“三公”经费支出情况表',
  render(s) {
    const heading = tableHeading(this, s)
    const stated = (c: ThreePublic): Decimal | undefined => s.earmarks[`threePublic.${c}`]
    const budget = (parts: ReadonlyArray<ThreePublic>): Decimal | typeof UNKNOWN => {
      const known = parts.map(stated).filter((d): d is Decimal => d !== undefined)
      return known.length === 0 ? UNKNOWN : sum(known)
    }
    const unstated = THREE_PUBLIC.filter((c) => stated(c) === undefined)
    const recorded = s.identity!.previousYear.threePublic ?? {}
    const missing = THREE_PUBLIC.filter((c) => recorded[c] === undefined)
    const previous = missing.length === 0 ? (c: ThreePublic): Decimal => yuan(recorded[c]!) : undefined
    const spent = (c: ThreePublic): Decimal => toYuan(s.spentThreePublic[c])

    const rows: Row[] = ROWS.map((r) => {
      const thisYear = budget(r.parts)
      const lastYear: Decimal | typeof UNKNOWN = previous ? sum(r.parts.map(previous)) : UNKNOWN
      const change: Cell = thisYear === UNKNOWN || lastYear === UNKNOWN ? UNKNOWN : thisYear.minus(lastYear)
      return {
        cells: [r.label, thisYear, lastYear, change, sum(r.parts.map(spent))],
        ...(r.parent === undefined ? {} : { parent: r.parent }),
      }
    })
    const total = rows[0]!.cells
    const notes = [THREE_PUBLIC_NOTE]
    if (unstated.length > 0 && unstated.length < THREE_PUBLIC.length)
      notes.push(`预算未列${unstated.map((c) => LABEL[c]).join('、')}的预算数，该栏留空（未列不等于 0）。`)
    else if (unstated.length === THREE_PUBLIC.length) notes.push(`预算未列“三公”经费预算数，该栏留空（未列不等于 0）。`)
    if (!previous)
      notes.push(
        missing.length === THREE_PUBLIC.length
          ? `未录入${heading.year - 1}年“三公”经费预算数，上年预算数及增减不列示。`
          : `${heading.year - 1}年“三公”经费预算数只录入了部分科目（未录入：${missing.map((c) => LABEL[c]).join('、')}），上年预算数及增减不列示。`,
      )
    return {
      ...heading,
      parts: [
        {
          name: 'threePublic',
          columns: [
            { label: '项目', kind: 'text' },
            { label: `${heading.year}年“三公”经费预算数`, kind: 'amount' },
            { label: `${heading.year - 1}年预算数`, kind: 'amount' },
            { label: '增减', kind: 'amount' },
            { label: '执行数', kind: 'amount' },
          ],
          rows,
        },
      ],
      notes,
      totals: {
        ...(total[1] === UNKNOWN ? {} : { budget: total[1] as Decimal }),
        ...(previous ? { previous: total[2] as Decimal } : {}),
        spent: total[4] as Decimal,
      },
    }
  },
}
