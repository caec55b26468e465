import type { LedgerFile } from '../ledger-file'
import { TOKENS } from '../ledger-file'
import { type LoadFigures, hammer } from '../http-load'
import { SERVER, startListening } from '../processes'
import { UNIT, YEAR } from '../seed'

/** One small durable command through the real recording path: decided, hash-chained, committed (fsync), answered 201. */
const ADD = JSON.stringify({ type: 'AddToLine', data: { line: 'p10', amount: '0.01', category: 'ordinary' }, reason: '压测', document: '测试〔2021〕2号', effectiveDate: '2021-05-01' })
const COMMANDS = `/api/units/${UNIT}/years/${YEAR}/commands`

/** Durable writes over HTTP by `clients` concurrent clients, on a fresh copy of the ledger (group commit as the server has it). */
export const writes = async (ledger: LedgerFile, clients: number, seconds: number, run: number): Promise<LoadFigures> => {
  const db = ledger.copy(`writes-${clients}-${run}`)
  const server = await startListening([SERVER], ledger.serverEnv(db), ledger.dir)
  try {
    return await hammer(server.url, clients, seconds, { method: 'POST', path: COMMANDS, token: TOKENS.write, body: ADD }, 201)
  } finally {
    await server.stop()
  }
}
