import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainKeys, scanFlat } from '../../../src/ledger/read-path/flat-payload'

/**
 * A flat payload's values read from its stored text (src/ledger/read-path/flat-payload.ts) must be exactly
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

  it('given an escape or a control character at every position of every string value (first, amid, last, alone), when read, then false and nothing appended; JSON.parse still reads the text', () => {
    const keys = ['line', 'amount', 'voucher', 'note']
    const values = ['p16', '1637.27', 'V499999', '']
    const inserts = ['\\"', '\\\\', '\\n', '\\u0041', '\\/', '\n', '\t', '\u0000', '\u001f']
    let tried = 0
    for (let v = 0; v < values.length; v++)
      for (let at = 0; at <= values[v]!.length; at++)
        for (const insert of inserts) {
          const texts = values.map((x, i) => (i === v ? x.slice(0, at) + insert + x.slice(at) : x))
          const text = `{${keys.map((k, i) => `"${k}":"${texts[i]}"`).join(',')}}`
          if (!/[\u0000-\u001f]/.test(text)) expect(() => JSON.parse(text), text).not.toThrow()
          expect(scanned(text, keys), JSON.stringify(text)).toBe(false)
          tried++
        }
    expect(tried).toBe(9 * (4 + 8 + 8 + 1))
  })

  it('given a text cut short at every position (a string value running to the end of the text included), when read, then false and nothing appended', () => {
    const text = '{"line":"p16","amount":"1637.27","economicCode":null,"voucher":"V499999","done":true,"n":-1.5e3}'
    const keys = Object.keys(JSON.parse(text) as object)
    expect(scanned(text, keys)).toEqual(parsedValues(text))
    for (let end = 0; end < text.length; end++) expect(scanned(text.slice(0, end), keys), text.slice(0, end)).toBe(false)
    // A string value's closing quote missing at the very end, and an empty string value last.
    expect(scanned('{"line":"p16', ['line'])).toBe(false)
    expect(scanned('{"line":"', ['line'])).toBe(false)
    expect(scanned('{"line":""}', ['line'])).toEqual([''])
  })

  it('given non-ASCII string values (CJK, an emoji, a lone surrogate, DEL, C1 controls, line and paragraph separators) at the start, amid and at the end, when read, then the values are JSON.parse’s', () => {
    for (const x of ['财预〔2021〕933号', '😀', '\ud800', '\udfff', '\u007f', '\u0080', '\u009f', '\u2028', '\u2029', '\uffff'])
      for (const value of [x, `a${x}b`, `${x}end`, `start${x}`]) {
        const text = JSON.stringify({ line: value, amount: '1.00', unit: value })
        // JSON.stringify escapes a lone surrogate (well-formed JSON.stringify): that text is JSON.parse's.
        if (text.includes('\\')) expect(scanned(text, ['line', 'amount', 'unit'])).toBe(false)
        else expectSame(text)
        // Written raw (as an older writer might have): read as JSON.parse reads it.
        expectSame(`{"line":"${value}","amount":"1.00","unit":"${value}"}`)
      }
  })

  it('given keys with a quote, a backslash or a control character, then they are not plain (they are written escaped); ordinary keys are', () => {
    expect(plainKeys(['line', 'amount', '金额', ''])).toBe(true)
    expect(plainKeys(['a"b'])).toBe(false)
    expect(plainKeys(['a\\b'])).toBe(false)
    expect(plainKeys(['a\nb'])).toBe(false)
  })
})
