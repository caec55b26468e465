import type { Command } from 'commander'
import * as E from 'fp-ts/Either'
import { DEFAULT_TIME_ZONE, type TimePoint, describeTimePoint, hasCutOff, parseTimePoint } from '../../domain/time/as-of'
import { CliError } from './io'

/**
 * The one place the time-travel flags are declared and read (docs/audit.md): --as-of, --effective
 * and --time-zone, for `table`, `report`, `indicators`, `history`, `explain`, … Parsing itself is
 * the domain's (src/domain/time/as-of.ts).
 */
export interface TimeOptions {
  asOf?: string
  effective?: string
  timeZone?: string
}

const FLAG: Record<string, string> = { asOf: '--as-of', effective: '--effective', timeZone: '--time-zone (or LEDGER_TIME_ZONE)' }

/** Adds --as-of, --effective and --time-zone to a command; returns it, for chaining. */
export const withTimeOptions = (cmd: Command): Command =>
  cmd
    .option('--as-of <when>', 'what the ledger said then: only events recorded by that moment (YYYY-MM-DD = the end of that day in the ledger time zone, an ISO timestamp, or now)')
    .option('--effective <date>', 'business date: leave out events dated after it (YYYY-MM-DD, an ISO timestamp, or today)')
    .option('--time-zone <zone>', `time zone of bare dates (env LEDGER_TIME_ZONE; default ${DEFAULT_TIME_ZONE})`)

/** The ledger's time zone: --time-zone, else LEDGER_TIME_ZONE, else Asia/Shanghai. */
export const ledgerTimeZone = (o: Pick<TimeOptions, 'timeZone'>, env: NodeJS.ProcessEnv): string =>
  o.timeZone ?? (env.LEDGER_TIME_ZONE || DEFAULT_TIME_ZONE)

/** The point in time the flags name (no flag: the ledger as it stands); usage error (exit 2) when bad. */
export const timePointOf = (o: TimeOptions, env: NodeJS.ProcessEnv, now: Date = new Date()): TimePoint => {
  const zone = ledgerTimeZone(o, env)
  const parsed = parseTimePoint({ asOf: o.asOf, effective: o.effective }, zone, now)
  if (E.isLeft(parsed))
    throw new CliError(
      `bad time-travel option${parsed.left.length > 1 ? 's' : ''}`,
      2,
      parsed.left.map((i) => `  ${FLAG[i.path] ?? i.path}: ${i.reason}`),
    )
  return parsed.right
}

/** A line saying which point in time a printed view is of; '' for the ledger as it stands. */
export const timeNote = (at: TimePoint, o: Pick<TimeOptions, 'timeZone'>, env: NodeJS.ProcessEnv): string =>
  hasCutOff(at) ? `（${describeTimePoint(at, ledgerTimeZone(o, env))}）\n` : ''

/** The refusal when a unit-year did not exist yet at the point asked for. */
export const notOpenAt = (
  target: { unit: string; year: number } | { department: string; year: number },
  at: TimePoint,
  o: Pick<TimeOptions, 'timeZone'>,
  env: NodeJS.ProcessEnv,
): CliError => {
  const whose = 'department' in target ? `department ${target.department}` : `unit ${target.unit}`
  return new CliError(
    hasCutOff(at)
      ? `budget year ${target.year} of ${whose} was not open ${describeTimePoint(at, ledgerTimeZone(o, env))}`
      : `no budget year ${target.year} for ${whose} in this ledger`,
  )
}
