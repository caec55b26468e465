#!/usr/bin/env node
/**
 * Where the bench's rebuild figure goes (docs/speed.md, "The bench's rebuild, as users meet it"):
 * the same 1M copy rebuilt with the as-of index in fresh processes of six kinds, interleaved, the
 * order rotated each round, each line with the 1-minute load, the read thread's gate (did it run,
 * the busy cores it decided on), the process's CPU (getrusage via /usr/bin/time) and, but for cli,
 * the CPU of the indexed rebuild alone (process.cpuUsage around it, every thread):
 *   cli          `snapshots rebuild --json` of the built CLI (what a user runs; it saves the snapshots too)
 *   dist         scripts/ab/rebuild-ab.cjs on the tsc build (the indexed rebuild alone, gate as a user's)
 *   tsx          the same from the sources through tsx
 *   dist-phases  dist/scripts/focused-bench/bench-asof.js: the indexed rebuild after a read-only pass, an evolve sample and a plain rebuild
 *   tsx-phases   scripts/focused-bench/bench-asof.ts through tsx: what `npm run bench` ran until this change
 *   after-busy   dist, started the moment two busy loops that held both cores for 5 s have exited
 *
 *   node scripts/probes/rebuild-variants.cjs <copy of the 1M bench ledger> [rounds] [variant,…]
 */
const { spawnSync } = require('node:child_process')
const { loadavg } = require('node:os')
const path = require('node:path')
const ROOT = path.join(__dirname, '..', '..')
const [db, roundsArg = '3', only] = process.argv.slice(2)
const TSX = ['--import', 'tsx']
const asof = ['--db', db, '--events', '1000000', '--rebuilds', '1', '--queries', '100', '--warm', '100', '--json']
const VARIANTS = {
  cli: [path.join(ROOT, 'dist', 'budget-ledger.js'), '--db', db, 'snapshots', 'rebuild', '--unit', '990001', '--year', '2021', '--json'],
  dist: [path.join(ROOT, 'scripts', 'ab', 'rebuild-ab.cjs'), path.join(ROOT, 'dist'), db, 'gate'],
  tsx: [...TSX, path.join(ROOT, 'scripts', 'ab', 'rebuild-ab.cjs'), ROOT, db, 'gate'],
  'dist-phases': [path.join(ROOT, 'dist', 'scripts', 'focused-bench', 'bench-asof.js'), ...asof],
  'tsx-phases': [...TSX, path.join(ROOT, 'scripts', 'focused-bench', 'bench-asof.ts'), ...asof],
  'after-busy': 'dist',
}
const names = only ? only.split(',') : Object.keys(VARIANTS)
/** What each kind printed, as one figure: events/s, whether the read thread ran, the gate's busy cores. */
const figures = (name, out) => {
  if (name === 'cli') { const [r] = JSON.parse(out); return { evps: r.eventsPerSecond, foldEvps: r.foldSeconds ? Math.round(r.events / r.foldSeconds) : undefined, ran: r.readThread.ran, busy: r.readThread.gate?.busyCores } }
  if (name.endsWith('phases')) { const r = JSON.parse(out); return { evps: Math.round(r.indexedRebuildEventsPerSecond), ran: r.indexedRebuildReadThread, busy: r.indexedRebuildGate?.busyCores, rebuildCpuS: +r.indexedRebuildCpuSeconds?.toFixed(2) } }
  const r = JSON.parse(out.trim().split('\n').at(-1)); return { evps: r.evps, ran: r.readThread.ran, busy: r.readThread.gate?.busyCores, rebuildCpuS: r.cpuS }
}
const busyLoops = () => {
  const loop = ['-e', 'const t = Date.now() + 5000; while (Date.now() < t);']
  const kids = [0, 1].map(() => require('node:child_process').spawn(process.execPath, loop))
  return Promise.all(kids.map((k) => new Promise((ok) => k.on('exit', ok))))
}
const main = async () => {
  for (let round = 0; round < Number(roundsArg); round++) {
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) {
      if (name === 'after-busy') await busyLoops()
      const args = VARIANTS[name] === 'dist' ? VARIANTS.dist : VARIANTS[name]
      const load = loadavg()[0]
      const t0 = performance.now()
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 })
      const wall = (performance.now() - t0) / 1000
      if (r.status !== 0 && !name.endsWith('phases')) { console.log(JSON.stringify({ name, error: r.stderr.slice(-600) })); continue }
      const [user, sys, maxKb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number)
      console.log(JSON.stringify({ round, name, load: +load.toFixed(2), ...figures(name, r.stdout), cpuS: +(user + sys).toFixed(2), peakRssMb: Math.round(maxKb / 1024), wallS: +wall.toFixed(2) }))
    }
  }
}
main()
