import { REVIEWS } from '../../domain/events/events'
import { INDICATORS } from '../../../projections/indicators/indicators'
import { ID_PATTERN, NON_NEGATIVE_MONEY_PATTERN, POSITIVE_MONEY_PATTERN, textSchema } from './wire-patterns'

/**
 * JSON Schemas of the execution commands (special funds, reviews, target results, the year-end
 * close) and of the indicators report, merged into the OpenAPI components by schemas.ts. The io-ts
 * codecs in src/domain/events/events.ts stay the authority; these describe them for clients.
 */

const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
})
const str = (description?: string, extra: Record<string, unknown> = {}) => ({ type: 'string', ...(description ? { description } : {}), ...extra })
const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] })
const $ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

const POSITIVE_MONEY = str('a positive amount in 元, decimal string with at most two decimals', { pattern: POSITIVE_MONEY_PATTERN })
const NON_NEGATIVE_MONEY = str('zero or more 元, decimal string with at most two decimals', { pattern: NON_NEGATIVE_MONEY_PATTERN })
const LINE_ID = str('a line id', { pattern: ID_PATTERN })

/** Where a carried-forward line comes from (AllocateLine.carriedFrom, optional). */
export const CARRIED_FROM = obj({
  year: { type: 'integer', minimum: 2000, maximum: 2100, description: 'the closed year, earlier than this one' },
  line: LINE_ID,
})

export const EXECUTION_COMMAND_DATA: Record<string, Record<string, unknown>> = {
  DeclareSpecialFunds: obj({
    line: LINE_ID,
    amount: { ...NON_NEGATIVE_MONEY, description: '专项资金 of the project line to distribute (部门参与分配资金); the latest declaration wins' },
  }),
  DetailSpecialFunds: obj({
    line: LINE_ID,
    recipient: textSchema(200, 'the named county, city or implementing unit'),
    amount: { ...POSITIVE_MONEY, description: 'detailed to the recipient; all detailed ≤ the declared special funds' },
  }),
  ScheduleEvaluation: obj({ line: LINE_ID }),
  CompleteReview: obj({
    line: LINE_ID,
    review: { type: 'string', enum: [...REVIEWS], description: '绩效监控, 绩效自评 or 部门绩效评价 (the last only for scheduled projects)' },
    recommendations: {
      type: 'array',
      items: obj({ id: str('unique within the year', { pattern: ID_PATTERN }), text: textSchema(2000) }),
    },
  }),
  AdoptRecommendation: obj({ recommendation: str('the id of a recommendation made by a review', { pattern: ID_PATTERN }) }),
  RecordTargetActual: obj({
    line: LINE_ID,
    target: textSchema(2000, 'the name of one of the project’s performance targets'),
    actual: textSchema(200, 'the actual result, e.g. "14" or "良好"'),
  }),
  CloseYear: obj(
    {
      lines: {
        type: 'array',
        description: 'every line with money left: 结转 + 结余 + 收回 = exactly its available amount (adjusted − spent)',
        items: obj(
          {
            line: LINE_ID,
            carryOver: { ...NON_NEGATIVE_MONEY, description: '结转: carried into next year' },
            balance: { ...NON_NEGATIVE_MONEY, description: '结余: left over' },
            recovered: { ...NON_NEGATIVE_MONEY, description: '收回: taken back by the finance bureau; absent = 0' },
          },
          ['line', 'carryOver', 'balance'],
        ),
      },
      recoveryNotice: textSchema(200, 'the finance bureau’s 收回 notice (文号): required when any line has 收回, refused when none has'),
    },
    ['lines'],
  ),
}

const STATUS = { type: 'string', enum: ['met', 'not met', 'not applicable', 'no target'] }
const STATUS_LABEL = str('the status as people read it (达标, 未达标, 不适用, 无可比目标, …): show this, compare `status`')
const SIDE = obj({ label: str(), value: str('元 with two decimals, or a count'), valueWan: str('amounts only: the same in 万元, two decimals, half-up') }, ['label', 'value'])

export const INDICATOR_SCHEMAS: Record<string, unknown> = {
  IndicatorReport: obj({
    unit: str(),
    unitName: str(),
    year: { type: 'integer' },
    revision: { type: 'integer' },
    closed: { type: 'boolean' },
    indicators: { type: 'array', items: $ref('Indicator') },
    projectResults: {
      type: 'array',
      items: obj({
        line: str(),
        project: str(),
        category: str(),
        target: str(),
        expected: str('as printed, e.g. "≥12次"'),
        actual: nullable(str()),
        status: { type: 'string', enum: ['met', 'not met', 'not recorded', 'not comparable'] },
        statusLabel: STATUS_LABEL,
      }),
    },
  }),
  Indicator: obj(
    {
      id: { type: 'string', enum: INDICATORS.map((d) => d.id) },
      name: str('the 三级指标 name; the unit’s target is found by it'),
      formula: str(),
      quantity: { type: 'string', enum: ['amount', 'count'] },
      target: nullable(obj({ operator: str(), value: str(), unit: str(), text: str('as printed, e.g. "≥90%"') })),
      headline: str('the id of the variant whose value and status are the indicator’s'),
      headlineWhy: str(),
      value: nullable(str('percent with two decimals, half-up; null when not applicable')),
      status: STATUS,
      statusLabel: STATUS_LABEL,
      note: str(),
      variants: {
        type: 'array',
        items: obj(
          {
            id: str(),
            label: str(),
            headline: { type: 'boolean' },
            numerator: SIDE,
            denominator: SIDE,
            value: nullable(str()),
            status: STATUS,
            statusLabel: STATUS_LABEL,
            note: str(),
          },
          ['id', 'label', 'headline', 'numerator', 'denominator', 'value', 'status', 'statusLabel'],
        ),
      },
    },
    ['id', 'name', 'formula', 'quantity', 'target', 'headline', 'value', 'status', 'statusLabel', 'variants'],
  ),
}

/** What a dry run adds to the CommandResult: the indicators after the command, and what changes. */
export const DRY_RUN_INDICATORS = {
  indicators: { ...nullable($ref('IndicatorReport')), description: 'dry runs only: the indicators if the command were recorded' },
  changes: { type: 'array', items: str(), description: 'dry runs only: each indicator whose headline would change, e.g. "预算调整率 28.10% → 32.40%（目标 ≤30%） 未达标"' },
}
