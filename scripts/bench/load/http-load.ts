import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { type Call, LeanConnection, requestBytes } from './lean-client'
import { quantile, sorted } from '../report/stats'

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

/** A client of a load: sends its request once and resolves with the answer's status. */
export type Client = () => Promise<number>

/**
 * `count` clients each on its own kept-alive connection, all sending `call`: lean (lean-client.ts,
 * what the bench measures with) or node's http client (what it measured with before; kept to
 * compare the two generators' own CPU, scripts/focused-bench/bench-writes.ts and bench-get.ts --client).
 */
export const loadClients = (lean: boolean, base: string, count: number, call: Call): { clients: Client[]; close: () => void } => {
  if (lean) {
    const url = new URL(base)
    const bytes = requestBytes(url, call)
    const what = `${call.method} ${call.path}`
    const connections = Array.from({ length: count }, () => new LeanConnection(url.hostname, Number(url.port)))
    return { clients: connections.map((c) => () => c.send(bytes, what)), close: () => connections.forEach((c) => c.close()) }
  }
  const agent = new Agent({ keepAlive: true, maxSockets: count })
  return { clients: Array.from({ length: count }, () => () => send(agent, base, call)), close: () => agent.destroy() }
}

/**
 * What one loaded window saw: every request's latency (ms), how long the window lasted, and the
 * answers other than the expected status. Windows of the same server pool into one figure
 * (`loadFigures`), as the bench's GET does with its interleaved windows (measures/server.ts).
 */
export interface LoadWindow {
  readonly latencies: ReadonlyArray<number>
  readonly seconds: number
  readonly failed: number
}

/** Windows pooled: every request over all the loaded time (req/s), quantiles of every latency. */
export const loadFigures = (windows: ReadonlyArray<LoadWindow>): LoadFigures => {
  const s = sorted(windows.flatMap((w) => w.latencies))
  const seconds = windows.reduce((t, w) => t + w.seconds, 0)
  return { requests: s.length, perSecond: s.length / seconds, p50Ms: quantile(s, 0.5), p99Ms: quantile(s, 0.99), failed: windows.reduce((n, w) => n + w.failed, 0) }
}

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
export const loadWindow = async (base: string, connections: number, seconds: number, call: Call, expected: number): Promise<LoadWindow> => {
  const { clients, close } = loadClients(true, base, connections, call)
  try {
    for (let round = 0; round < 2; round++) await Promise.all(clients.map((c) => c()))
    const latencies: number[] = []
    let failed = 0
    const t0 = performance.now()
    const until = t0 + seconds * 1000
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < until) {
          const t = performance.now()
          if ((await client()) !== expected) failed++
          latencies.push(performance.now() - t)
        }
      }),
    )
    return { latencies, seconds: (performance.now() - t0) / 1000, failed }
  } finally {
    close()
  }
}

/** One loaded window's figures (`loadWindow`, then `loadFigures`). */
export const hammer = async (base: string, connections: number, seconds: number, call: Call, expected: number): Promise<LoadFigures> =>
  loadFigures([await loadWindow(base, connections, seconds, call, expected)])
