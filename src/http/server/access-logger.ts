import pino, { type Logger } from 'pino'

const LEVELS = [...Object.keys(pino.levels.values), 'silent']

/**
 * Lines are gathered and written together (issue 15, "read path"): a synchronous write per request
 * cost a read of a cached table about a tenth of its time. A line waits at most FLUSH_MS, or until
 * BATCH_BYTES are waiting; pino flushes what is left synchronously when the process exits (the
 * shutdown's process.exit, an uncaught error), so only a SIGKILL can lose the last FLUSH_MS of lines.
 */
export const FLUSH_MS = 200
const BATCH_BYTES = 4096

/**
 * The server's access log (src/http/access-log.ts): pino at LOG_LEVEL (default info; `warn` keeps
 * only the 5xx lines, `silent` none) to stdout, or appended to LEDGER_LOG_FILE.
 */
export const accessLogger = (env: NodeJS.ProcessEnv): Logger => {
  const level = env.LOG_LEVEL || 'info'
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL: expected one of ${LEVELS.join(', ')}, got "${level}"`)
  const file = env.LEDGER_LOG_FILE
  const batched = { sync: false, minLength: BATCH_BYTES, periodicFlush: FLUSH_MS }
  const destination = pino.destination(file ? { dest: file, append: true, mkdir: true, ...batched } : { dest: 1, ...batched })
  return pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, destination)
}
