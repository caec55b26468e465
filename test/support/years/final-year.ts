import * as E from 'fp-ts/Either'
import { expect } from 'vitest'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import { ledgerDeps } from '../../../src/ledger/deps'
import { importBudgetFile } from '../../../src/ledger/recording/import-file'
import { recordCommand } from '../../../src/ledger/recording/record'
import type { SqliteEventStore } from '../../../src/store/sqlite/sqlite'

/**
 * A small year for the 决算 tables through the shells, each event recorded on its own day (so
 * that as-of reads on both time axes see part of it). Unit 900401, 2021 (元):
 *   basic 2010601 basic personnel 301  general.appropriation  400,000.00
 *   p1    2010602 project             general.appropriation  600,000.00  (+ 50,000.00 added, effective 2021-07-01)
 * Spending: basic 150,000.00 (30101, effective 2021-03-15, recorded 2021-03-20);
 *   p1 200,000.00 (30227, effective 2021-08-15, recorded 2021-08-20); basic 100,000.00 (30101, effective 2021-11-10, recorded 2021-11-12).
 */
export const UNIT = '900401'
export const PATH = `/api/units/${UNIT}/years/2021`
const file = {
  format: 'budget-ledger/budget-year@1',
  unit: { code: UNIT, name: '决算测试单位' },
  unitType: 'administrative',
  year: 2021,
  approvedOn: '2021-02-01',
  document: '测试〔2021〕1号',
  source: 'final tables test',
  lines: [
    { id: 'basic', kind: 'basic', basicCategory: 'personnel', functionCode: '2010601', economicCode: '301', fundSource: 'general.appropriation', amount: '400000.00' },
    { id: 'p1', kind: 'project', projectName: '项目一', functionCode: '2010602', fundSource: 'general.appropriation', amount: '600000.00' },
  ],
}
const actor = { name: 'tester', role: 'finance' }
const spend = (line: string, amount: string, economicCode: string): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode, voucher: `V-${line}-${amount}`, threePublic: null, procurement: null } }) as Command
const at = (effectiveDate: string, document: string | null = null): CommandContext => ({ reason: 'test', document, effectiveDate })

const record = async (store: SqliteEventStore, recordedOn: string, c: Command, ctx: CommandContext) => {
  const deps = ledgerDeps(store, { now: () => new Date(`${recordedOn}T04:00:00Z`) })
  expect(E.isRight(await recordCommand(deps, { unit: UNIT, year: 2021 }, c, ctx, actor))).toBe(true)
}

/** Builds the year in the store, each event recorded on its own day. */
export const buildYear = async (store: SqliteEventStore) => {
  expect(E.isRight(await importBudgetFile(ledgerDeps(store, { now: () => new Date('2021-02-01T04:00:00Z') }), file, actor))).toBe(true)
  await record(store, '2021-03-20', spend('basic', '150000.00', '30101'), at('2021-03-15'))
  await record(store, '2021-07-02', { type: 'AddToLine', data: { line: 'p1', amount: '50000.00', category: 'ordinary' } } as Command, at('2021-07-01', '追加〔2021〕5号'))
  await record(store, '2021-08-20', spend('p1', '200000.00', '30227'), at('2021-08-15'))
  await record(store, '2021-11-12', spend('basic', '100000.00', '30101'), at('2021-11-10'))
}

