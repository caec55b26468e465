#!/usr/bin/env node
/**
 * The read thread's stepping priced by column (docs/speed.md, "Rebuild, the read thread's CPU"): the
 * range query of sqlitePages (src/ledger/read-path/stream-reader.ts) over the bench's unit-year in pages of
 * 1,000 (`.raw().all()`), with a column left out or changed, the variants alternated in one process
 * (order reversed each round, after a warm-up), process CPU s a million each. Prints one JSON line:
 * each variant's minimum and every round, and the load.
 *
 *   ROUNDS=5 node scripts/probes/read-columns.cjs <copy of a bench ledger> [extra variants as JSON {name: columns}] [names to run, comma-separated]
 */
const D = require('better-sqlite3')
const os = require('node:os')
if (!process.argv[2]) throw new Error('usage: node scripts/probes/read-columns.cjs <copy of a bench ledger> [variants as JSON] [names]')
const db = new D(process.argv[2], { readonly: true })
const stream = db.prepare('SELECT stream FROM streams ORDER BY revision DESC LIMIT 1').pluck().get()
const last = db.prepare('SELECT max(revision) FROM events WHERE stream = ?').pluck().get(stream)
const W = 'FROM events WHERE stream = ? AND revision >= ? AND revision <= ? ORDER BY revision'
const variants = Object.fromEntries(Object.entries({
  five: 'revision, id, type, data, substr(metadata, 1, 69)',
  noData: 'revision, id, type, substr(metadata, 1, 69)',
  noPrefix: 'revision, id, type, data',
  noId: 'revision, type, data, substr(metadata, 1, 69)',
  noRevision: 'id, type, data, substr(metadata, 1, 69)',
  noType: 'revision, id, data, substr(metadata, 1, 69)',
  sub40: 'revision, id, type, data, substr(metadata, 1, 40)',
  sub100: 'revision, id, type, data, substr(metadata, 1, 100)',
  revOnly: 'revision',
  lenData: 'length(data)',
  ...(process.argv[3] ? JSON.parse(process.argv[3]) : {}),
}).filter(([k]) => !process.argv[4] || process.argv[4].split(',').includes(k))
  .map(([k, cols]) => [k, db.prepare(`SELECT ${cols} ${W}`).raw()]))
const once = (q) => { const c = process.cpuUsage(); let n = 0; for (let a = 0; a <= last; a += 1000) n += q.all(stream, a, Math.min(last, a + 999)).length; const u = process.cpuUsage(c); return [(u.user + u.system) / 1e6, n] }
for (const q of Object.values(variants).slice(0, 2)) once(q) // warm
const res = {}
const names = Object.keys(variants)
const rounds = +(process.env.ROUNDS || 4)
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...names].reverse() : names
  for (const k of order) { const [s] = once(variants[k]); (res[k] ??= []).push(+s.toFixed(2)) }
}
console.log(JSON.stringify({ load: os.loadavg()[0].toFixed(2), min: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Math.min(...v)])), all: res }))
