/**
 * The unit picker's reads at a city's size (docs/speed.md "Unit search from the index"), in process
 * on listUnits as GET /api/units runs it: the whole list, the first page, one unit, and searches
 * matching few and many units. Usage: npx tsx scripts/focused-bench/bench-unit-search.ts <ledger.db> [runs]
 * (a file seeded by scripts/bench/ledgers/city.ts). Prints each read's wall time (median, min), CPU time
 * (median) and JSON size.
 */
import { performance } from 'node:perf_hooks'
import { unitSearch } from '../../src/domain/unit-search'
import { listUnits, unitListing } from '../../src/ledger/reports/unit-list'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'

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

const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Reads before the timed ones: a server answers the picker with its code compiled, not from cold. */
const WARM_UP = 10

/** Wall time and this process's CPU time (user + system) of each read: on a shared machine the CPU time is the steadier. */
const main = async () => {
  console.log(`open ${ms(openMs)} ms; ${runs} runs each after ${WARM_UP} untimed: wall median (min), CPU median`)
  for (const [name, read] of reads) {
    for (let i = 0; i < WARM_UP; i++) await read()
    const wall: number[] = []
    const cpu: number[] = []
    let bytes = 0
    for (let i = 0; i < runs; i++) {
      const [t, c] = [performance.now(), process.cpuUsage()]
      const answer = await read()
      const used = process.cpuUsage(c)
      wall.push(performance.now() - t)
      cpu.push((used.user + used.system) / 1000)
      bytes = Buffer.byteLength(JSON.stringify(answer))
    }
    console.log(`| ${name} | ${ms(median(wall))} ms (${ms(Math.min(...wall))}) | ${ms(median(cpu))} ms | ${bytes.toLocaleString('en')} B |`)
  }
  await store.close()
}

void main()
