import type Decimal from 'decimal.js'
import type { Line } from '../../src/domain/budget-year'
import { type Catalogue, economicName, govEconomicCode } from '../../src/domain/budget-file/catalogue'
import { ZERO } from '../../src/domain/money/money'
import { budgetOf, linesOf } from '../budget-year'
import { type Row, type TableProjection, tableHeading } from '../table'

export const DEPT_SCHEME = '部门预算支出经济分类'
export const GOV_SCHEME = '政府预算支出经济分类'
/** Money recorded without an economic code (all of the 2021 seed: it prints no economic classification). */
export const NO_ECONOMIC_CODE = '未分类（未录入经济分类）'
/** A 部门 code the catalogue maps to no 政府 code for this unit type. */
export const NO_GOV_MAPPING = '未分类（无对应政府经济分类）'
/** A line classified only to 类 (e.g. "302"): its own row under the 类, so the 类 still foots. */
export const UNSPLIT_ECONOMIC_CLASS = '（未细分到款）'

type Amounts = readonly [total: Decimal, basic: Decimal, project: Decimal]
const NONE: Amounts = [ZERO, ZERO, ZERO]
const plus = (a: Amounts, b: Amounts): Amounts => [a[0].plus(b[0]), a[1].plus(b[1]), a[2].plus(b[2])]

const amountsOf = (l: Line): Amounts => {
  const b = budgetOf(l)
  return [b, l.kind === 'basic' ? b : ZERO, l.kind === 'project' ? b : ZERO]
}

/** Where a line's money sits in one scheme: a 3- or 5-digit code, or one of the 未分类 labels. */
type Placement = { readonly code: string } | { readonly unclassified: string }

/**
 * One block of the table: a section row naming the scheme, its 合计 row, then 类 → 款 rows in
 * code order and the 未分类 rows last. Every 类 and 未分类 row adds up into the block's 合计 and
 * every 款 into its 类. Row indexes start at `offset` (the block's position in the part).
 */
const block = (
  scheme: string,
  placed: ReadonlyArray<{ readonly at: Placement; readonly amounts: Amounts }>,
  catalogue: Catalogue,
  offset: number,
): { rows: Row[]; total: Amounts } => {
  const sums = new Map<string, Amounts>()
  const add = (key: string, a: Amounts) => sums.set(key, plus(sums.get(key) ?? NONE, a))
  const unclassified = new Map<string, Amounts>()
  let total = NONE
  for (const { at, amounts } of placed) {
    total = plus(total, amounts)
    if ('unclassified' in at) {
      unclassified.set(at.unclassified, plus(unclassified.get(at.unclassified) ?? NONE, amounts))
      continue
    }
    const cls = at.code.slice(0, 3)
    add(cls, amounts)
    if (at.code.length === 3) add(`${cls}*`, amounts)
    else add(at.code, amounts)
  }
  const rows: Row[] = [
    { cells: ['', scheme, null, null, null], depth: 0 },
    { cells: ['', '合计', ...total], depth: 0 },
  ]
  const totalIndex = offset + 1
  const indexOf = new Map<string, number>()
  // "302" < "302*" < "30201": the unsplit remainder would land before the 款; put it after them.
  const order = (k: string) => (k.endsWith('*') ? `${k.slice(0, -1)}~` : k)
  for (const key of [...sums.keys()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))) {
    const unsplit = key.endsWith('*')
    const code = unsplit ? key.slice(0, -1) : key
    const isClass = code.length === 3 && !unsplit
    const parent = isClass ? totalIndex : indexOf.get(code.slice(0, 3))!
    indexOf.set(key, offset + rows.length)
    rows.push({
      cells: [unsplit ? '' : code, unsplit ? UNSPLIT_ECONOMIC_CLASS : economicName(catalogue, code), ...sums.get(key)!],
      parent,
      // render indents the first cell by depth; an empty code cell gets none (it would print as blanks)
      ...(unsplit ? {} : { depth: isClass ? 1 : 2 }),
    })
  }
  for (const label of [NO_GOV_MAPPING, NO_ECONOMIC_CODE]) {
    const a = unclassified.get(label)
    if (a) rows.push({ cells: ['', label, ...a], parent: totalIndex })
  }
  return { rows, total }
}

/**
 * 六、支出预算分类汇总表（按支出经济分类）: the same budget twice, once by 部门预算支出经济分类 (the
 * codes recorded on the lines) and once by 政府预算支出经济分类 (each 部门 code mapped through the
 * catalogue for the unit's type), one block after the other. Nothing is invented: money without an
 * economic code, or whose code has no 政府 counterpart, stays in a 未分类 row of its own.
 */
export const expenditureByEconomicClass: TableProjection = {
  id: 'expenditure-by-economic-class',
  number: 6,
  title: '支出预算分类汇总表（按支出经济分类）',
  render(s, catalogue) {
    if (!s.identity) throw new Error('invariant: a table needs an opened budget year')
    // A department's consolidated lines keep their own unit's type; a unit's lines have the year's.
    const unitTypeOf = (l: Line) => l.unitType ?? s.identity!.unitType
    const lines = linesOf(s)
    const types = new Set(lines.map(unitTypeOf))
    const unitType = types.size === 1 ? [...types][0]! : s.identity.unitType
    const dept = block(
      DEPT_SCHEME,
      lines.map((l) => ({
        at: l.economicCode ? { code: l.economicCode } : { unclassified: NO_ECONOMIC_CODE },
        amounts: amountsOf(l),
      })),
      catalogue,
      0,
    )
    const gov = block(
      GOV_SCHEME,
      lines.map((l) => {
        const code = l.economicCode ? govEconomicCode(catalogue, l.economicCode, unitTypeOf(l)) : null
        return {
          at: code ? { code } : { unclassified: l.economicCode ? NO_GOV_MAPPING : NO_ECONOMIC_CODE },
          amounts: amountsOf(l),
        }
      }),
      catalogue,
      dept.rows.length,
    )
    const sumWhere = (p: (l: Line) => boolean) => lines.filter(p).reduce((a, l) => a.plus(budgetOf(l)), ZERO)
    const unclassified = sumWhere((l) => l.economicCode === null)
    const unmapped = sumWhere((l) => l.economicCode !== null && govEconomicCode(catalogue, l.economicCode, unitTypeOf(l)) === null)
    const notes = [
      types.size > 1
        ? '政府预算支出经济分类按各单位的类型（机关（行政/参公）或事业单位）的对应关系由部门预算支出经济分类换算。'
        : `政府预算支出经济分类按${unitType === 'administrative' ? '机关（行政/参公）' : '事业单位'}的对应关系由部门预算支出经济分类换算。`,
      ...(unclassified.isZero() ? [] : [`${NO_ECONOMIC_CODE}：预算行未录入支出经济分类，两套科目中均单列，不推定科目。`]),
      ...(unmapped.isZero() ? [] : [`${NO_GOV_MAPPING}：所录部门预算经济分类科目在分类目录中没有对应的政府预算经济分类科目。`]),
    ]
    return {
      ...tableHeading(this, s),
      parts: [
        {
          name: 'expenditure',
          columns: [
            { label: '科目编码', kind: 'text' },
            { label: '科目名称', kind: 'text' },
            { label: '合计', kind: 'amount', sumOf: [3, 4] },
            { label: '基本支出', kind: 'amount' },
            { label: '项目支出', kind: 'amount' },
          ],
          rows: [...dept.rows, ...gov.rows],
        },
      ],
      notes,
      totals: {
        deptTotal: dept.total[0],
        govTotal: gov.total[0],
        unclassified,
        unmapped,
        basic: dept.total[1],
        project: dept.total[2],
      },
    }
  },
}
