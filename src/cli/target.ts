import { parseStream } from '../domain/primitives'
import type { EventStore } from '../store/port'
import { CliError } from './io'

/**
 * The unit-year a command is about: --unit and --year when given; otherwise the only one in the
 * store. With several and no choice, the error lists them.
 */
export const resolveTarget = async (
  store: EventStore,
  opts: { unit?: string; year?: string },
): Promise<{ unit: string; year: number }> => {
  const years = (await store.listStreams('budget-')).map(parseStream).filter((x) => x !== undefined)
  const year = opts.year === undefined ? undefined : Number(opts.year)
  if (opts.year !== undefined && !(Number.isInteger(year) && year! >= 2000 && year! <= 2100))
    throw new CliError(`--year: expected a year such as 2021, got "${opts.year}"`, 2)
  const matches = years.filter((y) => (opts.unit === undefined || y.unit === opts.unit) && (year === undefined || y.year === year))
  if (opts.unit !== undefined && year !== undefined) {
    if (matches.length === 0)
      throw new CliError(`no budget year ${year} for unit ${opts.unit} in this ledger`, 1, available(years))
    return { unit: opts.unit, year }
  }
  if (matches.length === 1) return matches[0]!
  if (matches.length === 0)
    throw new CliError(
      years.length === 0 ? 'the ledger is empty: load a budget with `budget-ledger import FILE` or `budget-ledger sample`' : 'no matching budget year',
      1,
      available(years),
    )
  throw new CliError('several budget years match: choose one with --unit and --year', 2, available(years))
}

const available = (years: ReadonlyArray<{ unit: string; year: number }>) =>
  years.length ? ['available:', ...years.map((y) => `  --unit ${y.unit} --year ${y.year}`)] : []
