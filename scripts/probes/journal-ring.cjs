#!/usr/bin/env node
/**
 * The lean journal's ring alone, two builds alternated in one process (docs/speed.md, "Rebuild, what
 * limits it"): a unit-year's event ids, types and reversal targets are read once from a ledger, then
 * each build's StoreJournal (dist/src/ledger/fold/snapshots/store-journal) is written every reversible event
 * and asked every reversal's target, in log order, as a rebuild's fold does; the CPU of each pass
 * (process.cpuUsage), the 1-minute load, and how many targets each found (they must agree).
 *   node scripts/probes/journal-ring.cjs <dist A> <dist B> <ledger> [rounds=6] [stream=budget-990001-2021]
 */
const path = require('node:path')
const { loadavg } = require('node:os')
const Database = require('better-sqlite3')

const [distA, distB, ledger, roundsArg = '6', stream = 'budget-990001-2021'] = process.argv.slice(2)
if (!distA || !distB || !ledger) throw new Error('usage: node scripts/probes/journal-ring.cjs <dist A> <dist B> <ledger> [rounds] [stream]')
const journalOf = (dist) => require(path.resolve(dist, 'src/ledger/fold/snapshots/store-journal'))
const builds = [['A', journalOf(distA)], ['B', journalOf(distB)]]
const { REVERSIBLE_TYPES } = require(path.resolve(distB, 'src/domain/budget-year/evolve'))
const reversible = new Set(REVERSIBLE_TYPES)

const db = new Database(ledger, { readonly: true })
const rows = db.prepare("SELECT id, type, CASE type WHEN 'EventReversed' THEN json_extract(data, '$.event') END AS target FROM events WHERE stream = ? ORDER BY revision").raw().all(stream)
db.close()
const reversals = rows.filter((r) => r[2] !== null).length
console.log(`${stream}: ${rows.length} events, ${reversals} reversals`)

/** Every target is within the window at 1M (docs/speed.md, "The lean journal"): the log is never asked; a miss reads undefined. */
const log = { byId: () => undefined, ofTypesUpTo: () => [] }
const event = { type: 'ExpenditureRecorded', data: {} }
const pass = ({ StoreJournal, JOURNAL_IN_MEMORY }) => {
  const journal = new StoreJournal(stream, -1, new Map(), log, JOURNAL_IN_MEMORY)
  let found = 0
  const c0 = process.cpuUsage()
  for (let r = 0; r < rows.length; r++) {
    const [id, type, target] = rows[r]
    if (target !== null && journal.get(target) !== undefined) found++
    if (reversible.has(type)) journal.set(id, { revision: r, event })
  }
  const c = process.cpuUsage(c0)
  return { ms: (c.user + c.system) / 1000, found }
}
for (let i = 0; i < Number(roundsArg); i++)
  for (const [side, build] of i % 2 ? [...builds].reverse() : builds) {
    const load = loadavg()[0].toFixed(2)
    const { ms, found } = pass(build)
    console.log(`${side} load ${load}  ${ms.toFixed(0)} ms  found ${found}`)
  }
