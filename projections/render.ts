import Decimal from 'decimal.js'
import { toWan } from '../src/domain/money'
import type { Cell, TableModel } from './table'

/** The wire form of a table (CLI --format json and HTTP): every figure a string in 万元. */
export interface TableJson {
  readonly id: string
  readonly number: number
  readonly title: string
  readonly unit: '万元'
  readonly unitCode: string
  readonly unitName: string
  readonly year: number
  readonly columns: string[]
  readonly rows: string[][]
  readonly summary?: Array<[string, string]>
  readonly sections?: Array<{ title: string; rows: string[][] }>
  readonly notes?: string[]
}

export const showCell = (c: Cell, kind: 'text' | 'amount' | 'percent' = 'text'): string => {
  if (c === null) return ''
  if (Decimal.isDecimal(c)) return kind === 'percent' ? `${(c as Decimal).toFixed(2)}%` : toWan(c as Decimal)
  return c as string
}

/** Parts side by side: row i of the table is row i of every part, blank where a part is shorter. */
export const toJson = (m: TableModel): TableJson => {
  const columns = m.parts.flatMap((p) => p.columns.map((c) => c.label))
  const height = Math.max(0, ...m.parts.map((p) => p.rows.length))
  const rows = Array.from({ length: height }, (_, i) =>
    m.parts.flatMap((p) => {
      const row = p.rows[i]
      return p.columns.map((col, j) => {
        const text = row ? showCell(row.cells[j] ?? null, col.kind) : ''
        return j === 0 && row?.depth && text ? `${'  '.repeat(row.depth)}${text}` : text
      })
    }),
  )
  return {
    id: m.id,
    number: m.number,
    title: m.title,
    unit: '万元',
    unitCode: m.unitCode,
    unitName: m.unitName,
    year: m.year,
    columns,
    rows,
    ...(m.summary ? { summary: m.summary.map(([l, v]) => [l, showCell(v, 'amount')] as [string, string]) } : {}),
    ...(m.sections ? { sections: m.sections.map((s) => ({ title: s.title, rows: s.rows.map((r) => [...r]) })) } : {}),
    ...(m.notes ? { notes: [...m.notes] } : {}),
  }
}

/** Display width: CJK and full-width characters take two columns in a terminal. */
export const displayWidth = (s: string): number => {
  let w = 0
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u3000-\u303f]/.test(ch) ? 2 : 1
  return w
}

const pad = (s: string, width: number, right: boolean): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)))
  return right ? fill + s : s + fill
}

const MAX_TEXT = 40

/** An aligned table a person can read: labels left, figures right, long text cut with "…". */
export const toText = (m: TableModel): string => {
  const j = toJson(m)
  const kinds = m.parts.flatMap((p) => p.columns.map((c) => c.kind))
  const clip = (s: string) => (displayWidth(s) > MAX_TEXT ? `${[...s].slice(0, MAX_TEXT / 2 - 1).join('')}…` : s)
  const cells = [j.columns, ...j.rows].map((r) => r.map(clip))
  const widths = j.columns.map((_, c) => Math.max(...cells.map((r) => displayWidth(r[c] ?? ''))))
  const line = (r: string[]) => r.map((s, c) => pad(s, widths[c]!, kinds[c] !== 'text')).join('  ').trimEnd()
  const out = [`${j.title}`, `部门名称：${j.unitName}（${j.unitCode}）  年度：${j.year}  单位：万元`, '']
  for (const s of j.sections ?? []) {
    out.push(`【${s.title}】`)
    for (const r of s.rows) out.push(`  ${r.join('：')}`)
    out.push('')
  }
  for (const [label, value] of j.summary ?? []) out.push(`${pad(label, 28, false)} ${value}`)
  if (j.summary) out.push('')
  out.push(line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of cells.slice(1)) out.push(line(r))
  for (const n of j.notes ?? []) out.push('', `注：${n}`)
  return `${out.join('\n')}\n`
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

/** CSV with the title and 单位 lines first, as the published tables carry them. */
export const toCsv = (m: TableModel): string => {
  const j = toJson(m)
  const lines = [[j.title], [`部门名称：${j.unitName}`, `单位：万元`], j.columns, ...j.rows.map((r) => r.map((c) => c.trimStart()))]
  return `${lines.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`
}
