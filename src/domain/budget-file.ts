import * as t from 'io-ts'
import { EconomicCode, FundSource, FunctionCode, UnitType } from './classification'
import { type Command, type CommandContext } from './commands'
import { BasicCategory, Comparatives, Earmark, LineKind } from './events'
import { MoneyString } from './money'
import { Bounded, IsoDate, LineId, NonEmpty, UnitCode, Year } from './primitives'
import { strict } from './strict'
import { ProjectTarget, UnitIndicator, UnitTask } from './targets'

/**
 * The budget file: one unit's approved budget for one year, as a finance bureau publishes it.
 * Documented in README.md ("The budget file"). Amounts are 元 as decimal strings. Every key is
 * checked: an unknown key is an error, not silently ignored.
 */
export const BUDGET_FILE_FORMAT = 'budget-ledger/budget-year@1'

/**
 * At most this many lines in one file. Each line records up to two events (its allocation and its
 * project targets) and one batch appends at most 10,000 events, so a larger file could never be
 * recorded; refusing it before its lines are decoded saves minutes of work that would be thrown away.
 */
export const MAX_FILE_LINES = 4000
/** At most this many bytes in a budget file read from disk (the sample has 23 kB; 4,000 lines with targets fit). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024
/** What to do with a budget too large for one file. */
export const SPLIT_ADVICE = 'split it into one file per unit and year, or record further lines with allocate'

/**
 * An array with at most `max` elements, counted before any element is decoded. An ArrayType still,
 * so the paths of its elements read "lines[3]".
 */
const atMost = <C extends t.Mixed>(codec: t.ArrayC<C>, max: number): t.ArrayC<C> =>
  new t.ArrayType(
    codec.name,
    (u): u is t.TypeOf<typeof codec> => codec.is(u) && u.length <= max,
    (u, c) =>
      Array.isArray(u) && u.length > max
        ? t.failure(u, c, `at most ${max} lines, not ${u.length}: ${SPLIT_ADVICE}`)
        : codec.validate(u, c),
    codec.encode,
    codec.type,
  )

const FileLine = strict(
    {
      id: LineId,
      kind: LineKind,
      functionCode: FunctionCode,
      fundSource: FundSource,
      amount: MoneyString,
    },
    {
      /** basic lines: "personnel" (人员经费), "operating" (公用经费) or null when not known. */
      basicCategory: BasicCategory,
      /** project lines: the project's name. */
      projectName: NonEmpty,
      economicCode: t.union([EconomicCode, t.null]),
      targets: t.array(ProjectTarget),
    },
  'line',
)

export const BudgetFile = strict(
    {
      format: t.literal(BUDGET_FILE_FORMAT),
      unit: strict({ code: UnitCode, name: NonEmpty }),
      unitType: UnitType,
      year: Year,
      /** The date the budget was approved: the business date of every event the import records. */
      approvedOn: IsoDate,
      lines: atMost(t.array(FileLine), MAX_FILE_LINES),
    },
    {
      /** 批复文号 of the approved budget. */
      document: t.union([Bounded(1, 200), t.null]),
      /** Where the figures come from, kept as the import's reason. */
      source: Bounded(1, 2000),
      previousYear: Comparatives,
      earmarks: strict(
        {},
        Object.fromEntries(Object.keys(Earmark.keys).map((k) => [k, MoneyString])) as Record<Earmark, typeof MoneyString>,
        'earmarks',
      ),
      unitTargets: strict({ annualGoals: t.array(NonEmpty), tasks: t.array(UnitTask), indicators: t.array(UnitIndicator) }),
      synthetic: t.boolean,
    },
  'BudgetFile',
)
export type BudgetFile = t.TypeOf<typeof BudgetFile>

/** The commands that record a budget file, in order; decided one after another like any others. */
export const budgetFileCommands = (f: BudgetFile): { commands: Command[]; context: CommandContext } => {
  const commands: Command[] = [
    { type: 'OpenBudgetYear', data: { unit: f.unit, year: f.year, unitType: f.unitType, previousYear: f.previousYear ?? {} } },
  ]
  for (const l of f.lines) {
    commands.push({
      type: 'AllocateLine',
      data: {
        line: l.id,
        kind: l.kind,
        basicCategory: l.basicCategory ?? null,
        projectName: l.projectName ?? null,
        functionCode: l.functionCode,
        economicCode: l.economicCode ?? null,
        fundSource: l.fundSource,
        amount: l.amount,
      },
    })
  }
  for (const [earmark, amount] of Object.entries(f.earmarks ?? {}) as Array<[Earmark, MoneyString]>)
    commands.push({ type: 'SetEarmark', data: { earmark, amount } })
  if (f.unitTargets) commands.push({ type: 'SetUnitTargets', data: f.unitTargets })
  for (const l of f.lines)
    if (l.targets?.length) commands.push({ type: 'SetProjectTargets', data: { line: l.id, targets: l.targets } })
  return {
    commands,
    context: {
      reason: f.source ?? `approved budget ${f.year} of unit ${f.unit.code}`,
      document: f.document ?? null,
      effectiveDate: f.approvedOn,
    },
  }
}
