import * as E from 'fp-ts/Either'
import type Decimal from 'decimal.js'
import { type Command, type CommandContext, needsApprovalDocument } from '../commands'
import { type DomainError, domainError } from '../errors'
import type { DomainEvent, EventOf } from '../events'
import { ZERO, yuan } from '../money'
import { dateOutsideWindow } from './business-date'
import { evolve, isReversible } from './evolve'
import { type BudgetYearState, type Line, adjustedOf, availableOf, forkState, isReversed, journalEntry } from './state'

type Decision = E.Either<DomainError, DomainEvent[]>

const fmt = (d: Decimal): string => `${d.toFixed(2)} 元`
const accept = (...events: DomainEvent[]): Decision => E.right(events)
const refuse = (...args: Parameters<typeof domainError>): Decision => E.left(domainError(...args))

/**
 * Decides what a command records, given the budget year as it stands. Pure: the same state and
 * command always give the same answer. Every refusal says what is wrong in the ledger's terms.
 */
export const decide = (s: BudgetYearState, c: Command, ctx: CommandContext): Decision => {
  const outside = (year: number) => dateOutsideWindow(c.type, year, ctx.effectiveDate)
  if (c.type === 'OpenBudgetYear') {
    if (s.identity) return refuse('year-already-open', `budget year ${s.identity.year} of unit ${s.identity.unit.code} is already open`)
    const why = outside(c.data.year)
    return why ? refuse('date-outside-year', why, 'effectiveDate') : accept({ type: 'BudgetYearOpened', data: c.data })
  }
  const id = s.identity
  if (!id) return refuse('year-not-open', 'the budget year is not open: open it before recording anything in it')
  if (s.closed) return refuse('year-closed', `budget year ${id.year} of unit ${id.unit.code} is closed: it takes no more changes`)
  if (needsApprovalDocument(c) && ctx.document === null)
    return refuse('document-required', 'a budget adjustment needs the approval document that authorised it', 'document')
  const why = outside(id.year)
  if (why) return refuse('date-outside-year', why, 'effectiveDate')

  const line = (lineId: string, path: string): E.Either<DomainError, Line> => {
    const l = s.lines.get(lineId)
    return l ? E.right(l) : E.left(domainError('unknown-line', `there is no budget line "${lineId}" in ${id.year}`, path))
  }
  /** A line may lose budget only down to what it has already spent. */
  const canLose = (l: Line, amount: Decimal, path: string, what: string): E.Either<DomainError, Line> =>
    adjustedOf(l).minus(amount).lt(l.spent)
      ? E.left(
          domainError(
            'below-spent',
            `${what} of ${fmt(amount)} would leave line "${l.id}" at ${fmt(adjustedOf(l).minus(amount))}, below the ${fmt(l.spent)} it has already spent`,
            path,
          ),
        )
      : E.right(l)

  switch (c.type) {
    case 'AllocateLine': {
      const d = c.data
      if (s.lines.has(d.line)) return refuse('line-exists', `budget line "${d.line}" already exists`, 'data.line')
      if (d.kind === 'project' && d.projectName === null)
        return refuse('line-shape', 'a project line needs its project name', 'data.projectName')
      if (d.kind === 'basic' && d.projectName !== null)
        return refuse('line-shape', 'a basic-expenditure line has no project name', 'data.projectName')
      if (d.kind === 'project' && d.basicCategory !== null)
        return refuse('line-shape', 'personnel/operating applies to basic expenditure only', 'data.basicCategory')
      if (yuan(d.amount).isNegative())
        return refuse('line-shape', 'an initial allocation cannot be negative', 'data.amount')
      if (d.carriedFundSource !== undefined) {
        if (d.fundSource !== 'carriedForward')
          return refuse('carried-from', 'only a line carried in (fund source carriedForward, 上年结转) names the fund source its money came from', 'data.carriedFundSource')
        if (d.carriedFundSource === 'carriedForward')
          return refuse('carried-from', 'the fund source carried money came from is where it was budgeted (e.g. general.appropriation), not carriedForward', 'data.carriedFundSource')
      }
      if (d.carriedFrom !== undefined) {
        if (d.fundSource !== 'carriedForward')
          return refuse('carried-from', 'a line carried from an earlier year has fund source carriedForward (上年结转)', 'data.fundSource')
        if (d.carriedFrom.year >= id.year)
          return refuse('carried-from', `a line of ${id.year} can carry only from an earlier year, not ${d.carriedFrom.year}`, 'data.carriedFrom.year')
        const again = [...s.lines.values()].find(
          (l) => l.carriedFrom?.year === d.carriedFrom!.year && l.carriedFrom.line === d.carriedFrom!.line,
        )
        if (again)
          return refuse('carried-from', `line "${d.carriedFrom.line}" of ${d.carriedFrom.year} is already carried forward, as line "${again.id}"`, 'data.carriedFrom')
      }
      return accept({ type: 'LineAllocated', data: d })
    }
    case 'AddToLine':
      return E.map(() => [{ type: 'BudgetAdded', data: c.data } as DomainEvent])(line(c.data.line, 'data.line'))
    case 'ReduceLine':
      return E.chain((l: Line) =>
        E.map(() => [{ type: 'BudgetReduced', data: c.data } as DomainEvent])(
          canLose(l, yuan(c.data.amount), 'data.amount', 'a reduction'),
        ),
      )(line(c.data.line, 'data.line'))
    case 'TransferBetweenLines': {
      const d = c.data
      if (d.from === d.to) return refuse('transfer-to-itself', `a transfer from line "${d.from}" to itself moves nothing`, 'data.to')
      const to = line(d.to, 'data.to')
      if (E.isLeft(to)) return to
      return E.chain((l: Line) =>
        E.map(() => [{ type: 'BudgetTransferred', data: d } as DomainEvent])(canLose(l, yuan(d.amount), 'data.amount', 'a transfer')),
      )(line(d.from, 'data.from'))
    }
    case 'RecordExpenditure': {
      const d = c.data
      return E.chain((l: Line) => {
        const after = l.spent.plus(yuan(d.amount))
        return after.gt(adjustedOf(l))
          ? refuse(
              'over-spend',
              `spending ${fmt(yuan(d.amount))} on line "${l.id}" would bring its spending to ${fmt(after)}, over its adjusted budget of ${fmt(adjustedOf(l))}`,
              'data.amount',
            )
          : accept({ type: 'ExpenditureRecorded', data: d })
      })(line(d.line, 'data.line'))
    }
    case 'ReverseEvent':
      return decideReversal(s, c.data.event, canLose)
    case 'CorrectEntry':
      return decideCorrection(s, c.data, ctx, canLose)
    case 'SetEarmark':
      return accept({ type: 'EarmarkSet', data: c.data })
    case 'SetUnitTargets':
      return accept({ type: 'UnitTargetsSet', data: c.data })
    case 'SetProjectTargets':
      return E.chain((l: Line) =>
        l.kind === 'project'
          ? accept({ type: 'ProjectTargetsSet', data: c.data })
          : refuse('not-a-project', `line "${l.id}" is basic expenditure; performance targets belong to projects`, 'data.line'),
      )(line(c.data.line, 'data.line'))
    case 'DeclareSpecialFunds': {
      const d = c.data
      return E.chain((l: Line) => {
        if (l.kind !== 'project')
          return refuse('not-a-project', `line "${l.id}" is basic expenditure; special funds (专项资金) belong to projects`, 'data.line')
        if (yuan(d.amount).gt(adjustedOf(l)))
          return refuse(
            'special-funds-over-budget',
            `declaring ${fmt(yuan(d.amount))} of line "${l.id}" as special funds exceeds its adjusted budget of ${fmt(adjustedOf(l))}`,
            'data.amount',
          )
        if (yuan(d.amount).lt(l.detailed))
          return refuse(
            'below-detailed',
            `declaring ${fmt(yuan(d.amount))} of line "${l.id}" as special funds is less than the ${fmt(l.detailed)} already detailed to recipients`,
            'data.amount',
          )
        return accept({ type: 'SpecialFundsDeclared', data: d })
      })(line(d.line, 'data.line'))
    }
    case 'DetailSpecialFunds': {
      const d = c.data
      return E.chain((l: Line) => {
        const after = l.detailed.plus(yuan(d.amount))
        return after.gt(l.specialFunds)
          ? refuse(
              'over-detail',
              `detailing ${fmt(yuan(d.amount))} of line "${l.id}" to ${d.recipient} would bring its detailed special funds to ${fmt(after)}, over the ${fmt(l.specialFunds)} declared to distribute`,
              'data.amount',
            )
          : accept({ type: 'SpecialFundsDetailed', data: d })
      })(line(d.line, 'data.line'))
    }
    case 'ScheduleEvaluation':
      return E.chain((l: Line) =>
        l.kind !== 'project'
          ? refuse('not-a-project', `line "${l.id}" is basic expenditure; performance evaluations are of projects`, 'data.line')
          : l.keyEvaluation
            ? refuse('already-scheduled', `project "${l.id}" is already one of the key evaluations`, 'data.line')
            : accept({ type: 'EvaluationScheduled', data: c.data }),
      )(line(c.data.line, 'data.line'))
    case 'CompleteReview':
      return E.chain((l: Line) => decideReview(s, l, c.data))(line(c.data.line, 'data.line'))
    case 'AdoptRecommendation': {
      const r = s.recommendations.get(c.data.recommendation)
      if (!r) return refuse('unknown-recommendation', `there is no recommendation "${c.data.recommendation}" in ${id.year}`, 'data.recommendation')
      if (r.adopted) return refuse('already-adopted', `recommendation "${r.id}" was already adopted`, 'data.recommendation')
      return accept({ type: 'RecommendationAdopted', data: c.data })
    }
    case 'RecordTargetActual':
      return E.chain((l: Line) =>
        l.targets.some((t) => t.name === c.data.target)
          ? accept({ type: 'TargetActualRecorded', data: c.data })
          : refuse(
              'unknown-target',
              `line "${l.id}" has no performance target "${c.data.target}"${l.targets.length ? ` (its targets: ${[...new Set(l.targets.map((t) => t.name))].join('、')})` : ' (it has no targets)'}`,
              'data.target',
            ),
      )(line(c.data.line, 'data.line'))
    case 'CloseYear':
      return decideClose(s, c.data)
  }
}

const REVIEW_NAME = { monitoring: '绩效监控', selfEvaluation: '绩效自评', evaluation: '部门绩效评价' } as const

const decideReview = (s: BudgetYearState, l: Line, d: EventOf<'ReviewCompleted'>['data']): Decision => {
  if (l.kind !== 'project') return refuse('not-a-project', `line "${l.id}" is basic expenditure; performance reviews are of projects`, 'data.line')
  if (d.review === 'evaluation' && !l.keyEvaluation)
    return refuse('not-scheduled', `project "${l.id}" is not one of the key evaluations (部门重点绩效评价项目): schedule it first`, 'data.review')
  if (l.reviews[d.review]) return refuse('review-already-done', `the ${REVIEW_NAME[d.review]} of project "${l.id}" is already done`, 'data.review')
  const seen = new Set<string>()
  for (const [i, r] of d.recommendations.entries()) {
    if (seen.has(r.id) || s.recommendations.has(r.id))
      return refuse('duplicate-recommendation', `recommendation id "${r.id}" is already used`, `data.recommendations[${i}].id`)
    seen.add(r.id)
  }
  return accept({ type: 'ReviewCompleted', data: d })
}

/**
 * The close splits each line's unspent amount (adjusted − spent) into 结转, 结余 and 收回, exactly.
 * Every line with money left must be split; a fully spent line may be left out (or given zeros).
 * 收回 needs the finance bureau's notice, and a notice needs some 收回 to cite it for.
 */
const decideClose = (s: BudgetYearState, d: EventOf<'YearClosed'>['data']): Decision => {
  const seen = new Set<string>()
  for (const [i, c] of d.lines.entries()) {
    const path = `data.lines[${i}]`
    const l = s.lines.get(c.line)
    if (!l) return refuse('unknown-line', `there is no budget line "${c.line}" in ${s.identity!.year}`, `${path}.line`)
    if (seen.has(c.line)) return refuse('close-duplicate-line', `line "${c.line}" is split twice in the close`, `${path}.line`)
    seen.add(c.line)
    const parts = closingParts(c)
    const described = parts.map(([name, amount]) => `${name} ${fmt(amount)}`)
    if (parts.some(([, amount]) => amount.isNegative()))
      return refuse('close-mismatch', `line "${l.id}": ${parts.map(([name]) => name).join('、')} cannot be negative (got ${described.join(', ')})`, path)
    const split = parts.reduce((a, [, amount]) => a.plus(amount), ZERO)
    const available = availableOf(l)
    if (!split.eq(available))
      return refuse(
        'close-mismatch',
        `line "${l.id}": ${described.join(' + ')} = ${fmt(split)}, but its available amount is ${fmt(available)} (adjusted ${fmt(adjustedOf(l))} − spent ${fmt(l.spent)})`,
        path,
      )
  }
  const missing = [...s.lines.values()].filter((l) => !seen.has(l.id) && !availableOf(l).eq(ZERO))
  if (missing.length > 0)
    return refuse(
      'close-missing-line',
      `the close must split every line with money left into 结转, 结余 and 收回; missing: ${missing.map((l) => `"${l.id}" (${fmt(availableOf(l))} available)`).join(', ')}`,
      'data.lines',
    )
  const recovers = d.lines.some((c) => !yuan(c.recovered ?? ZERO).isZero())
  if (recovers && d.recoveryNotice === undefined)
    return refuse('document-required', 'money taken back (收回) needs the finance bureau’s 收回 notice: give its 文号 as recoveryNotice', 'data.recoveryNotice')
  if (!recovers && d.recoveryNotice !== undefined)
    return refuse('close-mismatch', `the close cites 收回 notice "${d.recoveryNotice}" but takes nothing back (收回 is 0 on every line)`, 'data.recoveryNotice')
  return accept({ type: 'YearClosed', data: d })
}

/** A line's outcomes as named in the close; 收回 only when given, so older refusals read as they did. */
const closingParts = (c: EventOf<'YearClosed'>['data']['lines'][number]): Array<readonly [string, Decimal]> => [
  ['结转', yuan(c.carryOver)],
  ['结余', yuan(c.balance)],
  ...(c.recovered === undefined ? [] : [['收回', yuan(c.recovered)] as const]),
]

const decideReversal = (
  s: BudgetYearState,
  eventId: string,
  canLose: (l: Line, amount: Decimal, path: string, what: string) => E.Either<DomainError, Line>,
): Decision => {
  const entry = journalEntry(s, eventId)
  if (!entry) return refuse('unknown-event', `there is no reversible event ${eventId} in this budget year`, 'data.event')
  if (!isReversible(entry.event)) return refuse('not-reversible', `event ${eventId} cannot be reversed`, 'data.event')
  if (isReversed(s, entry)) return refuse('already-reversed', `event ${eventId} was already reversed`, 'data.event')
  const reversal: DomainEvent = { type: 'EventReversed', data: { event: eventId } }
  const e = entry.event
  const losing = (lineId: string, amount: string) => {
    const l = s.lines.get(lineId)!
    return E.map(() => [reversal])(canLose(l, yuan(amount), 'data.event', 'undoing this event'))
  }
  switch (e.type) {
    case 'BudgetAdded':
      return losing(e.data.line, e.data.amount)
    case 'BudgetTransferred':
      return losing(e.data.to, e.data.amount)
    case 'BudgetReduced':
    case 'ExpenditureRecorded':
    case 'SpecialFundsDetailed':
      return accept(reversal)
  }
}

/**
 * 更正: the reversal and the replacement decided together, the replacement against the year as the
 * reversal leaves it (a corrected expenditure may use the room its own reversal frees), so that
 * both are recorded in one append or neither is. A refusal of the replacement names its field
 * under `data.replacement`.
 */
const decideCorrection = (
  s: BudgetYearState,
  d: Extract<Command, { type: 'CorrectEntry' }>['data'],
  ctx: CommandContext,
  canLose: (l: Line, amount: Decimal, path: string, what: string) => E.Either<DomainError, Line>,
): Decision => {
  const reversal = decideReversal(s, d.event, canLose)
  if (E.isLeft(reversal)) return reversal
  // On a fork: the state given is shared (the snapshot cache's) and must not see the reversal.
  const reversed = reversal.right.reduce((st, event, i) => evolve(st, { id: `${d.event}#reversal`, revision: s.revision + 1 + i, event }), forkState(s))
  const replacement = decide(reversed, d.replacement, ctx)
  if (E.isLeft(replacement)) {
    const e = replacement.left
    const path = e.path === undefined ? 'data.replacement' : e.path.startsWith('data') ? `data.replacement.${e.path}` : e.path
    return refuse(e.code, `the replacement: ${e.message}`, path)
  }
  return accept(...reversal.right, ...replacement.right)
}
