import { parseStream } from '../../domain/codecs/primitives'
import { departmentMembers, listDepartments } from '../../ledger/reports/department'
import type { ReadScope } from '../../ledger/reports/read-scope'
import type { EventStore } from '../../store/port'
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


/** How a scope is named in messages and output: "unit 101065 2021" or "department 900500 2021". */
export const scopeName = (s: ReadScope): string => ('department' in s ? `department ${s.department}` : `unit ${s.unit}`) + ` ${s.year}`

/**
 * --department CODE (with --year, unless the department has one year) or, without it, the unit-year
 * of --unit / --year (resolveTarget). The two cannot be combined.
 */
export const resolveReadScope = async (store: EventStore, opts: { unit?: string; year?: string; department?: string }): Promise<ReadScope> => {
  if (opts.department === undefined) return resolveTarget(store, opts)
  if (opts.unit !== undefined) throw new CliError('--unit and --department: give one (a unit-year, or a department consolidated from its units)', 2)
  const departments = await listDepartments(store)
  const listed = departments.flatMap((d) => d.years.map((y) => `  --department ${d.code} --year ${y.year}  (${d.name}: ${y.units.length} units)`))
  const d = departments.find((x) => x.code === opts.department)
  if (!d) throw new CliError(`no department ${opts.department} in this ledger (no unit-year names it)`, 1, listed.length ? ['available:', ...listed] : [])
  if (opts.year === undefined) {
    if (d.years.length === 1) return { department: d.code, year: d.years[0]!.year }
    throw new CliError('the department has several years: choose one with --year', 2, ['available:', ...listed])
  }
  const year = Number(opts.year)
  if (!(Number.isInteger(year) && year >= 2000 && year <= 2100)) throw new CliError(`--year: expected a year such as 2021, got "${opts.year}"`, 2)
  if (!d.years.some((y) => y.year === year)) throw new CliError(`no budget year ${year} for department ${d.code} in this ledger`, 1, ['available:', ...listed])
  return { department: d.code, year }
}

/**
 * The unit-year of a read of one unit's own log (a line, a history, a cell's events, a diff): as
 * resolveTarget. --department is refused naming it, why, and the units to read instead, rather than
 * ignored or unknown.
 */
export const resolveUnitRead = async (
  store: EventStore,
  opts: { unit?: string; year?: string; department?: string },
  command: string,
  why: string,
): Promise<{ unit: string; year: number }> => {
  if (opts.department === undefined) return resolveTarget(store, opts)
  const scope = await resolveReadScope(store, opts)
  if (!('department' in scope)) return scope
  const units = (await departmentMembers(store, scope.department, scope.year)).map((m) => `--unit ${m.unit} --year ${scope.year}`)
  throw new CliError(`--department: \`${command}\` ${why}; read each of its units instead: ${units.join(', ')}`, 2)
}
