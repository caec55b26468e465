/**
 * The unit picker's reads at a city's size (docs/speed.md "Unit search from the index"), in process
 * on listUnits as GET /api/units runs it: the whole list, the first page, one unit, and searches
 * matching few and many units. Usage: npx tsx scripts/bench-unit-search.ts <ledger.db> [runs]
 * (a file seeded by scripts/bench/city.ts). Prints each read's median and min in ms and its JSON size.
 */
import { performance } from 'node:perf_hooks'
import { unitSearch } from '../src/domain/unit-search'
import { listUnits, unitListing } from '../src/ledger/unit-list'
import { SqliteEventStore } from '../src/store/sqlite'

const [path, runsArg] = process.argv.slice(2)
if (!path) throw new Error('usage: bench-unit-search.ts <ledger.db> [runs]')
const runs = Number(runsArg ?? 7)

const opened = performance.now()
const store = new SqliteEventStore(path)
const openMs = performance.now() - opened

/** The picker's page (core/api.js asks for 20). */
const PAGE = 20
const reads: Array<[string, () => Promise<unknown>]> = [
  ['the whole list', async () => (await listUnits(store)).units],
  ['the first page (?limit=20)', async () => (await listUnits(store, { limit: PAGE })).units],
  ['one unit (/api/units/:unit)', () => unitListing(store, '901234')],
  ['a search matching few (?q=单位1234)', async () => (await listUnits(store, { limit: PAGE, match: unitSearch('单位1234') })).units],
  ['a search matching few (?q=90999)', async () => (await listUnits(store, { limit: PAGE, match: unitSearch('90999') })).units],
  ['a search matching many (?q=基准)', async () => (await listUnits(store, { limit: PAGE, match: unitSearch('基准') })).units],
]

const main = async () => {
  const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en'))
console.log(`open ${ms(openMs)} ms; ${runs} runs each, median (min)`)
for (const [name, read] of reads) {
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    const answer = await read()
    times.push(performance.now() - t)
    bytes = Buffer.byteLength(JSON.stringify(answer))
  }
  times.sort((a, b) => a - b)
  console.log(`| ${name} | ${ms(times[Math.floor(runs / 2)]!)} ms (${ms(times[0]!)}) | ${bytes.toLocaleString('en')} B |`)
}
await store.close()
}

void main()
