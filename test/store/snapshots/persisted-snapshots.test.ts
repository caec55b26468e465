import { readFileSync, writeFileSync } from 'node:fs'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { spentByMonth } from '../../../projections/indicators/execution'
import { FOLD_VERSION, encodeState, evolve, initialState } from '../../../src/domain/budget-year'
import { isKeyedCollection } from '../../../src/domain/budget-year/line-table'
import { readStoredEvent } from '../../../src/domain/events/stored-event'
import type { RecordedEvent } from '../../../src/store/envelope'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import { ledgerDeps } from '../../../src/ledger/deps'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { recordSteps } from '../../../src/ledger/recording/record'
import { BudgetYearSnapshots } from '../../../src/ledger/fold/snapshots/snapshots'
import { sha256 } from '../../../src/store/chain/hash-chain'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { SqliteSnapshots } from '../../../src/store/sqlite/sqlite-snapshots'
import { sqliteLookups } from '../../../src/store/sqlite/sqlite-lookups'
import { verifyLog } from '../../../src/store/chain/verify'
import { ACTOR, STREAM, TARGET, cmd, recorder } from '../../support/ledgers/audit-ledger'
import { cliProcess } from '../../support/shells/cli'
import { DAY, START, type Step, dateOf, query, randomYear, step, view } from '../../support/years/random-year'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * Persisted snapshots (src/ledger/fold/snapshots/snapshot-record.ts, src/store/sqlite/sqlite-snapshots.ts): a cold
 * process starting from the snapshots saved in the SQLite file, plus the tail, answers exactly as a
 * full replay; a snapshot of another fold version, or changed in the file, is never used and is
 * saved again; verify ignores them.
 */
type Store = SqliteEventStore
/** Journal entries a head holds (store-journal.ts): few, so that reversals name entries read back from the log. */
const FEW = 3
const months = (m: ReadonlyMap<string, { toFixed(dp: number): string }>) => [...m].map(([k, v]) => [k, v.toFixed(2)]).sort()

/** A store with some events and its snapshots saved (every 2 events) by a writer that folded them. */
const savedLedger = async (every = 2) => {
  const db = tempDb('ledger-persisted-')
  const store = new SqliteEventStore(db.path)
  const { record, importAt } = recorder(store)
  await importAt('2021-03-01T02:00:00.000Z')
  const spent = await record('2021-03-02T02:00:00.000Z', cmd('RecordExpenditure', { line: 'p01', amount: '120.00', economicCode: null, voucher: 'V1', threePublic: null, procurement: null }))
  await record('2021-03-03T02:00:00.000Z', cmd('AddToLine', { line: 'p02', amount: '50.00', category: 'ordinary' }))
  await record('2021-03-04T02:00:00.000Z', cmd('ReverseEvent', { event: spent[0] }))
  await record('2021-03-05T02:00:00.000Z', cmd('RecordExpenditure', { line: 'p01', amount: '7.00', economicCode: null, voucher: 'V2', threePublic: null, procurement: null }))
  await new BudgetYearSnapshots(store, { every, journalInMemory: FEW }).latest(TARGET.unit, TARGET.year)
  return { db, store, reversible: spent }
}

/** The saved rows; none while no writer has saved one (the table is made by the first save). */
const rowsOf = (store: Store) =>
  store.database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'").get() === undefined
    ? []
    : (store.database.prepare('SELECT revision, fold_version AS foldVersion, state FROM snapshots WHERE stream = ? ORDER BY revision').all(STREAM) as Array<{ revision: number; foldVersion: number; state: string }>)

/**
 * Every entity the events create, [collection\u0000key, revision], in revision order: the keys of the
 * state's keyed collections (the journal aside) that the state before the event lacks.
 */
const createdByScan = (events: ReadonlyArray<RecordedEvent>): Array<[string, number]> => {
  const created: Array<[string, number]> = []
  let before = initialState()
  for (const e of events) {
    const after = evolve(before, readStoredEvent(e, e.metadata.schemaVersion))
    for (const [c, am] of Object.entries(after)) {
      const bm = (before as unknown as Record<string, unknown>)[c]
      if (c === 'journal' || !isKeyedCollection(am) || !isKeyedCollection(bm)) continue
      for (const key of am.keys()) if (!bm.has(key)) created.push([`${c}\u0000${String(key)}`, e.revision])
    }
    before = after
  }
  return created
}

/** A cold process's answer (a new cache on the same file) and the full replay, side by side. */
const coldAndReplay = async (store: Store, every: number, reversible: ReadonlyArray<string>, at = {}) => {
  const cold = new BudgetYearSnapshots(store, { every, journalInMemory: FEW })
  const fast = await cold.stateAt(TARGET.unit, TARGET.year, at)
  const full = await loadBudgetYear(store, TARGET.unit, TARGET.year, at)
  return { fast: view(fast.state, reversible), full: view(full.state, reversible), stats: cold.stats()[0]! }
}

/**
 * Found by fast-check (seed -1706788960): the writer folds fewer events than the interval, so it
 * saves nothing, and the snapshots table (made by the first save) does not exist yet.
 */
const FEW_EVENTS_FOLDED = JSON.parse('[[{"minutes":0,"shiftDays":0,"kind":"add","line":3,"other":0,"amount":1,"pick":0},{"minutes":0,"shiftDays":0,"kind":"reverse","line":0,"other":0,"amount":1,"pick":0},{"minutes":0,"shiftDays":0,"kind":"add","line":3,"other":0,"amount":1,"pick":0},{"minutes":0,"shiftDays":0,"kind":"add","line":0,"other":0,"amount":1,"pick":0},{"minutes":0,"shiftDays":0,"kind":"add","line":0,"other":0,"amount":1,"pick":0},{"minutes":0,"shiftDays":0,"kind":"add","line":0,"other":0,"amount":1,"pick":0},{"minutes":0,"shiftDays":0,"kind":"add","line":0,"other":0,"amount":1,"pick":0},{"minutes":0,"shiftDays":0,"kind":"add","line":0,"other":0,"amount":1,"pick":0}],[{"asOf":null,"effective":null},{"asOf":null,"effective":null},{"asOf":null,"effective":null},{"asOf":null,"effective":null}],6]') as [Step[], Array<typeof query extends fc.Arbitrary<infer Q> ? Q : never>, number]

describe('persisted snapshots: a cold start from the file', () => {
  it('given random years saved with random intervals, when a cold process answers any point from a snapshot and the tail, then it equals a full replay', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 30 }), fc.array(query, { minLength: 4, maxLength: 10 }), fc.integer({ min: 1, max: 7 }), async (steps, queries, every) => {
        const db = tempDb('ledger-persisted-')
        const store = new SqliteEventStore(db.path)
        try {
          // Half the year is recorded and folded by a writer (which saves the snapshots), the rest only recorded: a tail.
          const year = await randomYear(store)
          const half = Math.floor(steps.length / 2)
          await year.record(steps.slice(0, half))
          await new BudgetYearSnapshots(store, { every, journalInMemory: FEW }).latest(TARGET.unit, TARGET.year)
          await year.record(steps.slice(half))
          const all = await loadBudgetYear(store, TARGET.unit, TARGET.year)
          const ids = year.reversible
          for (const q of queries) {
            const span = year.last - START
            const at = {
              ...(q.asOf === null ? {} : { asOf: new Date(START + Math.round((span * q.asOf) / 1000)).toISOString() }),
              ...(q.effective === null ? {} : { effective: dateOf(START + q.effective * DAY) }),
            }
            const saved = rowsOf(store).length
            const { fast, full, stats } = await coldAndReplay(store, every, ids, at)
            expect(fast, JSON.stringify(at)).toEqual(full)
            // Without an effective date, a cold read: from the saved row at or before the point's last revision
            // (src/ledger/fold/snapshots/cold-read.ts). With one, the latest saved row (the first cold process then saves the tail's).
            const from = at.effective === undefined ? Math.min(saved, Math.floor((full.revision + 1) / every)) : saved
            expect(stats.restoredFrom).toBe(from > 0 ? from * every - 1 : null)
          }
          const cold = new BudgetYearSnapshots(store, { every, journalInMemory: FEW })
          const latest = await cold.latest(TARGET.unit, TARGET.year)
          expect(months(latest.spentByMonth)).toEqual(months(spentByMonth(all.events)))
          expect(view(latest.state, ids)).toEqual(view(all.state, ids))
        } finally {
          await store.close()
          db.remove()
        }
      }),
      { numRuns: 25, examples: [FEW_EVENTS_FOLDED] },
    )
  })

  it('given snapshots saved by an older fold version, when a cold writer reads the year, then it ignores them, folds the log and saves them at the current version', async () => {
    const { db, store, reversible } = await savedLedger()
    try {
      const rows = rowsOf(store)
      expect(rows.length).toBeGreaterThan(1)
      // An older fold whose snapshots say something else (the spending wiped), with digests that hold.
      const forged = (s: string) => s.replace(/"spent":"[0-9.]+"/g, '"spent":"0"')
      const update = store.database.prepare('UPDATE snapshots SET fold_version = ?, state = ?, state_digest = ? WHERE stream = ? AND revision = ?')
      for (const r of rows) update.run(FOLD_VERSION - 1, forged(r.state), sha256(forged(r.state)), STREAM, r.revision)
      const { fast, full, stats } = await coldAndReplay(store, 2, reversible)
      expect(fast).toEqual(full)
      expect(stats.restoredFrom).toBeNull()
      expect(rowsOf(store).map((r) => r.foldVersion)).toEqual(rows.map(() => FOLD_VERSION))
      expect(rowsOf(store).map((r) => r.state)).toEqual(rows.map((r) => r.state))
    } finally {
      await store.close()
      db.remove()
    }
  })

  it('given a snapshot whose bytes were changed in the file, when a cold writer reads the year, then the digest refuses it, the answer equals a replay and the snapshot is saved again', async () => {
    const { db, store, reversible } = await savedLedger()
    const before = rowsOf(store)
    await store.close()
    // An amount of the last snapshot's state (元, two decimals), changed in the file itself: 7.00 spent becomes 9.00.
    const bytes = readFileSync(db.path)
    const text = bytes.toString('latin1')
    const at = text.lastIndexOf('"spent":"7.00"')
    expect(at).toBeGreaterThan(0)
    bytes.write('9', at + '"spent":"'.length, 'latin1')
    writeFileSync(db.path, bytes)
    const reopened = new SqliteEventStore(db.path)
    try {
      expect(new SqliteSnapshots(reopened.database).state(STREAM, 2, before.at(-1)!.revision, FOLD_VERSION)).toBeUndefined()
      const { fast, full, stats } = await coldAndReplay(reopened, 2, reversible)
      expect(fast).toEqual(full)
      // Not the corrupt last one: the one before it, and the tail folded from there.
      expect(stats.restoredFrom).toBe(before.at(-2)!.revision)
      expect(rowsOf(reopened)).toEqual(before)
    } finally {
      await reopened.close()
      db.remove()
    }
  })

  it('given a snapshot that is not JSON, when a cold writer reads the year, then it is not used and is saved again', async () => {
    const { db, store, reversible } = await savedLedger()
    try {
      const before = rowsOf(store)
      const last = before.at(-1)!
      store.database.prepare('UPDATE snapshots SET state = ?, state_digest = ? WHERE stream = ? AND revision = ?').run('{"state":', sha256('{"state":'), STREAM, last.revision)
      const { fast, full, stats } = await coldAndReplay(store, 2, reversible)
      expect(fast).toEqual(full)
      expect(stats.restoredFrom).toBe(before.at(-2)!.revision)
      expect(rowsOf(store)).toEqual(before)
    } finally {
      await store.close()
      db.remove()
    }
  })

  it('given snapshots saved in the file, when the log is verified, then verify passes and counts only the events', async () => {
    const { db, store } = await savedLedger()
    try {
      expect(rowsOf(store).length).toBeGreaterThan(0)
      const report = await verifyLog(store)
      const events = (await store.readAll()).length
      expect(report.ok).toBe(true)
      expect(report.events).toBe(events)
    } finally {
      await store.close()
      db.remove()
    }
  })
})

describe('persisted snapshots: the rows as saved', () => {
  it('given random years folded by a writer with random intervals, when its rows are read back, then each holds the plain encoding of the snapshot the writer folded and exactly the reversals and the entities created of its interval; and the entities created in any range are those a scan of the states finds', async () => {
    // The save takes an interval's reversals by binary search and makes its rows one at a time
    // (docs/speed.md, "Rebuild, the snapshots' save"): what it writes is what a filter over all
    // reversals and a plain encodeState of every snapshot write.
    let reversalsSeen = 0
    let creatorsSeen = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.array(fc.tuple(fc.nat(60), fc.nat(60)), { maxLength: 12 }), async (steps, every, ranges) => {
        const db = tempDb('ledger-persisted-')
        const store = new SqliteEventStore(db.path)
        try {
          await (await randomYear(store)).record(steps)
          const tl = await new BudgetYearSnapshots(store, { every, journalInMemory: FEW }).sync(STREAM)
          const created = createdByScan(await store.readStream(STREAM))
          const rows = store.database
            .prepare('SELECT s.revision, s.refs, s.state, r.reversals FROM snapshots s JOIN snapshot_reversals r USING (stream, every, revision) WHERE s.stream = ? ORDER BY s.revision')
            .all(STREAM) as Array<{ revision: number; refs: string; state: string; reversals: string }>
          expect(rows.map((r) => r.revision)).toEqual(Array.from({ length: Math.floor(tl.count / every) }, (_, k) => (k + 1) * every - 1))
          for (const [k, row] of rows.entries()) {
            const from = k * every
            const reversals = JSON.stringify(tl.reversals.filter(([, r]) => r >= from && r <= row.revision))
            expect(row.reversals).toBe(reversals)
            expect(JSON.stringify(JSON.parse(row.refs).reversals)).toBe(reversals)
            expect(JSON.stringify(JSON.parse(row.state).state)).toBe(JSON.stringify(encodeState(tl.snapshots[k]!)))
            expect(JSON.parse(row.refs).creators).toEqual(created.filter(([, r]) => r >= from && r <= row.revision))
            reversalsSeen += JSON.parse(reversals).length
          }
          // The creators by binary search (time-travel.ts createdBetween) against the scan, ranges past the head and empty ones included.
          for (const [a, b] of ranges) expect(tl.dates.createdBetween(a, b)).toEqual(created.filter(([, r]) => r >= a && r <= b))
          creatorsSeen += created.length
        } finally {
          await store.close()
          db.remove()
        }
      }),
      { numRuns: 25 },
    )
    expect(reversalsSeen).toBeGreaterThan(0)
    expect(creatorsSeen).toBeGreaterThan(0)
  })

  it('given a fold that saves its snapshots in chunks as it goes, when a row cannot be made part-way through a chunk, then the rows before it are whole and readable, none after it is written, and the read answers; when none fails, all are', async () => {
    // Saved during the fold, a chunk per transaction, each chunk's rows made before its write
    // (docs/speed.md, "Rebuild, saved during the fold"): a saved prefix is derived data like any row.
    const { db, store } = await savedLedger(1)
    try {
      const joined = () =>
        store.database
          .prepare('SELECT s.revision, s.last_id, s.last_hash, s.segment, s.refs, s.state, r.reversals FROM snapshots s JOIN snapshot_reversals r USING (stream, every, revision) WHERE s.stream = ? ORDER BY s.revision')
          .all(STREAM)
      const counts = () => store.database.prepare('SELECT (SELECT count(*) FROM snapshots) AS rows, (SELECT count(*) FROM snapshot_reversals) AS reversals').get()
      const whole = joined() as Array<{ revision: number; state: string }>
      expect(whole.length).toBeGreaterThan(5)
      const rows = new SqliteSnapshots(store.database)
      rows.clear(STREAM)
      // The fourth row cannot be made (its last event cannot be looked up): the chunks of two are
      // rows 0–1, then 2–3, of which row 2 is made and written and row 3 is not.
      const failing = whole[3]!.revision
      const log = sqliteLookups(store.database)
      const at: typeof log.at = (stream, revision) => {
        if (revision === failing) throw new Error('the fourth row could not be made')
        return log.at(stream, revision)
      }
      const tl = await new BudgetYearSnapshots(store, { every: 1, journalInMemory: FEW, saveChunk: 2, persisted: { rows, log: { ...log, at } } }).sync(STREAM)
      expect(tl.count).toBe((await store.streamRevision(STREAM)) + 1)
      expect(joined()).toEqual(whole.slice(0, 3))
      expect(counts()).toEqual({ rows: 3, reversals: 3 })
      for (const r of whole.slice(0, 3)) expect(rows.state(STREAM, 1, r.revision, FOLD_VERSION)).toBe(r.state)
      // None fails: a rebuild in chunks writes every row, the same bytes as the writer's save of them all.
      const writer = new BudgetYearSnapshots(store, { every: 1, journalInMemory: FEW, saveChunk: 2 })
      const checkpointEvery = store.database.pragma('wal_autocheckpoint', { simple: true })
      await writer.rebuild(STREAM)
      // Checkpointed once after the rebuild, then the connection checkpoints as before.
      expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(checkpointEvery)
      expect(checkpointEvery).toBeGreaterThan(0)
      expect(counts()).toEqual({ rows: whole.length, reversals: whole.length })
      expect(joined()).toEqual(whole)
    } finally {
      await store.close()
      db.remove()
    }
  })
})

describe('persisted snapshots: saved without an fsync of their own', () => {
  it('given a writer whose commits fsync (synchronous=FULL), when it saves snapshots, or a save fails, then its next commits fsync again and the saved rows are read by another connection', async () => {
    const FULL = 2
    const { db, store } = await savedLedger()
    try {
      // The saves above ran at synchronous=NORMAL, for their own transaction alone.
      expect(store.database.pragma('synchronous', { simple: true })).toBe(FULL)
      const reader = new SqliteEventStore(db.path)
      try {
        expect(rowsOf(reader).length).toBe(rowsOf(store).length)
        expect(rowsOf(reader).length).toBeGreaterThan(0)
      } finally {
        await reader.close()
      }
      const bad = { ...rowsOf(store)[0]!, state: undefined } as never
      expect(() => new SqliteSnapshots(store.database).write(STREAM, 2, [bad])).toThrow()
      expect(store.database.pragma('synchronous', { simple: true })).toBe(FULL)
    } finally {
      await store.close()
      db.remove()
    }
  })
})

describe('persisted snapshots: the command line', () => {
  it('given a year in a file, when `snapshots rebuild --json` runs, then it prints per unit-year the events folded, the snapshots saved, the seconds and events/s of the fold and the save, and whether the read thread ran (a range this short never asks the gate); without --json, the same in words', async () => {
    const { db, store } = await savedLedger()
    const events = (await store.streamRevision(STREAM)) + 1
    await store.close()
    try {
      const year = ['--unit', TARGET.unit, '--year', String(TARGET.year)]
      const r = await cliProcess(['--db', db.path, 'snapshots', 'rebuild', ...year, '--json'])
      expect(r.code, r.stderr).toBe(0)
      const [one, ...more] = JSON.parse(r.stdout) as Array<{ stream: string; events: number; snapshots: number; seconds: number; foldSeconds: number; eventsPerSecond: number; readThread: unknown }>
      expect(more).toEqual([])
      expect(one).toMatchObject({ stream: STREAM, events, snapshots: 0, readThread: { ran: false, gate: null } })
      expect(one!.seconds).toBeGreaterThan(0)
      expect(one!.foldSeconds).toBeGreaterThan(0)
      expect(one!.foldSeconds).toBeLessThanOrEqual(one!.seconds)
      expect(one!.eventsPerSecond).toBe(Math.round(events / one!.seconds))
      const words = await cliProcess(['--db', db.path, 'snapshots', 'rebuild', ...year])
      expect(words.code, words.stderr).toBe(0)
      expect(words.stdout).toMatch(new RegExp(`${STREAM}.*${events} events, 0 snapshots saved in \\d+\\.\\d\\d s \\(\\d+ events/s\\)`))
    } finally {
      db.remove()
    }
  }, 60_000)

  it('given a year of a few thousand events recorded (snapshots saved as it crossed each 1000) and rebuilt, when a cold CLI process prints a table as of an instant, then it starts from the saved snapshot at or before that instant and folds fewer than 1000 events', async () => {
    const db = tempDb('ledger-persisted-cli-')
    const store = new SqliteEventStore(db.path)
    let clock = new Date('2021-03-01T02:00:00Z')
    const deps = ledgerDeps(store, { now: () => clock })
    try {
      const { importAt } = recorder(store)
      await importAt(clock.toISOString())
      for (let b = 0; b < 3; b++) {
        clock = new Date(Date.parse('2021-03-02T02:00:00Z') + b * DAY)
        const ctx = { reason: `批量支出 ${b}`, document: '文', effectiveDate: clock.toISOString().slice(0, 10) } as CommandContext
        const spend = (i: number): Command => cmd('RecordExpenditure', { line: i % 2 ? 'p01' : 'p02', amount: '1.00', economicCode: null, voucher: `V${b}-${i}`, threePublic: null, procurement: null })
        const r = await recordSteps(deps, TARGET, [{ ctx, commands: Array.from({ length: 1000 }, (_, i) => spend(i)) }], ACTOR)
        expect(E.isRight(r)).toBe(true)
      }
      // Each batch crossed a multiple of 1000: the process that appended saved that snapshot.
      expect(new SqliteSnapshots(store.database).count(STREAM, FOLD_VERSION)).toMatchObject({ current: 3, latest: 2999 })
    } finally {
      await store.close()
    }
    const rebuilt = await cliProcess(['--db', db.path, 'snapshots', 'rebuild', '--json'])
    expect(rebuilt.stderr + rebuilt.stdout).toContain('"snapshots": 3')
    const asOf = '2021-03-03T12:00:00+08:00'
    const table = await cliProcess(['--db', db.path, 'table', '3', '--unit', TARGET.unit, '--year', String(TARGET.year), '--as-of', asOf, '--format', 'json'], { LEDGER_FOLD_STATS: '1' })
    expect(table.code, table.stderr).toBe(0)
    const stats = JSON.parse(table.stderr.trim().split('\n').at(-1)!).foldStats[0]
    // The saved row at or before the last event recorded by then (revision 2000, the second batch's last).
    expect(stats.restoredFrom).toBe(1999)
    expect(stats.folded).toBeLessThan(1000)
    // The same table from a full replay of a file without snapshots.
    const plain = new SqliteEventStore(db.path)
    new SqliteSnapshots(plain.database).clear()
    await plain.close()
    const replayed = await cliProcess(['--db', db.path, 'table', '3', '--unit', TARGET.unit, '--year', String(TARGET.year), '--as-of', asOf, '--format', 'json'], { LEDGER_FOLD_STATS: '1' })
    expect(JSON.parse(replayed.stderr.trim().split('\n').at(-1)!).foldStats[0].restoredFrom).toBeNull()
    expect(table.stdout).toEqual(replayed.stdout)
    db.remove()
  }, 120_000)
})
