import { Agent } from 'node:http'
import { performance } from 'node:perf_hooks'
import { join } from 'node:path'
import type { LedgerFile } from '../ledger-file'
import { TOKENS } from '../ledger-file'
import { type LoadFigures, hammer, send } from '../http-load'
import { SERVER, rssMb, startListening } from '../processes'
import { UNIT, YEAR } from '../seed'

export const TABLE_PATH = `/api/units/${UNIT}/years/${YEAR}/tables/3`

export interface ServerRun {
  /** From spawn to the first 200 of GET table 3: start, open the store, fold the year, render. */
  readonly firstAnswerSeconds: number
  /**
   * Resident memory holding the year (OS figure): the larger of after the first answer and after
   * the reads, since a first answer is a cold read and the as-of index is restored by the next read.
   */
  readonly rssMb: number
  readonly reads: LoadFigures
  readonly ceiling: LoadFigures
}

/** The ceiling's server (ceiling-server.ts): prebuilt bytes on the ledger's own server machinery. */
const CEILING = join(__dirname, '..', 'ceiling-server.ts')

const tableBody = async (base: string): Promise<string> => {
  const r = await fetch(new URL(TABLE_PATH, base), { headers: { authorization: `Bearer ${TOKENS.read}` } })
  if (r.status !== 200) throw new Error(`GET ${TABLE_PATH} answered ${r.status}`)
  return r.text()
}

export const serverRun = async (ledger: LedgerFile, connections: number, seconds: number): Promise<ServerRun> => {
  const t0 = performance.now()
  const server = await startListening([SERVER], ledger.serverEnv(ledger.path), ledger.dir)
  try {
    const agent = new Agent({ keepAlive: true })
    const status = await send(agent, server.url, { method: 'GET', path: TABLE_PATH, token: TOKENS.read })
    const firstAnswerSeconds = (performance.now() - t0) / 1000
    agent.destroy()
    if (status !== 200) throw new Error(`the first GET ${TABLE_PATH} answered ${status}`)
    const afterFirst = rssMb(server.child.pid!)
    const body = await tableBody(server.url)
    const reads = await hammer(server.url, connections, seconds, { method: 'GET', path: TABLE_PATH, token: TOKENS.read }, 200)
    const rss = Math.max(afterFirst, rssMb(server.child.pid!))
    await server.stop()
    const ceilingServer = await startListening(['--import', 'tsx', CEILING], { BODY: Buffer.from(body).toString('base64'), TOKEN: TOKENS.read })
    try {
      const ceiling = await hammer(ceilingServer.url, connections, seconds, { method: 'GET', path: TABLE_PATH, token: TOKENS.read }, 200)
      return { firstAnswerSeconds, rssMb: rss, reads, ceiling }
    } finally {
      await ceilingServer.stop()
    }
  } finally {
    await server.stop()
  }
}
