import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import { type LedgerDeps, ledgerDeps } from '../../../src/ledger/deps'
import { importBudgetFile } from '../../../src/ledger/recording/import-file'
import { loadIndicators, whatIf } from '../../../src/ledger/reports/indicators'
import { recordCommand } from '../../../src/ledger/recording/record'
import { samplePath } from '../../../src/package-root'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { cli } from '../../support/shells/cli'
import { YEAR_PATH, serverForTests } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * What-if: a dry run of a finance command returns the events it would record and the indicators
 * after it, writing nothing; the indicators equal those after recording it for real.
 * On the 2021 sample (年初预算 9,043,400.00 元, nothing spent, 三公 budget 21,000.00 元).
 */
const SAMPLE = { unit: '101065', year: 2021 }
const actor = { name: 'tester', role: 'finance' }
const adj: CommandContext = { reason: '追加测试', document: '财预〔2021〕99号', effectiveDate: '2021-06-30' }
// 2,933,000.00 / 9,043,400.00 = 0.324325… → 32.43 % > 30 → not met
const bigAddition: Command = { type: 'AddToLine', data: { line: 'p05', amount: '2933000.00', category: 'ordinary' } } as Command
const reception: Command = {
  type: 'RecordExpenditure',
  data: { line: 'p02', amount: '15000.00', economicCode: '30217', voucher: '记-0612', threePublic: 'reception', procurement: null },
} as Command

describe('what-if through the application layer, on a real SQLite store', () => {
  let db: ReturnType<typeof tempDb>
  let store: SqliteEventStore
  let deps: LedgerDeps
  beforeEach(async () => {
    db = tempDb('ledger-whatif-')
    store = new SqliteEventStore(db.path)
    deps = ledgerDeps(store)
    expect(E.isRight(await importBudgetFile(deps, JSON.parse(readFileSync(samplePath(), 'utf8')), actor))).toBe(true)
  })
  afterEach(async () => {
    await store.close()
    db.remove()
  })

  it('given the sample, when an addition is dry-run, then nothing is written and the adjustment rate reads 32.43% > 30%', async () => {
    const before = (await store.readAll()).length
    const r = await whatIf(deps, SAMPLE, [bigAddition], adj, actor)
    expect(E.isRight(r)).toBe(true)
    if (E.isLeft(r)) return
    expect((await store.readAll()).length).toBe(before)
    expect(r.right.recorded.dryRun).toBe(true)
    expect(r.right.recorded.events.map((e) => e.type)).toEqual(['BudgetAdded'])
    expect(r.right.changes).toContain('预算调整率 0.00% → 32.43%（目标 ≤30%） 未达标')
    expect(r.right.after!.indicators.find((i) => i.id === 'budget-adjustment')).toMatchObject({ value: '32.43', status: 'not met' })
  })

  it('when the same command is then recorded for real, then the indicators equal the dry run’s', async () => {
    for (const [command, ctx] of [
      [reception, { ...adj, document: null }],
      [bigAddition, adj],
    ] as const) {
      const dry = await whatIf(deps, SAMPLE, [command], ctx, actor)
      if (E.isLeft(dry)) throw new Error(JSON.stringify(dry.left))
      expect(E.isRight(await recordCommand(deps, SAMPLE, command, ctx, actor))).toBe(true)
      expect(await loadIndicators(store, SAMPLE)).toEqual(dry.right.after)
    }
    // 15,000 / 21,000 = 0.714285… → 71.43 % > 60 → not met
    expect((await loadIndicators(store, SAMPLE)).indicators.find((i) => i.id === 'three-public-control')).toMatchObject({ value: '71.43', status: 'not met' })
  })

  it('when a refused command is dry-run, then the refusal comes back and nothing is written', async () => {
    const before = (await store.readAll()).length
    const r = await whatIf(deps, SAMPLE, [{ ...reception, data: { ...(reception.data as object), amount: '200000.01' } } as Command], adj, actor)
    expect(E.isLeft(r) && r.left.kind === 'refused' && r.left.error.code).toBe('over-spend')
    expect((await store.readAll()).length).toBe(before)
  })
})

describe('what-if on the command line: --dry-run on a finance command', () => {
  const db = tempDb('ledger-whatif-cli-')
  const count = async () => {
    const s = new SqliteEventStore(db.path)
    try {
      return (await s.readAll()).length
    } finally {
      await s.close()
    }
  }
  beforeAll(async () => {
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
  })
  afterAll(() => db.remove())

  const ADD = ['add', '--line', 'p05', '--amount', '2933000.00', '--reason', '追加', '--document', '财预〔2021〕99号', '--date', '2021-06-30']

  it('when `add --dry-run` is run, then it prints the indicator it would break and writes nothing', async () => {
    const before = await count()
    const r = await cli(['--db', db.path, ...ADD, '--dry-run'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/indicators after\s+预算调整率 0.00% → 32.43%（目标 ≤30%） 未达标/)
    expect(r.stdout).toContain('dry run: nothing was written')
    expect(await count()).toBe(before)
  })

  it('when `--dry-run --json` is run and then the command for real, then the JSON indicators equal `indicators --format json` after it', async () => {
    const dry = await cli(['--db', db.path, ...ADD, '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    const view = JSON.parse(dry.stdout)
    expect(view.dryRun).toBe(true)
    expect(view.changes).toEqual(['预算调整率 0.00% → 32.43%（目标 ≤30%） 未达标'])
    expect((await cli(['--db', db.path, ...ADD])).code).toBe(0)
    const real = await cli(['--db', db.path, 'indicators', '--format', 'json'])
    expect(JSON.parse(real.stdout)).toEqual(view.indicators)
  })

  it('`what-if --command-json` previews any command, even one without flags of its own (a key evaluation scheduled)', async () => {
    const before = await count()
    const body = JSON.stringify({ type: 'ScheduleEvaluation', data: { line: 'p05' }, reason: '重点评价', effectiveDate: '2021-07-01' })
    const r = await cli(['--db', db.path, 'what-if', '--command-json', body])
    expect(r.code, r.stderr).toBe(0)
    // the first key evaluation: 0 of 1 done = 0.00 % ≠ 100
    expect(r.stdout).toMatch(/indicators after\s+部门绩效评价完成率 — → 0.00%（目标 =100%） 未达标/)
    expect(await count()).toBe(before)
  })
})

describe('what-if over HTTP: POST …/commands?dryRun=true and GET …/indicators', () => {
  const t = serverForTests({ fixture: true })

  it('when a command is dry-run, then the response carries the indicators after it, equal to GET …/indicators after recording it', async () => {
    // fixture: 年初预算 800,000.00; +250,000.00 → 250,000 / 800,000 = 31.25 % > 30 → not met
    const body = { type: 'AddToLine', data: { line: 'p01', amount: '250000.00', category: 'ordinary' }, reason: '追加', document: '测试〔2021〕9号', effectiveDate: '2021-05-01' }
    const before = await t.eventCount()
    const dry = await t.request('POST', `${YEAR_PATH}/commands?dryRun=true`, { token: 'finance', body })
    expect(dry.status).toBe(200)
    expect(await t.eventCount()).toBe(before)
    expect(dry.body.changes).toEqual(['预算调整率 0.00% → 31.25% 无可比目标'])
    const real = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body })
    expect(real.status).toBe(201)
    for (const role of ['dashboard', 'auditor', 'finance'] as const) {
      const got = await t.request('GET', `${YEAR_PATH}/indicators`, { token: role })
      expect(got.status).toBe(200)
      expect(got.body).toEqual(dry.body.indicators)
    }
    expect(dry.body.indicators.indicators.find((i: { id: string }) => i.id === 'budget-adjustment')).toMatchObject({ value: '31.25', status: 'no target', target: null })
    expect((await t.request('GET', `${YEAR_PATH}/indicators`)).status).toBe(401)
  })
})
