import { describe, expect, it } from 'vitest'
import { eachEvent, pageBuffers, toEventPage } from '../../../src/ledger/read-path/event-page'
import type { ReplayEvent } from '../../../src/ledger/read-path/stream-reader'
import { toDomainEvent } from '../../../src/ledger/fold/as-of/time-travel'

/**
 * A page of events crosses from the read thread by column (src/ledger/read-path/event-page.ts): after a
 * structured clone, the folding thread must get back exactly the events the reader gave, in order,
 * a stored schema version only where there was one.
 */
const event = (revision: number, type: string, effectiveDate: string, schemaVersion?: number): ReplayEvent => ({
  revision,
  id: `e-${revision}`,
  type,
  data: { line: `p${revision % 3}`, amount: `${revision}.10`, note: revision % 2 ? null : '引号 " 反斜杠 \\' },
  // An odd recording time now and then: one Date.parse cannot read crosses as NaN.
  recordedMs: revision % 5 === 4 ? NaN : Date.UTC(2021, 2, 1, 0, 0, revision),
  effectiveDate,
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
})

const across = (events: ReplayEvent[], typeOf: (t: string) => string = (t) => t): ReplayEvent[] => {
  const page = toEventPage(events)
  const received = structuredClone(page, { transfer: pageBuffers(page) })
  const out: ReplayEvent[] = []
  eachEvent(received, typeOf, (e) => out.push(e))
  return out
}

describe('a page of events by column', () => {
  it('given events of several types and dates with stored versions first, amid and last, when sent across and rebuilt, then they equal the events sent, in order', () => {
    const events = [
      event(40, 'LineAllocated', '2021-03-01', 1),
      event(41, 'BudgetAdded', '2021-03-01'),
      event(42, 'ExpenditureRecorded', '2021-03-02'),
      event(43, 'LineAllocated', '2021-03-01', 2),
      event(44, 'SomethingNotYetKnown', '2021-03-05'),
      event(45, 'BudgetAdded', '2021-03-02'),
      event(46, 'LineAllocated', '2021-03-02', 1),
    ]
    const out = across(events)
    expect(out).toEqual(events)
    expect(out.map((e) => 'schemaVersion' in e)).toEqual([true, false, false, true, false, false, true])
    const page = toEventPage(events)
    expect(page.types).toEqual(['LineAllocated', 'BudgetAdded', 'ExpenditureRecorded', 'SomethingNotYetKnown'])
    expect(page.dates).toEqual(['2021-03-01', '2021-03-02', '2021-03-05'])
  })

  it('given payloads of every kind (flat of several shapes, nested, an array, null, a number, an own "__proto__" key, index keys), when sent across and rebuilt, then each equals its payload, keys in the same order, prototypes untouched', () => {
    const payloads: unknown[] = [
      { line: 'p1', amount: '980.02', economicCode: null, voucher: 'V1', threePublic: false, count: 3 },
      { unit: { code: '990001', name: '基准测试单位' }, year: 2021, previousYear: {} },
      { line: 'p2', amount: '1.00', economicCode: '30201', voucher: 'V2', threePublic: true, count: -0.5 },
      ['not', 'an', 'object'],
      null,
      42,
      JSON.parse('{"__proto__":"own","line":"p3"}'),
      { 10: 'ten', 2: 'two', amount: '3.00', 'with,comma': 'x' },
      { amount: '4.00', line: 'p4' },
      { line: 'p5', amount: '5.00', category: 'ordinary' },
      {},
    ]
    const events = payloads.map((data, i) => ({ ...event(i, 'BudgetAdded', '2021-03-01'), data }))
    const out = across(events)
    expect(out).toEqual(events)
    // toEqual ignores key order; the text does not.
    expect(out.map((e) => JSON.stringify(e.data))).toEqual(payloads.map((d) => JSON.stringify(d)))
    expect(Object.getPrototypeOf(out[6]!.data)).toBe(Object.prototype)
    expect(Object.keys(out[6]!.data as object)).toEqual(['__proto__', 'line'])
    const page = toEventPage(events)
    // The flat ones by shape (the first and third share one; key order makes a shape of its own); the rest whole.
    expect(page.shapes).toHaveLength(5)
    expect(page.shapeOf[0]).toBe(page.shapeOf[2])
    expect(Array.from(page.shapeOf).filter((s) => s === -1)).toHaveLength(5)
    expect(page.whole).toHaveLength(5)
  })

  it('given a type mapping, when rebuilt, then each type is mapped once per page and every event carries the mapped type', () => {
    const asked: string[] = []
    const out = across([event(0, 'BudgetAdded', '2021-03-01'), event(1, 'BudgetAdded', '2021-03-01'), event(2, 'EarmarkSet', '2021-03-01')], (t) => {
      asked.push(t)
      return t.toUpperCase()
    })
    expect(asked).toEqual(['BudgetAdded', 'EarmarkSet'])
    expect(out.map((e) => e.type)).toEqual(['BUDGETADDED', 'BUDGETADDED', 'EARMARKSET'])
  })

  it('given rebuilt events, when read for the fold, then one of a type that never had a second version is its own domain event, and the others are read as stored events are', () => {
    const sent = [
      event(0, 'BudgetAdded', '2021-03-01'),
      event(1, 'LineAllocated', '2021-03-01', 2),
      { ...event(2, 'LineAllocated', '2021-03-01'), data: { line: 'n2', kind: 'basic', basicCategory: null, projectName: null, functionCode: '2150502', economicCode: null, fundSource: 'general.appropriation', amount: '100.00' } },
      event(3, 'SomethingNotYetKnown', '2021-03-05'),
    ]
    const out = across(sent)
    const read = out.map(toDomainEvent)
    // No object made: the fold's event is the page's event, with its id, revision, type and payload.
    expect(read[0]).toBe(out[0])
    expect(read[0]!.event).toBe(out[0])
    expect(read[0]).toMatchObject({ id: 'e-0', revision: 0, event: { type: 'BudgetAdded', data: sent[0]!.data } })
    expect(read[3]!.event).toBe(out[3])
    // A versioned type goes through readStoredEvent: at its current version as stored, without one upcast from version 1 and decoded.
    expect(read[1]!.event).not.toBe(out[1])
    expect(read[1]).toEqual({ id: 'e-1', revision: 1, event: { type: 'LineAllocated', data: sent[1]!.data } })
    expect(read[2]!.event).not.toBe(out[2])
    expect(read[2]).toEqual({ id: 'e-2', revision: 2, event: { type: 'LineAllocated', data: sent[2]!.data } })
  })

  it('given no events, when sent across, then nothing is rebuilt; given more than 16-bit indexes reach, then the page is refused', () => {
    expect(across([])).toEqual([])
    const many = Array.from({ length: 65_537 }, (_, i) => event(i, 'BudgetAdded', '2021-03-01'))
    expect(() => toEventPage(many)).toThrow(/at most 65,536 events, got 65537/)
  })
})
