import type Decimal from 'decimal.js'
import { isFiscal } from '../../src/domain/budget-file/classification'
import { ZERO } from '../../src/domain/money/money'
import { type ProjectTarget, type TargetCategory, formatTargetValue } from '../../src/domain/budget-file/targets'
import { budgetOf, linesOf } from '../budget-year'
import { type Cell, type Column, type Row, type TableProjection, tableHeading } from '../table'

const CATEGORIES: ReadonlyArray<readonly [TargetCategory, string]> = [
  ['output', '产出指标'],
  ['effect', '效益指标'],
  ['satisfaction', '满意度指标'],
]

const COLUMNS: ReadonlyArray<Column> = [
  { label: '单位编码(项目编码)', kind: 'text' },
  { label: '项目单位(项目名称)', kind: 'text' },
  { label: '资金总额', kind: 'amount', sumOf: [3, 4] },
  { label: '财政性资金', kind: 'amount' },
  { label: '其他资金', kind: 'amount' },
  ...CATEGORIES.flatMap(([, name]) => [
    { label: `${name} 三级指标`, kind: 'text' as const },
    { label: `${name} 指标值`, kind: 'text' as const },
  ]),
]

export const NO_PROJECTS_NOTE = '本年度没有项目支出。'

/**
 * 十一、部门(单位)预算项目绩效目标汇总表, laid out as the published table: the unit's row first
 * (unit code and name, the sums over its project lines), then each project line in allocation order
 * with its function code (the published table prints the 7-digit 功能分类 code there), name and
 * amounts. A project with targets over several rows: row i holds the i-th 产出, 效益 and 满意度
 * target in the order recorded; continuation rows leave code, name and amounts blank and add up
 * into nothing. Target values are printed as the documents print them ("≥12次", or the bare value).
 */
export const projectPerformanceTargets: TableProjection = {
  id: 'project-performance-targets',
  number: 11,
  title: '部门(单位)预算项目绩效目标汇总表',
  render(s) {
    const heading = tableHeading(this, s)
    const projects = linesOf(s).filter((l) => l.kind === 'project')
    let total: Decimal = ZERO
    let fiscal: Decimal = ZERO
    const rows: Row[] = [{ cells: [] }] // the unit row, filled in once the sums are known
    for (const l of projects) {
      const amount = budgetOf(l)
      const f = isFiscal(l.fundSource) ? amount : ZERO
      total = total.plus(amount)
      fiscal = fiscal.plus(f)
      const byCategory = CATEGORIES.map(([c]) => l.targets.filter((t) => t.category === c))
      const height = Math.max(1, ...byCategory.map((ts) => ts.length))
      for (let i = 0; i < height; i++) {
        const targetCells = byCategory.flatMap((ts): Cell[] => {
          const t: ProjectTarget | undefined = ts[i]
          return t ? [t.name, formatTargetValue(t)] : [null, null]
        })
        rows.push(
          i === 0
            ? { cells: [l.functionCode, l.projectName, amount, f, amount.minus(f), ...targetCells], parent: 0 }
            : { cells: [null, null, null, null, null, ...targetCells] },
        )
      }
    }
    const other = total.minus(fiscal)
    rows[0] = { cells: [heading.unitCode, heading.unitName, total, fiscal, other, null, null, null, null, null, null] }
    return {
      ...heading,
      parts: [{ name: 'projects', columns: COLUMNS, rows }],
      ...(projects.length === 0 ? { notes: [NO_PROJECTS_NOTE] } : {}),
      totals: { total, fiscal, other },
    }
  },
}
