import { Command as Cli, Option } from 'commander'
import * as E from 'fp-ts/Either'
import { FUND_SOURCES, PROCUREMENT, THREE_PUBLIC } from '../../domain/budget-file/classification'
import { dateInZone } from '../../domain/time/as-of'
import { type CommandType, needsApprovalDocument } from '../../domain/events/commands'
import { AdjustmentCategory, Earmark } from '../../domain/events/events'
import { splitUnitSuffix } from '../../domain/money/money'
import { UnitCode, Year } from '../../domain/codecs/primitives'
import { ledgerDeps } from '../../ledger/deps'
import { type CommandProblem, handleCommand, resultView } from '../../ledger/recording/handle-command'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import { indicatorPreview, previewLines } from './indicators'
import { cliActor, withStore } from '../program'
import { resolveTarget } from '../shell/target'
import { ledgerTimeZone } from '../shell/time-options'

/**
 * The finance commands on the command line: each builds the same body an HTTP client posts
 * ({type, data, reason, document, effectiveDate}) and hands it to the shared handler
 * (src/ledger/recording/handle-command.ts). Flags only name the fields; the codecs and the domain decide.
 */

interface Common {
  unit?: string
  year?: string
  reason?: string
  document?: string
  date?: string
  dryRun?: boolean
  expectedRevision?: string
  json?: boolean
}
type Opts = Common & Record<string, string | boolean | undefined>

interface FinanceCommand {
  readonly name: string
  readonly description: string
  readonly type: CommandType
  /** Its own options; those it cannot do without are mandatory, so help marks them and commander refuses their absence. */
  readonly options: ReadonlyArray<Option>
  /** The command's data from the flags; undefined flags stay undefined so the codec names them. */
  readonly data: (o: Opts) => Record<string, unknown>
  /** Body path → flag, where the flag is not simply --<kebab-case of the data field>. */
  readonly flags?: Readonly<Record<string, string>>
}

const CATEGORIES = Object.keys(AdjustmentCategory.keys)
const category = () =>
  new Option('--category <category>', 'why: ordinary, or one left out of 预算调整率 (nationalPolicy, forceMajeure, higherLevelAssignment)')
    .choices(CATEGORIES)
    .default('ordinary')
const amount = (what: string) =>
  new Option('--amount <amount>', `${what} in 元, a decimal string with at most two decimals (e.g. 12500.00); or in 万元 with --amount-unit 万元 or a suffix (1.25万元)`).makeOptionMandatory()
/** The unit of --amount; the conversion itself is the domain's (src/domain/money/amount-unit.ts), like any amount sent. */
const amountUnit = () => new Option('--amount-unit <unit>', 'the unit --amount is typed in: 元 (default) or 万元 (at most six decimals, exact to the 分)').choices(['元', '万元'])
/** --amount as the body carries it: with its unit written out when --amount-unit names one and the amount does not. */
const typedAmount = (o: Opts): unknown =>
  typeof o.amount === 'string' && typeof o.amountUnit === 'string' && splitUnitSuffix(o.amount).unit === undefined ? `${o.amount}${o.amountUnit}` : o.amount
const line = (what = 'the budget line') => new Option('--line <id>', `${what} (e.g. p01)`).makeOptionMandatory()
/** null when a nullable field's flag is absent. */
const orNull = (v: unknown) => (v === undefined ? null : v)

export const FINANCE_COMMANDS: ReadonlyArray<FinanceCommand> = [
  {
    name: 'open-year',
    description: 'open a budget year of a unit',
    type: 'OpenBudgetYear',
    options: [
      new Option('--name <name>', "the unit's name, e.g. 工信科技金融办").makeOptionMandatory(),
      new Option('--unit-type <type>', '行政单位 or 事业单位').choices(['administrative', 'institution']).default('administrative'),
    ],
    data: (o) => ({ unit: { code: o.unit, name: o.name }, year: Number(o.year), unitType: o.unitType, previousYear: {} }),
    flags: { 'data.unit.code': '--unit', 'data.unit.name': '--name', 'data.unit': '--unit/--name', 'data.year': '--year' },
  },
  {
    name: 'allocate',
    description: 'allocate a new budget line with its 年初预算',
    type: 'AllocateLine',
    options: [
      line('the new line id'),
      new Option('--kind <kind>', '基本支出 or 项目支出').choices(['basic', 'project']).makeOptionMandatory(),
      new Option('--project-name <name>', 'project lines: the project name'),
      new Option('--basic-category <category>', 'basic lines: 人员经费 or 公用经费').choices(['personnel', 'operating']),
      new Option('--function-code <code>', '支出功能分类, 3, 5 or 7 digits (e.g. 2150502)').makeOptionMandatory(),
      new Option('--economic-code <code>', '部门 economic code (e.g. 30217)'),
      new Option('--fund-source <source>', '资金来源').choices([...FUND_SOURCES]).default('general.appropriation'),
      new Option('--carried-fund-source <source>', '上年结转 lines (--fund-source carriedForward): the fund source the carried money was budgeted from').choices([
        ...FUND_SOURCES,
      ]),
      amount('the initial budget'),
    ],
    data: (o) => ({
      line: o.line,
      kind: o.kind,
      basicCategory: orNull(o.basicCategory),
      projectName: orNull(o.projectName),
      functionCode: o.functionCode,
      economicCode: orNull(o.economicCode),
      fundSource: o.fundSource,
      amount: typedAmount(o),
      ...(o.carriedFundSource === undefined ? {} : { carriedFundSource: o.carriedFundSource }),
    }),
  },
  {
    name: 'add',
    description: 'add budget to a line (追加)',
    type: 'AddToLine',
    options: [line(), amount('the addition'), category()],
    data: (o) => ({ line: o.line, amount: typedAmount(o), category: o.category }),
  },
  {
    name: 'reduce',
    description: 'reduce the budget of a line (追减)',
    type: 'ReduceLine',
    options: [line(), amount('the reduction'), category()],
    data: (o) => ({ line: o.line, amount: typedAmount(o), category: o.category }),
  },
  {
    name: 'transfer',
    description: 'move budget from one line to another (调剂)',
    type: 'TransferBetweenLines',
    options: [
      new Option('--from <id>', 'the line giving budget').makeOptionMandatory(),
      new Option('--to <id>', 'the line receiving it').makeOptionMandatory(),
      amount('the amount moved'),
      category(),
    ],
    data: (o) => ({ from: o.from, to: o.to, amount: typedAmount(o), category: o.category }),
  },
  {
    name: 'spend',
    description: 'record an expenditure on a line (支出)',
    type: 'RecordExpenditure',
    options: [
      line(),
      amount('the expenditure'),
      new Option('--voucher <ref>', 'the voucher (凭证号) the expenditure is booked on').makeOptionMandatory(),
      new Option('--economic-code <code>', '部门 economic code (e.g. 30217)'),
      new Option('--three-public <kind>', '“三公” expense kind').choices([...THREE_PUBLIC]),
      new Option('--procurement <kind>', 'government procurement kind').choices([...PROCUREMENT]),
    ],
    data: (o) => ({
      line: o.line,
      amount: typedAmount(o),
      economicCode: orNull(o.economicCode),
      voucher: o.voucher,
      threePublic: orNull(o.threePublic),
      procurement: orNull(o.procurement),
    }),
  },
  {
    name: 'reverse',
    description: 'reverse an earlier adjustment or expenditure (both stay in the history)',
    type: 'ReverseEvent',
    options: [new Option('--event <id>', 'id of the event to undo (see the history)').makeOptionMandatory()],
    data: (o) => ({ event: o.event }),
  },
  {
    name: 'set-earmark',
    description: 'declare an earmarked amount (三公, 机关运行经费, 政府采购); the latest declaration wins',
    type: 'SetEarmark',
    options: [new Option('--earmark <earmark>', 'which earmark').choices(Object.keys(Earmark.keys)).makeOptionMandatory(), amount('the earmarked amount')],
    data: (o) => ({ earmark: o.earmark, amount: typedAmount(o) }),
  },
]

const CONTEXT_FLAGS: Record<string, string> = { reason: '--reason', document: '--document', effectiveDate: '--date', type: '(command)' }
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** The flag a body path came from, so errors speak the command line's language. */
const flagOf = (c: FinanceCommand, path: string): string => {
  if (c.flags?.[path]) return c.flags[path]!
  if (CONTEXT_FLAGS[path]) return CONTEXT_FLAGS[path]!
  const m = /^data\.([A-Za-z]+)$/.exec(path)
  if (m && c.options.some((o) => o.attributeName() === m[1])) return `--${kebab(m[1]!)}`
  return path || '(input)'
}

const explain = (c: FinanceCommand, p: CommandProblem): CliError => {
  const lines = p.errors.map((e) => `  ${flagOf(c, e.path)}: ${e.reason}`)
  const head = p.kind === 'refused' ? `refused (${p.code}): ${p.detail}` : p.kind === 'invalid' ? `${c.name}: ${p.detail}` : p.detail
  // A refusal's detail already names the field; list it only when there is more than one.
  return new CliError(head, 1, p.kind === 'refused' && lines.length <= 1 ? [] : lines)
}

/** open-year names its unit-year itself; the others find it like `table` does (--unit/--year or the only one). */
const targetFor = async (c: FinanceCommand, store: Parameters<typeof resolveTarget>[0], o: Opts) => {
  if (c.type !== 'OpenBudgetYear') return resolveTarget(store, o)
  // Commander has made sure both are given (mandatory for open-year); here their form is checked.
  const unit = o.unit!
  const year = Number(o.year)
  if (!UnitCode.is(unit)) throw new CliError(`--unit: expected a unit code of 3 to 12 digits, got ${JSON.stringify(unit)}`, 2)
  if (!/^\d{4}$/.test(o.year!) || !Year.is(year)) throw new CliError(`--year: expected a year such as 2021, got ${JSON.stringify(o.year)}`, 2)
  return { unit, year }
}

const expectedRevisionOf = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined
  if (!/^\d{1,15}$/.test(raw)) throw new CliError(`--expected-revision: expected a whole number, got ${JSON.stringify(raw)}`, 2)
  return Number(raw)
}

const register = (cli: Cli, io: CliIo, c: FinanceCommand) => {
  // open-year names the unit-year it opens; the others may leave it out when the ledger holds one.
  const opens = c.type === 'OpenBudgetYear'
  const cmd = cli
    .command(c.name)
    .description(c.description)
    .addOption(new Option('--unit <code>', 'unit code, e.g. 101065').makeOptionMandatory(opens))
    .addOption(new Option('--year <year>', 'budget year, e.g. 2021').makeOptionMandatory(opens))
    .requiredOption('--reason <text>', 'why (kept in every event recorded)')
    .addOption(new Option('--document <ref>', 'approval document (批文号)').makeOptionMandatory(needsApprovalDocument({ type: c.type })))
    .option('--date <YYYY-MM-DD>', 'business date (default: today in the ledger time zone: LEDGER_TIME_ZONE, else Asia/Shanghai)')
  for (const o of c.options) cmd.addOption(o)
  if (c.options.some((o) => o.long === '--amount')) cmd.addOption(amountUnit())
  cmd
    .option('--expected-revision <n>', 'record only if the budget year is still at this revision')
    .option('--dry-run', 'decide and show the events, write nothing')
    .option('--json', 'print the result as JSON')
    .action(
      withStore(io, cli, async (store, o: Opts) => {
        const target = await targetFor(c, store, o)
        const body = { type: c.type, data: c.data(o), reason: o.reason, document: o.document ?? null, effectiveDate: o.date ?? dateInZone(new Date(), ledgerTimeZone({}, io.env)) }
        const expectedRevision = expectedRevisionOf(o.expectedRevision)
        const result = await handleCommand(ledgerDeps(store), target, body, cliActor(io.env), {
          dryRun: Boolean(o.dryRun),
          ...(expectedRevision === undefined ? {} : { expectedRevision }),
        })
        if (E.isLeft(result)) throw explain(c, result.left)
        const view = resultView(target, result.right.recorded)
        // A dry run also shows the indicators after the command (what-if, src/cli/recording/indicators.ts).
        const preview = view.dryRun ? await indicatorPreview(store, target, result.right.recorded.state) : undefined
        if (o.json) return io.out(json(preview ? { ...view, indicators: preview.after ?? null, changes: preview.changes } : view))
        io.out(
          labelled([
            [view.dryRun ? 'would record' : 'recorded', view.events.map((e) => e.type).join(', ')],
            ['budget year', `${view.unit} ${view.year}`],
            ...view.events.map((e) => [`event ${e.revision}`, e.id ?? '(dry run: not stored)'] as const),
            ['revision', String(view.revision)],
            ...(preview ? previewLines(preview.changes) : []),
            ...(view.dryRun ? [['note', 'dry run: nothing was written'] as const] : []),
          ]),
        )
      }),
    )
}

/** Registers open-year, allocate, add, reduce, transfer, spend, reverse and set-earmark. */
export const registerFinance = (cli: Cli, io: CliIo): void => {
  for (const c of FINANCE_COMMANDS) register(cli, io, c)
}
