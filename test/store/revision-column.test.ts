import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { daysColumn, timesColumn } from '../../src/ledger/revision-column'

/** The as-of index's columns (src/ledger/revision-column.ts) read as the plain arrays they replaced. */
describe('a revision column', () => {
  it('given values pushed past its first capacity, then every revision reads back, and past the end reads undefined as an array does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 5000 }), (values) => {
        const column = daysColumn()
        for (const v of values) column.push(v)
        expect(column.length).toBe(values.length)
        expect(Array.from({ length: values.length + 2 }, (_, i) => column.at(i))).toEqual([...values, undefined, undefined])
        expect(column.at(-1)).toBeUndefined()
      }),
      { numRuns: 50 },
    )
  })

  it('given a column restored from segments, then it reads as their values end to end, keeps growing, and slices as a persisted segment is cut', () => {
    const segments = [Float64Array.from([1, 2, 3]), Float64Array.from([4.5, 5.5]), Float64Array.from([-Infinity])]
    const column = timesColumn()
    column.push(99)
    column.restore(segments)
    expect(Array.from({ length: 6 }, (_, i) => column.at(i))).toEqual([1, 2, 3, 4.5, 5.5, -Infinity])
    for (let i = 0; i < 3000; i++) column.push(i)
    expect(column.length).toBe(3006)
    expect(column.at(3005)).toBe(2999)
    expect(Array.from(column.slice(2, 4))).toEqual([3, 4.5, 5.5])
    expect(Array.from(column.slice(3004, 9999))).toEqual([2998, 2999])
  })

  it('given a revision set past the end, then the column grows to it, and a bad revision is refused', () => {
    const column = daysColumn()
    column.set(2000, 18_000)
    expect(column.length).toBe(2001)
    expect(column.at(2000)).toBe(18_000)
    expect(() => column.set(1.5, 1)).toThrow(/revision 1.5/)
    expect(() => column.set(-1, 1)).toThrow(/revision -1/)
  })
})
