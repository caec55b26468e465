import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, eventHash } from '../../../src/store/chain/hash-chain'
import { EMPTY_ROOT, leafHash, nodeHash } from '../../../src/store/merkle/tree/hashes'
import { sha256Bytes, sha256Hex } from '../../../src/store/chain/sha256'

/**
 * canonicalJson is what every stored event's hash and Merkle leaf are of: its bytes must never change
 * for a value already hashed. It was rebuilt for speed (docs/speed.md, "Writes, waking the
 * committer"); the encoding it had before is kept here as the reference it must agree with.
 */
const before = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(before).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${before(v)}`).join(',')}}`
}

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units at every depth, leaves out undefined, keeps arrays in order', () => {
    const value = { b: 1, a: [3, { z: null, y: undefined, x: '\u4e2d' }, 1], é: true, E: 'e', '10': 0, '9': -1.5, empty: {}, none: [] }
    expect(canonicalJson(value)).toBe('{"10":0,"9":-1.5,"E":"e","a":[3,{"x":"中","z":null},1],"b":1,"empty":{},"none":[],"é":true}')
  })

  it('agrees with the encoding events were hashed by, for any JSON value and objects with undefined fields', () => {
    const withUndefined = fc.dictionary(fc.string(), fc.option(fc.jsonValue(), { nil: undefined }))
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), withUndefined, fc.array(withUndefined)), (value) => {
        expect(canonicalJson(value)).toBe(before(value))
      }),
      { numRuns: 2000 },
    )
  })

  it('gives an event the hash it had: a known event, its known hash', () => {
    const event = { id: 'e-1', type: 'AddToLine', data: { line: 'p01', amount: '0.01' }, metadata: { actor: 'bench', recordedAt: '2021-05-01T00:00:00.000Z' } }
    const expected = createHashOf(before({ stream: 's', revision: 3, id: 'e-1', type: 'AddToLine', data: event.data, metadata: event.metadata, prevHash: 'p' }))
    expect(eventHash('s', 3, event as never, 'p')).toBe(expected)
  })
})

const createHashOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** Anything a caller may hand the store, JSON or not: dates, boxed values, sparse arrays, maps, null prototypes, odd numbers and strings. */
const anything = fc.anything({
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withSparseArray: true,
  withNullPrototype: true,
  withTypedArray: true,
  withObjectString: true,
  stringUnit: 'binary',
})

describe('canonicalJson of primitives without JSON.stringify', () => {
  it('writes every string and number as JSON.stringify does (escapes, lone surrogates, -0, NaN, exponents)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean()), (v) => {
        expect(canonicalJson(v)).toBe(JSON.stringify(v))
        expect(canonicalJson({ [String(v)]: v })).toBe(`{${JSON.stringify(String(v))}:${JSON.stringify(v)}}`)
      }),
      { numRuns: 3000 },
    )
  })

  it('agrees with the encoding before on anything a caller may hand it, JSON or not', () => {
    fc.assert(
      fc.property(anything, (value) => {
        expect(canonicalJson(value)).toBe(before(value))
      }),
      { numRuns: 3000 },
    )
    for (const v of [undefined, () => 1, Symbol('s'), [undefined, () => 1], { f: () => 1, u: undefined }]) expect(canonicalJson(v)).toBe(before(v))
    expect(() => canonicalJson({ n: 1n })).toThrow()
  })
})

describe('SHA-256 in one call', () => {
  const reference = (...parts: ReadonlyArray<string | Uint8Array>): Buffer => {
    const h = createHash('sha256')
    for (const p of parts) h.update(p)
    return h.digest()
  }

  it('gives the digests createHash gives: texts (lone surrogates too), bytes, leaves and nodes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.uint8Array(), fc.uint8Array({ minLength: 32, maxLength: 32 }), (text, bytes, other) => {
        expect(sha256Hex(text)).toBe(createHashOf(text))
        expect(sha256Bytes(bytes).equals(reference(bytes))).toBe(true)
        expect(leafHash(text).equals(reference(Buffer.from([0]), Buffer.from(text, 'utf8')))).toBe(true)
        expect(leafHash(bytes).equals(reference(Buffer.from([0]), bytes))).toBe(true)
        expect(nodeHash(other, bytes).equals(reference(Buffer.from([1]), other, bytes))).toBe(true)
      }),
      { numRuns: 1000 },
    )
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })
})
