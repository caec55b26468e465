import { join } from 'node:path'
import { packageRoot } from '../package-root'

/** One header cell of an official table: its label, first column (0-based) and spans. */
export interface HeaderCell {
  readonly label: string
  readonly col: number
  readonly colSpan: number
  readonly rowSpan: number
}

interface HeaderLayoutModule {
  headerRows(id: string, columns: ReadonlyArray<string>): HeaderCell[][]
}

/**
 * The file the dashboard page loads as a plain script, shared so that the page and the workbook
 * draw the same headers. It stays a .js file outside the TypeScript build (the page has no build
 * step), so it is found from the package root, in src/ as in a built dist/.
 */
export const HEADER_LAYOUT_FILE = join(packageRoot(), 'src', 'export', 'header-layout.js')

const shared = require(HEADER_LAYOUT_FILE) as HeaderLayoutModule

/** The header grid of a table: rows of cells; every column is covered exactly once. */
export const headerRows = (id: string, columns: ReadonlyArray<string>): HeaderCell[][] => shared.headerRows(id, [...columns])
