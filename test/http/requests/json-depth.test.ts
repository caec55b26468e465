import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../../src/http/requests/bounds'

/** The walk as it was written before (an explicit stack of pairs, Object.values): the oracle. */
const before = (value: unknown, max: number): boolean => {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
  return false
}

const nested = (depth: number, inArray: boolean): unknown => {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = inArray && i % 2 ? [0, v] : { a: 'x', b: v }
  return v
}

describe('the body depth bound (bounds.ts): the same answers as the walk with a stack of pairs', () => {
  it('given generated JSON texts parsed and bounds from 0 to 6, then it answers as the old walk did', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), fc.integer({ min: 0, max: 6 }), (text, max) => {
        const v: unknown = JSON.parse(text)
        expect(jsonDepthExceeds(v, max)).toBe(before(v, max))
      }),
      { numRuns: 3000 },
    )
  })

  it('given values nested exactly at the bound and one past it (objects, arrays, a __proto__ key), then only the deeper is refused', () => {
    for (const inArray of [false, true]) {
      expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH, inArray), MAX_JSON_DEPTH)).toBe(false)
      expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1, inArray), MAX_JSON_DEPTH)).toBe(true)
    }
    const protoKey = JSON.parse(`{"__proto__": ${JSON.stringify(nested(3, false))}}`)
    expect(jsonDepthExceeds(protoKey, 3)).toBe(true)
    expect(jsonDepthExceeds(protoKey, 4)).toBe(false)
    // A body nested far deeper than the bound ends at the bound, not at the stack's end.
    expect(jsonDepthExceeds(nested(200_000, true), MAX_JSON_DEPTH)).toBe(true)
  })
})
