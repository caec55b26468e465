import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { percent, sum, toWan, yuan } from '../../../src/domain/money/money'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { TARGET, recordScenario, serveStore } from '../../support/ledgers/audit-ledger'
import { cli } from '../../support/shells/cli'
import { send } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

const T = ['--unit', TARGET.unit, '--year', String(TARGET.year)]
const YEAR = `/api/units/${TARGET.unit}/years/${TARGET.year}`

describe('one budget line followed through the year', () => {
  const db = tempDb('ledger-line-view-')
  let store: SqliteEventStore
  let ids: Awaited<ReturnType<typeof recordScenario>>
  let server: Awaited<ReturnType<typeof serveStore>>
  let url: string
  const get = (path: string, token = 'dashboard') => send(url, 'GET', path, { token })

  beforeAll(async () => {
    store = new SqliteEventStore(db.path)
    ids = await recordScenario(store)
    server = await serveStore(store)
    url = server.url
  })
  afterAll(async () => {
    await server.close()
    await store.close()
    db.remove()
  })

  it('given a line transferred from, cut for national policy and topped up, when it is read, then its figures add up (元 and 万元) and its events are exactly those that touched it', async () => {
    const r = await get(`${YEAR}/lines/p02`, 'auditor')
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const f = r.body.figures
    expect(f.initial).toEqual({ yuan: '200000.00', wan: '20.00' })
    expect(f.added.yuan).toBe('7000.00')
    expect(f.reduced.yuan).toBe('10000.00')
    expect(f.transferredIn.yuan).toBe('0.00')
    expect(f.transferredOut.yuan).toBe('20000.00')
    expect(f.adjusted).toEqual({ yuan: '177000.00', wan: '17.70' })
    expect(f.available).toEqual({ yuan: '177000.00', wan: '17.70' })
    expect(r.body.line).toMatchObject({ id: 'p02', kind: 'project', name: '项目二', functionCode: '2060499' })
    expect(r.body.events.map((e: { id: string }) => e.id)).toContain(ids.transfer)
    expect(r.body.events.map((e: { id: string }) => e.id)).toEqual((await get(`${YEAR}/history?line=p02`, 'auditor')).body.entries.map((e: { id: string }) => e.id))
    expect(r.body.events.at(-1).balances.find((b: { line: string }) => b.line === 'p02')).toEqual({ line: 'p02', budget: f.adjusted.yuan, spent: f.spent.yuan })
  })

  it('given every line, when read one by one, then their figures are the year summary’s, sum to the 预算执行率 indicator’s numerator and denominator, and each line’s rate is spent / adjusted as the indicator shows it', async () => {
    const summary = (await get(YEAR)).body
    const lineIds: string[] = summary.lines.map((l: { line: string }) => l.line)
    expect(lineIds).toEqual(['basic', 'p01', 'p02', 'p03'])
    const views = await Promise.all(lineIds.map(async (id) => (await get(`${YEAR}/lines/${id}`)).body))
    // The year summary's figures of each line are the line view's.
    for (const [i, l] of summary.lines.entries())
      for (const k of ['initial', 'added', 'reduced', 'transferredIn', 'transferredOut', 'adjusted', 'spent', 'available']) expect(views[i].figures[k].yuan).toBe(l[k])
    const indicator = (await get(`${YEAR}/indicators`)).body.indicators.find((i: { id: string }) => i.id === 'budget-execution')
    const [adjustedVariant, initialVariant] = indicator.variants
    expect(sum(views.map((v) => yuan(v.figures.spent.yuan))).toFixed(2)).toBe(adjustedVariant.numerator.value)
    expect(sum(views.map((v) => yuan(v.figures.adjusted.yuan))).toFixed(2)).toBe(adjustedVariant.denominator.value)
    expect(sum(views.map((v) => yuan(v.figures.initial.yuan))).toFixed(2)).toBe(initialVariant.denominator.value)
    const basic = views.find((v) => v.line.id === 'basic')
    expect(basic.figures.spent.yuan).toBe('5000.00')
    expect(basic.figures.adjusted.yuan).toBe('120000.00')
    expect(basic.executionRate.map((x: { id: string }) => x.id)).toEqual(indicator.variants.map((x: { id: string }) => x.id))
    expect(basic.executionRate[0].value).toBe(percent(yuan('5000'), yuan('120000')))
    expect(basic.executionRate[1].value).toBe(percent(yuan('5000'), yuan('100000')))
    for (const v of views) for (const k of Object.keys(v.figures)) expect(v.figures[k].wan).toBe(toWan(yuan(v.figures[k].yuan)))
  })

  it('given the dashboard role, which may not read the history, when a line is read, then it gets the figures and rates but not the events', async () => {
    const dash = await get(`${YEAR}/lines/p02`, 'dashboard')
    expect(dash.status).toBe(200)
    expect(dash.body.events).toBeUndefined()
    const { events, ...rest } = (await get(`${YEAR}/lines/p02`, 'finance')).body
    expect(events.length).toBeGreaterThan(0)
    expect(dash.body).toEqual(rest)
  })

  it('given asOf, an unknown line or year, when read, then the line as it was then, 404 naming the lines, 404 for the year', async () => {
    const then = await get(`${YEAR}/lines/p01?asOf=2021-03-03`)
    expect(then.body.figures.spent.yuan).toBe('50000.00')
    expect((await get(`${YEAR}/lines/p01`)).body.figures.spent.yuan).toBe('0.00')
    const unknown = await get(`${YEAR}/lines/nope`)
    expect(unknown.status).toBe(404)
    expect(unknown.body.detail).toContain('lines: basic, p01, p02')
    expect((await get(`/api/units/${TARGET.unit}/years/1999/lines/p01`)).status).toBe(404)
  })

  it('given the CLI, when line is asked for, then its JSON is the HTTP JSON and its text is aligned and labelled', async () => {
    const j = await cli(['--db', db.path, 'line', 'p02', ...T, '--format', 'json'])
    expect(j.code, j.stderr).toBe(0)
    expect(JSON.parse(j.stdout)).toEqual((await get(`${YEAR}/lines/p02`, 'finance')).body)
    const text = await cli(['--db', db.path, 'line', 'basic', ...T])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain('调整后预算 adjusted')
    expect(text.stdout).toMatch(/120000\.00 元\s+12\.00 万元/)
    expect(text.stdout).toContain('4.17%')
    const bad = await cli(['--db', db.path, 'line', 'nope', ...T])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('no budget line "nope"')
  })
})
