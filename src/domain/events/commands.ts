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
import { Bounded, IsoDate, NonEmpty } from '../codecs/primitives'
import { strict } from '../codecs/strict'

/**
 * What finance staff ask the ledger to do. Each command's payload has the shape of the event it
 * records when accepted, so one codec validates both (and the import file, and HTTP bodies).
 */
const command = <T extends string, C extends t.Mixed>(type: T, data: C) => strict({ type: t.literal(type), data }, {}, type)

/**
 * A union picked by its `type` first, so a bad member is told by that member's fields alone
 * (io-ts's union would list what every alternative wanted at every path).
 */
const byType = <C extends t.Mixed & { name: string }>(name: string, members: ReadonlyArray<C>): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> => {
  const byName = new Map(members.map((m) => [m.name, m]))
  const expected = `one of ${members.map((m) => JSON.stringify(m.name)).join(', ')}`
  return new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    name,
    (u): u is t.TypeOf<C> => members.some((m) => m.is(u)),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'an object {type, data}')
      const type = (u as { type?: unknown }).type
      const member = typeof type === 'string' ? byName.get(type) : undefined
      if (!member) return t.failures([{ value: type, context: [...c, { key: 'type', type: t.never, actual: type }], message: expected }])
      return member.validate(u, c)
    },
    (a) => byName.get((a as { type: string }).type)!.encode(a),
  )
}

/**
 * What a correction may put in the place of the entry it reverses: the recording commands whose
 * events can themselves be reversed (amounts on lines), so a correction can be corrected again.
 */
export const Replacement = byType('Replacement', [
  command('AddToLine', BudgetAdded),
  command('ReduceLine', BudgetReduced),
  command('TransferBetweenLines', BudgetTransferred),
  command('RecordExpenditure', ExpenditureRecorded),
  command('DetailSpecialFunds', SpecialFundsDetailed),
])
export type Replacement = t.TypeOf<typeof Replacement>
export const REPLACEMENT_TYPES: ReadonlyArray<Replacement['type']> = ['AddToLine', 'ReduceLine', 'TransferBetweenLines', 'RecordExpenditure', 'DetailSpecialFunds']

/** 更正: reverse an entry and record what it should have been, decided and recorded together. */
export const CorrectEntry = strict({ event: NonEmpty, replacement: Replacement }, {}, 'CorrectEntry')

export const Command = t.union([
  command('OpenBudgetYear', BudgetYearOpened),
  command('AllocateLine', LineAllocated),
  command('AddToLine', BudgetAdded),
  command('ReduceLine', BudgetReduced),
  command('TransferBetweenLines', BudgetTransferred),
  command('RecordExpenditure', ExpenditureRecorded),
  command('ReverseEvent', EventReversed),
  command('CorrectEntry', CorrectEntry),
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
