import type { TableProjection } from './table'
import { expenditureSummary } from './expenditure-summary'

/**
 * The eleven official tables of a 部门预算, by number. Ids and numbers are stable: the CLI, the
 * HTTP API and the exports use them.
 */
export const TABLES: ReadonlyArray<TableProjection> = [
  expenditureSummary,
].sort((a, b) => a.number - b.number)

export const findTable = (idOrNumber: string): TableProjection | undefined =>
  TABLES.find((t) => t.id === idOrNumber || String(t.number) === idOrNumber)
