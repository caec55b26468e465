import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ledgerDeps } from '../../../src/ledger/deps'
import { timeOrderedUUID } from '../../../src/random-uuid'
import { MemoryEventStore } from '../../../src/store/memory'

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

  it('given no time, then it stamps the clock of now', () => {
    const before = Date.now()
    const id = timeOrderedUUID()
    expect(msOf(id)).toBeGreaterThanOrEqual(before)
    expect(msOf(id)).toBeLessThanOrEqual(Date.now())
  })
})

describe('the ledger mints event ids time-ordered', () => {
  it('given the default deps, then each new event id is a version-7 UUID of now, later ones sorting after earlier ones', async () => {
    const deps = ledgerDeps(new MemoryEventStore())
    const before = Date.now()
    const first = deps.newId()
    await new Promise((r) => setTimeout(r, 3))
    const second = deps.newId()
    for (const id of [first, second]) {
      expect(id).toMatch(V7)
      expect(msOf(id)).toBeGreaterThanOrEqual(before)
      expect(msOf(id)).toBeLessThanOrEqual(Date.now())
    }
    expect(first < second).toBe(true)
  })
})
