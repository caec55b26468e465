import * as t from 'io-ts'
import {
  BudgetAdded,
  BudgetReduced,
  BudgetTransferred,
  BudgetYearOpened,
  EarmarkSet,
  EvaluationScheduled,
  EventReversed,
  ExpenditureRecorded,
  LineAllocated,
  ProjectTargetsSet,
  RecommendationAdopted,
  ReviewCompleted,
  SpecialFundsDeclared,
  SpecialFundsDetailed,
  TargetActualRecorded,
  UnitTargetsSet,
  YearClosed,
} from './events'
import { Bounded, IsoDate } from './primitives'
import { strict } from './strict'

/**
 * What finance staff ask the ledger to do. Each command's payload has the shape of the event it
 * records when accepted, so one codec validates both (and the import file, and HTTP bodies).
 */
const command = <T extends string, C extends t.Mixed>(type: T, data: C) => strict({ type: t.literal(type), data }, {}, type)

export const Command = t.union([
  command('OpenBudgetYear', BudgetYearOpened),
  command('AllocateLine', LineAllocated),
  command('AddToLine', BudgetAdded),
  command('ReduceLine', BudgetReduced),
  command('TransferBetweenLines', BudgetTransferred),
  command('RecordExpenditure', ExpenditureRecorded),
  command('ReverseEvent', EventReversed),
  command('SetEarmark', EarmarkSet),
  command('SetUnitTargets', UnitTargetsSet),
  command('SetProjectTargets', ProjectTargetsSet),
  command('DeclareSpecialFunds', SpecialFundsDeclared),
  command('DetailSpecialFunds', SpecialFundsDetailed),
  command('ScheduleEvaluation', EvaluationScheduled),
  command('CompleteReview', ReviewCompleted),
  command('AdoptRecommendation', RecommendationAdopted),
  command('RecordTargetActual', TargetActualRecorded),
  command('CloseYear', YearClosed),
])
export type Command = t.TypeOf<typeof Command>
export type CommandType = Command['type']

/** Why and on what authority: recorded with every event the command produces. */
const CONTEXT = {
  reason: Bounded(1, 2000, 'a reason (non-empty text, at most 2000 characters)'),
  document: t.union([Bounded(1, 200, 'an approval document reference (at most 200 characters)'), t.null]),
  effectiveDate: IsoDate,
}
export const CommandContext = strict(CONTEXT)
/** A context whose parts the ledger may fill in itself (opening the next year: its reason and date). */
export const PartialContext = strict({}, CONTEXT, 'context')
export type CommandContext = t.TypeOf<typeof CommandContext>

/** Commands that change a line's budget need the approval document that authorised them. */
export const needsApprovalDocument = (c: Pick<Command, 'type'>): boolean =>
  c.type === 'AddToLine' || c.type === 'ReduceLine' || c.type === 'TransferBetweenLines'
