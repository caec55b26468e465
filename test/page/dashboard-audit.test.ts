import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { sum, toWan, yuan } from '../../src/domain/money/money'
import { axeViolations } from '../support/browser/axe'
import { pageReady } from '../support/browser/page'
import { DESKTOP, OUT, PHONE, pageRig } from '../support/browser/page-rig'
import { YEAR_PATH } from '../support/shells/http'

/**
 * The audit screens of the page (历史记录, 更正, 预算行明细, 对比两个时点), in a real browser against
 * the real server over a real SQLite file holding the fixture year (unit 900001, 2021), with events
 * recorded by people signed in as themselves.
 */
declare const document: any

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** An instant as a person types it in the ledger's zone (Asia/Shanghai, no daylight saving). */
const shanghai = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
const ready = (page: Page) => pageReady(page)

/** A CSV of the server's (quotes, doubled quotes, commas inside quotes), without its byte-order mark. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const s = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (cell += '"'), i++
      else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(cell), (cell = '')
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++
      row.push(cell), rows.push(row), (row = []), (cell = '')
    } else cell += c
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row)
  return rows
}

// Each test drives a browser through several screens, with axe at two sizes: more than the default minute on a busy machine.
describe('the audit screens: history, correction, a line, a diff', { timeout: 150_000 }, () => {
  /** A moment after the fixture and before anything else was recorded, as typed in the page. */
  let between = ''
  const ids: Record<string, string> = {}
  const rig = pageRig({
    server: { fixture: true },
    people: [['张三', 'finance'], ['赵六', 'finance'], ['李四', 'dashboard'], ['王五', 'auditor']],
    given: async () => {
      // The next whole second is after the fixture; everything below is recorded after it.
      const next = Math.ceil((Date.now() + 1) / 1000) * 1000
      await sleep(next - Date.now() + 50)
      between = shanghai(next)
      ids.add = await recordAs('张三', { type: 'AddToLine', data: { line: 'p01', amount: '10000.00', category: 'ordinary' }, reason: '年中追加', document: '财预〔2021〕7号', effectiveDate: '2021-05-01' })
      ids.spend = await recordAs('赵六', {
        type: 'RecordExpenditure',
        data: { line: 'p02', amount: '5000.00', economicCode: null, voucher: '记-0509', threePublic: null, procurement: null },
        reason: '支付会议费',
        document: '支出〔2021〕9号',
        effectiveDate: '2021-05-09',
      })
      ids.reduce = await recordAs('张三', { type: 'ReduceLine', data: { line: 'basic', amount: '2000.00', category: 'ordinary' }, reason: '压减', document: '财预〔2021〕8号', effectiveDate: '2021-06-01' })
    },
  })
  const { t } = rig

  /** A command recorded by a person through their own session (cookie and CSRF token), as the page would. */
  const recordAs = async (name: string, body: unknown) => {
    const login = await fetch(`${t.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: rig.passwordOf(name) }) })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const { csrfToken } = (await login.json()) as { csrfToken: string }
    const r = await t.request('POST', `${YEAR_PATH}/commands`, { body, headers: { cookie, 'x-csrf-token': csrfToken, origin: t.url } })
    if (r.status !== 201) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body.events[0].id as string
  }

  const signedIn = (name: string, path = '/') => rig.signedIn(name, { path })
  const shownEvents = (page: Page) => page.$$eval('#history tbody tr', (trs) => trs.map((tr) => tr.dataset.event))
  const filtered = async (page: Page, fill: Record<string, string>) => {
    await page.click('#hf-clear')
    for (const [id, v] of Object.entries(fill)) await page.fill(id, v)
    await page.click('#hf-apply')
  }
  /** Axe at both sizes, and a picture of the panel at each. */
  const checked = async (page: Page, panel: string, name: string) => {
    for (const [size, suffix] of [[DESKTOP, ''], [PHONE, '-phone']] as const) {
      await page.setViewportSize(size)
      await page.waitForTimeout(200)
      // From the top: axe reads the colours behind the sticky header wrongly while content scrolls under it.
      await page.evaluate(() => document.defaultView.scrollTo(0, 0))
      expect(await axeViolations(page), `${name}${suffix}`).toEqual([])
      await page.locator(panel).screenshot({ path: join(OUT, `${name}${suffix}.png`) })
      if (size === PHONE) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    }
    await page.setViewportSize(DESKTOP)
  }

  it('given an auditor, when she filters the history by person and by document, then she sees exactly the entries the API gives, and the CSV she downloads holds exactly those rows', async () => {
    const page = await signedIn('王五')
    try {
      await page.waitForSelector('#history tbody tr')
      // By person: 张三's two entries, in the ledger's order, whoever else recorded.
      await filtered(page, { '#hf-person': '张三' })
      await page.waitForFunction(() => /^共 2 条/.test(document.getElementById('history-count').textContent))
      const api = await t.request('GET', `${YEAR_PATH}/history?person=${encodeURIComponent('张三')}`, { token: 'auditor' })
      expect(await shownEvents(page)).toEqual(api.body.entries.map((e: { id: string }) => e.id))
      expect(await shownEvents(page)).toEqual([ids.add, ids.reduce])
      const cells = await page.$$eval(`#history tr[data-event="${ids.add}"] td`, (tds) => tds.map((td) => td.textContent))
      expect(cells).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/), '2021-05-01', '追加预算', '项目一（2150502）', '10,000.00', '张三（财务）', '年中追加', '财预〔2021〕7号'])

      // By document: a part of its number.
      await filtered(page, { '#hf-document': '9号' })
      await page.waitForFunction(() => /^共 1 条/.test(document.getElementById('history-count').textContent))
      expect(await shownEvents(page)).toEqual([ids.spend])
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#hf-csv')])
      expect(download.suggestedFilename()).toMatch(/\.csv$/)
      const rows = parseCsv(readFileSync((await download.path())!, 'utf8')).filter((r) => r.some((c) => c !== ''))
      const header = rows.findIndex((r) => r[0] === '序号')
      const idColumn = rows[header]!.indexOf('事件ID')
      expect(rows.slice(header + 1).map((r) => r[idColumn])).toEqual([ids.spend])
      expect(rows[header + 1]).toContain('支出〔2021〕9号')

      // A bad date is named beside its field, nothing listed.
      await filtered(page, { '#hf-effective-to': '2021-02-30' })
      await page.waitForFunction(() => document.getElementById('hf-effective-to-error').textContent !== '')
      expect(await page.getAttribute('#hf-effective-to', 'aria-invalid')).toBe('true')

      await filtered(page, { '#hf-person': '张三' })
      await page.waitForFunction(() => /^共 2 条/.test(document.getElementById('history-count').textContent))
      // An auditor corrects nothing.
      expect(await page.$$('#history button.correct')).toEqual([])
      await checked(page, '#history-panel', 'audit-history')
    } finally {
      await page.close()
    }
  })

  it('given 赵六’s expenditure of 5000.00, when 张三 corrects it to 6000.00 from the history, then the preview shows the reversal and the replacement and writes nothing, and 确认更正 records both in one append', async () => {
    const page = await signedIn('张三')
    try {
      await page.waitForSelector(`#history tr[data-event="${ids.spend}"] button.correct`)
      await page.click(`#history tr[data-event="${ids.spend}"] button.correct`)
      await page.waitForSelector('#correction-panel:not([hidden])')
      // Filled in as the entry was.
      expect(await page.inputValue('#cf-type')).toBe('RecordExpenditure')
      expect(await page.inputValue('#cf-line')).toBe('p02')
      expect(await page.inputValue('#cf-amount')).toBe('5000.00')
      expect(await page.inputValue('#cf-voucher')).toBe('记-0509')
      expect(await page.inputValue('#cf-document')).toBe('支出〔2021〕9号')
      expect(await page.inputValue('#cf-date')).toBe('2021-05-09')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('correction-title')

      await page.fill('#cf-amount', '6000')
      await page.fill('#cf-reason', '金额录错，应为 6000 元')
      const before = await t.eventCount()
      const revision = (await t.request('GET', YEAR_PATH, { token: 'auditor' })).body.revision as number
      await page.click('#cf-preview-button')
      await page.waitForSelector('#cf-preview:not([hidden])')
      expect(await page.$$eval('#cf-events li', (lis) => lis.map((li) => li.dataset.type))).toEqual(['EventReversed', 'ExpenditureRecorded'])
      expect(await page.textContent('#cf-events')).toContain('6,000.00 元')
      expect(await page.textContent('#cf-line-after [data-line="p02"]')).toContain('已支出 6,000.00 元')
      expect(await t.eventCount()).toBe(before)
      await checked(page, '#correction-panel', 'audit-correction')

      await page.dblclick('#cf-confirm')
      await page.waitForFunction(() => /已更正/.test(document.getElementById('cf-status').textContent))
      const log = await t.store.readStream('budget-900001-2021')
      const added = log.slice(before)
      expect(added.map((e) => [e.type, e.revision])).toEqual([['EventReversed', revision + 1], ['ExpenditureRecorded', revision + 2]])
      expect(added[0]!.data).toEqual({ event: ids.spend })
      expect(added[1]!.data).toMatchObject({ line: 'p02', amount: '6000.00', voucher: '记-0509' })
      // One request, one append: the same moment, key and person on both.
      expect(new Set(added.map((e) => `${e.metadata.recordedAt} ${e.metadata.idempotencyKey} ${e.metadata.actor} ${e.metadata.reason}`)).size).toBe(1)
      expect(added[0]!.metadata.actor).toBe('张三')
      expect((await t.request('GET', YEAR_PATH, { token: 'auditor' })).body.revision).toBe(revision + 2)
      // The history shows both; the line is at 6000.00 spent.
      await page.waitForSelector(`#history tr[data-event="${added[1]!.id}"]`)
      expect((await t.request('GET', `${YEAR_PATH}/lines/p02`, { token: 'auditor' })).body.figures.spent.yuan).toBe('6000.00')
    } finally {
      await page.close()
    }
  })

  it('given 张三’s reduction of basic by 2000.00, when she corrects it to 200000.00, then the refusal shows beside the amount and nothing is written, not even the reversal', async () => {
    const page = await signedIn('张三')
    try {
      await page.waitForSelector(`#history tr[data-event="${ids.reduce}"] button.correct`)
      await page.click(`#history tr[data-event="${ids.reduce}"] button.correct`)
      await page.waitForSelector('#correction-panel:not([hidden])')
      expect(await page.inputValue('#cf-type')).toBe('ReduceLine')
      await page.fill('#cf-amount', '20')
      await page.selectOption('#cf-unit', '万元')
      await page.fill('#cf-reason', '更正压减金额')
      const before = await t.eventCount()
      await page.click('#cf-preview-button')
      await page.waitForFunction(() => document.getElementById('cf-amount-error').textContent !== '')
      expect(await page.textContent('#cf-amount-error')).toContain('200000.00')
      expect(await page.getAttribute('#cf-amount', 'aria-invalid')).toBe('true')
      expect(await page.isDisabled('#cf-confirm')).toBe(true)
      expect(await t.eventCount()).toBe(before)

      // Sent for real (not a dry run), the ledger refuses the whole correction: the reversal is not kept either.
      const r = await t.request('POST', `${YEAR_PATH}/commands`, {
        token: 'finance',
        body: { type: 'CorrectEntry', data: { event: ids.reduce, replacement: { type: 'ReduceLine', data: { line: 'basic', amount: '200000.00', category: 'ordinary' } } }, reason: '更正', document: '财预〔2021〕8号', effectiveDate: '2021-06-01' },
      })
      expect(r.status).toBe(409)
      expect(r.body.errors).toEqual([{ path: 'data.replacement.data.amount', reason: expect.stringContaining('below the'), words: expect.stringContaining('低于已支出') }])
      expect(await t.eventCount()).toBe(before)
      const reductions = (await t.request('GET', `${YEAR_PATH}/history?type=EventReversed`, { token: 'auditor' })).body.entries
      expect(reductions.map((e: { data: { event: string } }) => e.data.event)).not.toContain(ids.reduce)
    } finally {
      await page.close()
    }
  })

  it('given an auditor, when she compares table 4 between a moment before the adjustments and now, then she sees the changed cells (before → after) and the events that changed them, as the API gives them', async () => {
    const page = await signedIn('王五')
    try {
      await page.waitForSelector('#df-table option[value="4"]', { state: 'attached' })
      await page.selectOption('#df-table', '4')
      await page.fill('#df-from', between)
      await page.click('#df-apply')
      await page.waitForSelector('#diff .diff-table tbody tr')
      const api = (await t.request('GET', `${YEAR_PATH}/tables/4/diff?from=${encodeURIComponent(between.replace(' ', 'T'))}`, { token: 'auditor' })).body
      expect(api.changes.length).toBeGreaterThan(0)
      const shown = await page.$$eval('#diff .diff-table tbody tr', (trs) =>
        trs.map((tr) => ({ row: Number(tr.dataset.row), column: Number(tr.dataset.column), events: tr.dataset.events.split(' ').filter(Boolean), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
      )
      expect(shown.map((c) => [c.row, c.column, c.cells[3], c.cells[4], c.events])).toEqual(
        api.changes.map((c: { row: number; column: number; from: string | null; to: string | null; events: string[] }) => [c.row, c.column, c.from ?? '（无）', c.to ?? '（无）', c.events]),
      )
      // The fixture's 80.00 万元 of income became 80.80 (+1 万元 added, −0.2 万元 reduced), through those two events.
      const total = shown.find((c) => c.cells[1] === '一般公共预算 小计' && c.cells[2] === '金额')!
      expect(total.cells.slice(3, 5)).toEqual(['80.00', '80.80'])
      expect(total.events).toEqual(expect.arrayContaining([ids.add, ids.reduce]))
      expect(await page.$$eval('#diff .entry-table:not(.diff-table) tbody tr', (trs) => trs.map((tr) => tr.dataset.event))).toEqual(api.events.map((e: { id: string }) => e.id))
      await checked(page, '#diff-panel', 'audit-diff')
    } finally {
      await page.close()
    }
  })

  it('given an auditor, the line view shows the API’s figures, from the line picker, from a line of the history and from a project row of table 11', async () => {
    const page = await signedIn('王五', '/#table=11')
    try {
      await page.selectOption('#lf-line', 'p01')
      await page.click('#lf-show')
      await page.waitForSelector('#line-view [data-figure="adjusted"]')
      const api = (await t.request('GET', `${YEAR_PATH}/lines/p01`, { token: 'auditor' })).body
      const figures = await page.$$eval('#line-view tr[data-figure]', (trs) => trs.map((tr) => [tr.dataset.figure, ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]))
      expect(figures).toEqual(Object.entries(api.figures).map(([k, v]: [string, any]) => [k, v.yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ','), v.wan]))
      expect(figures.find((f) => f[0] === 'adjusted')).toEqual(['adjusted', '510,000.00', '51.00'])
      expect(await page.$$eval('#line-view tr[data-rate] td', (tds) => tds.map((td) => td.textContent))).toEqual(api.executionRate.map((r: { value: string }) => `${r.value}%`))
      expect(await page.$$eval('#line-view .entry-table:not(.line-figures) tbody tr', (trs) => trs.map((tr) => tr.dataset.event))).toEqual(api.events.map((e: { id: string }) => e.id))
      await checked(page, '#line-panel', 'audit-line')

      // From the history: the line of an entry.
      await page.click(`#history tr[data-event="${ids.reduce}"] button.line-link`)
      await page.waitForFunction(() => document.getElementById('line-panel').dataset.line === 'basic')
      expect(await page.textContent('#line-view [data-figure="reduced"] td')).toBe('2,000.00')

      // From table 11: a project's row.
      const name = page.locator('#table td[data-line="p02"]')
      expect(await name.textContent()).toBe('项目二')
      await name.focus()
      await page.keyboard.press('Enter')
      await page.waitForFunction(() => document.getElementById('line-panel').dataset.line === 'p02')
    } finally {
      await page.close()
    }
  })

  it('given an auditor, when she clicks 收入合计 of table 4, then she sees exactly the events the API explains it by, and their amounts add up to it', async () => {
    const page = await signedIn('王五', '/#table=4')
    try {
      const total = page.locator('#table tbody tr', { hasText: '收入合计' }).locator('td[data-column="2"]')
      const figure = (await total.textContent())!
      await total.click()
      await page.waitForSelector('#explain-panel:not([hidden]) .explain-events tbody tr')
      const rows = await page.$$eval('#explain .explain-events tbody tr', (trs) => trs.map((tr) => ({ id: tr.dataset.event, amount: tr.dataset.amount })))
      const row = await total.getAttribute('data-row')
      const api = (await t.request('GET', `${YEAR_PATH}/tables/4/explain?row=${row}&column=2`, { token: 'auditor' })).body
      expect(rows.map((r) => r.id)).toEqual(api.events.map((e: { id: string }) => e.id))
      expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([ids.add, ids.reduce]))
      expect(toWan(sum(rows.map((r) => yuan(r.amount!))))).toBe(figure)
    } finally {
      await page.close()
    }
  })

  it('given a dashboard reader, then she sees none of the audit screens and no row of a table opens a line', async () => {
    const page = await signedIn('李四', '/#table=11')
    try {
      await page.waitForSelector('#table tbody tr')
      for (const panel of ['#history-panel', '#correction-panel', '#line-panel', '#diff-panel', '#explain-panel']) expect(await page.isHidden(panel), panel).toBe(true)
      expect(await page.$$('#table td[data-line]')).toEqual([])
      expect(await page.$$('#table td[role="button"]')).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('given more entries than a page holds, then the history shows fifty at a time with 第 1 / 2 页, and 下一页 shows the rest', async () => {
    for (let i = 0; i < 45; i++) {
      const r = await t.request('POST', `${YEAR_PATH}/commands`, {
        token: 'finance',
        body: { type: 'RecordExpenditure', data: { line: 'p01', amount: '1.00', economicCode: null, voucher: `记-${i}`, threePublic: null, procurement: null }, reason: '小额支出', document: null, effectiveDate: '2021-07-01' },
      })
      expect(r.status).toBe(201)
    }
    const all = (await t.request('GET', `${YEAR_PATH}/history`, { token: 'auditor' })).body.entries.map((e: { id: string }) => e.id)
    expect(all.length).toBeGreaterThan(50)
    const page = await signedIn('王五')
    try {
      await page.waitForFunction((n) => document.getElementById('history-count').textContent === `共 ${n} 条，第 1 / 2 页（每页 50 条）`, all.length)
      expect(await shownEvents(page)).toEqual(all.slice(0, 50))
      expect(await page.isDisabled('#hp-prev')).toBe(true)
      await page.click('#hp-next')
      expect(await shownEvents(page)).toEqual(all.slice(50))
      expect(await page.isDisabled('#hp-next')).toBe(true)
    } finally {
      await page.close()
    }
  })
})
