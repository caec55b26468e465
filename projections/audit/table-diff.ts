import { toJson } from '../render'
import type { TableModel } from '../table'

/**
 * Cells of a table as printed (the strings of its JSON form, 万元 with two decimals), each with an
 * address that survives rows coming and going: the part it sits in, its row's key (the row's
 * leading label cells: code and name, or the item) and its column. Two renders of a table — at two
 * dates, or with one figure changed (cell-explain.ts) — are compared cell by cell on these keys.
 */
export interface TableCell {
  /** The part's name ("expenditure", "income"…), or "summary" for table 10's 预算情况 figures. */
  readonly part: string
  /** Row index in the JSON rows (in summary: index of the figure). */
  readonly row: number
  /** Column index in the JSON columns (in summary: 1). */
  readonly column: number
  /** The row's label cells joined, unique within the part ("2150502 工信科技金融工作经费", "合计#2"). */
  readonly rowKey: string
  readonly columnLabel: string
  /** Column index within the part. */
  readonly partColumn: number
  readonly kind: 'text' | 'amount' | 'percent'
  readonly text: string
}

export const cellKey = (c: Pick<TableCell, 'part' | 'rowKey' | 'partColumn'>): string => `${c.part}\u0000${c.rowKey}\u0000${c.partColumn}`

/** Every cell of the table, in row-major order, summary figures last. */
export const cellsOf = (m: TableModel): TableCell[] => {
  const json = toJson(m)
  const out: TableCell[] = []
  let offset = 0
  for (const part of m.parts) {
    const width = part.columns.length
    const lead = Math.max(1, part.columns.findIndex((c) => c.kind !== 'text') === -1 ? width : part.columns.findIndex((c) => c.kind !== 'text'))
    const seen = new Map<string, number>()
    let lastLabel = ''
    let continuation = 0
    part.rows.forEach((_, i) => {
      const cells = json.rows[i]!.slice(offset, offset + width)
      let label = cells
        .slice(0, lead)
        .map((c) => (c ?? '').trim())
        .filter((c) => c !== '')
        .join(' ')
      if (label === '') label = `${lastLabel} …${++continuation}`
      else {
        lastLabel = label
        continuation = 0
      }
      const n = (seen.get(label) ?? 0) + 1
      seen.set(label, n)
      const rowKey = n === 1 ? label : `${label}#${n}`
      cells.forEach((text, j) =>
        out.push({ part: part.name, row: i, column: offset + j, rowKey, columnLabel: part.columns[j]!.label, partColumn: j, kind: part.columns[j]!.kind, text: text ?? '' }),
      )
    })
    offset += width
  }
  for (const [i, [label, value]] of (json.summary ?? []).entries())
    out.push({ part: 'summary', row: i, column: 1, rowKey: label, columnLabel: label, partColumn: 1, kind: 'amount', text: value })
  return out
}

export interface CellChange {
  readonly part: string
  readonly rowKey: string
  readonly columnLabel: string
  /** Where the cell is in the later table, or in the earlier one when its row is gone. */
  readonly row: number
  readonly column: number
  /** Column index within the part (with part and rowKey: the cell's key, cellKey). */
  readonly partColumn: number
  readonly kind: TableCell['kind']
  /** Printed value before and after; null when the row does not exist on that side. */
  readonly from: string | null
  readonly to: string | null
}

/** A cell missing and a blank cell print alike: neither is a change. */
const same = (a: string | null, b: string | null) => (a ?? '') === (b ?? '')

/**
 * The cells that print differently in `after` than in `before` (either may be absent: a year not
 * yet open). Rows are matched by key, so an added 项 row shows as cells from null, not as every
 * later row shifting.
 */
export const diffTables = (before: TableModel | undefined, after: TableModel | undefined): CellChange[] => {
  const a = before ? cellsOf(before) : []
  const b = after ? cellsOf(after) : []
  const byKey = new Map(a.map((c) => [cellKey(c), c]))
  const out: CellChange[] = []
  for (const c of b) {
    const old = byKey.get(cellKey(c))
    byKey.delete(cellKey(c))
    if (!same(old?.text ?? null, c.text))
      out.push({ part: c.part, rowKey: c.rowKey, columnLabel: c.columnLabel, row: c.row, column: c.column, partColumn: c.partColumn, kind: c.kind, from: old?.text ?? null, to: c.text })
  }
  for (const c of byKey.values())
    if (!same(c.text, null))
      out.push({ part: c.part, rowKey: c.rowKey, columnLabel: c.columnLabel, row: c.row, column: c.column, partColumn: c.partColumn, kind: c.kind, from: c.text, to: null })
  return out
}
