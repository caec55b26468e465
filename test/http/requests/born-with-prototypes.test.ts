import { IncomingMessage, type RequestListener, type Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../../src/http/requests/limits'
import { listen } from '../../../src/http/listen'

/**
 * The server's requests and responses are born with an express app's prototypes
 * (src/http/born-with-prototypes.ts), so express's per-request Object.setPrototypeOf finds them set.
 */
describe('requests and responses born with the app prototypes', () => {
  let server: Server | undefined
  afterEach(async () => {
    const s = server
    server = undefined
    if (s) await new Promise((r) => s.close(r))
  })

  /** Serves `handler` through listen, GETs / once, returns what the handler saw. */
  const seen = async (handler: RequestListener): Promise<{ req: unknown; res: unknown; status: number; text: string }> => {
    let saw: { req: unknown; res: unknown } | undefined
    const watching = (req: IncomingMessage, res: ServerResponse) => {
      saw = { req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res) }
      handler(req, res)
    }
    // It carries the handler's prototypes as the handler itself: the server may make them its own classes' (and sets them on the app).
    const app = handler as unknown as Record<'request' | 'response', unknown>
    if ('request' in handler)
      for (const k of ['request', 'response'] as const) Object.defineProperty(watching, k, { get: () => app[k], set: (v: unknown) => (app[k] = v), enumerable: true })
    server = await listen(watching, { port: 0, host: '127.0.0.1', limits: DEFAULT_LIMITS })
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    return { ...saw!, status: answer.status, text: await answer.text() }
  }

  it('given an express app, then each request and response has its prototypes before express sees it, and the app answers as ever', async () => {
    const app = express()
    app.get('/', (req, res) => {
      res.status(200).type('text').send(`${req.method} ${req.get('host')?.startsWith('127.0.0.1') === true} ${res instanceof ServerResponse}`)
    })
    const s = await seen(app)
    expect(s.req).toBe(app.request)
    expect(s.res).toBe(app.response)
    expect(app.request instanceof IncomingMessage).toBe(true)
    expect({ status: s.status, text: s.text }).toEqual({ status: 200, text: 'GET true true' })
  })

  it('given a plain handler, then node makes its own requests and responses', async () => {
    const s = await seen((_req, res) => res.end('plain'))
    expect(s.req).toBe(IncomingMessage.prototype)
    expect(s.res).toBe(ServerResponse.prototype)
    expect(s.text).toBe('plain')
  })

  it('given an express app, then its responses and requests are born with fast properties, as node\'s own are (not dictionaries: every field a hash lookup)', () => {
    // V8's own answer, asked in a child with natives syntax (the test's process has none).
    const script = `
      const http = require('node:http')
      const express = require('express')
      const { bornWithPrototypes } = require(${JSON.stringify(join(__dirname, '..', '..', '..', 'src', 'http', 'born-with-prototypes.ts'))})
      const app = express()
      const { IncomingMessage, ServerResponse } = bornWithPrototypes(app)
      const socket = new (require('node:net').Socket)()
      const req = new IncomingMessage(socket)
      const res = new ServerResponse(req)
      res.statusCode = 200
      process.stdout.write(JSON.stringify({ req: %HasFastProperties(req), res: %HasFastProperties(res), protos: Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response, again: bornWithPrototypes(app).ServerResponse === ServerResponse, express: typeof res.status === 'function' && res.app === app }))
    `
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '-e', script], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ req: true, res: true, protos: true, again: true, express: true })
  })
})
