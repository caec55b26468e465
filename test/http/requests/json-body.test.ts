import { request } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import express, { type NextFunction, type Request, type Response } from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BODY_LIMIT, JSON_TYPES, verifyUtf8 } from '../../../src/http/app'
import { jsonBody } from '../../../src/http/requests/json-body'
import { ProblemError } from '../../../src/http/wire/problem'

/**
 * The lean JSON body reader (src/http/requests/json-body.ts) against body-parser, configured as the app
 * configures it, on the same bytes: the same parsed body, or the same error (status, type, message:
 * the app's answer is made of these). Bodies it leaves to body-parser are in the list too, to show
 * they still get body-parser's answer.
 */
describe('the lean JSON body reader reads as body-parser does', () => {
  let server: Server
  let base: string
  const general = express.json({ limit: BODY_LIMIT, strict: true, type: JSON_TYPES, verify: verifyUtf8 })
  /** Bodies the lean reader handed to body-parser. */
  let handedOn = 0

  beforeAll(async () => {
    const app = express()
    const answer = (req: Request, res: Response) => res.json({ body: req.body === undefined ? '(undefined)' : req.body })
    app.post('/general', general, answer)
    app.post(
      '/lean',
      jsonBody(1024 * 1024, verifyUtf8, (req, res, next) => {
        handedOn++
        return general(req, res, next)
      }),
      answer,
    )
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const e = err as { status?: number; type?: string; message?: string }
      res.status(err instanceof ProblemError ? err.problem.status : (e.status ?? 500)).json({ problem: err instanceof ProblemError ? err.problem.detail : null, type: e.type ?? null, message: e.message ?? null })
    })
    server = app.listen(0, '127.0.0.1')
    await new Promise<void>((ok) => server.once('listening', () => ok()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  const post = (path: string, body: Buffer, headers: Record<string, string>): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = request(`${base}${path}`, { method: 'POST', headers: { 'content-length': String(body.length), ...headers }, agent: false }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve(`${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`))
      })
      req.on('error', reject)
      req.end(body)
    })

  const JSON_TYPE = { 'content-type': 'application/json' }
  const text = (s: string) => Buffer.from(s, 'utf8')
  /** [name, body, headers, whether the lean reader takes it] */
  const CASES: ReadonlyArray<readonly [string, Buffer, Record<string, string>, boolean]> = [
    ['an object', text('{"type":"AddToLine","data":{"amount":"1.00"},"reason":"追加"}'), JSON_TYPE, true],
    ['an array', text(' [1, 2]'), JSON_TYPE, true],
    ['an empty body', text(''), JSON_TYPE, true],
    ['whitespace only', text(' \n\t '), JSON_TYPE, true],
    ['a string', text('"x"'), JSON_TYPE, true],
    ['a number after whitespace', text('  123'), JSON_TYPE, true],
    ['null', text('null'), JSON_TYPE, true],
    ['true, cut short', text('tru'), JSON_TYPE, true],
    ['an object cut short', text('{"type": "AddToLine", '), JSON_TYPE, true],
    ['an unclosed array', text('[{'), JSON_TYPE, true],
    ['a byte-order mark before an object', text('\uFEFF{"a":1}'), JSON_TYPE, true],
    ['a byte-order mark before a string', text('\uFEFF"a"'), JSON_TYPE, true],
    ['bad UTF-8', Buffer.concat([text('{"type":"'), Buffer.from([0xc3, 0x28]), text('"}')]), JSON_TYPE, true],
    ['charset=utf-8', text('{"a":"一"}'), { 'content-type': 'application/json; charset=utf-8' }, true],
    ['charset="UTF-8" upper case, no space', text('{"a":2}'), { 'content-type': 'Application/JSON;charset="UTF-8"' }, true],
    ['a +json type (body-parser)', text('{"a":3}'), { 'content-type': 'application/problem+json' }, false],
    ['gzip (body-parser)', gzipSync(text('{"a":4}')), { ...JSON_TYPE, 'content-encoding': 'gzip' }, false],
    ['over the limit (body-parser)', text(JSON.stringify({ a: 'x'.repeat(1024 * 1024) })), JSON_TYPE, false],
    ['charset latin1 (body-parser)', text('{"a":5}'), { 'content-type': 'application/json; charset=latin1' }, false],
  ]

  it.each(CASES.map(([name]) => name))('given %s, when read by both, then the answers are the same', async (name) => {
    const [, body, headers, lean] = CASES.find(([n]) => n === name)!
    const before = handedOn
    const viaLean = await post('/lean', body, headers)
    const viaGeneral = await post('/general', body, headers)
    expect(viaLean).toEqual(viaGeneral)
    // Read by the lean reader itself, or handed to body-parser, as the case says.
    expect(handedOn - before).toBe(lean ? 0 : 1)
  })

  it('given an object, then the lean reader parsed it and answered as body-parser would', async () => {
    expect(await post('/lean', text('{"a":1}'), JSON_TYPE)).toBe('200 {"body":{"a":1}}')
  })

  it('given a body that is JSON but not an object or array, then the error names it as body-parser does', async () => {
    expect(await post('/lean', text('  123'), JSON_TYPE)).toMatch(/^400 \{"problem":null,"type":"entity\.parse\.failed","message":".*123/)
  })
})
