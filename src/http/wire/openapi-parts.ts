/** Small builders for the OpenAPI operations each route declares. */

export const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` })

export const response = (description: string, schema: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ref(schema) } },
})

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
})

export const ETAG_HEADER = {
  description: 'The revision of the budget year as a strong entity tag, e.g. "7"; send it back in If-Match',
  schema: { type: 'string', pattern: '^"\\d+"$' },
}

export const IF_NONE_MATCH = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'an ETag from an earlier read: 304 when the budget year has not changed since',
  schema: { type: 'string' },
}
