import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { ownClaimStream } from '../../../src/domain/budget-file/department-own'
import { ledgerDeps } from '../../../src/ledger/deps'
import { importBudgetFile } from '../../../src/ledger/recording/import-file'
import { timeOrderedUUID } from '../../../src/random-uuid'
import { MemoryEventStore } from '../../../src/store/memory'
import { DEPARTMENT, FILES } from '../../support/years/department'

/**
 * Event ids are time-ordered UUIDs (version 7, RFC 9562) so that a group commit's ids land together
 * at the end of the events table's UNIQUE id index (src/random-uuid.ts; docs/speed.md, "Writes, CPU
 * a command"). What that needs: the id starts with its milliseconds, so ids of later milliseconds
 * sort after earlier ones as text (SQLite's TEXT order, byte order here: all lower-case hex and dashes).
 */
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const msOf = (id: string): number => parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
const MAX_MS = 2 ** 48 - 1

describe('timeOrderedUUID (src/random-uuid.ts)', () => {
  it('given milliseconds at the edges of its 48 bits and of their 32-bit halves, then the id is a version-7 UUID whose first 12 hex digits are those milliseconds', () => {
    for (const ms of [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, 1_795_000_000_123, MAX_MS]) {
      const id = timeOrderedUUID(ms)
      expect(id).toMatch(V7)
      expect(msOf(id)).toBe(ms)
      expect(id.slice(0, 13)).toBe(ms.toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-'))
    }
  })

  it('given any two milliseconds, then the id of the earlier sorts first as text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MS }), fc.integer({ min: 0, max: MAX_MS }), (a, b) => {
        fc.pre(a !== b)
        const [x, y] = [timeOrderedUUID(a), timeOrderedUUID(b)]
        expect(x < y).toBe(a < b)
      }),
      { numRuns: 2000 },
    )
  })

  it('given 1,000 ids of one millisecond (past several refills of the pool), then all differ, and the digits after the version are random', () => {
    const ids = Array.from({ length: 1000 }, () => timeOrderedUUID(1_795_000_000_123))
    for (const id of ids) expect(id).toMatch(V7)
    expect(new Set(ids).size).toBe(ids.length)
    for (const at of [15, 17, 20, 24, 35]) expect(new Set(ids.map((id) => id[at])).size).toBe(16)
  })

  it('given a time before 1970 or past 48 bits (a test clock can say either), then the id is still a version-7 UUID, stamped at the nearer end', () => {
    for (const [ms, stamped] of [[-1, 0], [Date.parse('1960-01-01T00:00:00Z'), 0], [MAX_MS + 1, MAX_MS], [8.64e15, MAX_MS]] as const) {
      const id = timeOrderedUUID(ms)
      expect(id).toMatch(V7)
      expect(msOf(id)).toBe(stamped)
    }
  })
})

describe('the ledger stamps event ids with the recording clock (deps.ts)', () => {
  const actor = { name: 'tester', role: 'admin' }
  /** A clock that moves 7 ms at every reading, far from the machine's: an id stamped by any other clock, or read at another moment, differs. */
  const tickingClock = (from: string) => {
    let at = Date.parse(from)
    return () => new Date((at += 7))
  }

  it('given an injected clock, when a 本级 opening is imported (its claim included), then every event id is a version-7 UUID of the millisecond its recordedAt says, and the ids of one instant all differ', async () => {
    const store = new MemoryEventStore()
    const imported = await importBudgetFile(ledgerDeps(store, { now: tickingClock('2021-02-02T04:00:00.123Z') }), FILES[0], actor)
    expect(E.isRight(imported)).toBe(true)
    const events = await store.readAll()
    expect(events.length).toBeGreaterThan(2)
    expect(events.map((e) => e.stream)).toContain(ownClaimStream(DEPARTMENT.code, 2021))
    for (const e of events) {
      expect(e.id).toMatch(V7)
      expect(msOf(e.id)).toBe(Date.parse(e.metadata.recordedAt))
    }
    const instants = new Set(events.map((e) => e.metadata.recordedAt))
    expect(instants.size).toBeLessThan(events.length) // several events of one instant: the random bits keep them apart
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
  })

  it('given the default clock, then each new event id is stamped with the millisecond it is given, later ones sorting after earlier ones', () => {
    const deps = ledgerDeps(new MemoryEventStore())
    const now = deps.now().getTime()
    const [first, second] = [deps.newId(now), deps.newId(now + 3)]
    for (const id of [first, second]) expect(id).toMatch(V7)
    expect([msOf(first), msOf(second)]).toEqual([now, now + 3])
    expect(first < second).toBe(true)
  })
})
