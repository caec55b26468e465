#!/usr/bin/env node
/**
 * The snapshots' save in pieces (docs/speed.md, "Rebuild, the snapshots' save"): a build's
 * `rebuild` of one unit-year in this process (dist/src), on a fresh copy of the ledger, with the
 * main thread's CPU (process.cpuUsage) of what the save calls summed: rowOf (a row made: its
 * reversals, encodeState, JSON.stringify, the segment), encodeState and JSON.stringify within it,
 * and the rows' write (the SQLite inserts and commit with the digests; on a build that makes rows
 * as it writes them, rowOf is inside it).
 *   node scripts/probes/save-stages.cjs <dist> <ledger> [stream=budget-990001-2021]
 */
const fs = require('node:fs')
const { loadavg, tmpdir } = require('node:os')
const path = require('node:path')
const [dist, ledger, stream = 'budget-990001-2021'] = process.argv.slice(2)
if (!dist || !ledger) throw new Error('usage: node scripts/probes/save-stages.cjs <dist> <ledger> [stream]')
const d = (p) => require(path.resolve(dist, 'src', p))
const copy = path.join(fs.mkdtempSync(path.join(tmpdir(), 'save-stages-')), 'ledger.db')
fs.copyFileSync(ledger, copy)
fs.chmodSync(copy, 0o644)
const cpu = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1e6
}
const spent = {}
let saving = false
/** obj[name] timed while the save runs (outside it, as it was). */
const timed = (obj, name, label, marks = false) => {
  const f = obj[name]
  obj[name] = function (...a) {
    if (!saving && !marks) return f.apply(this, a)
    const was = saving
    saving = true
    const c = cpu()
    try {
      return f.apply(this, a)
    } finally {
      saving = was
      spent[label] = (spent[label] ?? 0) + cpu() - c
    }
  }
}
timed(d('domain/budget-year/state-codec'), 'encodeState', 'encodeState')
timed(JSON, 'stringify', 'stringify')
timed(d('ledger/fold/snapshots/snapshot-record'), 'rowOf', 'rowOf', true)
timed(d('store/sqlite/sqlite-snapshots').SqliteSnapshots.prototype, 'write', 'write', true)
const store = new (d('store/sqlite/sqlite').SqliteEventStore)(copy)
const { BudgetYearSnapshots } = d('ledger/fold/snapshots/snapshots')
;(async () => {
  const load = loadavg()[0].toFixed(2)
  const c = cpu()
  const w = performance.now()
  await new BudgetYearSnapshots(store).rebuild(stream)
  console.log(`${dist}  load ${load}  rebuild ${((performance.now() - w) / 1000).toFixed(2)} s, cpu ${(cpu() - c).toFixed(2)} s (every thread);`, Object.entries(spent).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', '))
  await store.close()
  fs.rmSync(path.dirname(copy), { recursive: true, force: true })
})()
