import { timeInZone } from '../../src/domain/time/as-of'
import type { HistoryEntry } from './history'

/**
 * A history as a sheet for people (the CSV and XLSX downloads): one row per entry shown, recording
 * times in the ledger's time zone, the document and reason in their own columns, balances in 元.
 */
export const HISTORY_COLUMNS = ['序号', '记录时间', '业务日期', '事件类型', '操作人', '角色', '批文号', '事由', '变动', '变动后余额（元）', '事件ID', '冲销事件'] as const

export const historyRow = (zone: string) => (e: HistoryEntry): string[] => [
  String(e.revision),
  timeInZone(e.recordedAt, zone),
  e.effectiveDate,
  e.type,
  e.actor,
  e.role,
  e.document ?? '',
  e.reason,
  e.changed.join('; '),
  e.balances.map((b) => `${b.line} 预算 ${b.budget} 支出 ${b.spent}`).join('; '),
  e.id,
  e.reverses ?? '',
]

/** The title line, the header and a row per entry. */
export const historySheet = (h: { unit: string; year: number; line?: string; entries: ReadonlyArray<HistoryEntry> }, zone: string): string[][] => [
  [`${h.unit} ${h.year} 年度事件记录${h.line === undefined ? '' : `（预算项目 ${h.line}）`}`, `时区：${zone}`, `共 ${h.entries.length} 条`],
  [...HISTORY_COLUMNS],
  ...h.entries.map(historyRow(zone)),
]

/** 101065-2021-事件记录.csv */
export const historyFileName = (unit: string, year: number, ext: 'csv' | 'xlsx'): string => `${unit}-${year}-事件记录.${ext}`
export const historyAsciiName = (unit: string, year: number, ext: 'csv' | 'xlsx'): string => `${unit}-${year}-history.${ext}`
