import { expect } from 'vitest'
import { ledgerProblems, yearEndProblems } from '../../../projections/consistency'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { renderAllTables } from '../../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import type { EventStore } from '../../../src/store/port'

/**
 * The reusable ledger check: every table of a unit-year, 预算 and 决算, foots and all agree with
 * each other, exactly, and the year balances (年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余 + 收回).
 * Run it on any ledger a test builds, through whatever store it uses.
 */
export const expectConsistentLedger = async (store: EventStore, unit: string, year: number) => {
  const { state } = await loadBudgetYear(store, unit, year)
  const tables = renderAllTables(state, bundledCatalogue())
  expect(tables).toHaveLength(11)
  expect(ledgerProblems([...tables, ...renderAllTables(state, bundledCatalogue(), 'final')])).toEqual([])
  expect(yearEndProblems(state)).toEqual([])
  return tables
}
