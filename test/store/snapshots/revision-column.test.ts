import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { daysColumn, timesColumn } from '../../../src/ledger/fold/as-of/revision-column'

/** The as-of index's columns (src/ledger/fold/as-of/revision-column.ts) read as the plain arrays they replaced. */
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

  it('given a column restored from the raw bytes of persisted segments (at any offset in their buffer), then it reads their values, and a part that is not whole values is refused', () => {
    const times = Float64Array.from([1.5, 2.5, 3.5, 4.5])
    const days = Int32Array.from([20210301, 20210102, 20210405])
    // A row as the store keeps it: times then days, the days not at an 8-byte boundary of the row's own buffer.
    const row = Buffer.concat([Buffer.from([7]), Buffer.from(times.buffer), Buffer.from(days.buffer)]).subarray(1)
    const recorded = timesColumn()
    recorded.restore([row.subarray(0, 16), row.subarray(16, 32)])
    expect(Array.from({ length: 5 }, (_, i) => recorded.at(i))).toEqual([1.5, 2.5, 3.5, 4.5, undefined])
    const business = daysColumn()
    business.restore([row.subarray(32)])
    expect(Array.from(business.slice(0, 2))).toEqual([20210301, 20210102, 20210405])
    expect(() => business.restore([row.subarray(32, 38)])).toThrow(/6 bytes/)
  })

  it('given a restored column turned into its running maximum, then each revision reads the largest value up to it', () => {
    const column = daysColumn()
    column.restore([Int32Array.from([20210301, 20210102, 20210405, 20210404, 20210501])])
    column.runningMax()
    expect(Array.from(column.slice(0, 4))).toEqual([20210301, 20210301, 20210405, 20210405, 20210501])
  })
})
