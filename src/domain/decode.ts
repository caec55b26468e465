import * as E from 'fp-ts/Either'
import * as t from 'io-ts'

/** One bad field of an input: where it is, what was expected, and what came instead. */
export interface FieldError {
  /** e.g. "lines[3].amount"; "" for the input as a whole. */
  readonly path: string
  readonly expected: string
  readonly got: string
  /** e.g. `lines[3].amount: expected a decimal string, got "12,5"` */
  readonly message: string
  /** The ledger's refusal in Chinese, for people, where the error is a refusal of decide (DomainError.words). */
  readonly words?: string
}

/** What each named codec means to a person filling in a form or a file. */
const EXPECTATIONS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
  Money: 'a decimal string in 元 with at most two decimals (e.g. "125000.50")',
  PositiveMoney: 'a positive decimal string in 元 with at most two decimals (e.g. "125000.50")',
  NonNegativeMoney: 'a decimal string in 元, zero or more, with at most two decimals (e.g. "125000.50")',
  UnknownRecord: 'an object',
  UnknownArray: 'an array',
}

const describe = (c: t.ContextEntry): string => {
  const name = c.type.name
  if (EXPECTATIONS[name]) return EXPECTATIONS[name]!
  if (c.type instanceof t.KeyofType) return `one of ${Object.keys(c.type.keys).map((k) => JSON.stringify(k)).join(', ')}`
  if (c.type instanceof t.LiteralType) return JSON.stringify(c.type.value)
  return name
}

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  // A long array is told by its length: printing it whole to show 80 characters is slow.
  if (Array.isArray(v) && v.length > 20) return `an array of ${v.length} items`
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    // Too deeply nested (or cyclic) to print: say what it is, not what it holds.
    s = Array.isArray(v) ? 'an array' : typeof v
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}

/** Path of a context: keys of objects and arrays, without the members of unions and intersections. */
const pathOf = (context: t.Context): string => {
  let path = ''
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]!.type
    if (parent instanceof t.UnionType || parent instanceof t.IntersectionType || parent instanceof t.RefinementType) continue
    const key = context[i]!.key
    if (key === '') continue
    path += /^\d+$/.test(key) && (parent instanceof t.ArrayType || parent instanceof t.ReadonlyArrayType) ? `[${key}]` : path ? `.${key}` : key
  }
  return path
}

/** Where a union failed, say what each alternative wanted, once: "a code … or null". */
const toFieldErrors = (errors: t.Errors, prefix: string): FieldError[] => {
  const byPath = new Map<string, { expected: string[]; got: unknown }>()
  for (const e of errors) {
    const path = [prefix, pathOf(e.context)].filter(Boolean).join('.')
    const last = e.context[e.context.length - 1]!
    const expected = e.message ?? describe(last)
    const at = byPath.get(path) ?? { expected: [], got: e.value }
    if (!at.expected.includes(expected)) at.expected.push(expected)
    byPath.set(path, at)
  }
  return [...byPath].map(([path, { expected, got }]) => {
    const exp = expected.join(' or ')
    const reason = exp.startsWith('no such field') ? exp : `expected ${exp}, got ${show(got)}`
    return { path, expected: exp, got: show(got), message: `${path || '(input)'}: ${reason}` }
  })
}

/** Decodes with a codec; on failure, every bad field with its path, in a person's words. */
export const decode =
  <A, O>(codec: t.Type<A, O, unknown>, prefix = '') =>
  (input: unknown): E.Either<FieldError[], A> =>
    E.mapLeft((errors: t.Errors) => toFieldErrors(errors, prefix))(codec.decode(input))
