import type Decimal from 'decimal.js'
import { type Catalogue, economicName } from '../../../src/domain/budget-file/catalogue'
import { ZERO, sum } from '../../../src/domain/money/money'
import { NO_ECONOMIC_CODE, UNSPLIT_ECONOMIC_CLASS } from '../../budget-tables/expenditure-by-economic-class'
import { type Row, type TableProjection, tableHeading } from '../../table'
import { expendituresOf } from '../figures/expenditures'
import { fiscalKindOfLine } from '../figures/fiscal-kinds'
import { stageNote } from '../figures/stage-note'

/** 人员经费 are the economic classes 301 工资福利支出 and 303 对个人和家庭的补助; every other class is 公用经费. */
const PERSONNEL_CLASSES = new Set(['301', '303'])

/**
 * The classes the published template lists 款 by 款, each 款 printed (0.00 where nothing was
 * spent) as the 普陀区 2024 决算 print them: 人员经费 301 and 303, 公用经费 302 and 310.
 */
const TEMPLATE_CLASSES = { personnel: ['301', '303'], operating: ['302', '310'] } as const

/** The catalogue's 款 of some economic classes: the rows the template prints whatever was spent. */
const templateOf = (catalogue: Catalogue, classes: ReadonlyArray<string>): string[] =>
  [...catalogue.economic.values()].filter((e) => e.code.length === 5 && classes.includes(e.code.slice(0, 3))).map((e) => e.code)

/**
 * Rows of one group (人员经费合计 or 公用经费合计): 类 then its 款 (the template's 款 always), class-only
 * money in its own row under the 类.
 */
const groupRows = (
  label: string,
  coded: ReadonlyArray<readonly [string, Decimal]>,
  template: ReadonlyArray<string>,
  catalogue: Catalogue,
  at: number,
): Row[] => {
  const sums = new Map<string, Decimal>()
  const add = (k: string, a: Decimal) => sums.set(k, (sums.get(k) ?? ZERO).plus(a))
  for (const code of template) add(code.slice(0, 3), ZERO), add(code, ZERO)
  for (const [code, a] of coded) {
    add(code.slice(0, 3), a)
    add(code.length === 3 ? `${code}~` : code, a)
  }
  const rows: Row[] = [{ cells: ['', label, sum(coded.map(([, a]) => a))], parent: 0, depth: 0 }]
  const indexOf = new Map<string, number>()
  // "~" sorts after digits: a class's unsplit remainder comes after its 款.
  for (const key of [...sums.keys()].sort()) {
    const unsplit = key.endsWith('~')
    const code = unsplit ? key.slice(0, -1) : key
    const isClass = code.length === 3 && !unsplit
    indexOf.set(key, at + rows.length)
    rows.push({
      cells: [unsplit ? '' : code, unsplit ? UNSPLIT_ECONOMIC_CLASS : economicName(catalogue, code), sums.get(key)!],
      parent: isClass ? at : indexOf.get(code.slice(0, 3))!,
      ...(unsplit ? {} : { depth: isClass ? 1 : 2 }),
    })
  }
  return rows
}

/**
 * 决算表六、一般公共预算财政拨款基本支出决算表: the 决算数 of 基本支出 paid from 一般公共预算 by the
 * economic code of each expenditure (expenditures.ts), grouped into 人员经费 and 公用经费
 * by economic class 类/款. Spending recorded without any economic code is shown in its own row,
 * not guessed into either group.
 */
export const finalGeneralBudgetBasicExpenditure: TableProjection = {
  id: 'final-general-budget-basic-expenditure',
  number: 6,
  title: '一般公共预算财政拨款基本支出决算表',
  set: 'final',
  render(s, catalogue) {
    const spending = expendituresOf(s).filter((x) => x.line.kind === 'basic' && fiscalKindOfLine(x.line) === 'general')
    const coded = spending.flatMap((x) => (x.economicCode ? [[x.economicCode, x.amount] as const] : []))
    const uncoded = sum(spending.filter((x) => !x.economicCode).map((x) => x.amount))
    const personnel = groupRows('人员经费合计', coded.filter(([c]) => PERSONNEL_CLASSES.has(c.slice(0, 3))), templateOf(catalogue, TEMPLATE_CLASSES.personnel), catalogue, 1)
    const operating = groupRows(
      '公用经费合计',
      coded.filter(([c]) => !PERSONNEL_CLASSES.has(c.slice(0, 3))),
      templateOf(catalogue, TEMPLATE_CLASSES.operating),
      catalogue,
      1 + personnel.length,
    )
    const total = sum(spending.map((x) => x.amount))
    const rows: Row[] = [
      { cells: ['', '合计', total], depth: 0 },
      ...personnel,
      ...operating,
      ...(uncoded.isZero() ? [] : [{ cells: ['', NO_ECONOMIC_CODE, uncoded], parent: 0 }]),
    ]
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'basic',
          columns: [
            { label: '经济分类科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '决算数', kind: 'amount' },
          ],
          rows,
        },
      ],
      notes: [stageNote(s)],
      totals: { basic: total, personnel: personnel[0]!.cells[2] as Decimal, operating: operating[0]!.cells[2] as Decimal, unclassified: uncoded },
    }
  },
}
