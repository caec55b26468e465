import { problemResponse } from './openapi-parts'
import type { RouteSpec } from '../route'
import { ALLOWED } from '../access/roles'
import { SCHEMAS } from './schemas'

/**
 * /openapi.json: built from the route table the app registers, so every route is described and
 * every described path exists (test/http/resources/http-openapi.test.ts checks both against express itself).
 */
export const OPENAPI_VERSION = '3.1.0'

/** Express `/a/:b/c` → OpenAPI `/a/{b}/c`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z_]\w*)/g, '{$1}')

const PATH_PARAMS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  unit: { description: '预算单位编码, e.g. 101065', schema: { type: 'string', pattern: '^\\d{3,12}$' } },
  department: { description: '部门编码: the department its units’ openings name (GET /api/departments), e.g. 900500', schema: { type: 'string', pattern: '^\\d{3,12}$' } },
  year: { description: 'budget year, e.g. 2021', schema: { type: 'integer', minimum: 2000, maximum: 2100 } },
  table: { description: 'table number 1-11 or id, e.g. 3 or expenditure-summary', schema: { type: 'string' } },
  line: { description: 'budget line id, e.g. p01 or basic', schema: { type: 'string' } },
  indicator: { description: 'indicator id or name, e.g. budget-adjustment or 预算调整率', schema: { type: 'string' } },
  id: { description: 'a person: a local account\'s subject id (UUID), or "issuer|sub" of a person of the identity provider (URL-encoded)', schema: { type: 'string' } },
}

const pathParams = (path: string) =>
  [...path.matchAll(/:([A-Za-z_]\w*)/g)].map(([, name]) => {
    const p = PATH_PARAMS[name!]
    if (!p) throw new Error(`invariant: path parameter :${name} has no description in openapi.ts`)
    return { name, in: 'path', required: true, ...p }
  })

const operation = (r: RouteSpec) => {
  const o = r.operation
  const common: Record<string, unknown> = {
    ...(r.path.includes(':') ? { 404: problemResponse('No such budget year (or table)') } : {}),
    405: problemResponse('Method not allowed on this path (Allow lists the methods)'),
    500: problemResponse('Internal error (no details are given out)'),
  }
  if (r.access !== 'public') {
    common[401] = problemResponse('No token, or not a valid one (WWW-Authenticate: Bearer)')
    common[403] = problemResponse(`The role may not do this; allowed: ${ALLOWED[r.access].join(', ')}`)
  }
  if (r.jsonBody) {
    common[400] = problemResponse('Malformed JSON, or a bad query parameter or header')
    common[413] = problemResponse('The body is larger than the limit (1 MB)')
    common[415] = problemResponse('The body is not application/json')
  }
  if (!common[400] && (o.parameters ?? []).some((p) => p.in === 'query')) common[400] = problemResponse('A bad query parameter')
  return {
    operationId: o.operationId,
    summary: o.summary,
    ...(o.description ? { description: o.description } : {}),
    tags: [...o.tags],
    ...(r.access === 'public' ? { security: [] } : {}),
    'x-roles': r.access === 'public' ? ['public'] : [...ALLOWED[r.access]],
    parameters: [...pathParams(r.path), ...(o.parameters ?? [])],
    ...(o.requestBody ? { requestBody: o.requestBody } : {}),
    responses: { ...common, ...o.responses },
  }
}

export const buildOpenApi = (routes: ReadonlyArray<RouteSpec>) => {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method] = operation(r)
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'budget-ledger',
      version: '0.1.0',
      summary: 'Event-sourced department budget ledger (部门预算): record, read the official tables, audit the history',
      description: [
        'Finance staff record commands; dashboards and auditors read. Amounts are 元 as decimal strings; tables are in 万元.',
        'Every error is application/problem+json (RFC 9457) with `errors: [{path, reason}]` for each bad field.',
        'Authentication: `Authorization: Bearer <token>`; roles finance (record and read), auditor (read, history included), dashboard (units, summaries and tables).',
      ].join('\n\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'meta', description: 'health and this description; no token needed' },
      { name: 'read', description: 'units, budget years and official tables' },
      { name: 'audit', description: 'the event history' },
      { name: 'record', description: 'commands and budget-file imports (finance)' },
    ],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'a token of LEDGER_TOKENS or the tokens file' } },
      schemas: SCHEMAS,
    },
  }
}
