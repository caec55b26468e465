import { blankRow } from '../../fund-amounts'
import type { Cell, Row } from '../../table'

/** A row after 本年合计 that is a part of an earlier one of those rows (its index in rest), not a term of 总计. */
export interface RestPart {
  readonly cells: ReadonlyArray<Cell>
  readonly partOf: number
}

/** One side of a 总表: its body rows, its 本年合计 row, the rows after it, and its 总计 row. */
export interface Side {
  readonly body: ReadonlyArray<ReadonlyArray<Cell>>
  readonly current: ReadonlyArray<Cell>
  readonly rest: ReadonlyArray<ReadonlyArray<Cell> | RestPart>
  readonly grand: ReadonlyArray<Cell>
}

/**
 * The income and expenditure sides of a 决算 总表, padded to one height so that their 本年合计
 * and 总计 rows print on the same lines: body rows add up into 本年合计, which with the rows after
 * it adds up into 总计.
 */
export const balancedSides = (income: Side, expenditure: Side): { income: Row[]; expenditure: Row[] } => {
  const body = Math.max(income.body.length, expenditure.body.length)
  const rest = Math.max(income.rest.length, expenditure.rest.length)
  const [current, grand] = [body, body + 1 + rest]
  const rows = (side: Side): Row[] => {
    const pad = (n: number) => Array.from({ length: n }, () => blankRow(side.current.length))
    return [
      ...side.body.map((cells): Row => ({ cells, parent: current })),
      ...pad(body - side.body.length),
      { cells: side.current, parent: grand },
      ...side.rest.map((r): Row => ('partOf' in r ? { cells: r.cells, parent: current + 1 + r.partOf, depth: 1 } : { cells: r, parent: grand })),
      ...pad(rest - side.rest.length),
      { cells: side.grand },
    ]
  }
  return { income: rows(income), expenditure: rows(expenditure) }
}
