import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DemoError, recordDemoYear } from '../../../scripts/demo-year'
import { loadIndicators } from '../../../src/ledger/reports/indicators'
import { ledgerDeps } from '../../../src/ledger/deps'
import { packageRoot } from '../../../src/package-root'
import type { RecordedEvent } from '../../../src/store/envelope'
import { verifyStream } from '../../../src/store/chain/hash-chain'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { cli } from '../../support/shells/cli'
import { expectConsistentLedger } from '../../support/ledgers/consistent-ledger'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The demo year (scripts/demo-year.ts, docs/demo-year.md) on a fresh SQLite file holding the
 * 2021 sample: every event it records is synthetic, the sample's own events are untouched, and
 * both years' tables foot and agree.
 */
describe('the demo year on a fresh SQLite store with the sample', () => {
  const db = tempDb('ledger-demo-')
  let store: SqliteEventStore
  let sample: RecordedEvent[]
  const progress: string[] = []

  beforeAll(async () => {
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    store = new SqliteEventStore(db.path)
    sample = await store.readStream('budget-101065-2021')
    await recordDemoYear(ledgerDeps(store), (line) => progress.push(line))
  })
  afterAll(async () => {
    await store.close()
    db.remove()
  })

  it('then the sample’s events are exactly as they were (same ids, data, metadata and hashes), none synthetic', async () => {
    const after = await store.readStream('budget-101065-2021')
    expect(after.slice(0, sample.length)).toEqual(sample)
    expect(sample.some((e) => e.metadata.synthetic)).toBe(false)
    expect(verifyStream(after)).toBeUndefined()
  })

  it('then every event the demo recorded, in 2021 and in 2022, is marked synthetic', async () => {
    const demo2021 = (await store.readStream('budget-101065-2021')).slice(sample.length)
    const demo2022 = await store.readStream('budget-101065-2022')
    expect(demo2021.length).toBeGreaterThan(100)
    expect(demo2022.map((e) => e.type)).toEqual(['BudgetYearOpened', 'LineAllocated', 'LineAllocated'])
    for (const e of [...demo2021, ...demo2022]) expect(e.metadata.synthetic, `${e.revision} ${e.type}`).toBe(true)
    // the log holds nothing else
    expect((await store.readAll()).length).toBe(sample.length + demo2021.length + demo2022.length)
    // it covers what the issue lists
    const types = new Set(demo2021.map((e) => e.type))
    for (const t of ['ExpenditureRecorded', 'BudgetAdded', 'BudgetReduced', 'BudgetTransferred', 'EventReversed', 'EarmarkSet', 'SpecialFundsDeclared', 'SpecialFundsDetailed', 'EvaluationScheduled', 'ReviewCompleted', 'RecommendationAdopted', 'TargetActualRecorded', 'YearClosed'])
      expect(types.has(t), t).toBe(true)
  })

  it('then the tables of 2021 and of 2022 foot and agree with each other', async () => {
    await expectConsistentLedger(store, '101065', 2021)
    await expectConsistentLedger(store, '101065', 2022)
  })

  it('then the figures are those docs/demo-year.md gives', async () => {
    const t3 = JSON.parse((await cli(['--db', db.path, 'table', '3', '--unit', '101065', '--year', '2021', '--format', 'json'])).stdout)
    // 904.34 + 3.00 − 0.50 + 5.00 = 911.84 万元: the adjustments are the only change to the budget tables
    expect(t3.rows[0].slice(2)).toEqual(['911.84', '32.30', '879.54'])
    const t1 = JSON.parse((await cli(['--db', db.path, 'table', '1', '--unit', '101065', '--year', '2022', '--format', 'json'])).stdout)
    expect(t1.rows.find((r: string[]) => r[0] === '上年结转')[1]).toBe('142.00')
    const r = await loadIndicators(store, { unit: '101065', year: 2021 })
    const value = (id: string) => {
      const i = r.indicators.find((x) => x.id === id)!
      return [i.value, i.status]
    }
    expect(r.closed).toBe(true)
    expect(value('budget-execution')).toEqual(['83.81', 'not met'])
    expect(value('budget-adjustment')).toEqual(['0.50', 'met'])
    expect(value('carry-over')).toEqual(['16.19', 'met'])
    expect(value('three-public-control')).toEqual(['47.62', 'met'])
    expect(value('special-funds-detailing')).toEqual(['90.71', 'met'])
    expect(value('procurement-execution')).toEqual(['90.00', 'met'])
    expect(value('monitoring-completion')).toEqual(['100.00', 'met'])
    expect(value('self-evaluation-completion')).toEqual(['100.00', 'met'])
    expect(value('evaluation-completion')).toEqual(['100.00', 'met'])
    expect(value('recommendation-adoption')).toEqual(['80.00', 'not met'])
  })

  it("then docs/demo-year.md's indicator table says what the ledger says, in the ledger's words (达标 / 未达标)", async () => {
    const doc = readFileSync(join(packageRoot(), 'docs', 'demo-year.md'), 'utf8')
    const table = doc.split("2021's indicators after the demo")[1]!.split('\n\n')[1]!.split('\n').slice(2)
    const r = await loadIndicators(store, { unit: '101065', year: 2021 })
    const rows = table.flatMap((row) => {
      const [names, value, target, status] = row.split('|').slice(1, -1).map((c) => c.trim()) as [string, string, string, string]
      return names.split(', ').map((name) => ({ name: name.replace(/ \(.*\)$/, ''), value: /= (\d+\.\d{2})%/.exec(value)?.[1], target, status }))
    })
    expect(rows.length).toBe(r.indicators.length)
    for (const row of rows) {
      const i = r.indicators.find((x) => x.name === row.name)
      expect(i, row.name).toBeDefined()
      expect(row, row.name).toEqual({ name: i!.name, value: i!.value, target: i!.target?.text, status: i!.statusLabel })
    }
  })

  it('then `indicators` prints them for people and programs, and `--explain` lists the events behind one', async () => {
    const text = await cli(['--db', db.path, 'indicators', '--unit', '101065', '--year', '2021'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/预算调整率\s+总额口径 \*\s+一般调整总额（追加\+追减\+调剂） 45,000.00 元\s+年初预算 9,043,400.00 元\s+0.50%\s+≤30%\s+达标/)
    const asJson = await cli(['--db', db.path, 'indicators', '--unit', '101065', '--year', '2021', '--format', 'json'])
    expect(JSON.parse(asJson.stdout)).toEqual(await loadIndicators(store, { unit: '101065', year: 2021 }))
    const explain = await cli(['--db', db.path, 'indicators', '--unit', '101065', '--year', '2021', '--explain', '预算调整率', '--format', 'json'])
    expect(explain.code, explain.stderr).toBe(0)
    const gross = JSON.parse(explain.stdout).variants[0]
    // the exempt 50,000.00 (上级临时交办) is not among them
    expect(gross.numerator.events.map((e: { type: string; amount: string }) => [e.type, e.amount])).toEqual([
      ['BudgetAdded', '30000.00'],
      ['BudgetReduced', '5000.00'],
      ['BudgetTransferred', '10000.00'],
    ])
    expect(gross.numerator.events.every((e: { synthetic?: boolean }) => e.synthetic === true)).toBe(true)
    const unknown = await cli(['--db', db.path, 'indicators', '--unit', '101065', '--year', '2021', '--explain', '满意度'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no indicator "满意度": use one of 预算执行率 (budget-execution)')
  })

  it('then progress was shown step by step, and a second run is refused without writing', async () => {
    expect(progress.length).toBeGreaterThan(40)
    expect(progress.at(-1)).toMatch(/done: \d+ synthetic events/)
    const before = (await store.readAll()).length
    await expect(recordDemoYear(ledgerDeps(store))).rejects.toBeInstanceOf(DemoError)
    await expect(recordDemoYear(ledgerDeps(store))).rejects.toThrow(/the demo year is already recorded in this ledger \(\d+ synthetic events in 2021 of unit 101065\); nothing was written/)
    expect((await store.readAll()).length).toBe(before)
  })
})

/**
 * The demo after a hand-made spend: all its steps are decided before any is written, so it records
 * all 48 or none, and a refusal names the step.
 */
describe('the demo year after a hand-made spend', () => {
  /** A fresh SQLite ledger holding the sample, for one test. */
  const onSample = async (test: (db: ReturnType<typeof tempDb>, store: SqliteEventStore) => Promise<void>) => {
    const db = tempDb('ledger-demo-hand-')
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    const store = new SqliteEventStore(db.path)
    try {
      await test(db, store)
    } finally {
      await store.close()
      db.remove()
    }
  }
  const handSpend = async (db: ReturnType<typeof tempDb>, line: string, amount: string) => {
    const r = await cli(['--db', db.path, 'spend', '--line', line, '--amount', amount, '--voucher', '手-001', '--reason', '手工录入的支出', '--date', '2021-05-10'])
    expect(r.code, r.stderr).toBe(0)
  }

  it('given a spend of 1,500,000.00 on p05, when the demo runs, then it is refused at the step that would over-spend p05, named, and nothing of it is written', () =>
    onSample(async (db, store) => {
      await handSpend(db, 'p05', '1500000.00')
      const before = await store.readAll()
      const progress: string[] = []
      // p05 has 7,000,000.00: the demo's 3,000,000.00 then fits, its 2,600,000.00 of October does not.
      const refusal = await recordDemoYear(ledgerDeps(store), (l) => progress.push(l)).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(refusal).toBeInstanceOf(DemoError)
      expect((refusal as Error).message).toMatch(/^\[\d+\/48\] 2021-10-22  拨付卷烟厂异地技改补助（第二期，演示）: refused \(over-spend\): .*nothing was written/)
      expect(await store.readAll()).toEqual(before)
      expect(progress.filter((l) => /^\[\s*\d+\/48\]/.test(l))).toEqual([])
    }))

  it('given only a small hand-made spend, when the demo runs, then all 48 steps are recorded, and a second run says the demo is there and writes nothing', () =>
    onSample(async (db, store) => {
      await handSpend(db, 'p02', '1000.00')
      const progress: string[] = []
      await recordDemoYear(ledgerDeps(store), (l) => progress.push(l))
      expect(progress.filter((l) => /^\[\s*\d+\/48\]/.test(l))).toHaveLength(48)
      expect(progress.at(-1)).toMatch(/^\[48\/48\] done: \d+ synthetic events/)
      const count = (await store.readAll()).length
      await expect(recordDemoYear(ledgerDeps(store))).rejects.toThrow(/already recorded.*nothing was written/)
      expect((await store.readAll()).length).toBe(count)
    }))
})
