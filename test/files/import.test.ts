import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ledgerDeps } from '../../src/ledger/deps'
import { importBudgetFile } from '../../src/ledger/recording/import-file'
import { samplePath } from '../../src/package-root'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { tempDb } from '../support/ledgers/temp-db'

const sample = () => JSON.parse(readFileSync(samplePath(), 'utf8')) as Record<string, any>
const actor = { name: 'import-test', role: 'finance' }

describe('import of a budget file into a real SQLite store', () => {
  let db: ReturnType<typeof tempDb>
  let store: SqliteEventStore
  beforeEach(() => {
    db = tempDb()
    store = new SqliteEventStore(db.path)
  })
  afterEach(async () => {
    await store.close()
    db.remove()
  })

  it('given the sample, when imported, then one stream holds all its events, atomically, with the importer in the metadata', async () => {
    const r = await importBudgetFile(ledgerDeps(store), sample(), actor)
    expect(E.isRight(r)).toBe(true)
    const events = await store.readStream('budget-101065-2021')
    expect(events.length).toBe(E.isRight(r) ? r.right.events.length : -1)
    expect(events.filter((e) => e.type === 'LineAllocated')).toHaveLength(12)
    expect(events[0]!.type).toBe('BudgetYearOpened')
    expect(new Set(events.map((e) => e.metadata.actor))).toEqual(new Set(['import-test']))
    expect(new Set(events.map((e) => e.metadata.effectiveDate))).toEqual(new Set([sample().approvedOn]))
  })

  it('when a line amount is "12,5", then it is refused with the path of the field and nothing is written', async () => {
    const f = sample()
    f.lines[3].amount = '12,5'
    const r = await importBudgetFile(ledgerDeps(store), f, actor)
    expect(E.isLeft(r) && r.left.kind === 'invalid' && r.left.errors.map((e) => e.message)).toEqual([
      'lines[3].amount: expected a decimal string in 元 with at most two decimals (e.g. "125000.50"), got "12,5"',
    ])
    expect(await store.readAll()).toEqual([])
  })

  it('when several fields are bad, then each is named, including a misspelt key', async () => {
    const f = sample()
    f.lines[0].functionCode = '9'
    f.earmarks['threePublic.recption'] = '1.00'
    f.unitTargets.indicators[2].operator = '>='
    delete f.year
    const r = await importBudgetFile(ledgerDeps(store), f, actor)
    const paths = E.isLeft(r) && r.left.kind === 'invalid' ? r.left.errors.map((e) => e.path) : []
    expect(paths).toEqual(expect.arrayContaining(['lines[0].functionCode', 'earmarks.threePublic.recption', 'unitTargets.indicators[2].operator', 'year']))
    expect(await store.readAll()).toEqual([])
  })

  it('when the file is valid but a command is refused (a line id twice), then nothing is written', async () => {
    const f = sample()
    f.lines[2].id = f.lines[1].id
    const r = await importBudgetFile(ledgerDeps(store), f, actor)
    expect(E.isLeft(r) && r.left.kind === 'refused' && r.left.error.code).toBe('line-exists')
    expect(await store.readAll()).toEqual([])
  })

  it('given an imported year, when it is imported again, then it is refused and the log is unchanged', async () => {
    await importBudgetFile(ledgerDeps(store), sample(), actor)
    const before = (await store.readAll()).length
    const r = await importBudgetFile(ledgerDeps(store), sample(), actor)
    expect(E.isLeft(r) && r.left.kind === 'refused' && r.left.error.code).toBe('year-already-open')
    expect((await store.readAll()).length).toBe(before)
  })
})
