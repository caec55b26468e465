import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lastReversalIn, reversalsMap } from '../../../src/ledger/fold/snapshots/stored-reversals'

/**
 * A cold read answers its few lookups of reversals by searching the rows' text (lastReversalIn)
 * instead of parsing every row into a map: each answer must be the map's, for ids reversed once,
 * again in a later row, again in the same row, never, or spelled as a prefix of another
 * ("bench-6" inside "bench-65") or with characters JSON escapes.
 */
const ids = fc.constantFrom('bench-6', 'bench-65', 'bench-650', 'e-"quoted"', 'e\\back', '中文', 'x')
const rowsOf = fc.array(fc.array(fc.tuple(ids, fc.nat(1_000_000)), { maxLength: 6 }), { maxLength: 8 }).map((rows) => rows.map((pairs) => JSON.stringify(pairs)))

describe('reversals as the persisted rows keep them', () => {
  it('given rows of [id, revision] pairs, when any id is looked up by searching their text, then the answer is the map of all rows', () => {
    fc.assert(
      fc.property(rowsOf, ids, (rows, id) => {
        expect(lastReversalIn(rows, id)).toBe(reversalsMap(rows).get(id))
      }),
      { numRuns: 3000 },
    )
  })

  it('given an id reversed in two rows and twice in the last, when looked up, then it is the last pair of the last row naming it; a prefix of it is not it', () => {
    const rows = [JSON.stringify([['bench-65', 10]]), JSON.stringify([['bench-650', 20]]), JSON.stringify([['bench-65', 30], ['bench-65', 31], ['bench-6', 32]])]
    expect(lastReversalIn(rows, 'bench-65')).toBe(31)
    expect(lastReversalIn(rows, 'bench-650')).toBe(20)
    expect(lastReversalIn(rows, 'bench-6')).toBe(32)
    expect(lastReversalIn(rows, 'bench-')).toBeUndefined()
    expect(lastReversalIn([], 'bench-65')).toBeUndefined()
  })
})
