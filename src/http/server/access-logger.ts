import pino, { type Logger } from 'pino'

const LEVELS = [...Object.keys(pino.levels.values), 'silent']

/**
 * The server's access log (src/http/access-log.ts): pino at LOG_LEVEL (default info; `warn` keeps
 * only the 5xx lines, `silent` none) to stdout, or appended to LEDGER_LOG_FILE. Written
 * synchronously, so no line is lost when the server exits.
 */
export const accessLogger = (env: NodeJS.ProcessEnv): Logger => {
  const level = env.LOG_LEVEL || 'info'
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL: expected one of ${LEVELS.join(', ')}, got "${level}"`)
  const file = env.LEDGER_LOG_FILE
  const destination = file ? pino.destination({ dest: file, append: true, mkdir: true, sync: true }) : pino.destination({ dest: 1, sync: true })
  return pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, destination)
}
