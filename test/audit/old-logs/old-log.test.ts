import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { indicatorReport } from '../../../projections/indicators/indicators'
import { toJson } from '../../../projections/render'
import { evolve, initialState } from '../../../src/domain/budget-year'
import { carryOverOf, recoveredOf, surplusOf } from '../../../src/domain/budget-year/state'
import { DomainEvent } from '../../../src/domain/events/events'
import { renderAllTables } from '../../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../../src/reference/catalogue'

/**
 * A log recorded before issue 13 (YearClosed with 结转 and 结余 only, 上年结转 lines in the next
 * year) with the tables and indicators it gave then, in test/fixtures/log-before-issue-13.json.
 * Events already in a ledger never change: they must decode and fold to the same figures.
 */
const fixture = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'fixtures', 'log-before-issue-13.json'), 'utf8')) as {
  streams: Record<string, unknown[]>
  expected: Record<string, { tables: unknown[]; indicators?: unknown }>
}

const fold = (events: unknown[]) =>
  events.reduce<ReturnType<typeof initialState>>((s, raw, revision) => {
    const decoded = DomainEvent.decode(raw)
    if (E.isLeft(decoded)) throw new Error(`event ${revision} no longer decodes: ${JSON.stringify(raw).slice(0, 200)}`)
    return evolve(s, { id: `e${revision}`, revision, event: decoded.right })
  }, initialState())

/**
 * The report without `valueWan`, the 万元 form of each basis amount that reports gained after the
 * fixture was recorded: a presentation of `value`, which the fixture still checks to the 分.
 */
const withoutWan = (u: unknown): unknown =>
  Array.isArray(u)
    ? u.map(withoutWan)
    : typeof u === 'object' && u !== null
      ? Object.fromEntries(Object.entries(u).filter(([k]) => k !== 'valueWan').map(([k, v]) => [k, withoutWan(v)]))
      : u

describe('a log recorded before the 决算 change', () => {
  for (const stream of Object.keys(fixture.streams))
    it(`given ${stream} as recorded then, when it is decoded and folded today, then its 11 预算 tables${fixture.expected[stream]!.indicators ? ' and indicators' : ''} are as they were`, () => {
      const state = fold(fixture.streams[stream]!)
      expect(JSON.parse(JSON.stringify(renderAllTables(state, bundledCatalogue()).map(toJson)))).toEqual(fixture.expected[stream]!.tables)
      if (fixture.expected[stream]!.indicators)
        expect(withoutWan(JSON.parse(JSON.stringify(indicatorReport(state))))).toEqual(fixture.expected[stream]!.indicators)
    })

  it('given the old close, then every line ends with 收回 0 and 结转 + 结余 as recorded', () => {
    const state = fold(fixture.streams['budget-101065-2021']!)
    const p02 = state.lines.get('p02')!
    expect([carryOverOf(p02), surplusOf(p02), recoveredOf(p02)].map((d) => d.toFixed(2))).toEqual(['2000.00', '189999.50', '0.00'])
  })
})
