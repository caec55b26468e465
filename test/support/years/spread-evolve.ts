import type { DomainEvent } from '../../../src/domain/events/events'
import { ZERO_FEN, fenOf, plusFen } from '../../../src/domain/money/fen'
import { yuan } from '../../../src/domain/money/money'
import { NO_SPENDING, type Spending, type SpendingKind, spendingKey } from '../../../src/domain/budget-year/spending'
import type { Fen } from '../../../src/domain/money/fen'
import { type BudgetYearState, type Line, NO_REVIEWS, NO_SPLIT, type Split, bySplit, isReversible, journalEntry, signedFen } from '../../../src/domain/budget-year'

/**
 * The reference for the fold's copies (src/domain/budget-year/copies.ts): evolve as main 1fa6897
 * had it, every state and line copied by object spread. Kept whole, so that a property test can
 * fold the same events both ways (test/budget/fold/properties.test.ts).
 */
export const spreadEvolve = (s: BudgetYearState, e: { id: string; revision: number; event: DomainEvent }): BudgetYearState => {
  const applied = apply(s, e.event, 1)
  // apply builds a fresh state for every event: stamp its revision in place rather than copy it again.
  const next: BudgetYearState = applied === s ? { ...s, revision: e.revision } : applied
  if (next !== s) (next as { revision: number }).revision = e.revision
  if (isReversible(e.event)) next.journal.set(e.id, { revision: e.revision, event: e.event })
  if (e.event.type === 'EventReversed') {
    const target = journalEntry(s, e.event.data.event)
    if (target) target.reversedAt = e.revision
  }
  return next
}

/** spend as main 1fa6897 had it: the line's sums copied by spread. */
const spend = (s: Spending, k: SpendingKind, by: Fen): Spending => {
  const key = spendingKey(k)
  return { ...s, [key]: plusFen(s[key] ?? ZERO_FEN, by) }
}

/** sign 1 applies an event, -1 undoes it (for a reversal). */
const apply = (s: BudgetYearState, event: DomainEvent, sign: 1 | -1): BudgetYearState => {
  switch (event.type) {
    case 'BudgetYearOpened':
      return { ...s, identity: event.data }
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
      return { ...s, lines: s.lines.with(line) }
    }
    case 'BudgetAdded': {
      const { line, amount, category } = event.data
      return updateLine(s, line, (l) => ({ ...l, added: bySplit(category, signedFen(amount, sign), l.added) }))
    }
    case 'BudgetReduced': {
      const { line, amount, category } = event.data
      return updateLine(s, line, (l) => ({ ...l, reduced: bySplit(category, signedFen(amount, sign), l.reduced) }))
    }
    case 'BudgetTransferred': {
      const { from, to, amount, category } = event.data
      const by = signedFen(amount, sign)
      const moved = (split: Split) => bySplit(category, by, split)
      const out = updateLine(s, from, (l) => ({ ...l, transferredOut: moved(l.transferredOut) }))
      return updateLine(out, to, (l) => ({ ...l, transferredIn: moved(l.transferredIn) }))
    }
    case 'ExpenditureRecorded': {
      const { line, amount, economicCode, threePublic, procurement } = event.data
      const l = s.lines.get(line)
      if (!l) throw new Error(`invariant: event names unknown line ${line}`)
      const by = signedFen(amount, sign)
      // The commonest event: one copy of the state, not two.
      return {
        ...s,
        lines: s.lines.with({ ...l, spent: plusFen(l.spent, by), spending: spend(l.spending, { economicCode: economicCode ?? l.economicCode, threePublic }, by) }),
        spentThreePublic: threePublic ? { ...s.spentThreePublic, [threePublic]: plusFen(s.spentThreePublic[threePublic], by) } : s.spentThreePublic,
        spentProcurement: procurement ? { ...s.spentProcurement, [procurement]: plusFen(s.spentProcurement[procurement], by) } : s.spentProcurement,
      }
    }
    case 'EventReversed': {
      const target = journalEntry(s, event.data.event)
      // decide guarantees the target exists and is reversible; a log that says otherwise is corrupt.
      if (!target) throw new Error(`invariant: reversal of unknown event ${event.data.event}`)
      return apply(s, target.event, -1)
    }
    case 'EarmarkSet':
      return { ...s, earmarks: { ...s.earmarks, [event.data.earmark]: yuan(event.data.amount) } }
    case 'UnitTargetsSet':
      return { ...s, unitTargets: event.data }
    case 'ProjectTargetsSet':
      return updateLine(s, event.data.line, (l) => ({ ...l, targets: event.data.targets }))
    case 'SpecialFundsDeclared':
      return updateLine(s, event.data.line, (l) => ({ ...l, specialFunds: fenOf(event.data.amount) }))
    case 'SpecialFundsDetailed': {
      return updateLine(s, event.data.line, (l) => ({ ...l, detailed: plusFen(l.detailed, signedFen(event.data.amount, sign)) }))
    }
    case 'EvaluationScheduled':
      return updateLine(s, event.data.line, (l) => ({ ...l, keyEvaluation: true }))
    case 'ReviewCompleted': {
      const { line, review, recommendations } = event.data
      const withLine = updateLine(s, line, (l) => ({ ...l, reviews: { ...l.reviews, [review]: true } }))
      if (recommendations.length === 0) return withLine
      const all = new Map(s.recommendations)
      for (const r of recommendations) all.set(r.id, { id: r.id, line, review, text: r.text, adopted: false })
      return { ...withLine, recommendations: all }
    }
    case 'RecommendationAdopted': {
      const r = s.recommendations.get(event.data.recommendation)
      if (!r) throw new Error(`invariant: adoption of unknown recommendation ${event.data.recommendation}`)
      return { ...s, recommendations: new Map(s.recommendations).set(r.id, { ...r, adopted: true }) }
    }
    case 'TargetActualRecorded':
      return updateLine(s, event.data.line, (l) => ({ ...l, actuals: { ...l.actuals, [event.data.target]: event.data.actual } }))
    case 'YearClosed': {
      let lines = s.lines
      for (const c of event.data.lines) {
        const l = lines.get(c.line)
        if (!l) throw new Error(`invariant: the close names unknown line ${c.line}`)
        lines = lines.with({ ...l, closing: { carryOver: fenOf(c.carryOver), balance: fenOf(c.balance), recovered: c.recovered === undefined ? ZERO_FEN : fenOf(c.recovered) } })
      }
      return { ...s, lines, closed: true }
    }
  }
}

const updateLine = (s: BudgetYearState, id: string, f: (l: Line) => Line): BudgetYearState => {
  const line = s.lines.get(id)
  if (!line) throw new Error(`invariant: event names unknown line ${id}`)
  return { ...s, lines: s.lines.with(f(line)) }
}
