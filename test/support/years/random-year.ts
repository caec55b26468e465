import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { FINAL_TABLES, TABLES } from '../../../projections'
import { indicatorReport } from '../../../projections/indicators/indicators'
import { toJson } from '../../../projections/render'
import { type BudgetYearState, adjustedOf, decide } from '../../../src/domain/budget-year'
import type { Command } from '../../../src/domain/events/commands'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import type { EventStore } from '../../../src/store/port'
import { cmd, recorder } from '../ledgers/audit-ledger'
import { fenText } from '../../../src/domain/money/fen'

/**
 * Random valid unit-years for the snapshot properties (test/store/snapshots/snapshots.test.ts,
 * test/store/snapshots/persisted-snapshots.test.ts): adjustments, spending, transfers, reversals, new lines;
 * back-dated and future-dated business dates; a recording clock that sometimes runs behind; and
 * random points on both axes. `view` is what a state shows, compared between the fast paths and
 * the full replay.
 */
export const catalogue = bundledCatalogue()
export const LINES = ['basic', 'p01', 'p02', 'n1', 'n2', 'n3']
export const START = Date.parse('2021-03-01T02:00:00.000Z')
export const DAY = 86_400_000

export const step = fc.record({
  minutes: fc.integer({ min: -180, max: 3 * 24 * 60 }),
  shiftDays: fc.integer({ min: -20, max: 10 }),
  kind: fc.constantFrom('add', 'reduce', 'transfer', 'spend', 'spend', 'spend', 'reverse', 'reverse', 'earmark', 'allocate', 'targets'),
  line: fc.nat(LINES.length - 1),
  other: fc.nat(LINES.length - 1),
  amount: fc.integer({ min: 1, max: 60_000 }),
  pick: fc.nat(1000),
})
export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never

export const query = fc.record({
  /** Where asOf falls in the recorded span, per mille (outside it on both sides too); null: no asOf. */
  asOf: fc.option(fc.integer({ min: -100, max: 1100 }), { nil: null }),
  /** Business date as days after 1 March; null: no cut-off. */
  effective: fc.option(fc.integer({ min: -5, max: 60 }), { nil: null }),
})

export const yuanOf = (n: number) => `${n}.00`
export const dateOf = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10) // the Shanghai date

export const commandOf = (s: Step, lines: string[], reversible: string[]): Command | undefined => {
  // Mostly lines that exist; now and then one that does not (refused, nothing recorded).
  const line = s.pick % 17 === 0 ? LINES[s.line]! : lines[s.line % lines.length]!
  const other = lines[s.other % lines.length]!
  const amount = yuanOf(s.amount)
  switch (s.kind) {
    case 'add':
      return cmd('AddToLine', { line, amount, category: s.pick % 3 === 0 ? 'forceMajeure' : 'ordinary' })
    case 'reduce':
      return cmd('ReduceLine', { line, amount, category: 'ordinary' })
    case 'transfer':
      return cmd('TransferBetweenLines', { from: line, to: other, amount, category: 'ordinary' })
    case 'spend':
      return cmd('RecordExpenditure', {
        line,
        amount,
        economicCode: null,
        voucher: `V${s.pick}`,
        threePublic: s.pick % 4 === 0 ? 'reception' : null,
        procurement: s.pick % 5 === 0 ? 'goods' : null,
      })
    case 'reverse':
      return reversible.length ? cmd('ReverseEvent', { event: reversible[s.pick % reversible.length] }) : undefined
    case 'earmark':
      return cmd('SetEarmark', { earmark: s.pick % 2 ? 'threePublic.reception' : 'officeOperating', amount })
    case 'allocate': {
      const id = LINES.slice(3).find((l) => !lines.includes(l))
      return id
        ? cmd('AllocateLine', {
            line: id,
            kind: 'project',
            basicCategory: null,
            projectName: `项目${id}`,
            functionCode: s.pick % 2 ? '2060499' : '2011308',
            economicCode: null,
            fundSource: 'general.appropriation',
            amount,
          })
        : undefined
    }
    case 'targets':
      return cmd('SetProjectTargets', { line, targets: [{ category: 'output', name: `指标${s.pick}`, operator: '≥', value: String(s.pick), unit: '次' }] })
  }
}

/** What a state shows: the tables, every line's figures, and which events it would still let be reversed. */
export const view = (s: BudgetYearState, reversible: ReadonlyArray<string>) => ({
  revision: s.revision,
  tables: s.identity ? [...TABLES, ...FINAL_TABLES].map((t) => toJson(t.render(s, catalogue))) : null,
  indicators: s.identity ? JSON.parse(JSON.stringify(indicatorReport(s))) : null,
  lines: [...s.lines.values()].map((l) => [l.id, adjustedOf(l).toFixed(2), fenText(l.spent), l.targets.length]),
  reversals: s.identity
    ? reversible.map((id) => {
        const d = decide(s, { type: 'ReverseEvent', data: { event: id } } as Command, { reason: 'r', document: null, effectiveDate: '2021-06-01' })
        return E.isLeft(d) ? d.left.code : 'ok'
      })
    : null,
})

/** A random year being recorded: the budget imported, then steps recorded in turn (refused ones leave nothing). */
export const randomYear = async (store: EventStore) => {
  const { record, importAt } = recorder(store)
  let clock = START
  await importAt(new Date(clock).toISOString())
  const lines = ['basic', 'p01', 'p02']
  const reversible: string[] = []
  return {
    reversible,
    get last() {
      return clock
    },
    async record(steps: ReadonlyArray<Step>) {
      for (const s of steps) {
        clock += s.minutes * 60_000
        const c = commandOf(s, lines, reversible)
        if (!c) continue
        const effective = dateOf(Math.min(Math.max(clock + s.shiftDays * DAY, Date.parse('2021-01-01T00:00:00Z')), Date.parse('2021-12-30T00:00:00Z')))
        try {
          const ids = await record(new Date(clock).toISOString(), c, { effectiveDate: effective, document: '文' })
          if (c.type === 'AllocateLine') lines.push(c.data.line)
          if (['AddToLine', 'ReduceLine', 'TransferBetweenLines', 'RecordExpenditure'].includes(c.type)) reversible.push(...ids)
        } catch {
          /* refused: nothing recorded */
        }
      }
    },
  }
}
