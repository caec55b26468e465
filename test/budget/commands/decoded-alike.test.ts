import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { amountInYuan, amountsInYuan } from '../../../src/domain/money/amount-unit'
import { decodeCommandBody } from '../../../src/ledger/recording/handle-command'
import { isCalendarDate, isIsoDate } from '../../../src/domain/codecs/primitives'
import { strict } from '../../../src/domain/codecs/strict'
import { MAX_AMOUNT, MoneyString, NonNegativeMoney, PositiveMoney, Yuan } from '../../../src/domain/money/money'
import { randomUUID } from '../../../src/random-uuid'

/**
 * The command path's decoding made fewer objects (docs/speed.md, "Writes, the main thread's
 * allocations"): what it decodes must not change by a byte, since the decoded data is what the
 * events store. Each piece is compared here with the way it was written before, kept as the oracle.
 */

/** strict()'s decoded value as it was made before: the halves spread, then the known defined entries kept. */
const formerPick = (required: t.Props, optional: t.Props) => {
  const known = new Set([...Object.keys(required), ...Object.keys(optional)])
  const req = t.type(required)
  const opt = t.partial(optional)
  return (u: unknown): unknown => {
    const a = req.validate(u, [])
    const b = opt.validate(u, [])
    if (E.isLeft(a) || E.isLeft(b)) return undefined
    const decoded = { ...(a.right as object), ...(b.right as object) } as Record<string, unknown>
    return Object.fromEntries(Object.entries(decoded).filter(([k, v]) => known.has(k) && v !== undefined))
  }
}

/** amountsInYuan's tree as it was made before: every record rebuilt through its entries, every path made. */
const formerYuan = (value: unknown, unit: '元' | '万元' | undefined, prefix = ''): E.Either<unknown[], unknown> => {
  const MONEY_FIELDS = new Set(['amount', 'carryOver', 'balance', 'recovered', 'basicAmount', 'projectAmount'])
  const MONEY_TREES = new Set(['previousYear', 'earmarks'])
  const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)
  const errors: unknown[] = []
  // The error's other fields are made from these two by the same code as before.
  const money = (text: string, path: string): string => {
    const yuan = amountInYuan(text, unit)
    if (E.isLeft(yuan)) errors.push({ path, got: JSON.stringify(text) })
    return E.isRight(yuan) ? yuan.right : text
  }
  const walk = (v: unknown, path: string, isMoney: boolean): unknown => {
    if (typeof v === 'string') return isMoney ? money(v, path) : v
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`, isMoney))
    if (!isRecord(v)) return v
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k, isMoney || MONEY_TREES.has(k) || (MONEY_FIELDS.has(k) && !isRecord(x)))]))
  }
  const converted = walk(value, prefix, false)
  return errors.length > 0 ? E.left(errors) : E.right(converted)
}

/** Equal as stored: the same JSON text (keys in the same order), and the same own keys and prototypes all the way down. */
const sameTree = (a: unknown, b: unknown): void => {
  expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  if (typeof a !== 'object' || a === null) return expect(a).toBe(b)
  expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b))
  expect(Reflect.ownKeys(a)).toEqual(Reflect.ownKeys(b as object))
  for (const k of Reflect.ownKeys(a)) sameTree((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k])
}

const KEYS = ['amount', 'line', 'category', 'earmarks', 'previousYear', 'carryOver', 'note', '__proto__', 'constructor', '0', '7', 'x']
const AMOUNTS = ['12.5', '12.5万元', '3000元', '0.01', '1.2345678', '1.2万', 'abc', '-4', '0.000001万元', '']
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(...AMOUNTS), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('record')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  // Through JSON.parse, as a body arrives: a `__proto__` key is then an own field.
  record: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 6 }).map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`) as unknown),
})).value

describe('decoding a command, with fewer objects: the same values as before', () => {
  it('given generated JSON trees (money fields, money subtrees, arrays, a JSON `__proto__` field), when amounts are put in 元 in each unit, then the tree, its key order, its prototypes and every error path are as before', () => {
    fc.assert(
      fc.property(jsonish, fc.constantFrom<'元' | '万元' | undefined>(undefined, '元', '万元'), fc.constantFrom('', 'data', 'lines[3]'), (value, unit, prefix) => {
        const now = amountsInYuan(value, unit, prefix)
        const before = formerYuan(value, unit, prefix)
        expect(now._tag).toBe(before._tag)
        if (E.isLeft(now) && E.isLeft(before)) expect(now.left.map((e) => ({ path: e.path, got: e.got }))).toEqual(before.left)
        if (E.isRight(now) && E.isRight(before)) sameTree(now.right, before.right)
      }),
      { numRuns: 600 },
    )
  })

  it('given generated objects for strict codecs whose halves change values (a required and an optional field decoded to new values), then the decoded object is the one the spread and its entries made, key order included', () => {
    // A codec that returns a new value, so that io-ts copies the half it decodes.
    const upper = new t.Type<string, string, unknown>('upper', (u): u is string => typeof u === 'string', (u, c) => (typeof u === 'string' ? t.success(u.toUpperCase()) : t.failure(u, c)), String)
    const shapes: Array<[t.Props, t.Props]> = [
      [{ a: t.string, b: upper }, { c: t.string, d: upper }],
      [{ a: upper }, {}],
      [{}, { c: upper, d: t.union([t.string, t.undefined]) }],
      [{ a: t.union([t.string, t.undefined]), b: t.string }, { a2: upper }],
    ]
    const field = fc.oneof(fc.string({ maxLength: 3 }), fc.constant(undefined))
    const input = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'a2'), field), { maxLength: 6 }).map((entries) => {
      const o: Record<string, unknown> = {}
      for (const [k, v] of entries) o[k] = v
      return o
    })
    fc.assert(
      fc.property(fc.constantFrom(...shapes.keys()), input, (i, u) => {
        const [required, optional] = shapes[i]!
        const codec = strict(required, optional)
        const known = new Set([...Object.keys(required), ...Object.keys(optional)])
        const decoded = codec.decode(u)
        const before = formerPick(required, optional)(u)
        const unknown = Object.keys(u).some((k) => !known.has(k))
        if (unknown || before === undefined) {
          expect(E.isLeft(decoded)).toBe(true)
          return
        }
        expect(E.isRight(decoded)).toBe(true)
        if (E.isRight(decoded)) {
          sameTree(decoded.right, before)
          expect(Object.keys(decoded.right as object)).toEqual(Object.keys(before as object))
        }
      }),
      { numRuns: 800 },
    )
  })

  it('given a command body with amounts in 万元, a misspelt field and a bad date, then the decoded command and the refusal name the same things as before', () => {
    const body = { type: 'AddToLine', data: { line: 'p01', amount: '1.25万元', category: 'ordinary' }, reason: '追加', document: '文〔2021〕3号', effectiveDate: '2021-05-01' }
    const ok = decodeCommandBody(JSON.parse(JSON.stringify(body)))
    expect(E.isRight(ok) && JSON.stringify(ok.right)).toBe(
      JSON.stringify({ command: { type: 'AddToLine', data: { line: 'p01', amount: '12500.00', category: 'ordinary' } }, context: { reason: '追加', document: '文〔2021〕3号', effectiveDate: '2021-05-01' } }),
    )
    const bad = decodeCommandBody({ ...body, data: { ...body.data, amout: '1' }, effectiveDate: '2021-02-29' })
    expect(E.isLeft(bad) && bad.left.errors.map((e) => e.path)).toEqual(['data.amout', 'effectiveDate'])
  })

  it('given generated strings near the date form (every position a digit, a dash or something else, wrong lengths, non-ASCII digits), then isIsoDate answers as the pattern with a calendar check did', () => {
    const former = (s: string) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
      return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))
    }
    const char = fc.constantFrom('0', '1', '2', '3', '9', '-', '/', ':', ' ', '٣', '２', 'a', '\n')
    const nearDate = fc.oneof(
      fc.array(char, { minLength: 9, maxLength: 11 }).map((cs) => cs.join('')),
      fc.date({ min: new Date('0900-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.tuple(fc.integer({ min: 0, max: 12000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.string({ maxLength: 12 }),
    )
    fc.assert(
      fc.property(nearDate, (s) => {
        expect(isIsoDate(s)).toBe(former(s))
      }),
      { numRuns: 5000 },
    )
    for (const s of ['2021-02-29', '2020-02-29', '2021-12-31', '2021-13-01', '2021-00-10', '0999-01-01', '2021-05-01\n', '2021-5-01', '２０２１-05-01', '2021-0:-01', '2021-05-0:', '202:-05-01', '2021-05-/1', '2021-1/-01']) expect(isIsoDate(s)).toBe(former(s))
  })
})

describe('money strings checked from their text (money.ts): the same answers as decimal.js gave', () => {
  it('given generated amounts (signs, zeros, 1 to 18 integer digits, around 10^15, 0 to 3 decimals, and strings that are no amount), then MoneyString, PositiveMoney and NonNegativeMoney accept exactly what the decimal.js comparisons accepted', () => {
    const PATTERN = /^-?(0|[1-9]\d*)(\.\d{1,2})?$/
    const former = {
      money: (s: string) => PATTERN.test(s) && new Yuan(s).abs().lte(MAX_AMOUNT),
      positive: (s: string) => new Yuan(s).gt(0),
      nonNegative: (s: string) => !new Yuan(s).lt(0),
    }
    const integer = fc.oneof(
      fc.constantFrom('0', '1', '999999999999999', '1000000000000000', '1000000000000001', '9999999999999999', '10000000000000000', '00', '01'),
      fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.constantFrom('0', '0', '0', '1', '5', '9'), { maxLength: 17 })).map(([d, ds]) => `${d}${ds.join('')}`),
    )
    const decimals = fc.oneof(fc.constant(''), fc.array(fc.constantFrom('0', '0', '1', '9'), { minLength: 0, maxLength: 3 }).map((ds) => `.${ds.join('')}`))
    const amount = fc.oneof(
      fc.tuple(fc.constantFrom('', '-', '+'), integer, decimals).map(([sign, i, d]) => `${sign}${i}${d}`),
      fc.string({ maxLength: 8 }),
    )
    fc.assert(
      fc.property(amount, (s) => {
        expect(MoneyString.is(s)).toBe(former.money(s))
        if (!former.money(s)) return
        expect(PositiveMoney.is(s)).toBe(former.positive(s))
        expect(NonNegativeMoney.is(s)).toBe(former.nonNegative(s))
      }),
      { numRuns: 5000 },
    )
    for (const s of ['1000000000000000', '1000000000000000.00', '1000000000000000.01', '-1000000000000000.0', '-1000000000000000.1', '0', '-0', '-0.00', '0.01', '-0.01', '999999999999999.99'])
      expect([MoneyString.is(s), PositiveMoney.is(s), NonNegativeMoney.is(s)]).toEqual([former.money(s), former.money(s) && former.positive(s), former.money(s) && former.nonNegative(s)])
  })
})

describe('randomUUID (src/random-uuid.ts): ids as node makes them', () => {
  it('given 1,000 ids (past several refills of the pool), then each is a version-4 UUID in lower-case hex with the RFC variant, all different', () => {
    const ids = Array.from({ length: 1000 }, () => randomUUID())
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(ids.length)
    // Every hex digit turns up in every free position: the bytes are the pool's, not a fixed pattern.
    for (const at of [0, 9, 15, 20, 35]) expect(new Set(ids.map((id) => id[at])).size).toBe(16)
  })
})
