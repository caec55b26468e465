import type Decimal from 'decimal.js'
import type { DomainEvent, EventOf } from '../events'
import { ZERO, yuan } from '../money'
import { type BudgetYearState, type Line, NO_SPLIT, type Split, bySplit, journalEntry } from './state'

/**
 * Folds one recorded event of a budget-year stream into the state. The same fold serves deciding
 * commands, live projections, full rebuilds and as-of queries.
 */
export const evolve = (s: BudgetYearState, e: { id: string; revision: number; event: DomainEvent }): BudgetYearState => {
  const next = apply({ ...s, revision: e.revision }, e.event, 1)
  if (isReversible(e.event)) next.journal.set(e.id, { revision: e.revision, event: e.event })
  if (e.event.type === 'EventReversed') {
    const target = journalEntry(s, e.event.data.event)
    if (target) target.reversedAt = e.revision
  }
  return next
}

export type ReversibleEvent = EventOf<'BudgetAdded' | 'BudgetReduced' | 'BudgetTransferred' | 'ExpenditureRecorded'>
export const isReversible = (e: DomainEvent): e is ReversibleEvent =>
  e.type === 'BudgetAdded' || e.type === 'BudgetReduced' || e.type === 'BudgetTransferred' || e.type === 'ExpenditureRecorded'

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
        initial: yuan(d.amount),
        added: NO_SPLIT,
        reduced: NO_SPLIT,
        transferredIn: NO_SPLIT,
        transferredOut: NO_SPLIT,
        spent: ZERO,
        targets: [],
      }
      return { ...s, lines: new Map(s.lines).set(line.id, line) }
    }
    case 'BudgetAdded': {
      const { line, amount, category } = event.data
      return updateLine(s, line, (l) => ({ ...l, added: bySplit(category, signed(amount, sign), l.added) }))
    }
    case 'BudgetReduced': {
      const { line, amount, category } = event.data
      return updateLine(s, line, (l) => ({ ...l, reduced: bySplit(category, signed(amount, sign), l.reduced) }))
    }
    case 'BudgetTransferred': {
      const { from, to, amount, category } = event.data
      const moved = (split: Split) => bySplit(category, signed(amount, sign), split)
      const out = updateLine(s, from, (l) => ({ ...l, transferredOut: moved(l.transferredOut) }))
      return updateLine(out, to, (l) => ({ ...l, transferredIn: moved(l.transferredIn) }))
    }
    case 'ExpenditureRecorded': {
      const { line, amount, threePublic, procurement } = event.data
      const delta = signed(amount, sign)
      const withLine = updateLine(s, line, (l) => ({ ...l, spent: l.spent.plus(delta) }))
      return {
        ...withLine,
        spentThreePublic: threePublic
          ? { ...s.spentThreePublic, [threePublic]: s.spentThreePublic[threePublic].plus(delta) }
          : s.spentThreePublic,
        spentProcurement: procurement
          ? { ...s.spentProcurement, [procurement]: s.spentProcurement[procurement].plus(delta) }
          : s.spentProcurement,
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
  }
}

const signed = (amount: string, sign: 1 | -1): Decimal => (sign === 1 ? yuan(amount) : yuan(amount).neg())

const updateLine = (s: BudgetYearState, id: string, f: (l: Line) => Line): BudgetYearState => {
  const line = s.lines.get(id)
  if (!line) throw new Error(`invariant: event names unknown line ${id}`)
  return { ...s, lines: new Map(s.lines).set(id, f(line)) }
}
