import type * as t from 'io-ts'

/**
 * A codec's shape as plain JSON: its fields (required and optional), their types, the values an
 * enumeration allows, the bounds of a text, the name of a refinement. The event catalogue snapshot
 * (test/fixtures/event-catalogue.json) keeps each event type's shape at each schema version, so a
 * change of a codec shows up as a change of this rendering. What it cannot see: the body of a
 * predicate (a refinement or a custom codec is known by its name only).
 *
 * Dispatches on io-ts's `_tag` rather than instanceof, so codecs of another copy of the code (an
 * older commit's, to render a past version) render alike.
 */
export type Shape = string | { readonly [k: string]: Shape | ReadonlyArray<Shape> | string | number | boolean | null }

interface Tagged {
  readonly _tag?: string
  readonly name: string
  readonly [k: string]: unknown
}

const props = (p: t.Props): { [k: string]: Shape } =>
  Object.fromEntries(Object.keys(p).sort().map((k) => [k, codecShape(p[k]!)]))

export const codecShape = (codec: t.Mixed): Shape => {
  const c = codec as unknown as Tagged
  switch (c._tag) {
    case 'StrictType':
      return { object: { required: props(c.required as t.Props), optional: props(c.optional as t.Props) } }
    case 'InterfaceType':
      return { object: { required: props(c.props as t.Props), optional: {} } }
    case 'PartialType':
      return { object: { required: {}, optional: props(c.props as t.Props) } }
    case 'ExactType':
    case 'ReadonlyType':
      return codecShape(c.type as t.Mixed)
    case 'UnionType':
      return { union: (c.types as t.Mixed[]).map(codecShape) }
    case 'IntersectionType':
      return { intersection: (c.types as t.Mixed[]).map(codecShape) }
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return { array: codecShape(c.type as t.Mixed) }
    case 'LiteralType':
      return { literal: c.value as string | number | boolean }
    case 'KeyofType':
      return { oneOf: Object.keys(c.keys as object).sort() }
    case 'RefinementType':
      return { refinement: c.name, of: codecShape(c.type as t.Mixed) }
    case 'BoundedText':
      return { text: { min: c.min as number, max: c.max as number } }
    case 'StringType':
    case 'NumberType':
    case 'BooleanType':
    case 'NullType':
      return c.name
    default:
      return { codec: c.name }
  }
}
