import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Command } from '../../../src/domain/events/commands'
import { createApp } from '../../../src/http/app'
import { openApiPath } from '../../../src/http/wire/openapi'
import { PROBLEM_TYPES, problemTypeUri } from '../../../src/http/wire/problem'
import { ledgerDeps } from '../../../src/ledger/deps'
import { MemoryEventStore } from '../../../src/store/memory'
import { fits } from '../../support/shells/json-schema'
import * as E from 'fp-ts/Either'
import { importBudgetFile } from '../../../src/ledger/recording/import-file'
import { FIXTURE, type TestServer, TOKEN_ENTRIES, fixtureBudgetFile, isProblem, startServer } from '../../support/shells/http'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** The routes express really has: [METHOD, OpenAPI path]. */
const registeredRoutes = (): string[] => {
  const app = createApp({ deps: ledgerDeps(new MemoryEventStore()), tokens: TOKEN_ENTRIES })
  const stack = (app as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router.stack
  return stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${openApiPath(layer.route!.path)}`) : [],
  )
}

/** Every `$ref` in a JSON value. */
const refsOf = (v: unknown, out: string[] = []): string[] => {
  if (Array.isArray(v)) v.forEach((x) => refsOf(x, out))
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x)
      else refsOf(x, out)
    }
  return out
}

const resolvePointer = (doc: unknown, ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), doc)

describe('OpenAPI 3.1 at /openapi.json', () => {
  let t: TestServer
  let doc: any
  beforeAll(async () => {
    t = await startServer({ fixture: true })
    const r = await t.request('GET', '/openapi.json')
    expect(r.status).toBe(200)
    doc = r.body
  })
  afterAll(async () => {
    expect(t.logged).toEqual([])
    await t.close()
  })

  it('is public and has the OpenAPI 3.1 shape: openapi, info, paths, components', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(typeof doc.info.title).toBe('string')
    expect(typeof doc.info.version).toBe('string')
    expect(typeof doc.paths).toBe('object')
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }))
    const ids: string[] = []
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      expect(path.startsWith('/')).toBe(true)
      for (const [method, op] of Object.entries<any>(item)) {
        expect(METHODS).toContain(method)
        expect(typeof op.operationId).toBe('string')
        ids.push(op.operationId)
        expect(Object.keys(op.responses).length).toBeGreaterThan(0)
        for (const [status, res] of Object.entries<any>(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/)
          expect(typeof res.description).toBe('string')
        }
        // Every {param} of the path is a required path parameter, and no other path parameter exists.
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path')
        expect(declared.map((p: any) => p.name).sort()).toEqual([...inPath].sort())
        for (const p of declared) expect(p.required).toBe(true)
        for (const p of op.parameters ?? []) expect(['query', 'header', 'path', 'cookie']).toContain(p.in)
        for (const s of op.security ?? doc.security) for (const name of Object.keys(s)) expect(doc.components.securitySchemes[name]).toBeDefined()
      }
    }
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('every $ref resolves inside the document', () => {
    const refs = refsOf(doc)
    expect(refs.length).toBeGreaterThan(10)
    for (const ref of refs) {
      expect(ref.startsWith('#/')).toBe(true)
      expect(resolvePointer(doc, ref), ref).toBeDefined()
    }
  })

  it('every registered express route is described, and every described operation is a registered route', () => {
    const registered = registeredRoutes()
    const described = Object.entries<any>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
    expect(registered.length).toBeGreaterThan(5)
    expect(new Set(described)).toEqual(new Set(registered))
  })

  it('every described operation answers at its address (no 404/405 for its path and method)', async () => {
    // A department for its addresses: one more unit-year, naming it.
    const member = { ...fixtureBudgetFile(), unit: { code: '900002', name: '部门本级' }, department: { code: '900000', name: '测试部门', role: 'own' } }
    expect(E.isRight(await importBudgetFile(ledgerDeps(t.store), member, { name: 'tester', role: 'finance' }))).toBe(true)
    const values: Record<string, string> = { unit: FIXTURE.unit, department: '900000', year: String(FIXTURE.year), table: '3', indicator: 'budget-adjustment', line: 'p01', id: 'someone' }
    for (const [path, item] of Object.entries<any>(doc.paths))
      for (const method of Object.keys(item)) {
        const url = path.replace(/\{(\w+)\}/g, (_: string, name: string) => values[name]!)
        const r = await t.request(method.toUpperCase(), url, { token: 'finance', ...(method === 'post' ? { body: {} } : {}) })
        expect([404, 405], `${method} ${url}`).not.toContain(r.status)
        // A POST with a body it needs refuses an empty one (an operation taking only files refuses JSON itself); sign-out reads none, next-year may be sent none.
        if (method === 'post' && item[method].requestBody?.required) {
          expect(r.status, `${method} ${url}`).toBe(item[method].requestBody?.content?.['application/json'] ? 422 : 415)
          expect(isProblem(r)).toBe(true)
        }
      }
  })

  it('public operations say so (security: []), the others name the roles allowed', () => {
    expect(doc.paths['/health'].get.security).toEqual([])
    expect(doc.paths['/ready'].get.security).toEqual([])
    expect(doc.paths['/metrics'].get['x-roles']).toEqual(['auditor'])
    expect(doc.paths['/openapi.json'].get.security).toEqual([])
    expect(doc.paths['/api/units/{unit}/years/{year}/events'].get['x-roles']).toEqual(['finance', 'auditor'])
    expect(doc.paths['/api/units/{unit}/years/{year}/commands'].post['x-roles']).toEqual(['finance'])
  })

  it("GET /api/time-zone tells clients the ledger's time zone (LEDGER_TIME_ZONE, else Asia/Shanghai), without a token, as its schema says", async () => {
    const schema = doc.paths['/api/time-zone'].get.responses['200'].content['application/json'].schema
    const saved = process.env.LEDGER_TIME_ZONE
    try {
      delete process.env.LEDGER_TIME_ZONE
      const shanghai = await t.request('GET', '/api/time-zone')
      expect(shanghai.status).toBe(200)
      expect(shanghai.body).toEqual({ timeZone: 'Asia/Shanghai', utcOffset: '+08:00' })
      expect(fits(schema, shanghai.body, doc.components.schemas)).toBe(true)
      process.env.LEDGER_TIME_ZONE = 'Asia/Kolkata'
      expect((await t.request('GET', '/api/time-zone')).body).toEqual({ timeZone: 'Asia/Kolkata', utcOffset: '+05:30' })
    } finally {
      if (saved === undefined) delete process.env.LEDGER_TIME_ZONE
      else process.env.LEDGER_TIME_ZONE = saved
    }
    expect(doc.paths['/api/time-zone'].get.security).toEqual([])
  })

  it('every command type of the domain has a body schema, and every problem type is listed', () => {
    const mapping = doc.components.schemas.CommandBody.discriminator.mapping
    expect(Object.keys(mapping).sort()).toEqual(Command.types.map((c) => c.name).sort())
    expect(doc.components.schemas.Problem.properties.type.enum.sort()).toEqual(Object.keys(PROBLEM_TYPES).map((k) => problemTypeUri(k as keyof typeof PROBLEM_TYPES)).sort())
  })
})
