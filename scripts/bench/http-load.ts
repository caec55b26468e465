import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { type Call, LeanConnection, requestBytes } from './lean-client'
import { quantile, sorted } from './stats'

export type { Call } from './lean-client'

export interface LoadFigures {
  readonly requests: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Answers other than the expected status: counted, never hidden in the rate. */
  readonly failed: number
}

/** One request on a keep-alive agent of node's http client: its status once the whole answer is read (single requests, not load). */
export const send = (agent: Agent, base: string, call: Call): Promise<number> =>
  new Promise((ok, fail) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${call.token}` }
    if (call.body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(call.body) })
    const req = request(new URL(call.path, base), { agent, method: call.method, headers }, (res) => {
      res.resume()
      res.on('end', () => ok(res.statusCode ?? 0))
    })
    req.on('error', fail)
    req.end(call.body)
  })

/**
 * `connections` clients, each on its own kept-alive connection, sending `call` one request after
 * another for `seconds`. The connections are opened first (one request each, not counted), as real
 * clients hold them, so the measured requests arrive together; then each sends one more, not
 * counted either, because a server's first two reads of a unit-year are its start-up (a cold read,
 * then restoring the as-of index: docs/speed.md, "Cold start without the whole index"), which the
 * first-answer measure reports, and these figures are the warm server's.
 *
 * The clients are lean (lean-client.ts: raw sockets, the request's bytes built once, only the
 * status and the body's end read), not node's http client, which cost about as much CPU a request
 * as the server on the same cores and so capped what the figures could show (docs/speed.md,
 * "Writes at 64, again").
 */
export const hammer = async (base: string, connections: number, seconds: number, call: Call, expected: number): Promise<LoadFigures> => {
  const url = new URL(base)
  const bytes = requestBytes(url, call)
  const what = `${call.method} ${call.path}`
  const clients = Array.from({ length: connections }, () => new LeanConnection(url.hostname, Number(url.port)))
  try {
    for (let round = 0; round < 2; round++) await Promise.all(clients.map((c) => c.send(bytes, what)))
    const latencies: number[] = []
    let failed = 0
    const t0 = performance.now()
    const until = t0 + seconds * 1000
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < until) {
          const t = performance.now()
          if ((await client.send(bytes, what)) !== expected) failed++
          latencies.push(performance.now() - t)
        }
      }),
    )
    const elapsed = (performance.now() - t0) / 1000
    const s = sorted(latencies)
    return { requests: s.length, perSecond: s.length / elapsed, p50Ms: quantile(s, 0.5), p99Ms: quantile(s, 0.99), failed }
  } finally {
    for (const c of clients) c.close()
  }
}
