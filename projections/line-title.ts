import type { Line } from '../src/domain/budget-year'

const BASIC = { personnel: '基本支出·人员经费', operating: '基本支出·公用经费' } as const

/**
 * A budget line as people know it: its id and its project name (or the 基本支出 part), "p01 信息化建设",
 * so a preview names the lines the way the tables do rather than by bare id.
 */
export const lineTitle = (l: Pick<Line, 'id' | 'projectName' | 'basicCategory'>): string =>
  `${l.id} ${l.projectName ?? (l.basicCategory === null ? '基本支出' : BASIC[l.basicCategory])}`
