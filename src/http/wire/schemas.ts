import { FUND_SOURCES, PROCUREMENT, THREE_PUBLIC, UnitType } from '../../domain/budget-file/classification'
import { MAX_FILE_LINES } from '../../domain/budget-file/budget-file'
import { REPLACEMENT_TYPES } from '../../domain/events/commands'
import { AdjustmentCategory, Earmark } from '../../domain/events/events'
import { COMMAND_TYPES } from '../../ledger/recording/handle-command'
import { TargetCategory, TargetOperator } from '../../domain/budget-file/targets'
import { PROBLEM_TYPES, problemTypeUri } from './problem'
import { CARRIED_FROM, DRY_RUN_INDICATORS, EXECUTION_COMMAND_DATA, INDICATOR_SCHEMAS } from './indicator-schemas'
import { ROLES } from '../access/roles'
import {
  DATE_PATTERN,
  ECONOMIC_CODE_PATTERN,
  FUNCTION_CODE_PATTERN,
  ID_PATTERN,
  UNIT_CODE_PATTERN,
  moneyPattern,
  positiveMoneyPattern,
  textSchema,
} from './wire-patterns'

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the wire forms. The io-ts codecs stay the
 * authority: these describe them for clients, and the enums are taken from the codecs.
 */
const keys = (codec: { keys: Record<string, unknown> }) => Object.keys(codec.keys)

const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties), extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...extra,
})
const str = (description?: string, extra: Record<string, unknown> = {}) => ({ type: 'string', ...(description ? { description } : {}), ...extra })
const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] })
const $ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

type Unit = '元' | '万元'
const TYPED = 'or with its unit: "12.5万元" (at most six decimals, 0.000001万元 = 1 分), "3000元"'
/** An amount sent: at most 10^15 元; bare in `unit`, or with a unit suffix of its own. */
const moneyIn = (unit: Unit) =>
  str(`${unit} as a decimal string with at most ${unit === '元' ? 'two' : 'six'} decimals, e.g. "125000.50"; ${TYPED}; never a JSON number`, { pattern: moneyPattern(unit) })
const MONEY = moneyIn('元')
const POSITIVE_MONEY = str(`a positive amount in 元, decimal string with at most two decimals; ${TYPED}`, { pattern: positiveMoneyPattern() })
/** An amount answered (a total may pass the cap on one amount sent). */
const FIGURE = str('元 as a decimal string with two decimals', { pattern: '^-?(0|[1-9]\\d*)(\\.\\d{1,2})?$' })
const LINE_ID = str('a line id: letters, digits, ".", "_", "-" (at most 64)', { pattern: ID_PATTERN })
const FUNCTION_CODE = str('支出功能分类 code of 3, 5 or 7 digits starting with 2; spaces are ignored', { pattern: FUNCTION_CODE_PATTERN })
const ECONOMIC_CODE = str('部门 economic code of 3 or 5 digits starting with 3; spaces are ignored', { pattern: ECONOMIC_CODE_PATTERN })
const CATEGORY = { type: 'string', enum: keys(AdjustmentCategory), description: 'nationalPolicy, forceMajeure and higherLevelAssignment are left out of 预算调整率' }
const TEXT = (max: number, description?: string) => textSchema(max, description)
const BLANK_OR_TEXT = (max: number) => textSchema(max, undefined, true)
const DATE = (description?: string) => str(description, { format: 'date', pattern: DATE_PATTERN })

/** A unit without a published 预算单位编码: its code was assigned locally, and is shown so. */
const LOCAL_CODE = { const: true, description: 'the code was assigned locally: the unit has no published 预算单位编码 (tables print 本地编码)' }

const PROJECT_TARGET = obj({
  category: { type: 'string', enum: keys(TargetCategory) },
  name: TEXT(2000),
  operator: { type: 'string', enum: keys(TargetOperator) },
  value: TEXT(200),
  unit: BLANK_OR_TEXT(20),
})

const previousYearIn = (money: Record<string, unknown>) => ({
  type: 'object',
  description: "what the previous year's published budget said, where known",
  properties: {
    total: money,
    generalBudget: money,
    governmentFund: money,
    stateCapital: money,
    threePublic: { type: 'object', properties: Object.fromEntries(THREE_PUBLIC.map((k) => [k, money])), additionalProperties: false },
    officeOperating: money,
    finalAccounts: {
      type: 'object',
      description: "what the previous year's published 决算 said, where known (for the 决算 情况说明's comparisons)",
      properties: {
        ...Object.fromEntries(['total', 'yearIncome', 'yearExpenditure', 'basic', 'project', 'fiscalTotal', 'generalBudget', 'officeOperating', 'threePublicTotal'].map((k) => [k, money])),
        threePublic: { type: 'object', properties: Object.fromEntries(THREE_PUBLIC.map((k) => [k, money])), additionalProperties: false },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
})
const PREVIOUS_YEAR = previousYearIn(MONEY)

/** The department a unit-year belongs to: as 本级 (own) or 所属单位 (subordinate). */
const DEPARTMENT = obj(
  {
    code: str('部门编码, 3-12 digits', { pattern: UNIT_CODE_PATTERN }),
    name: TEXT(2000),
    role: { type: 'string', enum: ['own', 'subordinate'], description: 'own: 本级 (the department’s own office); subordinate: 所属单位' },
  },
  ['code', 'name', 'role'],
)

const UNIT_TARGETS = obj({
  annualGoals: { type: 'array', items: TEXT(2000) },
  tasks: { type: 'array', items: obj({ name: TEXT(2000), content: TEXT(2000) }) },
  indicators: {
    type: 'array',
    items: obj({
      level1: BLANK_OR_TEXT(4000),
      level2: BLANK_OR_TEXT(4000),
      level3: TEXT(2000),
      operator: { type: 'string', enum: keys(TargetOperator) },
      value: TEXT(200),
      unit: BLANK_OR_TEXT(20),
      explanation: BLANK_OR_TEXT(4000),
    }),
  },
})

/** A mixed 项's id leaves room for ".project" within the 64 characters of a line id. */
const MIXED_LINE_ID = str('a line id of at most 56 characters (its lines are "<id>.basic" and "<id>.project")', { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,55}$' })

/** The fields every line of a budget file may have, whatever its kind. */
/** Where the money of a 上年结转 line was budgeted: an allocation's and a budget-file line's. */
const CARRIED_FUND_SOURCE = {
  type: 'string',
  enum: FUND_SOURCES.filter((f) => f !== 'carriedForward'),
  description: 'only on 上年结转 lines (fundSource carriedForward): the fund source the money had when budgeted (年初结转和结余 by source in the 决算 tables)',
}

const fileLineCommon = () => ({
  id: LINE_ID,
  functionCode: FUNCTION_CODE,
  fundSource: { type: 'string', enum: [...FUND_SOURCES] },
  basicCategory: nullable({ type: 'string', enum: ['personnel', 'operating'] }),
  projectName: TEXT(2000),
  economicCode: nullable(ECONOMIC_CODE),
  targets: { type: 'array', items: PROJECT_TARGET },
  carriedFundSource: CARRIED_FUND_SOURCE,
})

/** The budget file whose bare amounts are in `unit` (amountUnit absent or "元", or "万元"). */
const budgetFileIn = (unit: Unit) => ({
    type: 'object',
    properties: {
      amountUnit: unit === '元' ? { type: 'string', enum: ['元'], description: 'the unit of the bare amounts (default 元)' } : { const: '万元', description: 'bare amounts are 万元' },
      format: { const: 'budget-ledger/budget-year@1' },
      unit: obj({ code: str(undefined, { pattern: UNIT_CODE_PATTERN }), name: TEXT(2000), localCode: LOCAL_CODE }, ['code', 'name']),
      unitType: { type: 'string', enum: keys(UnitType) },
      year: { type: 'integer', minimum: 2000, maximum: 2100 },
      approvedOn: DATE('from 1 October of the year before to 31 December of the year'),
      document: nullable(TEXT(200)),
      source: TEXT(2000),
      lines: {
        type: 'array',
        maxItems: MAX_FILE_LINES,
        items: {
          description: 'a line of one kind (kind, amount), or a 项 that mixes basic and project money (basicAmount, projectAmount, projectName), recorded as lines "<id>.basic" and "<id>.project"',
          oneOf: [
            obj({ ...fileLineCommon(), kind: { type: 'string', enum: ['basic', 'project'] }, amount: moneyIn(unit) }, ['id', 'kind', 'functionCode', 'fundSource', 'amount']),
            obj({ ...fileLineCommon(), id: MIXED_LINE_ID, basicAmount: moneyIn(unit), projectAmount: moneyIn(unit) }, ['id', 'functionCode', 'fundSource', 'basicAmount', 'projectAmount', 'projectName']),
          ],
        },
      },
      previousYear: previousYearIn(moneyIn(unit)),
      department: DEPARTMENT,
      earmarks: { type: 'object', properties: Object.fromEntries(keys(Earmark).map((k) => [k, moneyIn(unit)])), additionalProperties: false },
      unitTargets: UNIT_TARGETS,
      synthetic: { type: 'boolean' },
    },
    required: ['format', 'unit', 'unitType', 'year', 'approvedOn', 'lines', ...(unit === '万元' ? ['amountUnit'] : [])],
    additionalProperties: false,
  })

/** The data of each command, by command type. */
export const COMMAND_DATA: Record<string, Record<string, unknown>> = {
  OpenBudgetYear: obj(
    {
      unit: obj({ code: str('预算单位编码: must be the unit of the address', { pattern: UNIT_CODE_PATTERN }), name: TEXT(2000), localCode: LOCAL_CODE }, ['code', 'name']),
      year: { type: 'integer', minimum: 2000, maximum: 2100, description: 'must be the year of the address' },
      unitType: { type: 'string', enum: keys(UnitType) },
      previousYear: PREVIOUS_YEAR,
      department: DEPARTMENT,
    },
    ['unit', 'year', 'unitType', 'previousYear'],
  ),
  AllocateLine: obj({
    line: LINE_ID,
    kind: { type: 'string', enum: ['basic', 'project'] },
    basicCategory: nullable({ type: 'string', enum: ['personnel', 'operating'] }),
    projectName: nullable(TEXT(2000)),
    functionCode: FUNCTION_CODE,
    economicCode: nullable(ECONOMIC_CODE),
    fundSource: { type: 'string', enum: [...FUND_SOURCES] },
    amount: { ...MONEY, description: '年初预算 of the line in 元 (not negative)' },
    carriedFrom: { ...CARRIED_FROM, description: 'only on 上年结转 lines (fundSource carriedForward): the line of the closed year it carries' },
    carriedFundSource: CARRIED_FUND_SOURCE,
  }, ['line', 'kind', 'basicCategory', 'projectName', 'functionCode', 'economicCode', 'fundSource', 'amount']),
  AddToLine: obj({ line: LINE_ID, amount: POSITIVE_MONEY, category: CATEGORY }),
  ReduceLine: obj({ line: LINE_ID, amount: POSITIVE_MONEY, category: CATEGORY }),
  TransferBetweenLines: obj({ from: LINE_ID, to: LINE_ID, amount: POSITIVE_MONEY, category: CATEGORY }),
  RecordExpenditure: obj({
    line: LINE_ID,
    amount: POSITIVE_MONEY,
    economicCode: nullable(ECONOMIC_CODE),
    voucher: TEXT(200),
    threePublic: nullable({ type: 'string', enum: [...THREE_PUBLIC] }),
    procurement: nullable({ type: 'string', enum: [...PROCUREMENT] }),
  }),
  ReverseEvent: obj({ event: TEXT(2000, 'id of the adjustment or expenditure to undo') }),
  CorrectEntry: obj({
    event: TEXT(2000, 'id of the entry to correct (an adjustment, expenditure or detailing not yet reversed)'),
    replacement: {
      description: 'what the entry should have been: a command of one of these types, decided after the reversal; both are recorded in one append, or neither',
      oneOf: REPLACEMENT_TYPES.map((type) => obj({ type: { const: type }, data: $ref(`${type}Data`) })),
    },
  }),
  SetEarmark: obj({ earmark: { type: 'string', enum: keys(Earmark) }, amount: MONEY }),
  SetUnitTargets: UNIT_TARGETS,
  SetProjectTargets: obj({ line: LINE_ID, targets: { type: 'array', items: PROJECT_TARGET } }),
  ...EXECUTION_COMMAND_DATA,
}

const CONTEXT = {
  reason: TEXT(2000, 'why: kept in every event the command records'),
  document: nullable(TEXT(200, 'approval document reference (批文号); required for add, reduce and transfer')),
  effectiveDate: DATE('business date YYYY-MM-DD, in the window of the budget year its command takes (README, "Business dates")'),
}

/** Every command type of the domain; one without a detailed schema yet is described loosely. */
const dataSchemaOf = (type: string) =>
  COMMAND_DATA[type] ?? { type: 'object', description: `the ${type} payload: see its codec in src/domain/events/events.ts` }

const commandBody = (type: string) =>
  obj({ type: { const: type }, data: $ref(`${type}Data`), ...CONTEXT }, ['type', 'data', 'reason', 'effectiveDate'])

const EVENT = obj({
  id: str('event id (UUID)'),
  revision: { type: 'integer', minimum: 0 },
  position: { type: 'integer', description: 'global position in the whole log' },
  type: str('event type, e.g. BudgetAdded'),
  data: { type: 'object' },
  metadata: {
    type: 'object',
    description: 'recordedAt, effectiveDate, actor, role, reason, document, idempotencyKey when given, schemaVersion, and the hash chain (prevHash, hash)',
    properties: {
      recordedAt: str(undefined, { format: 'date-time' }),
      effectiveDate: str(undefined, { format: 'date' }),
      actor: str(),
      role: str(),
      subject: str('the signed-in person\'s stable id, when recorded through a sign-in session'),
      reason: str(),
      document: nullable(str()),
      schemaVersion: { type: 'integer', minimum: 1, description: 'the schema version of the event type when it was written; absent on events stored before versions: version 1' },
      prevHash: str(),
      hash: str(),
    },
    required: ['recordedAt', 'effectiveDate', 'actor', 'role', 'reason', 'document', 'prevHash', 'hash'],
  },
})

const LINE_VIEW_AMOUNTS = ['initial', 'added', 'reduced', 'transferredIn', 'transferredOut', 'adjusted', 'spent', 'available']

export const SCHEMAS: Record<string, unknown> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details (application/problem+json)',
    properties: {
      type: { type: 'string', format: 'uri-reference', enum: Object.keys(PROBLEM_TYPES).map((t) => problemTypeUri(t as keyof typeof PROBLEM_TYPES)) },
      title: str(),
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: str(),
      errors: {
        type: 'array',
        items: obj({ path: str('dotted path into the body, e.g. "data.amount"'), reason: str(), words: str('the reason in Chinese, for people (409 refusals, 422 fields the codecs refuse)') }, ['path', 'reason']),
      },
      words: str('the refusal in Chinese, for people (detail stays English); 409 refusals and 422 bad fields'),
      code: str('refusals (409): the domain error code, e.g. "over-spend", "unknown-line"'),
      currentRevision: { type: 'integer', description: 'stale requests (412): the revision the budget year is at' },
    },
    required: ['type', 'title', 'status', 'detail', 'errors'],
  },
  Health: obj({ status: { const: 'ok' } }),
  Account: obj({
    id: str('stable subject id'),
    name: str(),
    role: { type: 'string', enum: ['finance', 'auditor', 'dashboard', 'admin'] },
    created: str(undefined, { format: 'date-time' }),
    revoked: nullable(str(undefined, { format: 'date-time' })),
  }),
  People: obj({
    accounts: { type: 'array', items: { $ref: '#/components/schemas/Account' } },
    signedIn: {
      type: 'array',
      items: obj({ subject: str(), name: str(), role: nullable({ type: 'string', enum: ['finance', 'auditor', 'dashboard', 'admin'] }), via: { type: 'string', enum: ['local', 'oidc'] }, sessions: { type: 'integer' } }),
    },
  }),
  Revoked: obj({ revoked: { $ref: '#/components/schemas/Account' }, sessionsEnded: { type: 'integer' } }),
  SignIn: obj({ name: str('the local account\'s name, e.g. 张三'), password: str() }),
  PasswordReset: obj({
    account: { $ref: '#/components/schemas/Account' },
    password: str('the new password, shown this once; only its hash is kept'),
    sessionsEnded: { type: 'integer' },
  }),
  PasswordChange: obj({ oldPassword: str('the password now'), newPassword: str('the new one, at least 12 characters') }),
  SignedIn: obj({
    subject: str('stable id: a local account\'s UUID, or "issuer|sub" from the identity provider'),
    name: str('display name, recorded as the actor of every event'),
    role: nullable({ type: 'string', enum: ['finance', 'auditor', 'dashboard', 'admin'] }),
    via: { type: 'string', enum: ['local', 'oidc'] },
    csrfToken: str('send it as X-CSRF-Token with every write made through this session'),
    expires: str('when the session ends by itself', { format: 'date-time' }),
  }),
  TimeZone: obj({
    timeZone: str('IANA name of the ledger time zone (LEDGER_TIME_ZONE, default Asia/Shanghai), e.g. "Asia/Shanghai"'),
    utcOffset: str('its offset from UTC now, e.g. "+08:00" (a zone with daylight saving time changes it)', { pattern: '^[+-]\\d{2}:\\d{2}$' }),
  }),
  OpenApiDocument: { type: 'object', required: ['openapi', 'info', 'paths'] },
  DepartmentList: {
    type: 'array',
    items: obj({
      code: str('部门编码'),
      name: str('the department’s name, as its 本级 names it'),
      years: {
        type: 'array',
        items: obj({
          year: { type: 'integer' },
          units: { type: 'array', items: obj({ unit: str(), name: str(), role: { type: 'string', enum: ['own', 'subordinate'] } }) },
        }),
      },
    }),
  },
  UnitListing: obj({ unit: str(), name: nullable(str()), years: { type: 'array', items: { type: 'integer' } } }),
  UnitList: { type: 'array', items: $ref('UnitListing') },
  YearSummary: obj({
    unit: str(),
    name: str(),
    year: { type: 'integer' },
    unitType: { type: 'string', enum: keys(UnitType) },
    revision: { type: 'integer' },
    closed: { type: 'boolean' },
    totals: obj({ initial: FIGURE, adjusted: FIGURE, spent: FIGURE }),
    lines: {
      type: 'array',
      items: obj({
        line: LINE_ID,
        kind: { type: 'string', enum: ['basic', 'project'] },
        basicCategory: nullable(str()),
        projectName: nullable(str()),
        functionCode: FUNCTION_CODE,
        economicCode: nullable(ECONOMIC_CODE),
        fundSource: { type: 'string', enum: [...FUND_SOURCES] },
        ...Object.fromEntries(LINE_VIEW_AMOUNTS.map((k) => [k, FIGURE])),
      }),
    },
    earmarks: { type: 'object', additionalProperties: nullable(FIGURE) },
  }),
  TableList: {
    type: 'array',
    items: obj({ number: { type: 'integer' }, code: { ...str(), description: '"4" for a 预算 table, "F5" for a 决算 table' }, id: str(), title: str(), href: str() }, ['number', 'code', 'id', 'title', 'href']),
  },
  Table: obj(
    {
      id: str(),
      number: { type: 'integer', minimum: 1, maximum: 11 },
      title: str(),
      set: { const: 'final', description: 'present on the 决算 tables only, whose numbers start again at 1 (F1, F2, …)' },
      unit: { const: '万元' },
      unitCode: str(),
      unitName: str(),
      localUnitCode: { const: true, description: 'present only when the unit code was assigned locally (no published 预算单位编码)' },
      year: { type: 'integer' },
      columns: { type: 'array', items: str() },
      rows: { type: 'array', items: { type: 'array', items: { type: ['string', 'null'], description: 'a figure in 万元, a label, or null for a figure not known (blank, never 0)' } } },
      summary: { type: 'array', items: { type: 'array', prefixItems: [str(), str()], minItems: 2, maxItems: 2 } },
      sections: { type: 'array', items: obj({ title: str(), rows: { type: 'array', items: { type: 'array', items: str() } } }) },
      notes: { type: 'array', items: str() },
    },
    ['id', 'number', 'title', 'unit', 'unitCode', 'unitName', 'year', 'columns', 'rows'],
  ),
  Report: obj(
    {
      unit: str('the unit code (a department’s code for its consolidated year)'),
      year: { type: 'integer' },
      amountUnit: { const: '万元' },
      text: str('the 情况说明 as people read it (what `budget-ledger report` prints)'),
      lastYear: obj(
        {
          year: { type: 'integer' },
          source: { type: 'string', enum: ['ledger', 'recorded', 'none'], description: 'ledger: last year as this ledger held it at the same instant; recorded: the 决算 figures recorded with the year’s opening; none: not compared' },
          lastYearOpen: { const: true, description: 'present when last year was not yet closed then (its figures are the execution so far)' },
          items: {
            type: 'array',
            items: obj({
              item: str(),
              label: str(),
              current: str('万元, two decimals'),
              previous: nullable(str('万元; null when last year’s figure is not known (not compared, never 0)')),
              change: nullable(str('万元')),
              growth: nullable(str('percent, two decimals; null when not compared or last year was 0')),
            }),
          },
        },
        ['year', 'source', 'items'],
      ),
      generalBudgetShares: { type: 'array', items: obj({ code: str(), name: str(), amount: str('万元'), share: nullable(str('percent of 一般公共预算财政拨款支出')) }) },
    },
    ['unit', 'year', 'amountUnit', 'text'],
    { description: 'A 情况说明: the 预算 one is its text; the 决算 one adds lastYear and generalBudgetShares' },
  ),
  Event: EVENT,
  EventPage: obj({
    unit: str(),
    year: { type: 'integer' },
    revision: { type: 'integer' },
    events: { type: 'array', items: $ref('Event') },
    next: nullable({ type: 'integer' }),
  }),
  CommandBody: {
    description: 'A command and its context. The type picks the shape of data.',
    oneOf: COMMAND_TYPES.map((t) => $ref(`${t}Command`)),
    discriminator: { propertyName: 'type', mapping: Object.fromEntries(COMMAND_TYPES.map((t) => [t, `#/components/schemas/${t}Command`])) },
  },
  ...Object.fromEntries(COMMAND_TYPES.flatMap((t) => [[`${t}Command`, commandBody(t)], [`${t}Data`, dataSchemaOf(t)]])),
  CommandResult: obj(
    {
      unit: str(),
      year: { type: 'integer' },
      revision: { type: 'integer', description: 'the revision after recording (hypothetical for a dry run)' },
      dryRun: { type: 'boolean' },
      replayed: { type: 'boolean', description: 'true when a repeated Idempotency-Key returned the first result' },
      events: {
        type: 'array',
        items: obj({ id: str('absent for a dry run'), type: str(), revision: { type: 'integer' }, data: { type: 'object' } }, ['type', 'revision', 'data']),
      },
      ...DRY_RUN_INDICATORS,
    },
    ['unit', 'year', 'revision', 'dryRun', 'replayed', 'events'],
  ),
  BudgetFile: {
    description:
      'A budget file, format budget-ledger/budget-year@1 (docs/budget-file.md); unknown keys are refused. amountUnit "万元" makes every bare amount of the file 万元 (converted to 元 exactly on import); any amount may carry its own unit suffix',
    oneOf: [budgetFileIn('元'), budgetFileIn('万元')],
  },
  ImportResult: obj({
    unit: str(),
    year: { type: 'integer' },
    name: str(),
    revision: { type: 'integer' },
    dryRun: { type: 'boolean' },
    lines: { type: 'integer' },
    events: { type: 'integer' },
    totals: obj({ initial: str(), adjusted: str(), spent: str() }),
    href: str(),
  }),
  Role: { type: 'string', enum: [...ROLES] },
  ...INDICATOR_SCHEMAS,
}
