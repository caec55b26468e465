import type Decimal from 'decimal.js'
import { type Catalogue, functionName } from '../src/domain/budget-file/catalogue'
import { functionAncestry } from '../src/domain/budget-file/classification'
import { ZERO } from '../src/domain/money/money'
import type { Row } from './table'

/** What a line contributes to each amount column of a function-classified table. */
export type Contribution = { readonly functionCode: string; readonly amounts: ReadonlyArray<Decimal> }

export const UNSPLIT_CLASS = '（未细分到款）'
export const UNSPLIT_SECTION = '（未细分到项）'

/**
 * The 类 / 款 / 项 rows of a function-classified table, with a 合计 row first. Amounts are summed
 * exactly per row. Money known only to 类 (or 款) level gets its own row under that 类 (or 款),
 * labelled as unsplit, so that every parent still adds up and nothing is invented.
 * Rows: [code, name, ...amounts].
 */
export const functionRows = (
  contributions: ReadonlyArray<Contribution>,
  width: number,
  catalogue: Catalogue,
  totalLabel = '合计',
): Row[] => {
  const sums = new Map<string, Decimal[]>()
  const add = (key: string, amounts: ReadonlyArray<Decimal>) => {
    const acc = sums.get(key) ?? Array.from({ length: width }, () => ZERO)
    sums.set(key, acc.map((a, i) => a.plus(amounts[i] ?? ZERO)))
  }
  for (const c of contributions) {
    add('', c.amounts)
    for (const code of functionAncestry(c.functionCode)) add(code, c.amounts)
    // Known only to 类 or 款: the remainder row keeps the parent footing.
    if (c.functionCode.length < 7) add(`${c.functionCode}*`, c.amounts)
  }
  const codes = [...sums.keys()].filter((k) => k !== '').sort(byCode)
  const rows: Row[] = [{ cells: ['', totalLabel, ...(sums.get('') ?? zeros(width))], depth: 0 }]
  const indexOf = new Map<string, number>([['', 0]])
  for (const key of codes) {
    const unsplit = key.endsWith('*')
    const code = unsplit ? key.slice(0, -1) : key
    const parentKey = unsplit ? code : code.length === 3 ? '' : code.slice(0, code.length - 2)
    const depth = unsplit ? code.length === 3 ? 1 : 2 : code.length === 3 ? 0 : code.length === 5 ? 1 : 2
    const label = unsplit ? (code.length === 3 ? UNSPLIT_CLASS : UNSPLIT_SECTION) : functionName(catalogue, code)
    indexOf.set(key, rows.length)
    rows.push({ cells: [unsplit ? '' : code, label, ...sums.get(key)!], parent: indexOf.get(parentKey)!, depth })
  }
  return rows
}

/** 类 before its 款 before its 项; an unsplit remainder after the split children of its parent. */
const byCode = (a: string, b: string): number => {
  const ka = a.endsWith('*') ? `${a.slice(0, -1)}~` : a
  const kb = b.endsWith('*') ? `${b.slice(0, -1)}~` : b
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

const zeros = (n: number) => Array.from({ length: n }, () => ZERO)
