import type Decimal from 'decimal.js'
import { type Catalogue, functionName } from '../src/domain/budget-file/catalogue'
import { functionAncestry } from '../src/domain/budget-file/classification'
import { type Fen, ZERO_FEN, plusFen, toYuan } from '../src/domain/money/fen'
import type { Row } from './table'

/**
 * What a line contributes to each amount column of a function-classified table, in 分: a line adds
 * into three or four rows, and summing decimal.js values there was most of a table's render
 * (docs/speed.md, "As-of, the render in 分"); integer 分 sum exactly and each cell becomes 元 once.
 */
export type Contribution = { readonly functionCode: string; readonly amounts: ReadonlyArray<Fen> }

export const UNSPLIT_CLASS = '（未细分到款）'
export const UNSPLIT_SECTION = '（未细分到项）'

/**
 * The 类 / 款 / 项 rows of a function-classified table, with a 合计 row first. Amounts are summed
 * exactly per row (in 分, each cell converted to 元 once at the end). Money known only to 类 (or 款) level gets its own row under that 类 (or 款),
 * labelled as unsplit, so that every parent still adds up and nothing is invented.
 * Rows: [code, name, ...amounts].
 */
export const functionRows = (
  contributions: ReadonlyArray<Contribution>,
  width: number,
  catalogue: Catalogue,
  totalLabel = '合计',
): Row[] => {
  const sums = new Map<string, Fen[]>()
  const add = (key: string, amounts: ReadonlyArray<Fen>) => {
    let acc = sums.get(key)
    if (!acc) sums.set(key, (acc = Array.from({ length: width }, () => ZERO_FEN)))
    for (let i = 0; i < width; i++) acc[i] = plusFen(acc[i]!, amounts[i] ?? ZERO_FEN)
  }
  const inYuan = (key: string): Decimal[] => (sums.get(key) ?? zeros(width)).map(toYuan)
  for (const c of contributions) {
    add('', c.amounts)
    for (const code of functionAncestry(c.functionCode)) add(code, c.amounts)
    // Known only to 类 or 款: the remainder row keeps the parent footing.
    if (c.functionCode.length < 7) add(`${c.functionCode}*`, c.amounts)
  }
  const codes = [...sums.keys()].filter((k) => k !== '').sort(byCode)
  const rows: Row[] = [{ cells: ['', totalLabel, ...inYuan('')], depth: 0 }]
  const indexOf = new Map<string, number>([['', 0]])
  for (const key of codes) {
    const unsplit = key.endsWith('*')
    const code = unsplit ? key.slice(0, -1) : key
    const parentKey = unsplit ? code : code.length === 3 ? '' : code.slice(0, code.length - 2)
    const depth = unsplit ? code.length === 3 ? 1 : 2 : code.length === 3 ? 0 : code.length === 5 ? 1 : 2
    const label = unsplit ? (code.length === 3 ? UNSPLIT_CLASS : UNSPLIT_SECTION) : functionName(catalogue, code)
    indexOf.set(key, rows.length)
    rows.push({ cells: [unsplit ? '' : code, label, ...inYuan(key)], parent: indexOf.get(parentKey)!, depth })
  }
  return rows
}

/** 类 before its 款 before its 项; an unsplit remainder after the split children of its parent. */
const byCode = (a: string, b: string): number => {
  const ka = a.endsWith('*') ? `${a.slice(0, -1)}~` : a
  const kb = b.endsWith('*') ? `${b.slice(0, -1)}~` : b
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

const zeros = (n: number): Fen[] => Array.from({ length: n }, () => ZERO_FEN)
