import { describe, expect, it, vi } from 'vitest'
import { seedCity, unitCode } from '../../../scripts/bench/ledgers/city'
import { SEARCH_PAGE } from '../../../src/http/routes/reads/units'
import { fixtureBudgetFile, serverForTests } from '../../support/shells/http'
import { addPerson } from '../../support/shells/people'

/** GET /api/units on a ledger of several units, one of them with two years: whole, and page by page. */
describe('GET /api/units: the units from the store index, in code order, whole or a page at a time', () => {
  const t = serverForTests()
  const codes = ['900003', '900001', '9000011', '900010', '90001']

  const importYear = async (code: string, year: number) => {
    const file = { ...fixtureBudgetFile(), unit: { code, name: `单位${code}` }, year, approvedOn: `${year}-03-01` }
    const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: file })
    expect(r.status).toBe(201)
  }

  it('given five units, one with two years, when listed whole, then every unit comes in code order with its name and years, without reading any stream', async () => {
    for (const code of codes) await importYear(code, 2021)
    await importYear('900001', 2022)
    const reads = vi.spyOn(t.store, 'readStream')
    const r = await t.request('GET', '/api/units', { token: 'dashboard' })
    expect(r.status).toBe(200)
    expect(r.headers.get('link')).toBeNull()
    expect(r.body).toEqual([
      { unit: '900001', name: '单位900001', years: [2021, 2022] },
      { unit: '9000011', name: '单位9000011', years: [2021] },
      { unit: '900003', name: '单位900003', years: [2021] },
      { unit: '90001', name: '单位90001', years: [2021] },
      { unit: '900010', name: '单位900010', years: [2021] },
    ])
    expect(reads).not.toHaveBeenCalled()
    reads.mockRestore()
  })

  it('given those units, when listed two at a time following the next link, then the pages join up to the whole list, a unit never split', async () => {
    const whole = (await t.request('GET', '/api/units', { token: 'dashboard' })).body
    const pages: unknown[][] = []
    let path: string | undefined = '/api/units?limit=2'
    while (path) {
      const r = await t.request('GET', path, { token: 'dashboard' })
      expect(r.status).toBe(200)
      pages.push(r.body)
      path = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') ?? '')?.[1]
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual(whole)
    expect((await t.request('GET', '/api/units?after=900003&limit=1', { token: 'dashboard' })).body).toEqual([{ unit: '90001', name: '单位90001', years: [2021] }])
  })

  it('given a bad page, when listed, then 400 names the parameter', async () => {
    for (const [query, path] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['after=x1', 'after'],
    ] as const) {
      const r = await t.request('GET', `/api/units?${query}`, { token: 'dashboard' })
      expect(r.status).toBe(400)
      expect(JSON.stringify(r.body)).toContain(path)
    }
  })
})

/** GET /api/units?q=: the picker's search, by the start of a code or part of a name, paged like the listing. */
describe('GET /api/units?q=: units found by the start of their code or part of their name, a page at a time', () => {
  const t = serverForTests()
  const UNITS: ReadonlyArray<readonly [string, string]> = [
    ['900001', '市教育局'],
    ['9000011', 'Alpha 外国语学校'],
    ['900002', '市第一中学'],
    ['900010', '市第二中学'],
    ['910001', '区卫生院'],
    ['123456', '第9000号仓库'],
  ]
  const listed = async (path: string) => {
    const r = await t.request('GET', path, { token: 'dashboard' })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r
  }
  const codes = async (path: string) => ((await listed(path)).body as Array<{ unit: string }>).map((u) => u.unit)

  it('given six named units, when searched, then a code prefix, a part of a name (either width, any case) each find exactly theirs, in code order, with their years', async () => {
    for (const [code, name] of UNITS) {
      const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: { ...fixtureBudgetFile(), unit: { code, name } } })
      expect(r.status).toBe(201)
    }
    expect((await listed('/api/units?q=' + encodeURIComponent('中学'))).body).toEqual([
      { unit: '900002', name: '市第一中学', years: [2021] },
      { unit: '900010', name: '市第二中学', years: [2021] },
    ])
    // 9000 starts four codes, and is part of one name (123456's).
    expect(await codes('/api/units?q=9000')).toEqual(['123456', '900001', '9000011', '900002', '900010'])
    expect(await codes('/api/units?q=91')).toEqual(['910001'])
    // Full-width digits as a Chinese keyboard types them, and a name in another case.
    expect(await codes('/api/units?q=' + encodeURIComponent('９１'))).toEqual(['910001'])
    expect(await codes('/api/units?q=alpha')).toEqual(['9000011'])
    expect(await codes('/api/units?q=' + encodeURIComponent(' 卫生 '))).toEqual(['910001'])
    // Taken as typed, never as a pattern: a dot or a percent sign matches only itself.
    expect(await codes('/api/units?q=.')).toEqual([])
    expect(await codes('/api/units?q=%25')).toEqual([])
    expect(await codes('/api/units?q=' + encodeURIComponent('市政府'))).toEqual([])
  })

  it('given those units, when a search is read two at a time following the next link, then the pages join up to the whole search and the link keeps the search', async () => {
    const whole = (await listed('/api/units?q=9000')).body
    const pages: unknown[][] = []
    let path: string | undefined = '/api/units?q=9000&limit=2'
    const links: string[] = []
    while (path) {
      const r = await listed(path)
      pages.push(r.body)
      path = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') ?? '')?.[1]
      if (path) links.push(path)
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual(whole)
    expect(links[0]).toBe('/api/units?q=9000&after=900001&limit=2')
    // The last matching unit fills the page exactly: no link to an empty page.
    const last = await listed('/api/units?q=' + encodeURIComponent('中学') + '&limit=2')
    expect(last.headers.get('link')).toBeNull()
  })

  it('given one unit, when read by its code, then its name and years; an unknown or malformed code is 404', async () => {
    expect((await listed('/api/units/900010')).body).toEqual({ unit: '900010', name: '市第二中学', years: [2021] })
    // 900001 is a prefix of 9000011, which is another unit.
    expect((await listed('/api/units/900001')).body).toEqual({ unit: '900001', name: '市教育局', years: [2021] })
    for (const code of ['900003', '90000', 'abc']) expect((await t.request('GET', `/api/units/${code}`, { token: 'dashboard' })).status).toBe(404)
  })

  it('given a bad search, when listed, then 400 names q and says what it should be', async () => {
    for (const query of ['q=', 'q=%20%20', `q=${'中'.repeat(101)}`, 'q=a%00b', 'q=a&q=b']) {
      const r = await t.request('GET', `/api/units?${query}`, { token: 'dashboard' })
      expect(r.status, query).toBe(400)
      expect(r.body.errors, query).toEqual([{ path: 'q', reason: 'expected 1 to 100 characters of a unit code or name' }])
    }
    const limit = await t.request('GET', '/api/units?q=9000&limit=0', { token: 'dashboard' })
    expect(limit.status).toBe(400)
    expect(JSON.stringify(limit.body)).toContain('limit')
  })

  it('given no token, or an administrator (who reads no budget), when searched, then refused with nothing listed', async () => {
    const none = await t.request('GET', '/api/units?q=9000')
    expect(none.status).toBe(401)
    expect(JSON.stringify(none.body)).not.toContain('900001')
    const admin = await addPerson(t, 'admin-wang', 'admin')
    const login = await t.request('POST', '/auth/login', { body: { name: 'admin-wang', password: admin.password } })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    for (const path of ['/api/units?q=9000', '/api/units/900001']) {
      const r = await t.request('GET', path, { headers: { cookie } })
      expect(r.status, path).toBe(403)
      expect(JSON.stringify(r.body)).not.toContain('900001')
    }
  })
})

/** A unit renamed: it is opened the next year under its new name, and found and listed by that one. */
describe('GET /api/units?q= after a unit is renamed', () => {
  const t = serverForTests()

  it('given a unit opened in 2021 as 市卫生局 and in 2022 as 市卫生健康委员会, when searched and listed, then it is found by its current name only, shown under it with both years, and no event is read', async () => {
    for (const [year, name] of [[2021, '市卫生局'], [2022, '市卫生健康委员会']] as const) {
      const file = { ...fixtureBudgetFile(), unit: { code: '800001', name }, year, approvedOn: `${year}-03-01` }
      expect((await t.request('POST', '/api/budget-files', { token: 'finance', body: file })).status).toBe(201)
    }
    const other = { ...fixtureBudgetFile(), unit: { code: '800002', name: '市卫生学校' }, year: 2021, approvedOn: '2021-03-01' }
    expect((await t.request('POST', '/api/budget-files', { token: 'finance', body: other })).status).toBe(201)
    const reads = [vi.spyOn(t.store, 'readStream'), vi.spyOn(t.store, 'readAll'), vi.spyOn(t.store, 'listStreamOpenings')]
    const search = async (q: string) => (await t.request('GET', `/api/units?q=${encodeURIComponent(q)}`, { token: 'dashboard' })).body
    const renamed = { unit: '800001', name: '市卫生健康委员会', years: [2021, 2022] }
    expect(await search('健康委')).toEqual([renamed])
    expect(await search('卫生局')).toEqual([])
    expect(await search('市卫生')).toEqual([renamed, { unit: '800002', name: '市卫生学校', years: [2021] }])
    expect((await t.request('GET', '/api/units?limit=1', { token: 'dashboard' })).body).toEqual([renamed])
    expect((await t.request('GET', '/api/units/800001', { token: 'dashboard' })).body).toEqual(renamed)
    for (const read of reads) expect(read).not.toHaveBeenCalled()
    for (const read of reads) read.mockRestore()
  })
})

/** A search over more units than a page: bounded when no limit is given. */
describe('GET /api/units?q= over 120 unit-years', () => {
  const t = serverForTests()

  it('given 120 units named 基准单位N, when searched by the name without a limit, then a page of 50 and a next link; by a name part, exactly the units whose names hold it', async () => {
    await seedCity(t.dbPath, 120, 11)
    const r = await t.request('GET', '/api/units?q=' + encodeURIComponent('基准单位'), { token: 'dashboard' })
    expect(r.status).toBe(200)
    expect(r.body).toHaveLength(SEARCH_PAGE)
    expect(r.headers.get('link')).toBe(`</api/units?q=${encodeURIComponent('基准单位')}&after=${unitCode(SEARCH_PAGE - 1)}&limit=${SEARCH_PAGE}>; rel="next"`)
    const r11 = await t.request('GET', '/api/units?q=' + encodeURIComponent('单位11'), { token: 'dashboard' })
    expect((r11.body as Array<{ name: string }>).map((u) => u.name)).toEqual(['基准单位11', ...Array.from({ length: 10 }, (_, i) => `基准单位11${i}`)])
    expect(r11.headers.get('link')).toBeNull()
  })
})
