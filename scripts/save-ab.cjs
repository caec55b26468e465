#!/usr/bin/env node
/**
 * The snapshots' save, two builds against each other (docs/speed.md, "Rebuild, the snapshots' save"):
 * `snapshots rebuild --json` of each build's CLI in a fresh process on a fresh copy of the ledger,
 * alternating A and B (the order swapped every pair), each line with the 1-minute load, the command's
 * seconds, its fold's, the save (the difference), process CPU and peak RSS (/usr/bin/time), whether
 * the read thread ran, and a digest over every snapshot row (both tables, ordered by stream, every,
 * revision): the builds must write the same bytes.
 *   node scripts/save-ab.cjs <dist A> <dist B> <ledger> [pairs=3] [--unit U --year Y]
 */
const { spawnSync } = require('node:child_process')
const { createHash } = require('node:crypto')
const fs = require('node:fs')
const { loadavg, tmpdir } = require('node:os')
const path = require('node:path')
const Database = require('better-sqlite3')
const [distA, distB, ledger, pairsArg = '3', ...rest] = process.argv.slice(2)
if (!distA || !distB || !ledger) throw new Error('usage: node scripts/save-ab.cjs <dist A> <dist B> <ledger> [pairs] [--unit U --year Y]')
const dir = fs.mkdtempSync(path.join(tmpdir(), 'save-ab-'))
const digest = (file) => {
  const db = new Database(file, { readonly: true })
  const h = createHash('sha256')
  for (const table of ['snapshots', 'snapshot_reversals'])
    for (const r of db.prepare(`SELECT * FROM ${table} ORDER BY stream, every, revision`).iterate())
      for (const [k, v] of Object.entries(r)) h.update(`${k}\0`).update(Buffer.isBuffer(v) ? v : String(v)).update('\0')
  db.close()
  return h.digest('hex').slice(0, 16)
}
const run = (side, dist) => {
  const copy = path.join(dir, `${side}.db`)
  fs.copyFileSync(ledger, copy)
  fs.chmodSync(copy, 0o644)
  const times = path.join(dir, 'time')
  const load = loadavg()[0].toFixed(2)
  const p = spawnSync('/usr/bin/time', ['-o', times, '-f', '%U %S %M', process.execPath, path.join(dist, 'budget-ledger.js'), 'snapshots', 'rebuild', '--db', copy, '--json', ...rest], { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (p.status !== 0) throw new Error(`${side}: ${p.stderr}`)
  const [r] = JSON.parse(p.stdout)
  const [user, sys, rss] = fs.readFileSync(times, 'utf8').trim().split('\n').at(-1).split(' ').map(Number)
  const rows = digest(copy)
  for (const x of ['', '-wal', '-shm']) fs.rmSync(copy + x, { force: true })
  console.log(`${side} load ${load}  s ${r.seconds.toFixed(2)}  fold ${r.foldSeconds.toFixed(2)}  save ${(r.seconds - r.foldSeconds).toFixed(2)}  events/s ${r.eventsPerSecond}  cpu ${(user + sys).toFixed(2)} s  rss ${Math.round(rss / 1024)} MB  thread ${r.readThread.ran}  rows ${rows}`)
  return rows
}
const digests = new Set()
for (let i = 0; i < Number(pairsArg); i++) for (const side of i % 2 ? ['B', 'A'] : ['A', 'B']) digests.add(run(side, side === 'A' ? distA : distB))
console.log(digests.size === 1 ? 'rows: the same bytes in every run' : `rows DIFFER: ${[...digests].join(' ')}`)
fs.rmSync(dir, { recursive: true, force: true })
process.exitCode = digests.size === 1 ? 0 : 1
