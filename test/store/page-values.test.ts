import { describe, expect, it } from 'vitest'
import { PageValuesBuilder, PageValuesReader, valuesBuffers } from '../../src/ledger/page-values'
import { TextColumnBuilder, textAt } from '../../src/ledger/text-column'

/**
 * The values of a page (src/ledger/page-values.ts) and its recording times (text-column.ts) cross to
 * the folding thread as texts and typed arrays: after a real structured clone, every value must come
 * back as it went, in order, whatever its kind, length or script.
 */
const across = (values: unknown[], capacity = 4): unknown[] => {
  const b = new PageValuesBuilder(capacity)
  for (const v of values) b.value(v)
  const sent = b.values()
  const count = sent.codes!.length
  const reader = new PageValuesReader(structuredClone(sent, { transfer: valuesBuffers(sent) }))
  const out = Array.from({ length: count }, () => reader.next())
  expect(() => reader.next()).toThrow(/invariant: a page's values hold/)
  return out
}

const expectSame = (got: unknown[], want: unknown[]) => {
  expect(got).toHaveLength(want.length)
  got.forEach((v, i) => expect(Object.is(v, want[i]), `value ${i}: ${String(v)} for ${String(want[i])}`).toBe(true))
}

describe("a page's values as one column", () => {
  it('given strings either side of 13 characters, empty ones, wide and narrow ones mixed, numbers (-0 too), null, true and false, past the column’s first capacity, when sent across, then each comes back as it went, in order', () => {
    const values: unknown[] = []
    for (let i = 0; i < 300; i++)
      values.push(`e-${i}`, 'x'.repeat(i % 16), `项目${i % 7}`, `长的值 ${'字'.repeat(i % 14)}`, i % 5 === 0 ? null : i % 5 === 1, i / 7, -0, '', '😀', 'abcdefghijkl', 'abcdefghijklm')
    expectSame(across(values), values)
    expectSame(across([]), [])
  })

  it('given short strings, then they cross as the characters of one text and codes, wide ones apart; long ones and numbers cross whole', () => {
    const b = new PageValuesBuilder(2)
    const text = '{"line":"p1","note":"项目"}'
    b.slice(text, 9, 11)
    b.slice(text, 21, 23)
    for (const v of ['980.02', 'V100', 'abcdefghijklm', 7, null, false]) b.value(v)
    const sent = b.values()
    expect(sent.narrow).toBe('p1980.02V100')
    expect(sent.wide).toBe('项目')
    expect(sent.elements).toEqual(['abcdefghijklm', 7])
  })
})

describe('a page read on the thread that folds it', () => {
  it('given any values and times, when written for this thread, then they are kept as they are and read back in order', () => {
    const values = ['e-1', 'abcdefghijklm', '项目', null, true, false, 0.5, '']
    const b = new PageValuesBuilder(1, false)
    b.slice('{"line":"p1"}', 9, 11)
    for (const v of values) b.value(v)
    const sent = b.values()
    expect(sent.codes).toBeUndefined()
    expect(sent.elements).toEqual(['p1', ...values])
    const reader = new PageValuesReader(sent)
    expectSame(Array.from({ length: values.length + 1 }, () => reader.next()), ['p1', ...values])
    expect(() => reader.next()).toThrow(/invariant: a page's values hold 9, value 10 was asked for/)
    const times = new TextColumnBuilder(2, false)
    times.push('2021-03-01T00:00:00.000Z')
    times.push('2021-03-01T00:00:01Z')
    const column = times.column()
    expect([textAt(column, 0), textAt(column, 1)]).toEqual(['2021-03-01T00:00:00.000Z', '2021-03-01T00:00:01Z'])
    expect(column.text).toBe('')
  })
})

describe("a page's recording times as one text", () => {
  it('given times of several lengths (and none), when sent across, then each comes back as it went', () => {
    const times = ['2021-03-01T00:00:00.000Z', '2021-03-01T00:00:01Z', '', '2021-03-01T00:00:02.123Z', '时间']
    const b = new TextColumnBuilder(times.length)
    for (const t of times) b.push(t)
    const column = b.column()
    const got = structuredClone(column, { transfer: [column.ends.buffer as ArrayBuffer] })
    expect(times.map((_, i) => textAt(got, i))).toEqual(times)
    expect(got.text).toBe(times.join(''))
  })
})
