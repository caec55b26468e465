import * as E from 'fp-ts/Either'
import type Decimal from 'decimal.js'
import { type Command, type CommandContext, needsApprovalDocument } from '../commands'
import { type DomainError, domainError } from '../errors'
import type { DomainEvent } from '../events'
import { yuan } from '../money'
import { isReversible } from './evolve'
import { type BudgetYearState, type Line, adjustedOf, isReversed, journalEntry } from './state'

type Decision = E.Either<DomainError, DomainEvent[]>

const fmt = (d: Decimal): string => `${d.toFixed(2)} 元`
const accept = (...events: DomainEvent[]): Decision => E.right(events)
const refuse = (...args: Parameters<typeof domainError>): Decision => E.left(domainError(...args))

/**
 * Decides what a command records, given the budget year as it stands. Pure: the same state and
 * command always give the same answer. Every refusal says what is wrong in the ledger's terms.
 */
export const decide = (s: BudgetYearState, c: Command, ctx: CommandContext): Decision => {
  if (c.type === 'OpenBudgetYear') {
    return s.identity
      ? refuse('year-already-open', `budget year ${s.identity.year} of unit ${s.identity.unit.code} is already open`)
      : accept({ type: 'BudgetYearOpened', data: c.data })
  }
  const id = s.identity
  if (!id) return refuse('year-not-open', 'the budget year is not open: open it before recording anything in it')
  if (s.closed) return refuse('year-closed', `budget year ${id.year} of unit ${id.unit.code} is closed: it takes no more changes`)
  if (needsApprovalDocument(c) && ctx.document === null)
    return refuse('document-required', 'a budget adjustment needs the approval document that authorised it', 'document')
  if (!ctx.effectiveDate.startsWith(`${id.year}-`) && c.type === 'RecordExpenditure')
    return refuse('date-outside-year', `business date ${ctx.effectiveDate} is outside budget year ${id.year}`, 'effectiveDate')

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
  }
}

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
      return accept(reversal)
  }
}
