import * as E from 'fp-ts/Either'
import { type Line, carryOverOf, originalFundSourceOf } from '../../domain/budget-year'
import type { FundSource } from '../../domain/budget-file/classification'
import type { Command, CommandContext } from '../../domain/events/commands'
import type { Comparatives, DepartmentMembership } from '../../domain/events/events'
import { sum, toMoneyString } from '../../domain/money/money'
import type { Actor, LedgerDeps } from '../deps'
import { loadBudgetYear } from '../fold/load'
import { type RecordError, type RecordOptions, type Recorded, recordSteps } from '../recording/record'

/**
 * Opens the year after a closed one with its 结转 as 上年结转: reads the closed year (I/O here, in
 * the application layer), then records in the next year's stream BudgetYearOpened (unless that
 * year is already open, e.g. because its own budget file was imported first) and one line per
 * carried-over amount: fund source carriedForward, the same kind, basic category, project name,
 * function and economic code as the source line, carriedFrom naming it. All in one atomic batch.
 * decide refuses a source line carried twice, so running this again records nothing new.
 */

export type OpenNextYearError =
  | RecordError
  | { readonly kind: 'source-not-closed'; readonly message: string; readonly words: string }

/** The id of the carried line in the next year: "cf-" + the source id (cut to the 64 characters a line id may have). */
export const carriedLineId = (source: string): string => `cf-${source}`.slice(0, 64)

/** Where the carried money was budgeted: the source line's own fund source, or what it carried. */
const carriedFundSourceOf = (l: Line): { carriedFundSource?: FundSource } => {
  const source = originalFundSourceOf(l)
  return source === null ? {} : { carriedFundSource: source }
}

/** The commands that open `year + 1` with the closed year's carry-over; pure. */
export const nextYearCommands = (
  closed: { unit: { code: string; name: string }; year: number; unitType: 'administrative' | 'institution'; lines: ReadonlyArray<Line>; department?: DepartmentMembership },
  nextAlreadyOpen: boolean,
  previousYear: Comparatives = {},
): Command[] => {
  const commands: Command[] = nextAlreadyOpen
    ? []
    : // The unit stays in its department: a department's units must not drop out of its next year.
      [{ type: 'OpenBudgetYear', data: { unit: closed.unit, year: closed.year + 1, unitType: closed.unitType, previousYear, ...(closed.department ? { department: closed.department } : {}) } }]
  for (const l of closed.lines) {
    if (carryOverOf(l).isZero()) continue
    commands.push({
      type: 'AllocateLine',
      data: {
        line: carriedLineId(l.id),
        kind: l.kind,
        basicCategory: l.basicCategory,
        projectName: l.projectName,
        functionCode: l.functionCode,
        economicCode: l.economicCode,
        fundSource: 'carriedForward',
        amount: toMoneyString(carryOverOf(l)),
        carriedFrom: { year: closed.year, line: l.id },
        ...carriedFundSourceOf(l),
      },
    } as Command)
  }
  return commands
}

export interface OpenNextYearOptions extends Pick<RecordOptions, 'dryRun' | 'metadata' | 'idempotencyKey'> {
  /**
   * What the closed year's published budget said, for the next year's comparisons (table 7, the
   * report). Left empty unless given: the ledger does not derive published figures.
   */
  readonly previousYear?: Comparatives
}

export const openNextYear = async (
  deps: LedgerDeps,
  source: { unit: string; year: number },
  actor: Actor,
  options: OpenNextYearOptions = {},
  context?: Partial<CommandContext>,
): Promise<E.Either<OpenNextYearError, Recorded & { carriedOver: string }>> => {
  const closed = await loadBudgetYear(deps.store, source.unit, source.year)
  const id = closed.state.identity
  if (!id)
    return E.left({
      kind: 'source-not-closed',
      message: `there is no budget year ${source.year} of unit ${source.unit} in this ledger`,
      words: `账中没有单位 ${source.unit} 的 ${source.year} 年度预算`,
    })
  if (!closed.state.closed)
    return E.left({
      kind: 'source-not-closed',
      message: `budget year ${source.year} of unit ${source.unit} is not closed: close it (CloseYear) before opening ${source.year + 1} with its carry-over`,
      words: `单位 ${source.unit} 的 ${source.year} 年度尚未年终结账：先结账，再以其结转开启 ${source.year + 1} 年度`,
    })
  const target = { unit: source.unit, year: source.year + 1 }
  const next = await loadBudgetYear(deps.store, target.unit, target.year)
  const lines = [...closed.state.lines.values()]
  const commands = nextYearCommands({ unit: id.unit, year: id.year, unitType: id.unitType, lines, ...(id.department ? { department: id.department } : {}) }, next.state.identity !== undefined, options.previousYear)
  const carried = sum(lines.map(carryOverOf))
  const ctx: CommandContext = {
    reason: context?.reason ?? `上年结转：${source.year} 年结账结转 ${toMoneyString(carried)} 元转入 ${target.year} 年`,
    document: context?.document ?? null,
    effectiveDate: context?.effectiveDate ?? `${target.year}-01-01`,
  }
  // A repeat of the request is the same wish (this source, this context), though the commands it
  // computes differ once the first one is recorded: the idempotency key is checked against the wish.
  const recorded = await recordSteps(deps, target, [{ ctx, commands }], actor, {
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  }, { openNextYear: source, context: context ?? {} })
  return E.map((r: Recorded) => ({ ...r, carriedOver: toMoneyString(carried) }))(recorded)
}
