import { CLI, runTimed } from '../processes'
import { UNIT, YEAR, YEAR_SPAN, YEAR_START } from '../ledgers/seed'

export interface ColdRun {
  readonly seconds: number
  readonly peakRssMb: number
}

/** The instant the cold queries ask about: late in the year, so most of the log is folded. */
export const LATE_IN_YEAR = new Date(YEAR_START + Math.floor(YEAR_SPAN * 0.9)).toISOString()

/** A fresh CLI process answering `table 3` or `indicators` as of an instant: what a person at a terminal waits for. */
export const coldCli = async (db: string, what: 'table' | 'indicators'): Promise<ColdRun> => {
  const args = what === 'table' ? ['table', '3'] : ['indicators']
  const r = await runTimed([CLI, '--db', db, ...args, '--unit', UNIT, '--year', String(YEAR), '--as-of', LATE_IN_YEAR, '--format', 'json'])
  JSON.parse(r.stdout) // an answer, not an error page
  return { seconds: r.seconds, peakRssMb: r.peakRssMb }
}
