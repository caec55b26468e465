import * as t from 'io-ts'

/** Own and enumerable: the fields a spread copies. */
const isOwnField = Object.prototype.propertyIsEnumerable

/** The codec strict() makes, with its fields in view (the event catalogue snapshot renders them: codec-shape.ts). */
export class StrictType<A, O> extends t.Type<A, O, unknown> {
  readonly _tag = 'StrictType' as const
  constructor(
    name: string,
    is: t.Is<A>,
    validate: t.Validate<unknown, A>,
    encode: t.Encode<A, O>,
    readonly required: t.Props,
    readonly optional: t.Props,
  ) {
    super(name, is, validate, encode)
  }
}

/**
 * An object codec that refuses keys it does not know, naming each one: a misspelt field in a
 * budget file or request ("threePublic.recption") must be an error, never silently dropped.
 * The decoded value holds exactly the known keys that were given.
 */
export const strict = <R extends t.Props, O extends t.Props = {}>(
  required: R,
  optional: O = {} as O,
  name = 'object',
): StrictType<t.TypeOfProps<R> & t.TypeOfPartialProps<O>, t.OutputOfProps<R> & t.OutputOfPartialProps<O>> => {
  type A = t.TypeOfProps<R> & t.TypeOfPartialProps<O>
  type Out = t.OutputOfProps<R> & t.OutputOfPartialProps<O>
  const req = t.type(required)
  const opt = t.partial(optional)
  const known = [...Object.keys(required), ...Object.keys(optional)]
  const knownSet = new Set(known)
  /**
   * The known, defined fields of `{ ...a, ...b }` (b's value wherever b has the key), in that
   * object's key order, built directly: the spread, its entries and their filtering were the largest
   * allocation of decoding a command (docs/speed.md, "Writes, the main thread's allocations"). No
   * codec names a field `__proto__`, so assigning a known key makes an own field, as the spread did.
   */
  const pick = (a: Record<string, unknown>, b: Record<string, unknown>, keysOfA: ReadonlyArray<string>): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const k of keysOfA) {
      if (!knownSet.has(k)) continue
      const v = b !== a && isOwnField.call(b, k) ? b[k] : a[k]
      if (v !== undefined) out[k] = v
    }
    if (b !== a) for (const k of Object.keys(b)) if (knownSet.has(k) && !isOwnField.call(a, k) && b[k] !== undefined) out[k] = b[k]
    return out
  }
  return new StrictType<A, Out>(
    name,
    (u): u is A => req.is(u) && opt.is(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'an object')
      const record = u as Record<string, unknown>
      const errors: t.ValidationError[] = []
      const keys = Object.keys(record)
      for (const k of keys)
        if (!knownSet.has(k))
          errors.push({
            value: record[k],
            context: [...c, { key: k, type: t.never, actual: record[k] }],
            message: `no such field (known fields: ${known.join(', ')})`,
          })
      // Both halves see the same context, so paths name the field, not the codec's structure.
      const a = req.validate(u, c)
      const b = opt.validate(u, c)
      if (a._tag === 'Left') errors.push(...a.left)
      if (b._tag === 'Left') errors.push(...b.left)
      if (a._tag === 'Left' || b._tag === 'Left' || errors.length > 0) return t.failures(errors)
      // The input's keys serve again when the required half kept the input itself (nothing in it changed).
      return t.success(pick(a.right as Record<string, unknown>, b.right as Record<string, unknown>, a.right === u ? keys : Object.keys(a.right as object)) as A)
    },
    (a) => ({ ...req.encode(a), ...opt.encode(a) }) as Out,
    required,
    optional,
  )
}
