/**
 * A city's ledger for the many-units benchmark (issue 15, item 7): U unit-years × E events each on
 * one log, written straight into a SQLite file as seed.ts `build` writes one unit-year, then left as
 * the recording path would leave it. It only prepares the file; what is measured goes through HTTP.
 *
 * - Rows go in through the file's own triggers (append-only guard, stream index) with their hash
 *   chains, one unit-year after another in transactions of ~50,000 rows: the (stream, revision) and
 *   id indexes then grow at their end, which is what keeps 10,000,000 rows fast to write.
 * - The Merkle leaves are added by the store's own catch-up in each transaction, as an append does.
 * - The snapshots every unit-year's recording would have saved (one per 1,000 events) are saved by
 *   the ledger's own fold, one unit-year at a time (only one is held folded).
 * Progress on stderr.
 */
import Database from 'better-sqlite3'
import { performance } from 'node:perf_hooks'
import { streamOf } from '../../../src/domain/codecs/primitives'
import { BudgetYearSnapshots } from '../../../src/ledger/fold/snapshots/snapshots'
import type { NewEvent } from '../../../src/store/envelope'
import { chain } from '../../../src/store/chain/hash-chain'
import { SqliteTree } from '../../../src/store/merkle/tree/sqlite-tree'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { say } from './seed'

export const CITY_YEAR = 2021
export const CITY_LINES = 10

export const unitCode = (u: number) => `9${String(u).padStart(5, '0')}`
export const cityStream = (u: number) => streamOf(unitCode(u), CITY_YEAR)

/** Events `from`…`to - 1` of unit u's year: opened, CITY_LINES lines far above any spending, then spending and additions. */
export const unitEvents = (u: number, from: number, to: number, total: number): NewEvent[] => {
  const out: NewEvent[] = []
  const start = Date.parse('2021-01-01T00:00:00.000Z')
  for (let i = from; i < to; i++) {
    const t = start + Math.floor((330 * 86_400_000 * i) / total)
    const metadata = { recordedAt: new Date(t).toISOString(), effectiveDate: new Date(t).toISOString().slice(0, 10), actor: 'bench', role: 'finance', reason: 'synthetic benchmark event', document: null, synthetic: true }
    const line = `p${(i * 7 + u) % CITY_LINES}`
    const [type, data] =
      i === 0
        ? ['BudgetYearOpened', { unit: { code: unitCode(u), name: `基准单位${u}` }, year: CITY_YEAR, unitType: 'administrative', previousYear: {} }]
        : i <= CITY_LINES
          ? ['LineAllocated', { line: `p${i - 1}`, kind: 'project', basicCategory: null, projectName: `项目${i - 1}`, functionCode: '2010101', economicCode: null, fundSource: 'general.appropriation', amount: '100000000.00' }]
          : i % 3 === 0
            ? ['BudgetAdded', { line, amount: `${1 + (i % 500)}.00`, category: 'ordinary' }]
            : ['ExpenditureRecorded', { line, amount: `${1 + (i % 97)}.${String(i % 100).padStart(2, '0')}`, economicCode: null, voucher: `V${u}-${i}`, threePublic: null, procurement: null }]
    out.push({ id: `bench-${unitCode(u)}-${i}`, type, data, metadata })
  }
  return out
}

const ROWS_PER_TRANSACTION = 50_000

const rate = (n: number, started: number) => Math.round(n / ((performance.now() - started) / 1000)).toLocaleString('en')

/** Writes the events of unit-years `0…units-1` into a new (or schema-only) file at `path`, then saves their snapshots. */
export const seedCity = async (path: string, units: number, events: number): Promise<void> => {
  await new SqliteEventStore(path).close() // the schema, as a writer creates it
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF') // seeding only: the server reopens the file with its own settings
  db.pragma('cache_size = -262144') // 256 MB of pages for the indexes while seeding
  const insert = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)')
  const tree = new SqliteTree(db)
  const perTx = Math.max(1, Math.floor(ROWS_PER_TRANSACTION / events))
  const total = units * events
  let started = performance.now()
  let written = 0
  for (let first = 0; first < units; first += perTx) {
    db.transaction(() => {
      for (let u = first; u < Math.min(units, first + perTx); u++) {
        const stream = cityStream(u)
        chain(stream, 0, '', unitEvents(u, 0, events, events)).forEach((e, i) => insert.run(e.id, stream, i, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)))
        written += events
      }
      tree.catchUp()
    })()
    say(`\r  seeding SQLite: ${written.toLocaleString('en')} / ${total.toLocaleString('en')} events, ${rate(written, started)}/s   `)
  }
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  say('\n')

  const store = new SqliteEventStore(path)
  try {
    // One unit-year folded at a time; each saves the snapshots its recording would have left.
    const snapshots = new BudgetYearSnapshots(store, { maxStreams: 1 })
    started = performance.now()
    for (let u = 0; u < units; u++) {
      await snapshots.sync(cityStream(u))
      if (u % 100 === 99 || u === units - 1) say(`\r  saving snapshots: ${(u + 1).toLocaleString('en')} / ${units.toLocaleString('en')} unit-years, ${rate((u + 1) * events, started)} events/s   `)
    }
    say('\n')
  } finally {
    await store.close()
  }
}
