import { closeSync, openSync, writeFileSync, ftruncateSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_FILE_BYTES, MAX_FILE_LINES } from '../../../src/domain/budget-file/budget-file'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { cli } from '../../support/shells/cli'
import { FIXTURE, TOKENS, YEAR_PATH, addBody, fixtureBudgetFile, serverForTests } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * Every bad input a hostile tester tried is refused cleanly, over HTTP and on the command line:
 * a clear error naming the field, and nothing written.
 */

const IMPOSSIBLE_DATES = ['2021-13-01', '2021-02-32', '2021-00-10', '2021-02-29', '2021-04-31']
const Y = ['--unit', FIXTURE.unit, '--year', String(FIXTURE.year)]

/** A fixture file with `n` lines, the last of which has a bad amount. */
const fileWithLines = (n: number) => {
  const f = fixtureBudgetFile() as unknown as { lines: Array<Record<string, string>> } & Record<string, unknown>
  const base = f.lines[1]!
  f.lines = Array.from({ length: n }, (_, i) => ({ ...base, id: `g${i}`, projectName: `项目 ${i}` }))
  f.lines[n - 1]!.amount = '12,5'
  return f
}

describe('over HTTP', () => {
  const t = serverForTests({ fixture: true })
  const post = (body: unknown) => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body })

  it.each(IMPOSSIBLE_DATES)('when a command is dated %s, then 422 names effectiveDate and nothing is written', async (date) => {
    const before = await t.eventCount()
    const r = await post({ ...addBody(), effectiveDate: date })
    expect(r.status).toBe(422)
    expect(r.contentType).toMatch(/application\/problem\+json/)
    expect(r.body.errors).toEqual([{ path: 'effectiveDate', reason: `expected a calendar date YYYY-MM-DD that exists (e.g. "2021-03-01"), got "${date}"`, words: expect.stringContaining(date) }])
    expect(await t.eventCount()).toBe(before)
  })

  it('when a budget file is approved on 2021-13-01, then 422 names approvedOn', async () => {
    const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: { ...fixtureBudgetFile(), unit: { code: '900009', name: '日期' }, approvedOn: '2021-13-01' } })
    expect(r.status).toBe(422)
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['approvedOn'])
  })

  it.each([
    ['asOf', '2021-13-01'],
    ['effective', '2021-02-29'],
    ['effective', '2021-04-31'],
  ])('when a table is asked for with %s=%s, then 400 names the parameter', async (name, value) => {
    const r = await t.request('GET', `${YEAR_PATH}/tables/4?${name}=${value}`, { token: 'auditor' })
    expect(r.status).toBe(400)
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([name])
  })

  it('when an addition is dated 9999-12-31, then it is refused as date-outside-year with the allowed range, in English and in Chinese words, and nothing is written', async () => {
    const before = await t.eventCount()
    const r = await post({ ...addBody('500000.00'), effectiveDate: '9999-12-31' })
    expect(r.status).toBe(409)
    expect(r.body.code).toBe('date-outside-year')
    const words = '业务日期 9999-12-31 不在 2021 预算年度执行及决算的业务日期范围内（2021-01-01 至 2022-03-31）'
    expect(r.body.words).toBe(words)
    expect(r.body.errors).toEqual([{ path: 'effectiveDate', reason: expect.stringContaining('2021-01-01 to 2022-03-31'), words }])
    expect(r.body.detail).toContain('9999-12-31')
    expect(await t.eventCount()).toBe(before)
  })

  it('when a budget file of 2021 is approved in 2019, then it is refused naming approvedOn', async () => {
    const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: { ...fixtureBudgetFile(), unit: { code: '900008', name: '早批' }, approvedOn: '2019-03-01' } })
    expect(r.status).toBe(409)
    expect(r.body).toMatchObject({ code: 'date-outside-year', errors: [{ path: 'approvedOn', reason: expect.stringContaining('2020-10-01 to 2021-12-31') }] })
  })

  it.each([
    ['reason', { reason: '追加\u0000测试' }, 'U+0000'],
    ['document', { document: '财〔2021〕\uD800号' }, 'U+D800'],
    ['data.voucher', { type: 'RecordExpenditure', data: { line: 'p01', amount: '1.00', economicCode: null, voucher: 'V\u0007', threePublic: null, procurement: null } }, 'U+0007'],
  ])('when %s holds a control character or a lone surrogate, then 422 names it', async (path, change, shown) => {
    const before = await t.eventCount()
    const r = await post({ ...addBody(), ...change })
    expect(r.status).toBe(422)
    expect(r.body.errors).toEqual([{ path, reason: expect.stringContaining(shown), words: expect.stringContaining(path) }])
    expect(await t.eventCount()).toBe(before)
  })

  it('when the body has a byte that is not UTF-8, then 400 says so with its offset, and nothing is written', async () => {
    const before = await t.eventCount()
    const json = Buffer.from(JSON.stringify({ ...addBody(), reason: 'XX' }))
    const at = json.indexOf('XX')
    json[at] = 0xff
    const res = await fetch(`${t.url}${YEAR_PATH}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.finance}`, 'content-type': 'application/json' },
      body: json,
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/)
    expect(((await res.json()) as { detail: string }).detail).toContain(`not valid UTF-8 (the first bad byte is at offset ${at})`)
    expect(await t.eventCount()).toBe(before)
  })

  it.each([
    ['utf-16', Buffer.from(`\uFEFF${JSON.stringify(addBody())}`, 'utf16le')],
    ['UTF-16LE', Buffer.from(JSON.stringify(addBody()), 'utf16le')],
    ['"utf-16be"', Buffer.from(JSON.stringify(addBody()), 'utf16le').swap16()],
    ['latin1', Buffer.from(JSON.stringify(addBody()), 'latin1')],
    ['utf-32', Buffer.from(JSON.stringify(addBody()), 'latin1')],
  ])('when a JSON body declares charset=%s, then 415 names the charset and nothing is written', async (charset, bytes) => {
    const before = await t.eventCount()
    const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: bytes, headers: { 'content-type': `application/json; charset=${charset}` } })
    expect(r.status).toBe(415)
    expect(r.contentType).toMatch(/application\/problem\+json/)
    expect(r.body.detail).toContain(`charset ${charset.replace(/"/g, '').toLowerCase()}`)
    expect(r.body.detail).toContain('utf-8')
    expect(r.body.errors).toEqual([{ path: 'Content-Type', reason: expect.stringContaining(charset.replace(/"/g, '').toLowerCase()) }])
    expect(await t.eventCount()).toBe(before)
  })

  it.each(['utf-8', 'UTF-8', '"utf-8"', 'Utf-8'])('when a JSON body declares charset=%s, then it is read as UTF-8 and recorded', async (charset) => {
    const r = await t.request('POST', `${YEAR_PATH}/commands?dryRun=true`, { token: 'finance', rawBody: JSON.stringify(addBody()), headers: { 'content-type': `application/json; charset=${charset}` } })
    expect(r.status).toBe(200)
  })

  it(`when a budget file has ${MAX_FILE_LINES + 1} lines, then the line limit is refused before any line is decoded`, async () => {
    const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: { ...fileWithLines(MAX_FILE_LINES + 1), unit: { code: '900007', name: '大文件' } } })
    expect(r.status).toBe(422)
    expect(r.body.errors).toEqual([{ path: 'lines', reason: expect.stringContaining(`at most ${MAX_FILE_LINES} lines, not ${MAX_FILE_LINES + 1}`), words: expect.stringContaining('lines') }])
  })
})

describe('on the command line', () => {
  let db: ReturnType<typeof tempDb>
  const run = (...argv: string[]) => cli(['--db', db.path, ...argv], { LEDGER_ACTOR: 'tester' })
  const eventCount = async () => {
    const store = new SqliteEventStore(db.path)
    try {
      return (await store.readAll()).length
    } finally {
      await store.close()
    }
  }
  const file = (name: string, content: string | Buffer) => {
    const path = join(db.dir, name)
    writeFileSync(path, content)
    return path
  }
  const add = (date: string) => run('add', ...Y, '--line', 'p01', '--amount', '1.00', '--reason', '追加', '--document', '文', '--date', date)

  beforeEach(async () => {
    db = tempDb('ledger-bad-input-')
    const r = await run('import', file('fixture.json', JSON.stringify(fixtureBudgetFile())))
    expect(r.code, r.stderr).toBe(0)
  })
  afterEach(() => db.remove())

  it.each(IMPOSSIBLE_DATES)('when add is dated %s, then --date is named, the exit code is 1 and nothing is written', async (date) => {
    const before = await eventCount()
    const r = await add(date)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`--date: expected a calendar date YYYY-MM-DD that exists (e.g. "2021-03-01"), got "${date}"`)
    expect(r.stderr).not.toContain('Invalid time value')
    expect(await eventCount()).toBe(before)
  })

  it('when a budget file is approved on 2021-02-32, then approvedOn is named', async () => {
    const r = await run('import', file('bad-date.json', JSON.stringify({ ...fixtureBudgetFile(), unit: { code: '900009', name: '日期' }, approvedOn: '2021-02-32' })))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('approvedOn: expected a calendar date YYYY-MM-DD that exists')
  })

  it('when --effective or --as-of is an impossible date, then the option is named and the exit code is 2', async () => {
    const r = await run('table', '4', ...Y, '--effective', '2021-02-29', '--as-of', '2021-13-01')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--as-of: expected a date YYYY-MM-DD.*"2021-13-01"/)
    expect(r.stderr).toMatch(/--effective: expected a date YYYY-MM-DD.*"2021-02-29"/)
  })

  it('when add is dated outside the year and its 决算 period, then it is refused with the allowed range', async () => {
    const before = await eventCount()
    const r = await add('2020-12-31')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('refused (date-outside-year): business date 2020-12-31 is outside the dates AddToLine may take in budget year 2021: 2021-01-01 to 2022-03-31')
    expect(await eventCount()).toBe(before)
    expect((await add('2022-03-31')).code).toBe(0)
  })

  it('when the reason holds a NUL, then --reason is named', async () => {
    const r = await run('add', ...Y, '--line', 'p01', '--amount', '1.00', '--reason', '追加\u0001', '--document', '文', '--date', '2021-06-01')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--reason: expected text without control characters (found U+0001 at character 3)')
  })

  it('when a budget file has a byte that is not UTF-8, then the file and the offset are named and nothing is written', async () => {
    const bytes = Buffer.from(JSON.stringify({ ...fixtureBudgetFile(), unit: { code: '900006', name: 'XX' } }))
    const at = bytes.indexOf('XX')
    bytes[at + 1] = 0xc3
    const path = file('latin1.json', bytes)
    const r = await run('import', path)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${path} is not valid UTF-8 (the first bad byte is at offset ${at + 1})`)
    expect(await eventCount()).toBe(1 + fixtureBudgetFile().lines.length)
  })

  it('when a budget file has a NUL in the unit name, then unit.name is named', async () => {
    const r = await run('import', file('nul.json', JSON.stringify({ ...fixtureBudgetFile(), unit: { code: '900006', name: '单\u0000位' } })))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('unit.name: expected text without control characters (found U+0000 at character 2)')
  })

  it(`when a budget file has ${MAX_FILE_LINES + 1} lines, one of them bad, then the line limit is what is reported and nothing is written`, async () => {
    const before = await eventCount()
    const r = await run('import', file('large.json', JSON.stringify({ ...fileWithLines(MAX_FILE_LINES + 1), unit: { code: '900005', name: '大文件' } })))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`lines: expected at most ${MAX_FILE_LINES} lines, not ${MAX_FILE_LINES + 1}: split it into one file per unit and year, or record further lines with allocate, got an array of ${MAX_FILE_LINES + 1} items`)
    // The bad amount of the last line was never looked at.
    expect(r.stderr).not.toContain(`lines[${MAX_FILE_LINES}]`)
    expect(await eventCount()).toBe(before)
  })

  it('when a budget file is larger than the byte limit, then it is refused by its size before it is read', async () => {
    const path = join(db.dir, 'huge.json')
    const fd = openSync(path, 'w')
    ftruncateSync(fd, MAX_FILE_BYTES + 1) // zero bytes: not JSON, so any reading of it would say so
    closeSync(fd)
    const r = await run('import', path)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${path}: the file has ${MAX_FILE_BYTES + 1} bytes, more than the ${MAX_FILE_BYTES} a budget file may have: split it`)
    expect(r.stderr).not.toMatch(/JSON/)
  })
})
