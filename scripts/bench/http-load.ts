import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { quantile, sorted } from './stats'

export interface Call {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly token: string
  readonly body?: string
}

export interface LoadFigures {
  readonly requests: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Answers other than the expected status: counted, never hidden in the rate. */
  readonly failed: number
}

/** One request on a keep-alive agent: its status once the whole answer is read. */
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
 * `connections` clients, each on its own kept-alive connection, sending one request after another
 * for `seconds`. The connections are opened first (one request each, not counted), as real clients
 * hold them, so the measured requests arrive together; then each sends one more, not counted
 * either, because a server's first two reads of a unit-year are its start-up (a cold read, then
 * restoring the as-of index: docs/speed.md, "Cold start without the whole index"), which the
 * first-answer measure reports, and these figures are the warm server's.
 */
export const hammer = async (base: string, connections: number, seconds: number, call: () => Call, expected: number): Promise<LoadFigures> => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  try {
    for (let round = 0; round < 2; round++) await Promise.all(Array.from({ length: connections }, () => send(agent, base, call())))
    const latencies: number[] = []
    let failed = 0
    const t0 = performance.now()
    const until = t0 + seconds * 1000
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const t = performance.now()
          if ((await send(agent, base, call())) !== expected) failed++
          latencies.push(performance.now() - t)
        }
      }),
    )
    const elapsed = (performance.now() - t0) / 1000
    const s = sorted(latencies)
    return { requests: s.length, perSecond: s.length / elapsed, p50Ms: quantile(s, 0.5), p99Ms: quantile(s, 0.99), failed }
  } finally {
    agent.destroy()
  }
}
