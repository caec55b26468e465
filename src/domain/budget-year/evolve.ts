import type { DomainEvent, EventOf } from '../events/events'
import { ZERO_FEN, fenOf, plusFen } from '../money/fen'
import { yuan } from '../money/money'
import { type Writable, copyLine, copyState } from './copies'
import { NO_SPENDING, spend } from './spending'
import { type BudgetYearState, type Line, NO_REVIEWS, NO_SPLIT, type Split, bySplit, journalEntry, signedFen } from './state'

/**
 * Folds one recorded event of a budget-year stream into the state. The same fold serves deciding
 * commands, live projections, full rebuilds and as-of queries.
 */
export const evolve = (s: BudgetYearState, e: { id: string; revision: number; event: DomainEvent }): BudgetYearState => {
  const applied = apply(s, e.event, 1)
  // apply builds a fresh state for every event: stamp its revision in place rather than copy it again.
  const next: Writable<BudgetYearState> = applied === s ? copyState(s) : applied
  next.revision = e.revision
  if (isReversible(e.event)) next.journal.set(e.id, { revision: e.revision, event: e.event })
  if (e.event.type === 'EventReversed') {
    const target = journalEntry(s, e.event.data.event)
    if (target) target.reversedAt = e.revision
  }
  return next
}

export type ReversibleEvent = EventOf<'BudgetAdded' | 'BudgetReduced' | 'BudgetTransferred' | 'ExpenditureRecorded' | 'SpecialFundsDetailed'>
/** The types isReversible accepts: what a journal holds. */
export const REVERSIBLE_TYPES: ReadonlyArray<ReversibleEvent['type']> = ['BudgetAdded', 'BudgetReduced', 'BudgetTransferred', 'ExpenditureRecorded', 'SpecialFundsDetailed']
export const isReversible = (e: DomainEvent): e is ReversibleEvent =>
  e.type === 'BudgetAdded' ||
  e.type === 'BudgetReduced' ||
  e.type === 'BudgetTransferred' ||
  e.type === 'ExpenditureRecorded' ||
  e.type === 'SpecialFundsDetailed'

/**
 * sign 1 applies an event, -1 undoes it (for a reversal). Every state and line it returns is a new
 * one, made by copyState / copyLine (copies.ts, not spreads: the cost of a copy per event) and
 * changed only before it is returned.
 */
const apply = (s: BudgetYearState, event: DomainEvent, sign: 1 | -1): Writable<BudgetYearState> => {
  switch (event.type) {
    case 'BudgetYearOpened': {
      const next = copyState(s)
      next.identity = event.data
      return next
    }
    case 'LineAllocated': {
      const d = event.data
      const line: Line = {
        id: d.line,
        kind: d.kind,
        basicCategory: d.basicCategory,
        projectName: d.projectName,
        functionCode: d.functionCode,
        economicCode: d.economicCode,
        fundSource: d.fundSource,
        initial: fenOf(d.amount),
        added: NO_SPLIT,
        reduced: NO_SPLIT,
        transferredIn: NO_SPLIT,
        transferredOut: NO_SPLIT,
        spent: ZERO_FEN,
        spending: NO_SPENDING,
        targets: [],
        specialFunds: ZERO_FEN,
        detailed: ZERO_FEN,
        keyEvaluation: false,
        reviews: NO_REVIEWS,
        actuals: {},
        carriedFrom: d.carriedFrom ?? null,
        carriedFundSource: d.carriedFundSource ?? null,
        closing: null,
      }
      return withLines(s, s.lines.with(line))
    }
    case 'BudgetAdded': {
      const { line, amount, category } = event.data
      const l = copyOfLine(s, line)
      l.added = bySplit(category, signedFen(amount, sign), l.added)
      return withLine(s, l)
    }
    case 'BudgetReduced': {
      const { line, amount, category } = event.data
      const l = copyOfLine(s, line)
      l.reduced = bySplit(category, signedFen(amount, sign), l.reduced)
      return withLine(s, l)
    }
    case 'BudgetTransferred': {
      const { from, to, amount, category } = event.data
      const by = signedFen(amount, sign)
      const moved = (split: Split) => bySplit(category, by, split)
      const out = copyOfLine(s, from)
      out.transferredOut = moved(out.transferredOut)
      const transferred = withLine(s, out)
      const into = copyOfLine(transferred, to)
      into.transferredIn = moved(into.transferredIn)
      return withLine(transferred, into)
    }
    case 'ExpenditureRecorded': {
      const { line, amount, economicCode, threePublic, procurement } = event.data
      const by = signedFen(amount, sign)
      // The commonest event: one copy of the state, not two.
      const l = copyOfLine(s, line)
      l.spending = spend(l.spending, { economicCode: economicCode ?? l.economicCode, threePublic }, by)
      l.spent = plusFen(l.spent, by)
      const next = withLine(s, l)
      if (threePublic) next.spentThreePublic = { ...s.spentThreePublic, [threePublic]: plusFen(s.spentThreePublic[threePublic], by) }
      if (procurement) next.spentProcurement = { ...s.spentProcurement, [procurement]: plusFen(s.spentProcurement[procurement], by) }
      return next
    }
    case 'EventReversed': {
      const target = journalEntry(s, event.data.event)
      // decide guarantees the target exists and is reversible; a log that says otherwise is corrupt.
      if (!target) throw new Error(`invariant: reversal of unknown event ${event.data.event}`)
      return apply(s, target.event, -1)
    }
    case 'EarmarkSet': {
      const next = copyState(s)
      next.earmarks = { ...s.earmarks, [event.data.earmark]: yuan(event.data.amount) }
      return next
    }
    case 'UnitTargetsSet': {
      const next = copyState(s)
      next.unitTargets = event.data
      return next
    }
    case 'ProjectTargetsSet': {
      const l = copyOfLine(s, event.data.line)
      l.targets = event.data.targets
      return withLine(s, l)
    }
    case 'SpecialFundsDeclared': {
      const l = copyOfLine(s, event.data.line)
      l.specialFunds = fenOf(event.data.amount)
      return withLine(s, l)
    }
    case 'SpecialFundsDetailed': {
      const l = copyOfLine(s, event.data.line)
      l.detailed = plusFen(l.detailed, signedFen(event.data.amount, sign))
      return withLine(s, l)
    }
    case 'EvaluationScheduled': {
      const l = copyOfLine(s, event.data.line)
      l.keyEvaluation = true
      return withLine(s, l)
    }
    case 'ReviewCompleted': {
      const { line, review, recommendations } = event.data
      const l = copyOfLine(s, line)
      l.reviews = { ...l.reviews, [review]: true }
      const next = withLine(s, l)
      if (recommendations.length === 0) return next
      const all = new Map(s.recommendations)
      for (const r of recommendations) all.set(r.id, { id: r.id, line, review, text: r.text, adopted: false })
      next.recommendations = all
      return next
    }
    case 'RecommendationAdopted': {
      const r = s.recommendations.get(event.data.recommendation)
      if (!r) throw new Error(`invariant: adoption of unknown recommendation ${event.data.recommendation}`)
      const next = copyState(s)
      next.recommendations = new Map(s.recommendations).set(r.id, { ...r, adopted: true })
      return next
    }
    case 'TargetActualRecorded': {
      const l = copyOfLine(s, event.data.line)
      l.actuals = { ...l.actuals, [event.data.target]: event.data.actual }
      return withLine(s, l)
    }
    case 'YearClosed': {
      let lines = s.lines
      for (const c of event.data.lines) {
        const l = lines.get(c.line)
        if (!l) throw new Error(`invariant: the close names unknown line ${c.line}`)
        const closed = copyLine(l)
        closed.closing = { carryOver: fenOf(c.carryOver), balance: fenOf(c.balance), recovered: c.recovered === undefined ? ZERO_FEN : fenOf(c.recovered) }
        lines = lines.with(closed)
      }
      const next = withLines(s, lines)
      next.closed = true
      return next
    }
  }
}

/** A copy of `s` with these lines. */
const withLines = (s: BudgetYearState, lines: BudgetYearState['lines']): Writable<BudgetYearState> => {
  const next = copyState(s)
  next.lines = lines
  return next
}

/** A copy of line `id` of `s`, to be changed and then put in a copy of `s` by withLine (no closure per event: a change is plain statements). */
const copyOfLine = (s: BudgetYearState, id: string): Writable<Line> => {
  const line = s.lines.get(id)
  if (!line) throw new Error(`invariant: event names unknown line ${id}`)
  return copyLine(line)
}

/** A copy of `s` holding `line`, a new copy of one of its lines. */
const withLine = (s: BudgetYearState, line: Line): Writable<BudgetYearState> => withLines(s, s.lines.with(line))
