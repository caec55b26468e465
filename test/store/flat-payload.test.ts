import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainKeys, scanFlat } from '../../src/ledger/flat-payload'

/**
 * A flat payload's values read from its stored text (src/ledger/flat-payload.ts) must be exactly
 * JSON.parse's, and anything that is not the plain form JSON.stringify writes must be left to
 * JSON.parse (false, nothing appended), so that a damaged text is still named by it.
 */
const scanned = (text: string, keys: ReadonlyArray<string>): unknown[] | false => {
  const out: unknown[] = ['before']
  if (!scanFlat(text, keys, out)) {
    expect(out).toEqual(['before'])
    return false
  }
  return out.slice(1)
}

/** What JSON.parse gives: the values in key order (Object.is, so -0 stays -0). */
const parsedValues = (text: string): unknown[] => Object.values(JSON.parse(text) as object)

const expectSame = (text: string) => {
  const keys = Object.keys(JSON.parse(text) as object)
  const values = scanned(text, keys)
  expect(values, text).not.toBe(false)
  const want = parsedValues(text)
  expect((values as unknown[]).length).toBe(want.length)
  ;(values as unknown[]).forEach((v, i) => expect(Object.is(v, want[i]), `${text} value ${i}`).toBe(true))
}

describe('a flat payload read from its text', () => {
  it('given the texts JSON.stringify writes (strings of any script, empty ones, numbers of every form, true, false, null, index keys, no keys), when read against their keys, then the values are JSON.parse’s', () => {
    for (const text of [
      '{"line":"p6","amount":"814.93","economicCode":null,"voucher":"V500000","threePublic":null,"procurement":null}',
      '{"unitName":"基准测试单位","note":"","emoji":"😀 ok","comma":"a,b}c{d","colon":"k:v"}',
      '{"a":0,"b":-0,"c":1.5,"d":-2.25e-7,"e":1e21,"f":123456789012345680000,"g":5E+3,"h":0.1}',
      '{"t":true,"f":false,"n":null}',
      '{"2":"two","10":"ten","amount":"3.00"}',
      '{}',
    ])
      expectSame(text)
  })

  it('given random flat objects written by JSON.stringify, when read against their own keys, then the values are JSON.parse’s', () => {
    const primitive = fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null))
    fc.assert(
      fc.property(fc.dictionary(fc.string(), primitive), (o) => {
        const text = JSON.stringify(o)
        const keys = Object.keys(JSON.parse(text) as object)
        const values = scanned(text, keys)
        // An escape anywhere (a quote, a backslash, a control character) is JSON.parse's to read.
        if (text.includes('\\')) {
          expect(values).toBe(false)
          return
        }
        expect(values).not.toBe(false)
        const want = parsedValues(text)
        ;(values as unknown[]).forEach((v, i) => expect(Object.is(v, want[i])).toBe(true))
      }),
      { numRuns: 2000 },
    )
  })

  it('given texts that are not that plain form of those keys (escapes, spaces, another order, a key missing or extra or twice, nested values, trailing text, two values, numbers JSON refuses, a control character, a broken literal, no object), when read, then false and nothing appended', () => {
    const keys = ['line', 'amount']
    for (const text of [
      '{"line":"p\\"1","amount":"1.00"}',
      '{"line":"p\\u0031","amount":"1.00"}',
      '{"line": "p1","amount":"1.00"}',
      '{"amount":"1.00","line":"p1"}',
      '{"line":"p1"}',
      '{"line":"p1","amount":"1.00","note":null}',
      '{"line":"p1","line":"p2"}',
      '{"line":{"code":"p1"},"amount":"1.00"}',
      '{"line":["p1"],"amount":"1.00"}',
      '{"line":"p1","amount":"1.00"}x',
      '{"line":"p1","amount":"1.00"},{"line":"p2","amount":"2.00"}',
      '{"line":"p1","amount":"1.00"',
      '{"line":"p1,"amount":"1.00"}',
      '{"line":"p1","amount":01}',
      '{"line":"p1","amount":1.}',
      '{"line":"p1","amount":.5}',
      '{"line":"p1","amount":+1}',
      '{"line":"p1","amount":0x1}',
      '{"line":"p1","amount":Infinity}',
      '{"line":"p1","amount":NaN}',
      '{"line":"p1","amount":-}',
      '{"line":"p1","amount":1e}',
      '{"line":"p\n1","amount":"1.00"}',
      '{"line":nul,"amount":"1.00"}',
      '{"line":tru,"amount":"1.00"}',
      '{"line":"p1","amount":"1.00"',
      '["p1","1.00"]',
      '"p1"',
      '',
    ])
      expect(scanned(text, keys), text).toBe(false)
    // No keys: only the empty object.
    expect(scanned('{}', [])).toEqual([])
    expect(scanned('{"a":1}', [])).toBe(false)
    expect(scanned('{ }', [])).toBe(false)
  })

  it('given keys with a quote, a backslash or a control character, then they are not plain (they are written escaped); ordinary keys are', () => {
    expect(plainKeys(['line', 'amount', '金额', ''])).toBe(true)
    expect(plainKeys(['a"b'])).toBe(false)
    expect(plainKeys(['a\\b'])).toBe(false)
    expect(plainKeys(['a\nb'])).toBe(false)
  })
})
