import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { ledgerProblems } from '../projections/consistency'
import { adjustedOf, decide, evolve, initialState } from '../src/domain/budget-year'
import { FUND_SOURCES } from '../src/domain/classification'
import type { Command } from '../src/domain/commands'
import { renderAllTables } from '../src/ledger/tables'
import { bundledCatalogue } from '../src/reference/catalogue'
import { ctx, openYear } from './support/given'

const catalogue = bundledCatalogue()
const FUNCTION_CODES = ['201', '20113', '2011308', '2060499', '206', '2150502', '21505', '2080501', '2210201', '2240299', '2999999']
const ECONOMIC = [null, '301', '30101', '302', '30217', '31013', '399', '30999']
const LINE_IDS = ['a', 'b', 'c', 'd', 'e', 'f']
const cents = fc.bigInt({ min: 1n, max: 10_000_000_00n }).map((c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`)
const category = fc.constantFrom('ordinary', 'nationalPolicy', 'forceMajeure', 'higherLevelAssignment')

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    line: fc.constantFrom(...LINE_IDS),
    kind: fc.constantFrom('basic', 'project'),
    basicCategory: fc.constantFrom('personnel', 'operating', null),
    functionCode: fc.constantFrom(...FUNCTION_CODES),
    economicCode: fc.constantFrom(...ECONOMIC),
    fundSource: fc.constantFrom(...FUND_SOURCES),
    amount: fc.oneof(cents, fc.constant('0.00')),
  }).map((d) => ({
    type: 'AllocateLine',
    data: { ...d, basicCategory: d.kind === 'basic' ? d.basicCategory : null, projectName: d.kind === 'project' ? `项目${d.line}` : null },
  }) as Command),
  fc.record({ line: fc.constantFrom(...LINE_IDS), amount: cents, category }).map((data) => ({ type: 'AddToLine', data }) as Command),
  fc.record({ line: fc.constantFrom(...LINE_IDS), amount: cents, category }).map((data) => ({ type: 'ReduceLine', data }) as Command),
  fc.record({ from: fc.constantFrom(...LINE_IDS), to: fc.constantFrom(...LINE_IDS), amount: cents, category }).map(
    (data) => ({ type: 'TransferBetweenLines', data }) as Command,
  ),
  fc.record({
    line: fc.constantFrom(...LINE_IDS),
    amount: cents,
    economicCode: fc.constantFrom(...ECONOMIC),
    voucher: fc.constant('V'),
    threePublic: fc.constantFrom(null, 'abroad', 'reception', 'vehicleOperation', 'vehiclePurchase'),
    procurement: fc.constantFrom(null, 'goods', 'works', 'services'),
  }).map((data) => ({ type: 'RecordExpenditure', data }) as Command),
  fc.nat({ max: 60 }).map((n) => ({ type: 'ReverseEvent', data: { event: `e${n}` } }) as Command),
  fc.record({
    earmark: fc.constantFrom('threePublic.reception', 'threePublic.abroad', 'officeOperating', 'procurement.goods'),
    amount: cents,
  }).map((data) => ({ type: 'SetEarmark', data }) as Command),
)

/** Decides each command against the state so far; refused ones are simply not recorded. */
const run = (commands: Command[]) => {
  let state = evolve(initialState(), { id: 'e0', revision: 0, event: { type: 'BudgetYearOpened', data: (openYear() as any).data } })
  let accepted = 0
  for (const c of commands) {
    const d = decide(state, c, ctx)
    if (E.isLeft(d)) continue
    for (const event of d.right) state = evolve(state, { id: `e${state.revision + 1}`, revision: state.revision + 1, event })
    accepted++
  }
  return { state, accepted }
}

describe('properties of any ledger built from valid commands', () => {
  it('every table foots and the tables agree, exactly, for random command sequences', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), (commands) => {
        const { state } = run(commands)
        expect(ledgerProblems(renderAllTables(state, catalogue))).toEqual([])
      }),
      { numRuns: 150 },
    )
  })

  it('no line ever spends more than its adjusted budget, nor less than nothing', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 80 }), (commands) => {
        const { state } = run(commands)
        for (const l of state.lines.values()) {
          expect(l.spent.lte(adjustedOf(l))).toBe(true)
          expect(l.spent.gte(0)).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('the generator exercises the ledger: most runs accept several commands', () => {
    const samples = fc.sample(fc.array(command, { minLength: 40, maxLength: 40 }), 50)
    const accepted = samples.map((cs) => run(cs).accepted)
    expect(accepted.filter((n) => n >= 5).length).toBeGreaterThan(40)
  })
})
