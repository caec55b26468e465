import * as t from 'io-ts'

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
  const pick = (u: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(u).filter(([k, v]) => knownSet.has(k) && v !== undefined))
  return new StrictType<A, Out>(
    name,
    (u): u is A => req.is(u) && opt.is(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'an object')
      const record = u as Record<string, unknown>
      const errors: t.Errors = Object.keys(record)
        .filter((k) => !knownSet.has(k))
        .map((k) => ({
          value: record[k],
          context: [...c, { key: k, type: t.never, actual: record[k] }],
          message: `no such field (known fields: ${known.join(', ')})`,
        }))
      // Both halves see the same context, so paths name the field, not the codec's structure.
      const a = req.validate(u, c)
      const b = opt.validate(u, c)
      if (a._tag === 'Left') errors.push(...a.left)
      if (b._tag === 'Left') errors.push(...b.left)
      if (errors.length > 0) return t.failures(errors)
      const decoded = { ...(a as { right: object }).right, ...(b as { right: object }).right }
      return t.success(pick(decoded as Record<string, unknown>) as A)
    },
    (a) => ({ ...req.encode(a), ...opt.encode(a) }) as Out,
    required,
    optional,
  )
}
