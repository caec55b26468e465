import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CURRENT_VERSIONS, UPCASTERS, VERSIONED_TYPES } from '../../../src/domain/events/event-versions'
import { EVENT_CODECS, type EventType } from '../../../src/domain/events/events'
import { UnreadableEvent, readStoredEvent, upcast } from '../../../src/domain/events/stored-event'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { type ReplayEvent, portReader, sqliteReader } from '../../../src/ledger/read-path/stream-reader'
import { toDomainEvent } from '../../../src/ledger/fold/as-of/time-travel'
import type { NewEvent } from '../../../src/store/envelope'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { cli } from '../../support/shells/cli'
import { fixtureLedger } from '../../support/ledgers/fixture-ledger'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * Every stored event carries the schema version of its type (metadata.schemaVersion, inside the
 * hash); one stored without is version 1. Reading upcasts an older version to the current shape
 * (src/domain/events/event-versions.ts) and checks it with the current codec; the stored bytes never
 * change, so verify is untouched by it.
 */
const STREAM = 'budget-101065-2021'
const v1 = fixtureLedger('ledger-v1.json')

const stored = (path: string) => {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare('SELECT id, revision, type, metadata FROM events ORDER BY position').all() as Array<{ id: string; revision: number; type: EventType; metadata: string }>
  } finally {
    db.close()
  }
}

describe('writing stamps each event with its type\'s schema version', () => {
  let db: ReturnType<typeof tempDb>
  beforeEach(() => (db = tempDb('ledger-versions-')))
  afterEach(() => db.remove())

  it('given an empty ledger, when the sample and an adjustment are recorded through the CLI, then every stored event carries the current version of its type', async () => {
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    expect((await cli(['--db', db.path, 'add', '--line', 'p01', '--amount', '10.00', '--reason', '追加', '--document', '文〔2021〕1号', '--date', '2021-03-01'])).code).toBe(0)
    const rows = stored(db.path)
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['BudgetYearOpened', 'LineAllocated', 'EarmarkSet', 'UnitTargetsSet', 'ProjectTargetsSet', 'BudgetAdded']))
    for (const r of rows) expect({ type: r.type, version: JSON.parse(r.metadata).schemaVersion }).toEqual({ type: r.type, version: CURRENT_VERSIONS[r.type] })
    expect(JSON.parse(rows[0]!.metadata).schemaVersion).toBe(3)
    expect(JSON.parse(rows.at(-1)!.metadata).schemaVersion).toBe(1)
  })

  it('given a recorded event, when its stored schemaVersion is changed in the file, then verify names the event as altered: the version is covered by the hash chain', async () => {
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    const first = stored(db.path)[0]!
    const file = new Database(db.path)
    file.exec('DROP TRIGGER events_append_only_update')
    file.prepare("UPDATE events SET metadata = replace(metadata, '\"schemaVersion\":3', '\"schemaVersion\":1') WHERE id = ?").run(first.id)
    file.close()
    const r = await cli(['--db', db.path, 'verify'])
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain(first.id)
    expect(r.stdout + r.stderr).toContain('the event was altered')
  })
})

describe('the upcasters of the 决算 change (issue 13): version 1 → 2', () => {
  it('given the registry, then every type has an upcaster from each version below its current one, and only the three types issue 13 changed are past version 1', () => {
    expect([...VERSIONED_TYPES].sort()).toEqual(['BudgetYearOpened', 'LineAllocated', 'YearClosed'])
    for (const [type, current] of Object.entries(CURRENT_VERSIONS))
      for (let v = 1; v < current; v++) expect({ type, v, upcaster: typeof UPCASTERS[type as EventType]?.[v] }).toEqual({ type, v, upcaster: 'function' })
    expect(Object.keys(EVENT_CODECS).length === 0 && [...EVENT_CODECS.keys()].sort()).toEqual(Object.keys(CURRENT_VERSIONS).sort())
  })

  it('given each version-1 payload of those types recorded before issue 13, when it is upcast, then it is unchanged (the additions were optional) and the current codec decodes it', () => {
    const old = v1.rows.filter((r) => VERSIONED_TYPES.has(r.type))
    expect(new Set(old.map((r) => r.type))).toEqual(VERSIONED_TYPES)
    for (const r of old) {
      const data = JSON.parse(r.data)
      const up = upcast(r.type, 1, data)
      expect(up).toEqual(JSON.parse(r.data))
      expect(E.isRight(EVENT_CODECS.get(r.type as EventType)!.decode(up)), `${r.type} ${r.id}`).toBe(true)
      expect(readStoredEvent({ id: r.id, revision: r.revision, type: r.type, data }, undefined).event).toEqual({ type: r.type, data: JSON.parse(r.data) })
    }
  })

  it('given a version-2 shape stored without a version (recorded by main after issue 13, before versions), when it is read as version 1, then the upcast keeps 收回 and its notice', () => {
    const close = fixtureLedger('ledger-main-6ac49bd.json').rows.find((r) => r.type === 'YearClosed')!
    const data = JSON.parse(close.data) as { recoveryNotice?: string; lines: Array<{ recovered?: string }> }
    expect(data.recoveryNotice).toBeDefined()
    const read = readStoredEvent({ id: close.id, revision: close.revision, type: close.type, data }, undefined)
    expect(read.event.data).toEqual(JSON.parse(close.data))
  })
})

describe('reading refuses what it cannot read, naming the event', () => {
  it('given an event written by a newer version than this code knows, when it is read, then the error names the event, its type and version', () => {
    expect(() => readStoredEvent({ id: 'e-new', revision: 0, type: 'LineAllocated', data: {} }, 3)).toThrow(UnreadableEvent)
    expect(() => readStoredEvent({ id: 'e-new', revision: 0, type: 'LineAllocated', data: {} }, 3)).toThrow(/event e-new \(LineAllocated version 3\).*knows LineAllocated up to version 2.*newer budget-ledger/)
    expect(() => readStoredEvent({ id: 'e-odd', revision: 0, type: 'YearClosed', data: { lines: [] } }, 'two')).toThrow(/schemaVersion must be a whole number/)
  })

  describe('through every reader of a real SQLite file', () => {
    let db: ReturnType<typeof tempDb>
    let store: SqliteEventStore
    const meta = (schemaVersion?: number) => ({
      recordedAt: '2021-03-01T02:00:00.000Z',
      effectiveDate: '2021-03-01',
      actor: 't',
      role: 'finance',
      reason: 'r',
      document: null,
      ...(schemaVersion === undefined ? {} : { schemaVersion }),
    })
    const opened = v1.rows[0]!
    const line = (id: string, line: string, schemaVersion?: number, extra: Record<string, unknown> = {}): NewEvent => ({
      id,
      type: 'LineAllocated',
      data: { line, kind: 'basic', basicCategory: null, projectName: null, functionCode: '2150502', economicCode: null, fundSource: 'general.appropriation', amount: '100.00', ...extra },
      metadata: meta(schemaVersion),
    })
    beforeEach(async () => {
      db = tempDb('ledger-versions-')
      store = new SqliteEventStore(db.path)
      await store.append(STREAM, [{ id: 'open', type: opened.type, data: JSON.parse(opened.data), metadata: meta() }, line('a', 'a'), line('b', 'b', 2)], 'no_stream')
    })
    afterEach(async () => {
      await store.close()
      db.remove()
    })
    const readers = () => ({
      port: portReader(store),
      sqlite: sqliteReader(store.database),
    })
    const fold = async (reader: ReturnType<typeof portReader>) => {
      const out: ReplayEvent[] = []
      await reader.range(STREAM, 0, 100, (e) => out.push(e))
      return out.map(toDomainEvent)
    }

    it('given version-1 and version-2 allocations, when each reader replays the stream, then each carries the stored version and all fold the same events', async () => {
      const byReader = await Promise.all(Object.values(readers()).map(fold))
      for (const events of byReader) expect(events.map((e) => e.event.type)).toEqual(['BudgetYearOpened', 'LineAllocated', 'LineAllocated'])
      expect(byReader[1]).toEqual(byReader[0])
      const versions = await Promise.all(
        Object.values(readers()).map(async (r) => {
          const out: ReplayEvent[] = []
          await r.range(STREAM, 0, 100, (e) => out.push(e))
          return out.map((e) => e.schemaVersion ?? 1)
        }),
      )
      expect(versions).toEqual([[1, 1, 2], [1, 1, 2]])
    })

    it('given a version-1 allocation whose upcast the current codec refuses, when the year is read by any reader, then the error names the event and the field', async () => {
      await store.append(STREAM, [line('bad', 'c', undefined, { amount: '12,5' })], 2)
      await expect(loadBudgetYear(store, '101065', 2021)).rejects.toThrow(/event bad \(LineAllocated version 1\).*data\.amount/)
      for (const [name, reader] of Object.entries(readers())) await expect(fold(reader), name).rejects.toThrow(/event bad \(LineAllocated version 1\).*data\.amount/)
      const some: ReplayEvent[] = []
      await sqliteReader(store.database).some(STREAM, [3], (e) => some.push(e))
      expect(() => some.map(toDomainEvent)).toThrow(/event bad/)
    })

    it('given an event of the current version, when it is read, then it is passed through as stored (it was checked when decided)', async () => {
      // A field the codec does not know: version 2 is not checked again, version 1 would be.
      await store.append(STREAM, [line('current', 'd', 2, { note: '不在编码中' })], 2)
      const { state } = await loadBudgetYear(store, '101065', 2021)
      expect(state.lines.has('d')).toBe(true)
      await store.append(STREAM, [line('old', 'e', 1, { note: '不在编码中' })], 3)
      await expect(loadBudgetYear(store, '101065', 2021)).rejects.toThrow(/event old \(LineAllocated version 1\).*data\.note: no such field/)
    })
  })
})
