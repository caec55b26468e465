import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TABLES } from '../../../projections'
import { toJson } from '../../../projections/render'
import { budgetFileCommands, BudgetFile } from '../../../src/domain/budget-file/budget-file'
import { samplePath } from '../../../src/package-root'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { verifyStream } from '../../../src/store/chain/hash-chain'
import { cli } from '../../support/shells/cli'
import { expectConsistentLedger } from '../../support/ledgers/consistent-ledger'
import { given } from '../../support/years/given'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The 2021 sample end to end: imported through the CLI into a real SQLite file, read back from the
 * store, every table rendered. The seed's own figures are checked cell by cell against the seed
 * text in seed-part-a/b; here: the store round trip changes nothing, and the whole ledger agrees.
 */
describe('the 2021 sample, through the CLI and a real SQLite file', () => {
  const db = tempDb('ledger-seed-')
  let store: SqliteEventStore
  beforeAll(async () => {
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    store = new SqliteEventStore(db.path)
  })
  afterAll(async () => {
    await store.close()
    db.remove()
  })

  it('every table foots and the eleven tables agree with each other', async () => {
    await expectConsistentLedger(store, '101065', 2021)
  })

  it('each table read from the store equals the table folded directly from the file (nothing lost on the way)', async () => {
    const file = JSON.parse(readFileSync(samplePath(), 'utf8'))
    const decoded = BudgetFile.decode(file)
    if (decoded._tag === 'Left') throw new Error('the sample does not decode')
    const { commands, context } = budgetFileCommands(decoded.right)
    const direct = given(commands, context).state
    for (const t of TABLES) {
      const r = await cli(['--db', db.path, 'table', t.id, '--format', 'json'])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual(toJson(t.render(direct, bundledCatalogue())))
    }
  })

  it('the headline figures of DESIGN.md §5 come out of the tables', async () => {
    const table = async (id: string) => JSON.parse((await cli(['--db', db.path, 'table', id, '--format', 'json'])).stdout)
    const t3 = await table('3')
    expect(t3.rows[0].slice(2)).toEqual(['904.34', '32.30', '872.04'])
    const byClass = Object.fromEntries(t3.rows.filter((r: string[]) => r[0]!.trim().length === 3).map((r: string[]) => [r[0]!.trim(), r[2]]))
    expect(byClass).toEqual({ '201': '20.00', '206': '754.20', '215': '130.14' })
    const t7 = await table('7')
    expect(t7.rows[0].slice(0, 2)).toEqual(['共计', '2.10'])
    const t11 = await table('11')
    expect(t11.rows[0].slice(0, 3)).toEqual(['101065', '工信科技金融办', '872.04'])
    const t6 = await table('6')
    expect(t6.rows.filter((r: string[]) => r.some((c) => c.startsWith('未分类（未录入经济分类）'))).map((r: string[]) => r[2])).toEqual(['904.34', '904.34'])
    const t8 = await table('8')
    expect(t8.notes.join('')).toContain('无政府性基金预算支出')
  })

  it('the Part 2 report states the seed’s figures', async () => {
    const r = await cli(['--db', db.path, 'report'])
    for (const figure of ['904.34', '32.30', '3.57%', '872.04', '96.43%', '20.00', '2.21%', '754.20', '83.40%', '130.14', '14.39%', '808.51', '843.69%', '2.10', '1.50', '29.66'])
      expect(r.stdout).toContain(figure)
  })

  it('the stored log is an intact hash chain', async () => {
    const events = await store.readStream('budget-101065-2021')
    expect(events.length).toBeGreaterThan(12)
    expect(verifyStream(events)).toBeUndefined()
  })
})
