import type Decimal from 'decimal.js'
import type { Line } from '../../src/domain/budget-year'
import { isFiscal } from '../../src/domain/budget-file/classification'
import { ZERO } from '../../src/domain/money/money'
import { budgetOf, linesOf } from '../budget-year'
import { type Row, type TableProjection, tableHeading } from '../table'

/** The 预算情况 labels exactly as the published table prints them. */
export const BUDGET_LABELS = {
  budget: '部门预算总额(万元)',
  fiscal: '1、资金来源：(1) 财政性资金',
  other: '(2) 其他资金',
  basic: '2、资金结构：(1) 基本支出',
  project: '(2) 项目支出',
} as const

export const INDICATOR_COLUMNS = ['一级指标', '二级指标', '三级指标', '指标值类型', '指标值', '度量单位', '指标值说明'] as const

export const NO_UNIT_TARGETS_NOTE = '本年度尚未设置部门（单位）整体绩效目标：年度履职目标、年度主要任务和绩效指标均未录入。'

/**
 * 十、部门(单位)整体绩效目标表: the unit's 年度履职目标 and 年度主要任务 (sections), its 预算情况
 * computed from the lines (summary), and the indicator grid as recorded (指标值类型 is the operator:
 * 定性, ≥, ≤, =, ↑ or ↓; empty 一级 / 二级 cells are the merged cells of the printed grid).
 */
export const unitPerformanceTargets: TableProjection = {
  id: 'unit-performance-targets',
  number: 10,
  title: '部门(单位)整体绩效目标表',
  render(s) {
    const lines = linesOf(s)
    const total = (p: (l: Line) => boolean): Decimal => lines.filter(p).reduce((a, l) => a.plus(budgetOf(l)), ZERO)
    const totals = {
      budget: total(() => true),
      fiscal: total((l) => isFiscal(l.fundSource)),
      other: total((l) => !isFiscal(l.fundSource)),
      basic: total((l) => l.kind === 'basic'),
      project: total((l) => l.kind === 'project'),
    }
    const targets = s.unitTargets
    const rows: Row[] = (targets?.indicators ?? []).map((i) => ({
      cells: [i.level1, i.level2, i.level3, i.operator, i.value, i.unit, i.explanation],
    }))
    return {
      ...tableHeading(this, s),
      sections: [
        { title: '年度履职目标', rows: (targets?.annualGoals ?? []).map((g) => [g]) },
        // rows are [任务名称, 主要内容]; no header row, so every row is a task
        { title: '年度主要任务', rows: (targets?.tasks ?? []).map((t) => [t.name, t.content]) },
      ],
      summary: (Object.keys(BUDGET_LABELS) as Array<keyof typeof BUDGET_LABELS>).map((k) => [BUDGET_LABELS[k], totals[k]] as const),
      parts: [{ name: 'indicators', columns: INDICATOR_COLUMNS.map((label) => ({ label, kind: 'text' as const })), rows }],
      ...(targets ? {} : { notes: [NO_UNIT_TARGETS_NOTE] }),
      totals,
    }
  },
}
