/**
 * A minimal JSON Schema (2020-12) checker for the subset the OpenAPI schemas use: type, const,
 * enum, pattern (ECMA-262 with the u flag, so a pattern sees code points), minLength / maxLength
 * (in code points), format "date" (asserted: a full-date of RFC 3339 that exists), minimum /
 * maximum, maxItems, required, properties, additionalProperties, items, oneOf and local $ref. Anything else
 * in a schema is an annotation. Written for tests: it says whether a value fits, not why.
 */
export type Schema = Record<string, unknown>

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v

const isFullDate = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(2000, mo - 1, d))
  t.setUTCFullYear(y)
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

export const fits = (schema: Schema, value: unknown, defs: Record<string, unknown>): boolean => {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '')
    if (!(name in defs)) throw new Error(`unknown $ref ${schema.$ref}`)
    return fits(defs[name] as Schema, value, defs)
  }
  if (Array.isArray(schema.oneOf) && (schema.oneOf as Schema[]).filter((s) => fits(s, value, defs)).length !== 1) return false
  if ('const' in schema && !same(schema.const, value)) return false
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => same(e, value))) return false
  if (typeof schema.type === 'string') {
    const t = typeOf(value)
    if (!(t === schema.type || (schema.type === 'number' && t === 'integer'))) return false
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (typeof schema.minLength === 'number' && length < schema.minLength) return false
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) return false
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return false
    if (schema.format === 'date' && !isFullDate(value)) return false
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return false
    if (typeof schema.maximum === 'number' && value > schema.maximum) return false
  }
  if (Array.isArray(value) && typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false
  if (Array.isArray(value) && schema.items !== undefined && !value.every((x) => fits(schema.items as Schema, x, defs))) return false
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>
    if (Array.isArray(schema.required) && !schema.required.every((k) => k in o)) return false
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const [k, v] of Object.entries(o)) {
      if (k in properties) {
        if (!fits(properties[k]!, v, defs)) return false
      } else if (schema.additionalProperties === false) return false
      else if (typeof schema.additionalProperties === 'object' && !fits(schema.additionalProperties as Schema, v, defs)) return false
    }
  }
  return true
}
