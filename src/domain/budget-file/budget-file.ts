import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { amountsInYuan } from '../money/amount-unit'
import { EconomicCode, FundSource, FunctionCode, UnitType } from './classification'
import { type Command, type CommandContext } from '../events/commands'
import { BasicCategory, Comparatives, DepartmentMembership, Earmark, LineKind, UnitIdentity } from '../events/events'
import { type FieldError, decode } from '../codecs/decode'
import { AmountUnit, MoneyString } from '../money/money'
import { Bounded, IsoDate, LineId, NonEmpty, UnitCode, Year } from '../codecs/primitives'
import { strict } from '../codecs/strict'
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
      functionCode: FunctionCode,
      fundSource: FundSource,
    },
    {
      /** A line of one kind: its kind and its amount (mixedLineProblems: or the two below). */
      kind: LineKind,
      amount: MoneyString,
      /**
       * A 项 whose 年初预算 mixes basic and project money, as documents print it: both parts on one
       * line (no kind, no amount), recorded as two lines, "<id>.basic" and "<id>.project".
       */
      basicAmount: MoneyString,
      projectAmount: MoneyString,
      /** basic lines: "personnel" (人员经费), "operating" (公用经费) or null when not known. */
      basicCategory: BasicCategory,
      /** project lines: the project's name. */
      projectName: NonEmpty,
      economicCode: t.union([EconomicCode, t.null]),
      targets: t.array(ProjectTarget),
      /**
       * 上年结转 lines (fundSource carriedForward) only: the fund source the carried money was
       * budgeted from, which splits 年初结转和结余 into 财政拨款 and the rest in the 决算 tables.
       */
      carriedFundSource: FundSource,
    },
  'line',
)

export type FileLine = t.TypeOf<typeof FileLine>

const MIXED_PARTS = ['basic', 'project'] as const
/** The ids of the two lines a mixed 项 is recorded as. */
export const mixedLineId = (id: string, part: (typeof MIXED_PARTS)[number]): string => `${id}.${part}`

/**
 * A line is either of one kind (kind and amount) or a mixed 项 (basicAmount, projectAmount and the
 * project's name; no kind, no amount): anything in between is refused, naming the fields.
 */
const mixedLineProblems = (lines: ReadonlyArray<FileLine>): FieldError[] =>
  lines.flatMap((l, i) => {
    const at = (field: string, message: string): FieldError => ({ path: `lines[${i}].${field}`, expected: message, got: 'nothing', message: `lines[${i}].${field}: ${message}` })
    const mixed = l.basicAmount !== undefined || l.projectAmount !== undefined
    if (!mixed) return [...(l.kind === undefined ? [at('kind', 'expected "basic" or "project" (or basicAmount and projectAmount for a 项 that mixes both)')] : []), ...(l.amount === undefined ? [at('amount', 'expected the 年初预算 of the line (or basicAmount and projectAmount for a 项 that mixes both)')] : [])]
    return [
      ...(l.basicAmount === undefined ? [at('basicAmount', 'a mixed 项 states both parts: expected its basic amount too')] : []),
      ...(l.projectAmount === undefined ? [at('projectAmount', 'a mixed 项 states both parts: expected its project amount too')] : []),
      ...(l.kind !== undefined ? [at('kind', 'a mixed 项 (basicAmount and projectAmount) is both kinds: leave kind out')] : []),
      ...(l.amount !== undefined ? [at('amount', 'a mixed 项 gives its parts, not an amount: leave amount out')] : []),
      ...(l.projectName === undefined ? [at('projectName', 'a mixed 项 names the project its project part pays for')] : []),
      ...(mixedLineId(l.id, 'project').length > 64 ? [at('id', `at most ${64 - '.project'.length} characters for a mixed 项 (its lines are "<id>.basic" and "<id>.project")`)] : []),
    ]
  })

export const BudgetFile = strict(
    {
      format: t.literal(BUDGET_FILE_FORMAT),
      unit: UnitIdentity,
      unitType: UnitType,
      year: Year,
      /** The date the budget was approved: the business date of every event the import records. */
      approvedOn: IsoDate,
      lines: atMost(t.array(FileLine), MAX_FILE_LINES),
    },
    {
      /**
       * The unit of every amount in the file: "元" (the default) or "万元", as budget documents print
       * them. Converted to 元 exactly before the file is decoded (decodeBudgetFile).
       */
      amountUnit: AmountUnit,
      /** 批复文号 of the approved budget. */
      document: t.union([Bounded(1, 200), t.null]),
      /** Where the figures come from, kept as the import's reason. */
      source: Bounded(1, 2000),
      previousYear: Comparatives,
      /** The department the unit belongs to, as 本级 (own) or 所属单位 (subordinate): see README.md (departments). */
      department: DepartmentMembership,
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

/**
 * Decodes a budget file as people write it: amounts in the file's amountUnit (or with a 万元 / 元
 * suffix of their own) become 元 first, so the decoded file, like every event, is in 元.
 */
export const decodeBudgetFile = (input: unknown): E.Either<FieldError[], BudgetFile> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return decode(BudgetFile)(input)
  const { amountUnit, ...rest } = input as Record<string, unknown>
  // An unknown unit converts nothing: the codec then names amountUnit itself.
  if (amountUnit !== undefined && !AmountUnit.is(amountUnit)) return decode(BudgetFile)(input)
  const decoded = E.chain(decode(BudgetFile))(amountsInYuan(rest, amountUnit))
  return E.chain((f: BudgetFile) => {
    const problems = mixedLineProblems(f.lines)
    return problems.length > 0 ? E.left(problems) : E.right(f)
  })(decoded)
}

/**
 * The commands that record a budget file, in order; decided one after another like any others.
 * `sources[i]` is the part of the file command i comes from ("" for the file's head, "lines[3]",
 * "earmarks.officeOperating", "unitTargets", "lines[5].targets"), so a refusal can name it.
 */
export const budgetFileCommands = (f: BudgetFile): { commands: Command[]; context: CommandContext; sources: string[] } => {
  const commands: Command[] = [
    {
      type: 'OpenBudgetYear',
      data: { unit: f.unit, year: f.year, unitType: f.unitType, previousYear: f.previousYear ?? {}, ...(f.department ? { department: f.department } : {}) },
    },
  ]
  const sources = ['']
  for (const [i, l] of f.lines.entries())
    for (const part of linesOf(l)) {
      sources.push(`lines[${i}]`)
      commands.push({
        type: 'AllocateLine',
        data: {
          line: part.id,
          kind: part.kind,
          basicCategory: part.kind === 'basic' ? (l.basicCategory ?? null) : null,
          projectName: part.kind === 'project' ? (l.projectName ?? null) : null,
          functionCode: l.functionCode,
          economicCode: l.economicCode ?? null,
          fundSource: l.fundSource,
          amount: part.amount,
          ...(l.carriedFundSource === undefined ? {} : { carriedFundSource: l.carriedFundSource }),
        },
      })
    }
  for (const [earmark, amount] of Object.entries(f.earmarks ?? {}) as Array<[Earmark, MoneyString]>) {
    sources.push(`earmarks.${earmark}`)
    commands.push({ type: 'SetEarmark', data: { earmark, amount } })
  }
  if (f.unitTargets) sources.push('unitTargets'), commands.push({ type: 'SetUnitTargets', data: f.unitTargets })
  for (const [i, l] of f.lines.entries())
    if (l.targets?.length)
      sources.push(`lines[${i}].targets`), commands.push({ type: 'SetProjectTargets', data: { line: projectLineOf(l), targets: l.targets } })
  return {
    sources,
    commands,
    context: {
      reason: f.source ?? `approved budget ${f.year} of unit ${f.unit.code}`,
      document: f.document ?? null,
      effectiveDate: f.approvedOn,
    },
  }
}

/** The ledger lines a file line is recorded as: itself, or the two parts of a mixed 项. */
const linesOf = (l: FileLine): Array<{ id: string; kind: LineKind; amount: MoneyString }> =>
  l.basicAmount !== undefined && l.projectAmount !== undefined
    ? [
        { id: mixedLineId(l.id, 'basic'), kind: 'basic', amount: l.basicAmount },
        { id: mixedLineId(l.id, 'project'), kind: 'project', amount: l.projectAmount },
      ]
    : [{ id: l.id, kind: l.kind!, amount: l.amount! }]

/** The line a file line's project targets belong to. */
const projectLineOf = (l: FileLine): string => (l.basicAmount !== undefined ? mixedLineId(l.id, 'project') : l.id)

/**
 * A refused command's field (`data.line` of the AllocateLine of lines[1]) as the field of the file
 * it came from (`lines[1].id`). The commands' data has the file's shape, but for a line's id.
 */
export const filePathOf = (source: string, commandPath: string): string => {
  const rest = commandPath.replace(/^data\.?/, '')
  if (/^lines\[\d+\]$/.test(source)) return `${source}.${rest.replace(/^line\b/, 'id')}`
  if (source.endsWith('.targets')) return rest.startsWith('targets') ? `${source}${rest.slice('targets'.length)}` : source
  if (source.startsWith('earmarks.')) return source
  return [source, rest].filter(Boolean).join('.')
}
