import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBudgetFile } from '../../../src/domain/budget-file/budget-file'
import { SCHEMAS } from '../../../src/http/wire/schemas'
import { COMMAND_TYPES, decodeCommandBody } from '../../../src/ledger/recording/handle-command'
import { type Schema, fits } from '../../support/shells/json-schema'

/**
 * The OpenAPI schemas describe the codecs for clients; the codecs decide. Generated values near
 * every boundary the codecs draw (amounts, codes, ids, dates, text and its length, missing and
 * unknown keys, wrong types) must be accepted by a codec exactly when its schema accepts them.
 */

const TRICKY = [
  ...['', ' ', '  a ', 'a', '\t', 'a\nb', 'a\r\nb', '\u0000', 'x\u0007', '\u007F', '\uD800', 'a\uDC00', '😀', '\u00A0', '\uFEFF', '\u3000'],
  ...['0', '-0', '-0.00', '0.0', '0.00', '0.01', '1', '1.00', '-1.00', '1.5', '1.234', '01', '12,5', '1e3', '.5', '+1', '1.'],
  ...['1.5万元', '0.000001万元', '0.0000001万元', '1.234567万元', '-0.000000万元', '100000000000万元', '100000000000.000001万元', '12.5 万元', '1.00元', '1.234元', '0元', '万元', '1e3万元', '0.000001', '1.234567'],
  ...['999999999999999.99', '1000000000000000', '1000000000000000.00', '1000000000000000.01', '-1000000000000000', '10000000000000000'],
  ...['215', '21505', '2150502', '215 05 02', ' 215', '2150', '302', '30217', '3 02 17', '3021', '101065', '12'],
  ...['p01', 'A'.repeat(56), 'A'.repeat(57), 'A'.repeat(64), 'A'.repeat(65), '.x', '-x', 'x y', '2021-E-p04-1'],
  ...['2021-06-01', '2021-02-29', '2024-02-29', '2021-13-01', '2021-04-31', '2021-6-1', '0999-01-01', '2021-06-01T00:00:00Z'],
  ...[20, 21, 200, 201, 2000, 2001, 4000, 4001].flatMap((n) => ['x'.repeat(n), '😀'.repeat(n)]),
]

const wrongType = fc.constantFrom<unknown>(null, 0, 1.5, true, {}, [], '2021')

/** Values for a schema: mostly fitting, often just off. */
const valuesOf = (schema: Schema, depth = 0): fc.Arbitrary<unknown> => {
  if (typeof schema.$ref === 'string') return valuesOf(SCHEMAS[schema.$ref.replace('#/components/schemas/', '')] as Schema, depth)
  if (Array.isArray(schema.oneOf)) return fc.oneof(...(schema.oneOf as Schema[]).map((s) => valuesOf(s, depth)))
  if ('const' in schema) return fc.oneof({ arbitrary: fc.constant(schema.const), weight: 30 }, { arbitrary: fc.constantFrom<unknown>(...TRICKY), weight: 1 })
  if (Array.isArray(schema.enum))
    return fc.oneof({ arbitrary: fc.constantFrom<unknown>(...schema.enum), weight: 30 }, { arbitrary: fc.constantFrom<unknown>(...TRICKY), weight: 1 }, { arbitrary: wrongType, weight: 1 })
  switch (schema.type) {
    case 'string': {
      // Mostly a value the schema takes, so whole bodies often fit and each field's edge is tried in turn.
      const fitting = TRICKY.filter((x) => fits(schema, x, SCHEMAS))
      return fc.oneof(
        ...(fitting.length ? [{ arbitrary: fc.constantFrom(...fitting), weight: 40 }] : []),
        { arbitrary: fc.constantFrom(...TRICKY), weight: 2 },
        { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
        { arbitrary: wrongType, weight: 1 },
      )
    }
    case 'integer':
      return fc.oneof({ arbitrary: fc.constantFrom<unknown>(2000, 2021, 2100), weight: 30 }, { arbitrary: fc.constantFrom<unknown>(1999, 2101, 2021.5, -1, 0, '2021'), weight: 2 }, { arbitrary: wrongType, weight: 1 })
    case 'null':
      return fc.oneof({ arbitrary: fc.constant(null), weight: 30 }, { arbitrary: wrongType, weight: 1 })
    case 'boolean':
      return fc.oneof({ arbitrary: fc.boolean(), weight: 30 }, { arbitrary: wrongType, weight: 1 })
    case 'array':
      if (depth > 3) return fc.constant([])
      return fc.oneof(
        { arbitrary: fc.array(valuesOf(schema.items as Schema, depth + 1), { maxLength: 2 }), weight: 30 },
        { arbitrary: wrongType, weight: 1 },
      )
    case 'object': {
      const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>)
      if (properties.length === 0) return fc.oneof(fc.constant({}), fc.dictionary(fc.constantFrom('a', 'b'), fc.string()), wrongType)
      const fields = properties.map(([k, s]) => fc.option(valuesOf(s, depth + 1).map((v) => [k, v] as const), { freq: 30, nil: undefined }))
      const extra = fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, { arbitrary: fc.constantFrom('extra', 'recption').map((k) => [k, '1.00'] as const), weight: 1 })
      return fc.oneof(
        { arbitrary: fc.tuple(...fields, extra).map((kvs) => Object.fromEntries(kvs.filter((kv) => kv !== undefined))), weight: 40 },
        { arbitrary: wrongType, weight: 1 },
      )
    }
    default:
      return fc.jsonValue({ maxDepth: 1 })
  }
}

const agree = (schemaName: string, accepts: (v: unknown) => boolean) =>
  fc.assert(
    fc.property(valuesOf(SCHEMAS[schemaName] as Schema), (v) => {
      expect({ value: v, codec: accepts(v) }).toEqual({ value: v, codec: fits(SCHEMAS[schemaName] as Schema, v, SCHEMAS) })
    }),
    { numRuns: 1000 },
  )

describe('the OpenAPI schemas accept and refuse what the codecs do', () => {
  it('every command type has a detailed data schema', () => {
    for (const type of COMMAND_TYPES) expect((SCHEMAS[`${type}Data`] as Schema).properties, type).toBeDefined()
  })

  it.each(COMMAND_TYPES.map((t) => [t]))('a %s command body', (type) => {
    agree(`${type}Command`, (v) => E.isRight(decodeCommandBody(v)))
  })

  it('a budget file', () => {
    agree('BudgetFile', (v) => E.isRight(decodeBudgetFile(v)))
  })
})
