#!/usr/bin/env node
/**
 * A `--cpu-prof` profile's self time by group (docs/speed.md, "Rebuild, what limits it"): the folding
 * thread of a rebuild split into the fold (evolve and the spending move), money, the timeline and
 * the journal, receiving pages, the save (rows, encode, digests, SQLite), the clear and the
 * checkpoint, GC, idle, start-up and the rest; then the top functions. Self time is where V8's
 * sampler found the thread: inlined callees count in their caller, and on a loaded machine the
 * samples include time without a core, so the shares are the figure.
 *   node scripts/probes/prof-groups.cjs <file.cpuprofile> [top=25]
 */
const fs = require('node:fs')

const [file, topArg = '25'] = process.argv.slice(2)
if (!file) throw new Error('usage: node scripts/probes/prof-groups.cjs <file.cpuprofile> [top]')
const p = JSON.parse(fs.readFileSync(file, 'utf8'))

/** First match wins: [group, test on "function url:line"]. */
const GROUPS = [
  ['idle', (k) => k.startsWith('(idle)')],
  ['GC', (k) => k.startsWith('(garbage collector)')],
  ['(program): V8 itself, unattributed', (k) => k.startsWith('(program)')],
  ['clear of the old rows, checkpoint (I/O waits)', (k) => /sqlite-snapshots\.js:18\d|\bpragma\b|checkpointedOnce/.test(k)],
  ['save: rows (encodeState, stringify in rowOf, segments)', (k) => /snapshot-record\.js|state-codec\.js|fenText/.test(k)],
  ['save: digests, inserts, commits', (k) => /sqlite-snapshots\.js|transaction\.js|node:internal\/crypto|sqlite-lookups\.js|hash-chain/.test(k)],
  ['receiving pages (clone, eachEvent)', (k) => /read-path\/|messageport|MessagePort|node:internal\/worker/.test(k)],
  ['timeline, as-of index, journal', (k) => /ledger\/fold\/(timeline|time-travel|revision-column|store-journal|recording-time|digits|revision-slice)\.js|walked-journal/.test(k)],
  ['money (fen, decimal.js)', (k) => /domain\/money\/|decimal\.js/.test(k)],
  ['fold: evolve, line table, spending', (k) => /domain\/budget-year\/|projections\/indicators/.test(k)],
  ['start-up (modules, compile)', (k) => /node:internal\/(modules|bootstrap)|readFileUtf8|internalModuleStat|lstat|wrapSafe|compileForInternalLoader/.test(k)],
]

const byId = new Map(p.nodes.map((n) => [n.id, n]))
const self = new Map()
for (let i = 0; i < p.samples.length; i++) {
  const n = byId.get(p.samples[i])
  const cf = n.callFrame
  const k = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^file:\/\//, '').replace(/.*\/dist\//, '')}:${cf.lineNumber + 1}`
  self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000)
}
const total = [...self.values()].reduce((a, b) => a + b, 0)
const groups = new Map()
for (const [k, ms] of self) {
  const g = GROUPS.find(([, t]) => t(k))?.[0] ?? 'the rest'
  groups.set(g, (groups.get(g) ?? 0) + ms)
}
const busy = total - (groups.get('idle') ?? 0)
const pc = (ms, of) => `${((100 * ms) / of).toFixed(1)} %`
console.log(`${file}: ${total.toFixed(0)} ms of samples, ${busy.toFixed(0)} ms not idle`)
for (const [g, ms] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${ms.toFixed(0).padStart(7)} ms  ${pc(ms, total).padStart(7)}  ${g === 'idle' ? '' : `${pc(ms, busy).padStart(7)} of busy`}  ${g}`)
console.log('top functions, self:')
for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) console.log(`${ms.toFixed(0).padStart(7)} ms  ${pc(ms, total).padStart(7)}  ${k}`)
