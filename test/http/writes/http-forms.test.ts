import { describe, expect, it } from 'vitest'
import { FIXTURE, YEAR_PATH, addBody, isProblem, serverForTests } from '../../support/shells/http'

/** The routes the page's recording forms need beyond POST …/commands, over a real server and SQLite file. */

const CLOSE = { carry: { p01: 'all', p02: '1000.00' }, reason: '年终结账', document: null, effectiveDate: '2021-12-31' }
const NEXT_PATH = `/api/units/${FIXTURE.unit}/years/${FIXTURE.year + 1}`

describe('closing a year and opening the next over HTTP', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given an open year, when next-year is asked (even as a dry run), then it is refused with year-not-closed and nothing is written', async () => {
    const before = await t.eventCount()
    for (const q of ['?dryRun=true', '']) {
      const r = await t.request('POST', `${YEAR_PATH}/next-year${q}`, { token: 'finance', body: {} })
      expect(r.status).toBe(409)
      expect(isProblem(r)).toBe(true)
      expect(r.body.code).toBe('year-not-closed')
      expect(r.body.detail).toMatch(/is not closed/)
    }
    expect(await t.eventCount()).toBe(before)
  })

  it('given a carry wish, when the close is dry-run, then it answers the 结转 and 结余 of every line the ledger worked out, writes nothing, and the close records them', async () => {
    const before = await t.eventCount()
    const dry = await t.request('POST', `${YEAR_PATH}/close?dryRun=true`, { token: 'finance', body: CLOSE })
    expect(dry.status).toBe(200)
    expect(dry.body.events).toEqual([
      expect.objectContaining({
        type: 'YearClosed',
        data: {
          lines: [
            { line: 'basic', carryOver: '0.00', balance: '100000.00' },
            { line: 'p01', carryOver: '500000.00', balance: '0.00' },
            { line: 'p02', carryOver: '1000.00', balance: '199000.00' },
          ],
        },
      }),
    ])
    expect(dry.body.changes.some((c: string) => /结转结余率/.test(c))).toBe(true)
    expect(await t.eventCount()).toBe(before)
    const year = await t.request('GET', YEAR_PATH, { token: 'finance' })
    const done = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: CLOSE, headers: { 'If-Match': year.headers.get('etag')!, 'Idempotency-Key': 'close-1' } })
    expect(done.status).toBe(201)
    expect(await t.eventCount()).toBe(before + 1)
  })

  it('given a carry larger than what a line has left, or an unknown field, then the close is refused naming carry or the field, and nothing is written', async () => {
    const before = await t.eventCount()
    const over = await t.request('POST', `${YEAR_PATH}/close?dryRun=true`, { token: 'finance', body: { ...CLOSE, carry: { p02: '300000.00' } } })
    expect(over.status).toBe(422)
    expect(over.body.errors).toEqual([{ path: 'carry.p02', reason: expect.stringMatching(/p02.*only 200000\.00/), words: expect.stringMatching(/p02.*200000\.00/) }])
    const odd = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...CLOSE, carryAll: true } })
    expect(odd.status).toBe(422)
    expect(odd.body.errors[0].path).toBe('carryAll')
    expect(await t.eventCount()).toBe(before)
  })

  it('given a carry and a 收回 wish with its notice, when the close is recorded, then every line states 结转, 结余 and 收回; a 收回 without its notice, or more than is left, is refused naming recover and writes nothing', async () => {
    const before = await t.eventCount()
    const recovering = { ...CLOSE, recover: { basic: 'all', p02: '9000.00' }, recoveryNotice: '财收〔2021〕12号' }
    const noNotice = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...recovering, recoveryNotice: undefined } })
    expect(noNotice.status).toBe(409)
    expect(JSON.stringify(noNotice.body.errors)).toMatch(/recoveryNotice/)
    const tooMuch = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...recovering, recover: { p02: '199500.00' } } })
    expect(tooMuch.status).toBe(422)
    expect(tooMuch.body.errors).toEqual([{ path: 'recover.p02', reason: expect.stringMatching(/p02.*recover 199500\.00.*only 200000\.00/), words: expect.stringMatching(/收回 199500\.00/) }])
    const badNotice = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...recovering, recoveryNotice: 12 } })
    expect(badNotice.status).toBe(422)
    expect(badNotice.body.errors[0].path).toBe('recoveryNotice')
    expect(await t.eventCount()).toBe(before)
    const done = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: recovering })
    expect(done.status).toBe(201)
    expect(done.body.events[0].data).toEqual({
      lines: [
        { line: 'basic', carryOver: '0.00', balance: '0.00', recovered: '100000.00' },
        { line: 'p01', carryOver: '500000.00', balance: '0.00', recovered: '0.00' },
        { line: 'p02', carryOver: '1000.00', balance: '190000.00', recovered: '9000.00' },
      ],
      recoveryNotice: '财收〔2021〕12号',
    })
    expect(await t.eventCount()).toBe(before + 1)
  })

  it('given a closed year, when next-year is dry-run, then it answers the new year with its 上年结转 lines and writes nothing; recorded, a repeated Idempotency-Key records once', async () => {
    expect((await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: CLOSE })).status).toBe(201)
    const before = await t.eventCount()
    const dry = await t.request('POST', `${YEAR_PATH}/next-year?dryRun=true`, { token: 'finance', body: { document: '财预〔2022〕1号' } })
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({ unit: FIXTURE.unit, year: 2022, dryRun: true, carriedOver: '501000.00' })
    expect(dry.body.events.map((e: { type: string }) => e.type)).toEqual(['BudgetYearOpened', 'LineAllocated', 'LineAllocated'])
    expect(dry.body.lines.map((l: { line: string; initial: string }) => [l.line, l.initial])).toEqual([
      ['cf-p01', '500000.00'],
      ['cf-p02', '1000.00'],
    ])
    expect(await t.eventCount()).toBe(before)
    expect((await t.request('GET', NEXT_PATH, { token: 'finance' })).status).toBe(404)

    const year = await t.request('GET', YEAR_PATH, { token: 'finance' })
    const headers = { 'If-Match': year.headers.get('etag')!, 'Idempotency-Key': 'next-1' }
    const done = await t.request('POST', `${YEAR_PATH}/next-year`, { token: 'finance', body: { document: '财预〔2022〕1号' }, headers })
    expect(done.status).toBe(201)
    const again = await t.request('POST', `${YEAR_PATH}/next-year`, { token: 'finance', body: { document: '财预〔2022〕1号' }, headers })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await t.eventCount()).toBe(before + 3)
    const next = await t.request('GET', NEXT_PATH, { token: 'finance' })
    expect(next.body.lines.map((l: { line: string; fundSource: string }) => [l.line, l.fundSource])).toEqual([
      ['cf-p01', 'carriedForward'],
      ['cf-p02', 'carriedForward'],
    ])
  })

  it('given a stale If-Match, a bad date or the wrong role, then next-year is refused (412, 422 naming effectiveDate, 403) and nothing is written', async () => {
    expect((await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: CLOSE })).status).toBe(201)
    const before = await t.eventCount()
    const stale = await t.request('POST', `${YEAR_PATH}/next-year`, { token: 'finance', body: {}, headers: { 'If-Match': '"1"' } })
    expect(stale.status).toBe(412)
    expect(stale.body.currentRevision).toBeGreaterThan(1)
    const bad = await t.request('POST', `${YEAR_PATH}/next-year?dryRun=true`, { token: 'finance', body: { effectiveDate: '2022-13-01' } })
    expect(bad.status).toBe(422)
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['effectiveDate'])
    for (const token of ['auditor', 'dashboard'] as const)
      expect((await t.request('POST', `${YEAR_PATH}/next-year`, { token, body: {} })).status).toBe(403)
    expect(await t.eventCount()).toBe(before)
  })
})

describe('the reads of the recording forms', () => {
  const t = serverForTests({ fixture: true })

  it('given an addition and a reversed expenditure, then reversible-entries lists the addition only (latest first) with its document, and only to finance and auditors', async () => {
    const add = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('300.00', 'p02') })
    const spend = await t.request('POST', `${YEAR_PATH}/commands`, {
      token: 'finance',
      body: { type: 'RecordExpenditure', data: { line: 'p01', amount: '50.00', economicCode: null, voucher: 'V-1', threePublic: null, procurement: null }, reason: '支出', document: null, effectiveDate: '2021-05-02' },
    })
    expect(spend.status).toBe(201)
    const list = async () => (await t.request('GET', `${YEAR_PATH}/reversible-entries`, { token: 'finance' })).body.entries
    expect((await list()).map((e: { id: string }) => e.id)).toEqual([spend.body.events[0].id, add.body.events[0].id])
    const reverse = await t.request('POST', `${YEAR_PATH}/commands`, {
      token: 'finance',
      body: { type: 'ReverseEvent', data: { event: spend.body.events[0].id }, reason: '录错', document: null, effectiveDate: '2021-05-03' },
    })
    expect(reverse.status).toBe(201)
    const entries = await list()
    expect(entries.map((e: { id: string }) => e.id)).toEqual([add.body.events[0].id])
    expect(entries[0]).toMatchObject({ type: 'BudgetAdded', document: '测试〔2021〕2号', effectiveDate: '2021-05-01', data: { line: 'p02', amount: '300.00' } })
    expect((await t.request('GET', `${YEAR_PATH}/reversible-entries`, { token: 'auditor' })).status).toBe(200)
    expect((await t.request('GET', `${YEAR_PATH}/reversible-entries`, { token: 'dashboard' })).status).toBe(403)
  })

  it('given the fixture, then targets lists each project line with its (empty) targets and no unit targets; the classifications list 2150502 by name, the fund sources theirs', async () => {
    const targets = await t.request('GET', `${YEAR_PATH}/targets`, { token: 'dashboard' })
    expect(targets.status).toBe(200)
    expect(targets.body.unitTargets).toBeNull()
    expect(targets.body.projects).toEqual([
      { line: 'p01', projectName: '项目一', functionCode: '2150502', targets: [] },
      { line: 'p02', projectName: '项目二', functionCode: '2060499', targets: [] },
    ])
    const functions = await t.request('GET', '/api/classifications/functions', { token: 'dashboard' })
    expect(functions.status).toBe(200)
    expect(functions.body.find((c: { code: string }) => c.code === '2150502')).toMatchObject({ name: expect.stringMatching(/\S/), parent: '21505' })
    const economic = await t.request('GET', '/api/classifications/economic', { token: 'finance' })
    expect(economic.body.find((c: { code: string }) => c.code === '30217')?.name).toBe('公务接待费')
    expect((await t.request('GET', '/api/classifications/functions')).status).toBe(401)
    const sources = await t.request('GET', '/api/classifications/fund-sources', { token: 'finance' })
    expect(sources.body).toContainEqual({ code: 'general.appropriation', name: '财政拨款' })
  })
})
