import Decimal from 'decimal.js'
import { toWan } from '../src/domain/money/money'
import { type Cell, type TableModel, UNKNOWN } from './table'

/** The wire form of a table (CLI --format json and HTTP): every figure a string in 万元. */
export interface TableJson {
  readonly id: string
  readonly number: number
  readonly title: string
  /** 'final' for a 决算 table; absent for the 预算 tables. */
  readonly set?: 'final'
  readonly unit: '万元'
  readonly unitCode: string
  readonly unitName: string
  /** Present (true) only when the unit code was assigned locally, not published. */
  readonly localUnitCode?: true
  readonly year: number
  readonly columns: string[]
  /** A figure's cell is null when the figure is unknown (not stated): blank for people, never 0. */
  readonly rows: Array<Array<string | null>>
  readonly summary?: Array<[string, string]>
  readonly sections?: Array<{ title: string; rows: string[][] }>
  readonly notes?: string[]
}

/** 部门名称 as every table's heading prints it: the name and its code, a local code marked so. */
export const unitShown = (j: Pick<TableJson, 'unitName' | 'unitCode' | 'localUnitCode'>): string =>
  `${j.unitName}（${j.localUnitCode ? '本地编码 ' : ''}${j.unitCode}）`

export const showCell = (c: Cell, kind: 'text' | 'amount' | 'percent' = 'text'): string => {
  if (c === null || c === UNKNOWN) return ''
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
        if (row?.cells[j] === UNKNOWN) return null
        const text = row ? showCell(row.cells[j] ?? null, col.kind) : ''
        return j === 0 && row?.depth && text ? `${'  '.repeat(row.depth)}${text}` : text
      })
    }),
  )
  return {
    id: m.id,
    number: m.number,
    title: m.title,
    ...(m.set ? { set: m.set } : {}),
    unit: '万元',
    unitCode: m.unitCode,
    unitName: m.unitName,
    ...(m.localUnitCode ? { localUnitCode: true as const } : {}),
    year: m.year,
    columns,
    rows,
    ...(m.summary ? { summary: m.summary.map(([l, v]) => [l, showCell(v, 'amount')] as [string, string]) } : {}),
    ...(m.sections ? { sections: m.sections.map((s) => ({ title: s.title, rows: s.rows.map((r) => [...r]) })) } : {}),
    ...(m.notes ? { notes: [...m.notes] } : {}),
  }
}

/**
 * East Asian Width W and F (UAX #11): CJK ideographs, kana, hangul, CJK and full-width punctuation
 * and the wide emoji take two terminal columns. Ambiguous characters (“ ” … ’) count as one, as
 * terminals outside CJK locales draw them.
 */
const WIDE =
  /[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{16fe0}-\u{18aff}\u{1b000}-\u{1b2ff}\u{1f004}\u{1f0cf}\u{1f18e}\u{1f191}-\u{1f19a}\u{1f200}-\u{1f251}\u{1f300}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f7e0}-\u{1f7eb}\u{1f90c}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{2fffd}\u{30000}-\u{3fffd}]/u

/** Display width: CJK and full-width characters take two columns in a terminal. */
export const charWidth = (ch: string): number => (WIDE.test(ch) ? 2 : 1)

export const displayWidth = (s: string): number => {
  let w = 0
  for (const ch of s) w += charWidth(ch)
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
  const cells = [j.columns, ...j.rows].map((r) => r.map((c) => clip(c ?? '')))
  const widths = j.columns.map((_, c) => Math.max(...cells.map((r) => displayWidth(r[c] ?? ''))))
  const line = (r: string[]) => r.map((s, c) => pad(s, widths[c]!, kinds[c] !== 'text')).join('  ').trimEnd()
  const out = [`${j.title}`, `部门名称：${unitShown(j)}  年度：${j.year}  单位：万元`, '']
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

/** A figure as the tables print it (12.50, -3.20, 8.5%): Excel must read it as the number it is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?%?$/
/** What makes a spreadsheet read a cell as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/

/** A text cell a spreadsheet would run as a formula is kept as text by a leading apostrophe; figures stay numbers. */
const guardFormula = (s: string): string => (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s)

const csvCell = (s: string): string => {
  const guarded = guardFormula(s)
  return /[",\n\r]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

/**
 * CSV with the title and the 部门名称 / 年度 / 单位 line first, as the text form and the published
 * tables carry them. The one CSV of a table: `table --format csv`, `export --format csv` and the
 * HTTP download all write this.
 */
export const toCsv = (m: TableModel): string => {
  const j = toJson(m)
  const lines = [
    [j.title],
    [`部门名称：${unitShown(j)}`, `年度：${j.year}`, '单位：万元'],
    j.columns,
    ...j.rows.map((r) => r.map((c) => (c ?? '').trimStart())),
  ]
  return csvOf(lines)
}

/** Rows as CSV, every cell through the formula guard: the one CSV writer (tables, history). */
export const csvOf = (rows: ReadonlyArray<ReadonlyArray<string>>): string => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`
