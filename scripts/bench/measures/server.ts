import { Agent } from 'node:http'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { join } from 'node:path'
import type { LedgerFile } from '../ledgers/ledger-file'
import { TOKENS } from '../ledgers/ledger-file'
import { type LoadFigures, type LoadWindow, loadFigures, loadWindow, send } from '../load/http-load'
import { alternatingOrder, pairShare } from '../load/interleaved'
import { SERVER_START, rssMb, startListening } from '../processes'
import { UNIT, YEAR } from '../ledgers/seed'

export const TABLE_PATH = `/api/units/${UNIT}/years/${YEAR}/tables/3`

/**
 * How a run loads the GET and its ceiling, from the bench's `--seconds`: each warmed by one
 * unmeasured window, then `pairs` pairs of windows, one server loaded at a time. Four pairs, so
 * that the order (ours first, then the ceiling first, …) is balanced: OCCOOCCO cancels a machine
 * load that rises or falls steadily over the measure. Loaded time per run 2 × seconds/3 + 8 ×
 * seconds/3 (10 s at 3 s, where one sequential pair was 6 s): short windows, since a pair's two
 * are then close in time and share the machine's load, and more pairs for the median.
 */
export interface GetWindows {
  readonly pairs: number
  readonly windowSeconds: number
  readonly warmSeconds: number
}

export const getWindows = (seconds: number): GetWindows => ({ pairs: 4, windowSeconds: seconds / 3, warmSeconds: seconds / 3 })

type Side = 'ours' | 'ceiling'
const SIDES: ReadonlyArray<Side> = ['ours', 'ceiling']

/** One pair of windows: the ledger's and the ceiling's, one right after the other. */
export interface GetPair {
  /** Which side was loaded first (alternating, interleaved.ts). */
  readonly first: Side
  readonly ours: LoadFigures
  readonly ceiling: LoadFigures
  /** Ours' req/s as a percentage of the ceiling's in this pair. */
  readonly share: number
  /** The 1-minute load average at the pair's start. */
  readonly load: number
}

export interface ServerRun {
  /** From spawn to the first 200 of GET table 3: start, open the store, fold the year, render. */
  readonly firstAnswerSeconds: number
  /**
   * Resident memory holding the year (OS figure): the larger of after the first answer and after
   * the reads, since a first answer is a cold read and the as-of index is restored by the next read.
   */
  readonly rssMb: number
  /** Ours' windows of the pairs pooled (http-load.ts `loadFigures`): all requests ÷ all loaded time, p99 of every latency. */
  readonly reads: LoadFigures
  /** The ceiling's windows of the pairs, pooled alike. */
  readonly ceiling: LoadFigures
  readonly pairs: ReadonlyArray<GetPair>
}

/** The ceiling's server (ceiling-server.ts): prebuilt bytes on the ledger's own server machinery. */
const CEILING = join(__dirname, '..', 'load', 'ceiling-server.ts')

const tableBody = async (base: string): Promise<string> => {
  const r = await fetch(new URL(TABLE_PATH, base), { headers: { authorization: `Bearer ${TOKENS.read}` } })
  if (r.status !== 200) throw new Error(`GET ${TABLE_PATH} answered ${r.status}`)
  return r.text()
}

/**
 * A fresh server: its first answer and its memory, then GET table 3 at `connections` against the
 * ceiling (given the server's answer as its body). Both stay up for the whole measure and each is
 * warmed first (JIT, and the first seconds of a fresh process), so that neither is judged on its
 * start; then they are loaded in alternating pairs (getWindows), the idle one waiting. One
 * sequential pair of fresh servers gave 66–107 % for the same build (docs/speed.md, "GET share,
 * measured in pairs").
 */
export const serverRun = async (ledger: LedgerFile, connections: number, seconds: number): Promise<ServerRun> => {
  const plan = getWindows(seconds)
  const t0 = performance.now()
  const server = await startListening(SERVER_START, ledger.serverEnv(ledger.path), ledger.dir)
  try {
    const agent = new Agent({ keepAlive: true })
    const status = await send(agent, server.url, { method: 'GET', path: TABLE_PATH, token: TOKENS.read })
    const firstAnswerSeconds = (performance.now() - t0) / 1000
    agent.destroy()
    if (status !== 200) throw new Error(`the first GET ${TABLE_PATH} answered ${status}`)
    const afterFirst = rssMb(server.child.pid!)
    const body = await tableBody(server.url)
    const ceilingServer = await startListening(['--import', 'tsx', CEILING], { BODY: Buffer.from(body).toString('base64'), TOKEN: TOKENS.read })
    try {
      const url: Record<Side, string> = { ours: server.url, ceiling: ceilingServer.url }
      const load = (side: Side, s: number) => loadWindow(url[side], connections, s, { method: 'GET', path: TABLE_PATH, token: TOKENS.read }, 200)
      for (const side of SIDES) await load(side, plan.warmSeconds)
      const windows: Record<Side, LoadWindow[]> = { ours: [], ceiling: [] }
      const pairs: GetPair[] = []
      for (const order of alternatingOrder(SIDES, plan.pairs)) {
        const loadAverage = loadavg()[0]!
        const pair = {} as Record<Side, LoadFigures>
        for (const side of order) {
          const w = await load(side, plan.windowSeconds)
          windows[side].push(w)
          pair[side] = loadFigures([w])
        }
        pairs.push({ first: order[0]!, ours: pair.ours, ceiling: pair.ceiling, share: pairShare(pair.ours.perSecond, pair.ceiling.perSecond), load: loadAverage })
      }
      // Read once after the pairs, as after the one window before: with an even count of pairs ours' window is the last (OCCO…CCO).
      const rss = Math.max(afterFirst, rssMb(server.child.pid!))
      return { firstAnswerSeconds, rssMb: rss, reads: loadFigures(windows.ours), ceiling: loadFigures(windows.ceiling), pairs }
    } finally {
      await ceilingServer.stop()
    }
  } finally {
    await server.stop()
  }
}
