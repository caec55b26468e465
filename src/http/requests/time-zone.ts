import { DEFAULT_TIME_ZONE } from '../../domain/time/as-of'

/**
 * The ledger's time zone on the server: LEDGER_TIME_ZONE, else Asia/Shanghai. Bare dates and
 * date-times in requests are read in it, and times people read are shown in it (the dashboard
 * asks for it at GET /api/time-zone).
 */
export const ledgerTimeZone = (env: NodeJS.ProcessEnv = process.env): string => env.LEDGER_TIME_ZONE || DEFAULT_TIME_ZONE
