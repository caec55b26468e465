import ExcelJS from 'exceljs'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { timeInZone } from '../../../src/domain/time/as-of'
import { ledgerDeps } from '../../../src/ledger/deps'
import { recordCommand } from '../../../src/ledger/recording/record'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { AT, TARGET, cmd, recordScenario, serveStore } from '../../support/ledgers/audit-ledger'
import { cli } from '../../support/shells/cli'
import { TOKENS, send } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

const T = ['--unit', TARGET.unit, '--year', String(TARGET.year)]
const YEAR = `/api/units/${TARGET.unit}/years/${TARGET.year}`
const AUDITOR_AT = '2021-03-11T02:00:00.000Z'

describe('history filters and downloads: an auditor narrows the events and takes away exactly what is shown', () => {
  const db = tempDb('ledger-history-filter-')
  let store: SqliteEventStore
  let ids: Awaited<ReturnType<typeof recordScenario>> & { other: string }
  let server: Awaited<ReturnType<typeof serveStore>>
  let url: string
  const get = (path: string, token = 'auditor') => send(url, 'GET', path, { token })
  const shown = async (query: string): Promise<string[]> => {
    const r = await get(`${YEAR}/history?${query}`)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body.entries.map((e: { id: string }) => e.id)
  }

  beforeAll(async () => {
    store = new SqliteEventStore(db.path)
    const scenario = await recordScenario(store)
    // One event by another person, signed in (a subject), with a reason a spreadsheet would run.
    const deps = ledgerDeps(store, { now: () => new Date(AUDITOR_AT) })
    const r = await recordCommand(
      deps,
      TARGET,
      cmd('AddToLine', { line: 'p03', amount: '3000.00', category: 'ordinary' }),
      { reason: '=1+1 补记', document: '审计〔2021〕1号', effectiveDate: '2021-03-11' } as never,
      { name: '王出纳', role: 'finance', subject: 'https://idp.example|wang-7' },
    )
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    ids = { ...scenario, other: r.right.events[0]!.id }
    server = await serveStore(store)
    url = server.url
  })
  afterAll(async () => {
    await server.close()
    await store.close()
    db.remove()
  })

  it('given known events, when filtered by document, person, type, either time axis or line, then each filter keeps exactly the events it names', async () => {
    expect(await shown('document=03-04')).toEqual([ids.transfer, ids.allocate])
    expect(await shown('document=审计')).toEqual([ids.other])
    expect(await shown('person=王')).toEqual([ids.other])
    expect(await shown(`person=${encodeURIComponent('WANG-7')}`)).toEqual([ids.other])
    expect(await shown('person=李会计')).not.toContain(ids.other)
    expect(await shown('type=ExpenditureRecorded')).toEqual([ids.spend, ids.spendBasic])
    expect(await shown('type=BudgetAdded,BudgetReduced')).toEqual([ids.add, ids.reduce, ids.correction, ids.other])
    // Recording time, Shanghai days: (end of 5 March, end of 6 March].
    expect(await shown('from=2021-03-05&to=2021-03-06')).toEqual([ids.targets, ids.spendBasic])
    // Business date: the correction recorded on day 10 is dated day 3.
    expect(await shown('effectiveFrom=2021-03-03&effectiveTo=2021-03-03')).toEqual([ids.spend, ids.earmark, ids.correction])
    expect(await shown('line=p02&type=BudgetAdded')).toEqual([ids.correction])
    // Filters add up; asOf still selects what is folded.
    expect(await shown('type=BudgetAdded&asOf=2021-03-09')).toEqual([ids.add])
  })

  it('given a filter, when the history is shown, then each entry is the one of the whole history (balances of the year, not of the selection) and the filter is echoed', async () => {
    const all = (await get(`${YEAR}/history`)).body.entries
    const some = await get(`${YEAR}/history?type=BudgetAdded&effectiveFrom=2021-03-03`)
    expect(some.body.filter).toEqual({ types: ['BudgetAdded'], effectiveFrom: '2021-03-03' })
    for (const e of some.body.entries) expect(e).toEqual(all.find((a: { id: string }) => a.id === e.id))
    expect(some.body.entries.find((e: { id: string }) => e.id === ids.other).subject).toBe('https://idp.example|wang-7')
  })

  it('given bad filters, when asked, then 400 names each bad parameter, and the CLI refuses with exit 2 naming the flag', async () => {
    const bad = await get(`${YEAR}/history?type=Nope&effectiveFrom=someday&document=`)
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['document', 'effectiveFrom', 'type'])
    expect(bad.body.detail).toContain('unknown event type Nope')
    expect((await get(`${YEAR}/history?from=2021-03-06&to=2021-03-05`)).status).toBe(400)
    const r = await cli(['--db', db.path, 'history', ...T, '--type', 'Nope', '--effective-to', 'x'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--type: unknown event type Nope')
    expect(r.stderr).toContain('--effective-to: expected')
  })

  it('given the same filter, when the CLI history is asked for, then it is the HTTP JSON', async () => {
    const r = await cli(['--db', db.path, 'history', ...T, '--document', '03-04', '--person', '李', '--format', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual((await get(`${YEAR}/history?document=03-04&person=${encodeURIComponent('李')}`)).body)
    const text = await cli(['--db', db.path, 'history', ...T, '--type', 'ExpenditureRecorded', '--from', '2021-03-05'])
    expect(text.stdout).toContain('1 event(s)')
    expect(text.stdout).toContain(ids.spendBasic)
    expect(text.stdout).not.toContain(ids.spend + ' ')
  })

  it('given a filter, when the history is downloaded as CSV, then it holds exactly the filtered rows, times in the ledger time zone, and a formula-like reason is guarded', async () => {
    const res = await fetch(`${url}${YEAR}/history.csv?type=BudgetAdded`, { headers: { authorization: `Bearer ${TOKENS.finance}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`${TARGET.unit}-${TARGET.year}-事件记录.csv`)}`)
    const text = await res.text()
    const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    expect(lines[1]).toContain('批文号')
    const rows = lines.slice(2)
    expect(rows.map((l) => l.split(',')[10])).toEqual([ids.add, ids.correction, ids.other])
    expect(rows[0]).toContain(timeInZone(AT.add, 'Asia/Shanghai'))
    expect(rows[0]).toContain('测试〔2021〕03-01号')
    expect(rows[2]).toContain("'=1+1 补记")
    expect(rows[2]).not.toMatch(/,=1\+1/)
    expect((await get(`${YEAR}/history.csv?type=Nope`)).status).toBe(400)
  })

  it('given a filter, when the history is downloaded as XLSX, then the sheet holds exactly the filtered rows', async () => {
    const res = await fetch(`${url}${YEAR}/history.xlsx?document=03-04`, { headers: { authorization: `Bearer ${TOKENS.auditor}` } })
    expect(res.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    const ws = wb.worksheets[0]!
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map(String)
    expect(values(2)[6]).toBe('批文号')
    expect(ws.rowCount).toBe(4)
    expect([values(3)[10], values(4)[10]]).toEqual([ids.transfer, ids.allocate])
    expect(values(3)[6]).toBe('测试〔2021〕03-04号')
    expect(values(3)[1]).toBe(timeInZone(AT.transfer, 'Asia/Shanghai'))
    expect((await get(`${YEAR}/history.xlsx`, 'dashboard')).status).toBe(403)
  })
})
