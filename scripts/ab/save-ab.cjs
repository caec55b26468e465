#!/usr/bin/env node
/**
 * The snapshots' save, two builds against each other (docs/speed.md, "Rebuild, the snapshots' save"):
 * `snapshots rebuild --json` of each build's CLI in a fresh process on a fresh copy of the ledger,
 * alternating A and B (the order swapped every pair), each line with the 1-minute load, the command's
 * seconds, its fold's, the save (the difference), process CPU and peak RSS (/usr/bin/time), whether
 * the read thread ran, and a digest over every snapshot row (both tables, ordered by stream, every,
 * revision): the builds must write the same bytes.
 *   node scripts/ab/save-ab.cjs <dist A> <dist B> <ledger> [pairs=3] [--unit U --year Y] [--thread on|off]
 * With --thread, each run is the same rebuild of 990001/2021 through the build's BudgetYearSnapshots
 * (not the CLI) with the read thread forced on or off, so that the save's overlap with the read
 * thread can be measured on a machine whose gate would refuse it (docs/speed.md, "Rebuild, saved
 * during the fold"); the line adds the folding and the read thread's CPU.
 * It also says how long the writes of snapshot rows held the write lock (the longest, and all of them)
 * and the folding thread's CPU when the last event was folded.
 *   (child: node scripts/ab/save-ab.cjs --child <dist> <ledger> on|off)
 */
const { spawnSync } = require('node:child_process')
const { createHash } = require('node:crypto')
const fs = require('node:fs')
const { loadavg, tmpdir } = require('node:os')
const path = require('node:path')
const Database = require('better-sqlite3')
const threadCpu = (tid) => {
  try {
    const f = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    const v = f.slice(f.lastIndexOf(') ') + 2).split(' ')
    return (+v[11] + +v[12]) / 100
  } catch {
    return undefined
  }
}
/** One rebuild with the read thread forced, printed as the CLI's --json prints it, plus the threads' CPU. */
const child = async (dist, ledger, thread) => {
  // A build from before the regroups (a02cdf6, fce9b6a) has these files one folder up: src/ledger/snapshots, not src/ledger/fold/snapshots/snapshots.
  const d = (p) => {
    const here = path.resolve(dist, p)
    return require(fs.existsSync(`${here}.js`) ? here : path.resolve(dist, path.dirname(path.dirname(p)), path.basename(p)))
  }
  const { SqliteEventStore } = d('src/store/sqlite/sqlite')
  const { BudgetYearSnapshots } = d('src/ledger/fold/snapshots/snapshots')
  const { sqliteReader } = d('src/ledger/read-path/stream-reader')
  const { watchReadThread } = d('src/ledger/read-path/read-thread-watch')
  // How long each write of snapshot rows holds the write lock: its transaction (the rows made inside it, or before).
  const { SqliteSnapshots } = d('src/store/sqlite/sqlite-snapshots')
  const write = SqliteSnapshots.prototype.write
  const locks = []
  SqliteSnapshots.prototype.write = function (...args) {
    const t = performance.now()
    try {
      return write.apply(this, args)
    } finally {
      locks.push(performance.now() - t)
    }
  }
  const store = new SqliteEventStore(ledger)
  // SAVE_AB_CHUNK: snapshots saved per transaction during the fold (a build before it saves them all after the fold).
  const snaps = new BudgetYearSnapshots(store, { reader: sqliteReader(store.database, { readThread: thread === 'on' }), ...(process.env.SAVE_AB_CHUNK ? { saveChunk: Number(process.env.SAVE_AB_CHUNK) } : {}) })
  // The read thread's CPU, sampled while it lives (it exits before the rebuild ends).
  const workers = new Map()
  const sample = () => { for (const tid of fs.readdirSync('/proc/self/task')) if (String(tid) !== String(process.pid)) { const c = threadCpu(tid); if (c !== undefined) workers.set(tid, c) } }
  const timer = setInterval(sample, 50)
  const seen = watchReadThread()
  const main0 = threadCpu(process.pid)
  const t0 = performance.now()
  let folded = t0
  // The folding thread's CPU when the last event is folded (the saves during the fold included, the last chunk's not).
  let foldCpu = 0
  const r = await snaps.rebuild('budget-990001-2021', () => {
    folded = performance.now()
    foldCpu = threadCpu(process.pid) - main0
  })
  const end = performance.now()
  clearInterval(timer)
  const readCpu = Math.max(0, ...[...workers.values()].filter((c) => c >= 0.5))
  const seconds = (end - t0) / 1000
  console.log(JSON.stringify([{ ...r, seconds, foldSeconds: (folded - t0) / 1000, eventsPerSecond: Math.round(r.events / seconds), readThread: seen(), mainCpu: threadCpu(process.pid) - main0, foldCpu, readCpu, writes: locks.length, lockMaxMs: Math.max(...locks), lockS: locks.reduce((a, b) => a + b, 0) / 1000 }]))
  await store.close()
}
if (process.argv[2] === '--child') {
  child(...process.argv.slice(3)).catch((e) => { console.error(e); process.exit(1) })
  return
}
const threadAt = process.argv.indexOf('--thread')
const thread = threadAt === -1 ? undefined : process.argv.splice(threadAt, 2)[1]
const [distA, distB, ledger, pairsArg = '3', ...rest] = process.argv.slice(2)
if (!distA || !distB || !ledger) throw new Error('usage: node scripts/ab/save-ab.cjs <dist A> <dist B> <ledger> [pairs] [--unit U --year Y]')
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
  const command = thread === undefined ? [path.join(dist, 'budget-ledger.js'), 'snapshots', 'rebuild', '--db', copy, '--json', ...rest] : [__filename, '--child', dist, copy, thread]
  const p = spawnSync('/usr/bin/time', ['-o', times, '-f', '%U %S %M', process.execPath, ...command], { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (p.status !== 0) throw new Error(`${side}: ${p.stderr}`)
  const [r] = JSON.parse(p.stdout)
  const [user, sys, rss] = fs.readFileSync(times, 'utf8').trim().split('\n').at(-1).split(' ').map(Number)
  const rows = digest(copy)
  for (const x of ['', '-wal', '-shm']) fs.rmSync(copy + x, { force: true })
  console.log(`${side} load ${load}  s ${r.seconds.toFixed(2)}  fold ${r.foldSeconds.toFixed(2)}  save ${(r.seconds - r.foldSeconds).toFixed(2)}  events/s ${r.eventsPerSecond}  cpu ${(user + sys).toFixed(2)} s  rss ${Math.round(rss / 1024)} MB  thread ${r.readThread.ran}${r.mainCpu === undefined ? '' : `  folding ${r.mainCpu.toFixed(2)} s (${r.foldCpu.toFixed(2)} at the last event)  read ${r.readCpu.toFixed(2)} s  writes ${r.writes}, lock ≤ ${r.lockMaxMs.toFixed(1)} ms, ${r.lockS.toFixed(2)} s in all`}  rows ${rows}`)
  return rows
}
const digests = new Set()
for (let i = 0; i < Number(pairsArg); i++) for (const side of i % 2 ? ['B', 'A'] : ['A', 'B']) digests.add(run(side, side === 'A' ? distA : distB))
console.log(digests.size === 1 ? 'rows: the same bytes in every run' : `rows DIFFER: ${[...digests].join(' ')}`)
fs.rmSync(dir, { recursive: true, force: true })
process.exitCode = digests.size === 1 ? 0 : 1
