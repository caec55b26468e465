import type { LedgerFile } from '../ledgers/ledger-file'
import { TOKENS } from '../ledgers/ledger-file'
import { type LoadFigures, hammer, loadWindow } from '../load/http-load'
import { SERVER_START, startListening } from '../processes'
import { UNIT, YEAR } from '../ledgers/seed'

/** One small durable command through the real recording path: decided, hash-chained, committed (fsync), answered 201. */
const ADD = JSON.stringify({ type: 'AddToLine', data: { line: 'p10', amount: '0.01', category: 'ordinary' }, reason: '压测', document: '测试〔2021〕2号', effectiveDate: '2021-05-01' })
const COMMANDS = `/api/units/${UNIT}/years/${YEAR}/commands`
const CALL = { method: 'POST', path: COMMANDS, token: TOKENS.write, body: ADD } as const

/** How a run loads the writes at each client count, from the bench's `--seconds`. */
export interface WriteWindows {
  /** Uncounted load first, at the same client count: V8 compiles the command path in the first seconds of load (docs/speed.md, "Writes, the other threads"). */
  readonly warmSeconds: number
  readonly windowSeconds: number
}

export const writeWindows = (seconds: number): WriteWindows => ({ warmSeconds: seconds, windowSeconds: seconds })

/** Durable writes over HTTP by `clients` concurrent clients, on a fresh copy of the ledger and a fresh server (group commit as the server has it), once warm. */
export const writes = async (ledger: LedgerFile, clients: number, plan: WriteWindows, run: number): Promise<LoadFigures> => {
  const db = ledger.copy(`writes-${clients}-${run}`)
  const server = await startListening(SERVER_START, ledger.serverEnv(db), ledger.dir)
  try {
    const warm = await loadWindow(server.url, clients, plan.warmSeconds, CALL, 201)
    if (warm.failed > 0) throw new Error(`${warm.failed} write(s) of the warm-up at ${clients} client(s) did not answer 201`)
    return await hammer(server.url, clients, plan.windowSeconds, CALL, 201)
  } finally {
    await server.stop()
  }
}
