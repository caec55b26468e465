import { describe, expect, it } from 'vitest'
import { loadFigures } from '../../scripts/bench/load/http-load'
import { alternatingOrder, pairShare, shareSummary } from '../../scripts/bench/load/interleaved'

/**
 * The bench's GET share is taken in alternating pairs of windows (scripts/bench/measures/server.ts):
 * the pure pieces that decide the order, the share of a pair, the pairs' median and range, and how
 * a side's windows pool (what the table says of them: bench-report.test.ts).
 */
describe('interleaved windows', () => {
  it('given two sides and three pairs, then the order is reversed every pair: ABBAAB', () => {
    expect(alternatingOrder(['ours', 'ceiling'], 3)).toEqual([
      ['ours', 'ceiling'],
      ['ceiling', 'ours'],
      ['ours', 'ceiling'],
    ])
    expect(alternatingOrder(['ours', 'ceiling'], 4).flat().join(' ')).toBe('ours ceiling ceiling ours ours ceiling ceiling ours')
  })

  it('given three sides, then odd rounds run them backwards and every side is loaded once a round', () => {
    const orders = alternatingOrder(['A', 'B', 'C'], 2)
    expect(orders).toEqual([
      ['A', 'B', 'C'],
      ['C', 'B', 'A'],
    ])
  })

  it('does not reverse the sides it was given', () => {
    const sides = ['A', 'B'] as const
    alternatingOrder(sides, 2)
    expect(sides).toEqual(['A', 'B'])
  })

  it('given no rounds, a fractional count or no sides, then it refuses naming what', () => {
    expect(() => alternatingOrder(['A', 'B'], 0)).toThrow('alternatingOrder: rounds must be a positive integer, got 0')
    expect(() => alternatingOrder(['A', 'B'], 1.5)).toThrow('rounds must be a positive integer, got 1.5')
    expect(() => alternatingOrder([], 3)).toThrow('alternatingOrder: no sides to order')
  })

  it('a pair\'s share is ours\' rate as a percentage of the ceiling\'s; a ceiling that served nothing is refused', () => {
    expect(pairShare(19_000, 20_000)).toBe(95)
    expect(pairShare(25_000, 20_000)).toBe(125)
    expect(() => pairShare(100, 0)).toThrow('pairShare: expected rates ours ≥ 0 and ceiling > 0, got 100 and 0')
    expect(() => pairShare(Number.NaN, 10)).toThrow('got NaN and 10')
  })

  it('the pairs\' summary is their median (the bench\'s: nearest rank) and their range, whatever their order', () => {
    expect(shareSummary([88, 79, 84])).toEqual({ median: 84, low: 79, high: 88, pairs: 3 })
    expect(shareSummary([90, 70, 110, 80, 100, 60, 95, 85, 75])).toEqual({ median: 85, low: 60, high: 110, pairs: 9 })
    // One wild pair moves the range, not the median.
    expect(shareSummary([84, 86, 20]).median).toBe(84)
    expect(() => shareSummary([])).toThrow('shareSummary: no pairs were measured')
  })

  it('windows of the same server pool into one figure: every request over all loaded time, quantiles of every latency', () => {
    const pooled = loadFigures([
      { latencies: [1, 2, 3], seconds: 1, failed: 0 },
      { latencies: [10, 4, 5, 6, 7, 8, 9], seconds: 4, failed: 2 },
    ])
    expect(pooled).toEqual({ requests: 10, perSecond: 2, p50Ms: 5, p99Ms: 10, failed: 2 })
  })
})
