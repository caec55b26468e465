import type Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import type { BudgetYearState } from '../../src/domain/budget-year'
import type { Catalogue } from '../../src/domain/budget-file/catalogue'
import { ZERO } from '../../src/domain/money/money'
import type { RecordedEvent } from '../../src/store/envelope'
import type { TableProjection } from '../table'
import { type CellExplanation, amountIn, explainFoundCell, resolveCell } from './cell-explain'
import { type TableCell, cellKey, cellsOf } from './table-diff'

/**
 * The events behind a cell of a department's consolidated (合并) table (docs/audit.md, "Explain").
 * The department's table renders from its units' states merged (department/consolidate.ts), so an
 * amount cell is the sum of the same cell (same part, row key and column) in each unit's own table;
 * each unit's part is explained by the unit drill itself (cell-explain.ts), on the unit's events.
 */

/** A member unit-year as the drill needs it: its events at the point asked for and their fold. */
export interface MemberYear {
  readonly unit: string
  readonly events: ReadonlyArray<RecordedEvent>
  readonly state: BudgetYearState
}

export interface ConsolidatedCellExplanation<Part> {
  /** The cell as the consolidated table prints it. */
  readonly cell: TableCell
  /** For an amount cell: its exact value in 元, the sum of the parts' totals; else null. */
  readonly total: string | null
  /** Why the cell is not the sum of its units' (a rate, a label); absent for an amount cell. */
  readonly notASum?: string
  /** Each unit whose table prints the cell, in the department's order (本级 first, then by code). */
  readonly parts: ReadonlyArray<Part>
  /** The units whose table has no such cell: they add nothing to it. */
  readonly absent: ReadonlyArray<string>
}

const NOT_A_SUM: Record<Exclude<TableCell['kind'], 'amount'>, string> = {
  percent: "a rate of the department, computed from its consolidated amounts: not the sum of its units' rates; each unit's part lists the events behind the figures it divides",
  text: "a label, not an amount: each unit's part lists the events behind its row",
}

/** How a table labels the unit (or department) a year is of: its code and name. */
const labelOf = (s: BudgetYearState): string => `${s.identity!.unit.code} ${s.identity!.unit.name}`

/**
 * Explains one cell of the department's table (`department`, the consolidation of `members`, which
 * are in the department's order). `part` dresses each unit's explanation (the shell adds what the
 * unit explain answers with, so a part reads exactly as that unit's own explain).
 */
export const explainConsolidatedCell = <Part>(
  department: BudgetYearState,
  members: ReadonlyArray<MemberYear>,
  table: TableProjection,
  catalogue: Catalogue,
  row: string,
  column: string | undefined,
  part: (unit: string, explanation: CellExplanation) => Part,
): E.Either<string, ConsolidatedCellExplanation<Part>> => {
  const model = table.render(department, catalogue)
  const found = resolveCell(model, row, column)
  if (E.isLeft(found)) return found
  const cell = found.right
  const parts: Array<{ unit: string; explanation: CellExplanation }> = []
  const absent: string[] = []
  const us = labelOf(department)
  for (const m of members) {
    const own = table.render(m.state, catalogue)
    // A row labelled by the year's own unit (table 11's 单位 row) is labelled by the member in the member's table.
    const keys = new Set([cellKey(cell), cellKey({ ...cell, rowKey: cell.rowKey.replace(us, labelOf(m.state)) })])
    const same = cellsOf(own).find((c) => keys.has(cellKey(c)))
    if (same === undefined) absent.push(m.unit)
    else parts.push({ unit: m.unit, explanation: explainFoundCell(m.events, m.state, table, catalogue, own, same) })
  }
  if (cell.kind !== 'amount')
    return E.right({ cell, total: null, notASum: NOT_A_SUM[cell.kind], parts: parts.map((p) => part(p.unit, p.explanation)), absent })
  const total = amountIn(model, cell)
  const sum = parts.reduce((s: Decimal, p) => s.plus(p.explanation.total!), ZERO)
  // The consolidation sums every amount it merges: a cell that is not its units' cells added up is a bug, not an answer.
  if (!sum.equals(total))
    throw new Error(`invariant: consolidated cell ${JSON.stringify(cell.rowKey)} / ${JSON.stringify(cell.columnLabel)} is ${total.toFixed(2)} 元, its units' parts add up to ${sum.toFixed(2)} 元`)
  return E.right({ cell, total: total.toFixed(2), parts: parts.map((p) => part(p.unit, p.explanation)), absent })
}
