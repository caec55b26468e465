#!/usr/bin/env node
/**
 * The commit worker's own work a group, alone, in one process (docs/speed.md, "Writes, the
 * commit's SQL"): the same groups (53 one-event batches on 64 streams, events shaped as the bench's,
 * taken from a bench ledger) appended through a built checkout's SqliteAppender.appendGroup to a
 * fresh file, synchronous=OFF so that the fsync's wait is not counted. Each entry (a checkout's
 * build and a variant) has its own file, and the groups go to them in turn (the order rotated each
 * round), so that every entry sees the same minutes of this shared machine (two checkouts' modules
 * load side by side); the process's CPU is summed by entry and printed a group, with each one's
 * ratio to the first entry and the load. A variant takes one piece of the commit away, to price it:
 *   base              the schema and code as the checkout has them
 *   no-replace-check  the events' BEFORE INSERT trigger (its three EXISTS look-ups) dropped
 *   no-idem-index     the idempotency key's index (its json_valid/json_extract expression) dropped
 *   no-merkle-check   the Merkle nodes' BEFORE INSERT trigger dropped
 *   no-leaf-json      the leaf's canonical JSON replaced by the event's id (the row still parsed, the leaf hashed)
 * The variants are for pricing only: each one removes a guarantee. Two more change only the events'
 * ids, which otherwise are `ev-<group>-<i>` and so grow as the groups do (docs/speed.md, "Writes, CPU a command"):
 *   random-ids        version-4 UUIDs, as the server minted them before: each lands anywhere in the id index
 *   time-ids          version-7 UUIDs (the milliseconds first), as it mints them now
 * One more sends the group the way the store does, to show the hop's cost (docs/speed.md, "Writes, the ids' clock and
 * the group's text"):
 *   worker            through the checkout's SqliteCommitter: posted to its commit worker thread and answered back
 *                     (synchronous=FULL there, as the store runs it: the fsync's wait is not CPU); the process's CPU
 *                     around each commit counts both sides of the hop, this thread's and the worker's
 * LEDGER_FILE=<ledger>: each entry's file starts as a copy of it (e.g. the 1M bench ledger) instead of empty.
 *
 *   node scripts/ab/commit-sql-ab.cjs <bench ledger to take events from> <groups> <warm-up groups> <dist dir>=<variant> …
 *   e.g. … /work/wt/A/dist=base dist=base dist=no-leaf-json
 */
const path = require('node:path')
const os = require('node:os')
const fs = require('node:fs')
const [source, groupsArg, warmArg, ...entryArgs] = process.argv.slice(2)

const DROP = {
  base: '',
  'no-replace-check': 'DROP TRIGGER events_append_only_replace',
  'no-idem-index': 'DROP INDEX events_idempotency_key',
  'no-merkle-check': 'DROP TRIGGER merkle_append_only_replace',
  'no-leaf-json': '',
  'random-ids': '',
  'time-ids': '',
  worker: '',
}
/** One checkout's build, loaded once whatever its entries: its modules, and the switch of its leaf's canonical JSON. */
const builds = new Map()
const build = (root) => {
  const dir = path.resolve(root)
  if (builds.has(dir)) return builds.get(dir)
  const d = (p) => require(path.join(dir, p))
  const b = { root, leafJson: true, ...d('src/store/sqlite/sqlite-driver'), ...d('src/store/sqlite/sqlite-schema'), ...d('src/store/merkle/tree/sqlite-tree'), ...d('src/store/sqlite-write/sqlite-append'), ...d('src/store/sqlite-write/sqlite-committer') }
  // The no-leaf-json variant's groups alone skip it (the module's export is what the tree calls).
  const leaf = d('src/store/merkle/tree/leaf')
  const { leafHash } = d('src/store/merkle/tree/hashes')
  const full = leaf.eventLeafHash
  leaf.eventLeafHash = (e) => (b.leafJson ? full(e) : leafHash(e.id))
  builds.set(dir, b)
  return b
}
const entries = entryArgs.map((arg) => {
  const [root, variant = 'base'] = arg.split('=')
  if (!(variant in DROP)) throw new Error(`unknown variant ${variant}: one of ${Object.keys(DROP).join(', ')}`)
  return { root, variant, build: build(root) }
})
const { openDatabase } = entries[0].build

// Events as the bench writes them: the bench ledger's data and metadata, chain fields taken off.
const GROUP = 53
const STREAMS = 64
const groups = Number(groupsArg)
const warm = Number(warmArg)
const src = openDatabase(source, { readonly: true })
const rows = src.prepare('SELECT type, data, metadata FROM events WHERE position > 1000 ORDER BY position LIMIT ?').all((groups + warm) * GROUP)
src.close()
const { randomUUID } = require('node:crypto')
/** A version-7 UUID of now: the milliseconds' 12 hex digits, then a random UUID's digits after its version digit, version 7. */
const timeOrderedId = () => {
  const ms = Date.now().toString(16).padStart(12, '0')
  const r = randomUUID()
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${r.slice(15)}`
}
const idOf = (variant, g, i) => (variant === 'random-ids' ? randomUUID() : variant === 'time-ids' ? timeOrderedId() : `ev-${g}-${i}`)
/** Group g, for any entry's file: the same events each time (but for the ids of the id variants). */
const batchesOf = (g, variant) =>
  Array.from({ length: GROUP }, (_, i) => {
    const r = rows[(g * GROUP + i) % rows.length]
    const { hash: _h, prevHash: _p, ...metadata } = JSON.parse(r.metadata)
    return { stream: `unit-${(g * GROUP + i) % STREAMS}-2026`, expected: 'any', events: [{ id: idOf(variant, g, i), type: r.type, data: JSON.parse(r.data), metadata }] }
  })

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-sql-'))
const files = entries.map(({ root, variant, build: b }, i) => {
  const file = path.join(dir, `ledger-${i}.db`)
  if (process.env.LEDGER_FILE) fs.copyFileSync(process.env.LEDGER_FILE, file)
  const db = b.openDatabase(file)
  db.pragma('journal_mode = WAL')
  b.applySchema(db)
  b.applyTreeSchema(db)
  if (DROP[variant]) db.exec(DROP[variant])
  db.pragma('synchronous = OFF')
  const committer = variant === 'worker' ? new b.SqliteCommitter(file) : undefined
  return { name: `${root}=${variant}`, variant, build: b, db, appender: new b.SqliteAppender(db), committer, cpuUs: 0 }
})
const commit = async (f, g) => {
  const batches = batchesOf(g, f.variant)
  f.build.leafJson = f.variant !== 'no-leaf-json'
  const before = process.cpuUsage()
  const outcomes = f.committer ? await f.committer.commit(batches) : f.appender.appendGroup(batches)
  const cpu = process.cpuUsage(before)
  if (!outcomes.every((o) => o.ok)) throw new Error(`group ${g} refused a batch`)
  return cpu.user + cpu.system
}
const main = async () => {
for (let g = 0; g < warm; g++) for (const f of files) await commit(f, g)
const load = os.loadavg()[0]
for (let g = warm; g < warm + groups; g++)
  for (let k = 0; k < files.length; k++) {
    const f = files[(g + k) % files.length]
    f.cpuUs += await commit(f, g)
  }
await Promise.all(files.map((f) => f.committer?.close()))
const nodes = files.map((f) => f.db.prepare('SELECT count(*) AS n FROM merkle_nodes').get().n)
// Every entry stored the same events: the same tree, byte for byte, where the leaves were not switched off nor the ids other.
const roots = files.filter((f) => !['no-leaf-json', 'random-ids', 'time-ids'].includes(f.variant)).map((f) => f.db.prepare('SELECT hex(hash) AS h FROM merkle_nodes WHERE level = 0 ORDER BY idx DESC LIMIT 1').get().h)
if (new Set(roots).size > 1) throw new Error(`the entries' last leaves differ: ${roots.join(' ')}`)
for (const f of files) f.db.close()
fs.rmSync(dir, { recursive: true, force: true })
const ms = (f) => f.cpuUs / 1000 / groups
console.log(
  JSON.stringify({
    groups,
    load: +load.toFixed(2),
    loadAfter: +os.loadavg()[0].toFixed(2),
    cpuMsAGroup: Object.fromEntries(files.map((f) => [f.name, +ms(f).toFixed(3)])),
    ratio: Object.fromEntries(files.map((f) => [f.name, +(ms(f) / ms(files[0])).toFixed(3)])),
    nodes,
  }),
)
}
main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
