import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type YearEndBalance, yearEndBalanceOf, yearEndProblems } from '../../projections/consistency'
import { yuan } from '../../src/domain/money/money'
import type { Command, CommandContext } from '../../src/domain/events/commands'
import { type LedgerDeps, ledgerDeps } from '../../src/ledger/deps'
import { handleCommand } from '../../src/ledger/recording/handle-command'
import { importBudgetFile } from '../../src/ledger/recording/import-file'
import { loadBudgetYear } from '../../src/ledger/fold/load'
import { openNextYear } from '../../src/ledger/opening-closing/open-next-year'
import { recordCommand } from '../../src/ledger/recording/record'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { expectConsistentLedger } from '../support/ledgers/consistent-ledger'
import { allocate, given, openYear } from '../support/years/given'
import { tempDb } from '../support/ledgers/temp-db'
import { fenOf } from '../../src/domain/money/fen'

/**
 * The 决算 identity, 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余 + 收回, on years recorded
 * through the public commands into a real SQLite file, with figures computed by hand (元).
 *
 * 2021, its budget file in 万元:
 *   b1 basic 50 万元 = 500,000.00 · p1 30 万元 = 300,000.00, 追加 "5万元" → 350,000.00 · p2 20.000001 万元 = 200,000.01
 *   spent: b1 480,000.00 · p1 200,000.00 · p2 150,000.00 = 830,000.00
 *   close: b1 收回 20,000.00 · p1 结转 100,000.00 + 结余 10,000.00 + 收回 40,000.00 · p2 结转 50,000.01
 *   0 + 1,050,000.01 = 830,000.00 + (150,000.01 + 10,000.00) + 60,000.00
 * 2022, opened with the 结转 (cf-p1 100,000.00, cf-p2 50,000.01) and a line of its own n1 200,000.00:
 *   spent: cf-p1 100,000.00 · cf-p2 30,000.01 · n1 150,000.00 = 280,000.01
 *   close: cf-p2 收回 20,000.00 · n1 结转 50,000.00
 *   150,000.01 + 200,000.00 = 280,000.01 + 50,000.00 + 20,000.00
 */
const UNIT = '900401'
const actor = { name: 'tester', role: 'finance' }
const at = (effectiveDate: string, document: string | null = '测试〔2021〕9号'): CommandContext => ({ reason: 'test', document, effectiveDate })
const spend = (line: string, amount: string): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: `V-${line}`, threePublic: null, procurement: null } }) as Command
const close = (lines: object[], recoveryNotice = '财收〔2021〕12号'): Command => ({ type: 'CloseYear', data: { lines, recoveryNotice } }) as Command
const figures = (b: YearEndBalance) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, (v as ReturnType<typeof yuan>).toFixed(2)]))

describe('the 决算 identity on closed years, through a real SQLite file', () => {
  let db: ReturnType<typeof tempDb>
  let store: SqliteEventStore
  let deps: LedgerDeps
  const ok = async (r: Promise<E.Either<unknown, unknown>>) => {
    const done = await r
    expect(E.isRight(done), JSON.stringify(E.isLeft(done) && done.left)).toBe(true)
  }

  /** The year's spending at the end of November, then its close on 31 December citing a 收回 notice. */
  const spendAndClose = async (target: { unit: string; year: number }, spending: ReadonlyArray<readonly [string, string]>, lines: object[]) => {
    for (const [line, amount] of spending) await ok(recordCommand(deps, target, spend(line, amount), at(`${target.year}-11-30`), actor))
    await ok(recordCommand(deps, target, close(lines, `财收〔${target.year}〕12号`), at(`${target.year}-12-31`), actor))
  }

  beforeEach(async () => {
    db = tempDb('ledger-identity-')
    store = new SqliteEventStore(db.path)
    deps = ledgerDeps(store)
    const y2021 = { unit: UNIT, year: 2021 }
    await ok(
      importBudgetFile(
        deps,
        {
          format: 'budget-ledger/budget-year@1',
          amountUnit: '万元',
          unit: { code: UNIT, name: '决算恒等式测试单位' },
          unitType: 'administrative',
          year: 2021,
          approvedOn: '2021-02-01',
          lines: [
            { id: 'b1', kind: 'basic', basicCategory: 'personnel', functionCode: '2010101', fundSource: 'general.appropriation', amount: '50' },
            { id: 'p1', kind: 'project', projectName: '项目一', functionCode: '2150502', fundSource: 'general.appropriation', amount: '30' },
            { id: 'p2', kind: 'project', projectName: '项目二', functionCode: '2150502', fundSource: 'general.appropriation', amount: '20.000001' },
          ],
        },
        actor,
      ),
    )
    // as a shell sends it (HTTP body, CLI flags): the amount with its unit
    const body = { type: 'AddToLine', data: { line: 'p1', amount: '5万元', category: 'ordinary' }, ...at('2021-06-01') }
    await ok(handleCommand(deps, y2021, body, actor))
    await spendAndClose(y2021, [['b1', '480000.00'], ['p1', '200000.00'], ['p2', '150000.00']], [
      { line: 'b1', carryOver: '0.00', balance: '0.00', recovered: '20000.00' },
      { line: 'p1', carryOver: '100000.00', balance: '10000.00', recovered: '40000.00' },
      { line: 'p2', carryOver: '50000.01', balance: '0.00', recovered: '0.00' },
    ])
  })
  afterEach(async () => {
    await store.close()
    db.remove()
  })

  it('given 收回, 结转 and 结余 together on several lines of a year typed in 万元, then 0 + 1,050,000.01 = 830,000.00 + 160,000.01 + 60,000.00', async () => {
    const { state } = await loadBudgetYear(store, UNIT, 2021)
    expect(figures(yearEndBalanceOf(state))).toEqual({
      carriedIn: '0.00',
      income: '1050000.01',
      spent: '830000.00',
      carryOver: '150000.01',
      surplus: '10000.00',
      recovered: '60000.00',
    })
    expect(yearEndProblems(state)).toEqual([])
    await expectConsistentLedger(store, UNIT, 2021)
  })

  it('given the next year carries lines in, then its 年初结转和结余 is 150,000.01 and 150,000.01 + 200,000.00 = 280,000.01 + 50,000.00 + 20,000.00', async () => {
    await ok(openNextYear(deps, { unit: UNIT, year: 2021 }, actor))
    const y2022 = { unit: UNIT, year: 2022 }
    await ok(recordCommand(deps, y2022, allocate('n1', '200000.00'), at('2022-01-05'), actor))
    await spendAndClose(y2022, [['cf-p1', '100000.00'], ['cf-p2', '30000.01'], ['n1', '150000.00']], [
      { line: 'cf-p2', carryOver: '0.00', balance: '0.00', recovered: '20000.00' },
      { line: 'n1', carryOver: '50000.00', balance: '0.00', recovered: '0.00' },
    ])
    const { state } = await loadBudgetYear(store, UNIT, 2022)
    expect(figures(yearEndBalanceOf(state))).toEqual({
      carriedIn: '150000.01',
      income: '200000.00',
      spent: '280000.01',
      carryOver: '50000.00',
      surplus: '0.00',
      recovered: '20000.00',
    })
    await expectConsistentLedger(store, UNIT, 2022)
  })
})

describe('yearEndProblems', () => {
  it('given a closed year whose line does not balance (a fold gone wrong), then the problem names the line and every figure', () => {
    const { state } = given([
      openYear(),
      allocate('p1', '100.00'),
      { type: 'CloseYear', data: { lines: [{ line: 'p1', carryOver: '60.00', balance: '40.00' }] } } as Command,
    ])
    expect(yearEndProblems(state)).toEqual([])
    const p1 = state.lines.get('p1')!
    const broken = { ...state, lines: state.lines.fork().with({ ...p1, closing: { ...p1.closing!, balance: fenOf('39.99') } }) }
    expect(yearEndProblems(broken)).toEqual([
      'line "p1": 年初结转和结余 0.00 + 本年收入 100.00 ≠ 本年支出 0.00 + 年末结转 60.00 + 年末结余 39.99 + 收回 0.00',
      'the year: 年初结转和结余 0.00 + 本年收入 100.00 ≠ 本年支出 0.00 + 年末结转 60.00 + 年末结余 39.99 + 收回 0.00',
    ])
  })

  it('given a year not yet closed, then there is nothing to check: its money is not yet accounted for', () => {
    const { state } = given([openYear(), allocate('p1', '100.00')])
    expect(yearEndProblems(state)).toEqual([])
  })
})
