import { describe, expect, it, vi } from 'vitest'
import { fixtureBudgetFile, serverForTests } from '../support/http'

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
