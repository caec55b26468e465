import { describe, expect, it } from 'vitest'
import { type CpuTimes, coreIdleBetween, cpuTimes, gateBetween } from '../../../src/ledger/read-path/core-idle'

/** Two samples `ms` apart on `cores` cores, of which `busy` cores' worth was busy in between. */
const window = (cores: number, busy: number, ms = 50): [CpuTimes, CpuTimes] => {
  const before = { idle: 1_000_000, total: 5_000_000 }
  return [before, { idle: before.idle + (cores - busy) * ms, total: before.total + cores * ms }]
}

describe('the read thread’s gate: a core idle now, from the machine’s CPU time over a short window', () => {
  it('given two cores and other work below half a core, then the thread may run; at half a core or more, not', () => {
    expect(coreIdleBetween(...window(2, 0), 2, 2)).toBe(true)
    expect(coreIdleBetween(...window(2, 0.4), 2, 2)).toBe(true)
    expect(coreIdleBetween(...window(2, 0.5), 2, 2)).toBe(false)
    expect(coreIdleBetween(...window(2, 1.8), 2, 2)).toBe(false)
  })

  it('given eight cores, then the thread runs while a core is left beside the folding one, and only as far as this process may use cores', () => {
    expect(coreIdleBetween(...window(8, 6), 8, 8)).toBe(true)
    expect(coreIdleBetween(...window(8, 7), 8, 8)).toBe(false)
    // A process allowed two of the host's eight cores: other work on the host must stay below half a core.
    expect(coreIdleBetween(...window(8, 1), 8, 2)).toBe(false)
    expect(coreIdleBetween(...window(8, 0.25), 8, 2)).toBe(true)
  })

  it('given no ticks between the samples, or a single core, then it cannot tell, and reads on the folding thread', () => {
    const [a] = window(2, 0)
    expect(coreIdleBetween(a, a, 2, 2)).toBe(false)
    expect(coreIdleBetween(...window(1, 0), 1, 1)).toBe(false)
    expect(coreIdleBetween(...window(2, 0), 2, 1)).toBe(false)
  })

  it('gives the figure it decided on: the busy cores of the window and the most that leaves a core for the thread; none when no tick fell in it', () => {
    expect(gateBetween(...window(2, 0.25), 2, 2)).toEqual({ idle: true, busyCores: 0.25, limit: 0.5 })
    expect(gateBetween(...window(2, 1.5), 2, 2)).toEqual({ idle: false, busyCores: 1.5, limit: 0.5 })
    expect(gateBetween(...window(8, 1), 8, 2)).toEqual({ idle: false, busyCores: 1, limit: 0.5 })
    const [a] = window(2, 0)
    expect(gateBetween(a, a, 2, 2)).toEqual({ idle: false, busyCores: null, limit: 0.5 })
    expect(gateBetween(...window(2, 0), 2, 1)).toEqual({ idle: false, busyCores: 0, limit: -0.5 })
  })

  it('given this machine, when it is sampled around a busy loop, then its CPU time grows and the idle part never exceeds the whole', () => {
    const before = cpuTimes()
    const until = Date.now() + 120
    let spin = 0
    while (Date.now() < until) spin++
    const after = cpuTimes()
    expect(spin).toBeGreaterThan(0)
    expect(after.total).toBeGreaterThan(before.total)
    expect(after.idle - before.idle).toBeLessThanOrEqual(after.total - before.total)
  })
})
