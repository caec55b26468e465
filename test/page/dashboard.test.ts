import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { TableJson } from '../../projections/render'
import { sum, toWan, yuan } from '../../src/domain/money/money'
import { dashboardLine } from '../../src/http/routes/server/dashboard'
import { tokenHash } from '../../src/http/access/tokens'
import { packageRoot, samplePath } from '../../src/package-root'
import { axeViolations } from '../support/browser/axe'
import { DESKTOP, pageRig } from '../support/browser/page-rig'
import { TOKENS, TOKEN_ENTRIES } from '../support/shells/http'

/**
 * The dashboard in a real browser (test/support/browser/browser.ts: the chromium of the npm package
 * @sparticuz/chromium, which sees no installed CJK font, or CHROMIUM_PATH's) driven by
 * playwright-core, against the real server on an ephemeral port over a real SQLite file holding
 * the 2021 sample.
 */
// The page's globals, for the callbacks that run in the browser (the project's lib has no DOM).
declare const document: any, window: any, localStorage: any

const SAMPLE = '/api/units/101065/years/2021'
const SCREENSHOT = join(packageRoot(), 'test-output', 'dashboard.png')
const PHONE_SCREENSHOT = join(packageRoot(), 'test-output', 'dashboard-phone.png')
const PRINT_SCREENSHOT = join(packageRoot(), 'test-output', 'dashboard-print.png')
/** What a phone shows first (the viewport only), and the by-function chart on a phone. */
const PHONE_TOP_SCREENSHOT = join(packageRoot(), 'test-output', 'dashboard-phone-top.png')
const PHONE_CHART_SCREENSHOT = join(packageRoot(), 'test-output', 'dashboard-phone-chart.png')
const EXPLAIN_SCREENSHOT = join(packageRoot(), 'test-output', 'dashboard-explain.png')
/** The sizes a person reads the page at: a laptop, and a phone. */
const PHONE = { width: 390, height: 844 }
/** The bound the issue sets for a live update to reach an open page. */
const LIVE_BOUND_MS = 1000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/**
 * An instant as the datetime-local control takes it: in the ledger's zone (Asia/Shanghai, UTC+8, no
 * DST), though the browser runs in New York's.
 */
const shanghaiInput = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)
/** The browser's zone: far from the ledger's, so a page that used it would show other times. */
const BROWSER_ZONE = 'America/New_York'
const SHANGHAI = '北京时间 Asia/Shanghai，UTC+08:00'

/** The texts of the shown table's body cells, row by row. */
const gridOf = (page: Page) =>
  page.$$eval('#table table.grid tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))

/** The 合计 row of table 4 (收入合计： ‖ 支出合计): its income total. */
const table4Total = async (page: Page) => (await gridOf(page)).find((r) => r[0] === '收入合计：')?.[2]

const ready = (page: Page) => page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 10_000 })

describe('the dashboard page in chromium', () => {
  let page: Page
  let imported = 0
  const rig = pageRig({
    browser: { timezoneId: BROWSER_ZONE, acceptDownloads: true },
    given: async (t) => {
      const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: JSON.parse(readFileSync(samplePath(), 'utf8')) })
      expect(r.status).toBe(201)
      imported = Date.now()
    },
  })
  const { t } = rig

  it('without a token it asks for one, and says so when the one given is not valid', async () => {
    const p = await rig.context.newPage()
    try {
      await p.goto(`${t.url}/`)
      await p.waitForSelector('#token-panel:not([hidden])')
      expect(await p.isHidden('#main')).toBe(true)
      await p.fill('#token-input', 'not-a-valid-token-000000')
      await p.click('#token-form button')
      await p.waitForFunction(() => /令牌无效/.test(document.getElementById('message')!.textContent ?? ''))
      expect(await p.isVisible('#token-panel')).toBe(true)
    } finally {
      await p.close()
    }
  })

  it('opens with the token of the URL fragment, then forgets it from the address; shows table 4 with 904.34, the indicators and the charts', async () => {
    page = await rig.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${t.url}/#token=${TOKENS.dashboard}&table=4`)
    await ready(page)
    expect(page.url()).not.toContain(TOKENS.dashboard)
    expect(await page.evaluate(() => localStorage.getItem('budget-ledger.dashboardToken'))).toBe(TOKENS.dashboard)

    expect(await page.textContent('#ctx-unit')).toBe('工信科技金融办（101065）· 2021 年度')
    expect(await page.textContent('#ctx-time')).toBe('当前数据')
    expect(await page.textContent('#table .official-title')).toBe('财政拨款收支总体情况表')
    expect(await table4Total(page)).toBe('904.34')
    // The official two-level header: 收入 ‖ 支出, and 一般公共预算 over its parts.
    const header = await page.$$eval('#table thead tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th')].map((th) => th.textContent)))
    expect(header[0]).toEqual(['收入', '支出'])
    expect(header[1]).toContain('一般公共预算')
    expect(header[2]![0]).toBe('小计')

    // The indicators with their targets and a met / not met mark.
    const mark = (id: string) => page.textContent(`[data-indicator="${id}"] .badge`)
    expect(await page.textContent('[data-indicator="budget-execution"] td.num')).toBe('≥90%')
    expect(await mark('budget-execution')).toBe('× 未达标')
    expect(await mark('budget-adjustment')).toBe('√ 达标')
    expect(await mark('procurement-execution')).toBe('— 不适用')
    // The basis in 万元 like every other figure of the page, its unit beside it.
    expect(await page.textContent('[data-indicator="budget-adjustment"] td.basis')).toBe('一般调整总额（追加+追减+调剂） 0.00 万元 ÷ 年初预算 904.34 万元另：净额口径：0.00%')

    // Two ECharts charts, drawn.
    expect(await page.locator('#chart-class canvas').count()).toBeGreaterThan(0)
    expect(await page.locator('#chart-month canvas').count()).toBeGreaterThan(0)
    expect(await page.evaluate(() => (window as unknown as { echarts?: unknown }).echarts !== undefined)).toBe(true)
    expect(await page.locator('#live.live-on').count()).toBe(1)
    expect(errors).toEqual([])
  })

  it('draws its Chinese in the Noto Sans SC web font this server serves, with no CJK font installed', async () => {
    const fonts = await page.evaluate(() =>
      document.fonts.ready.then(() => ({
        check: document.fonts.check('16px "Noto Sans SC"', '部门预算'),
        loaded: [...document.fonts].filter((f: any) => f.family.replace(/["']/g, '') === 'Noto Sans SC' && f.status === 'loaded').map((f: any) => f.weight as string),
      })),
    )
    expect(fonts.check).toBe(true)
    expect(fonts.loaded).toContain('400')
    expect(fonts.loaded).toContain('700')
    // What chromium actually drew each text with: every glyph from the served font, none from a
    // fallback (a machine without CJK fonts would draw boxes from one).
    const cdp = await rig.context.newCDPSession(page)
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument')
    for (const [selector, text] of [
      ['.brand', '部门预算看板'],
      ['#table .official-title', '财政拨款收支总体情况表'],
    ] as const) {
      expect(await page.textContent(selector)).toBe(text)
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
      const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
      // (The family as the font file names itself: the subsets say "Noto Sans SC Thin" whatever their weight.)
      expect(used.map((f) => ({ family: /^Noto Sans SC\b/.test(f.familyName), web: f.isCustomFont, glyphs: f.glyphCount })), selector).toEqual([
        { family: true, web: true, glyphs: text.length },
      ])
    }
    await cdp.detach()
  })

  it(`an adjustment recorded through the API changes the open page within ${LIVE_BOUND_MS} ms, without a reload`, async () => {
    // At least a second after the import and before the adjustment: the as-of test looks back at it.
    await sleep(Math.max(0, imported + 1100 - Date.now()))
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1))
    await sleep(1100)
    const add = await t.request('POST', `${SAMPLE}/commands`, {
      token: 'finance',
      body: { type: 'AddToLine', data: { line: 'p01', amount: '10000.00', category: 'ordinary' }, reason: '年中追加', document: '财预〔2021〕7号', effectiveDate: '2021-07-01' },
    })
    expect(add.status).toBe(201)
    await page.waitForFunction(
      () => [...document.querySelectorAll('#table tbody tr')].some((tr) => tr.firstElementChild?.textContent === '收入合计：' && tr.children[2]?.textContent === '905.34'),
      null,
      { timeout: LIVE_BOUND_MS },
    )
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
    await page.waitForFunction((r) => document.body.dataset.revision === String(r), add.body.revision, { timeout: 5000 })
    expect(await page.textContent('#ctx-revision')).toBe(`账本修订号 ${add.body.revision}`)
  })

  it("in a browser in New York, the as-of control takes and shows the ledger's time (Asia/Shanghai): as it was before the adjustment, and 回到当前 shows it as it is", async () => {
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_ZONE)
    expect(await page.textContent('#asof-zone')).toBe('（北京时间）')
    // A second after the import, a second before the adjustment (the previous test waited for both).
    const before = Math.floor((imported + 1100) / 1000) * 1000 + 1000
    await page.fill('#asof', shanghaiInput(before))
    await page.click('#asof-apply')
    await page.waitForFunction(() => document.body.classList.contains('as-of') && document.body.dataset.state === 'ready')
    await page.waitForFunction(() => [...document.querySelectorAll('#table tbody tr')].some((tr) => tr.firstElementChild?.textContent === '收入合计：' && tr.children[2]?.textContent === '904.34'))
    expect(await page.textContent('#ctx-time')).toBe(`历史时点：${shanghaiInput(before).replace('T', ' ')}（${SHANGHAI}）`)
    expect(await page.textContent('#table .official-sub')).toContain(`历史时点 ${shanghaiInput(before).replace('T', ' ')}（${SHANGHAI}）`)
    // The indicators as of then (预算调整率 0.00% before the adjustment, 0.11% after), or, from a
    // server whose indicator read does not take asOf, a note instead of current figures.
    const indicators = await page.textContent('#indicators')
    if (!indicators!.includes('暂不能按历史时点查询')) expect(await page.textContent('[data-indicator="budget-adjustment"] .value')).toBe('0.00%')
    // The address keeps the time as given, in the ledger's zone, which the server reads it in.
    expect(page.url()).toContain(`asOf=${encodeURIComponent(shanghaiInput(before))}`)

    // A bookmark holding the instant itself: filled in and shown in the ledger's time too.
    const bookmark = await rig.context.newPage()
    try {
      await bookmark.goto(`${t.url}/#table=4&asOf=${encodeURIComponent(new Date(before).toISOString())}`)
      await ready(bookmark)
      expect(await bookmark.inputValue('#asof')).toBe(shanghaiInput(before).replace('T', ' '))
      expect(await bookmark.textContent('#ctx-time')).toBe(`历史时点：${shanghaiInput(before).replace('T', ' ')}（${SHANGHAI}）`)
      expect(await table4Total(bookmark)).toBe('904.34')
    } finally {
      await bookmark.close()
    }

    // A moment typed in another form is refused beside the control, naming what was typed; the view stays.
    await page.fill('#asof', '07/01/2021 10:00')
    await page.click('#asof-apply')
    expect(await page.textContent('#message')).toContain('数据时点“07/01/2021 10:00”无法识别：请按 yyyy-mm-dd hh:mm:ss 填写')
    expect(await page.getAttribute('#asof', 'aria-invalid')).toBe('true')
    expect(page.url()).toContain(`asOf=${encodeURIComponent(shanghaiInput(before))}`)

    await page.click('#asof-now')
    await page.waitForFunction(() => !document.body.classList.contains('as-of') && document.body.dataset.state === 'ready')
    await page.waitForFunction(() => [...document.querySelectorAll('#table tbody tr')].some((tr) => tr.firstElementChild?.textContent === '收入合计：' && tr.children[2]?.textContent === '905.34'))
    expect(await page.textContent('#ctx-time')).toBe('当前数据')
  })

  it('the Excel download of table 4, read back with exceljs, holds the same numbers as the JSON table', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dl-xlsx')])
    expect(download.suggestedFilename()).toBe('101065-2021-表4-财政拨款收支总体情况表.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile((await download.path())!)
    const ws = wb.worksheets[0]!
    const json = (await t.request('GET', `${SAMPLE}/tables/4`, { token: 'dashboard' })).body as TableJson
    const gridStart = ws.rowCount - json.rows.length + 1
    const sheetRows = json.rows.map((_, i) => json.columns.map((_, c) => ws.getCell(gridStart + i, c + 1).value))
    json.rows.forEach((row, i) =>
      row.map((t) => t ?? '').forEach((text, c) => {
        const v = sheetRows[i]![c]
        if (/^-?\d+\.\d{2}$/.test(text)) expect(typeof v === 'number' ? v.toFixed(2) : v, `row ${i} column ${c}`).toBe(text)
        else expect(v ?? '', `row ${i} column ${c}`).toBe(text.trimStart())
      }),
    )
    expect(sheetRows.at(-1)![2]).toBe(905.34)
  })

  it('saves screenshots of the dashboard with spending in its charts, desktop and phone (test-output/dashboard*.png)', async () => {
    for (const [line, amount, date] of [
      ['p05', '2000000.00', '2021-03-18'],
      ['p01', '120000.00', '2021-04-20'],
      ['p04', '532700.00', '2021-06-30'],
      ['basic', '160000.00', '2021-06-30'],
    ] as const) {
      const r = await t.request('POST', `${SAMPLE}/commands`, {
        token: 'finance',
        body: { type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: `记-${date}`, threePublic: null, procurement: null }, reason: '支付', document: null, effectiveDate: date },
      })
      expect(r.status).toBe(201)
    }
    // 281.27 万元 spent of 905.34 adjusted.
    await page.waitForFunction(() => document.querySelector('[data-indicator="budget-execution"] .value')?.textContent === '31.07%', null, { timeout: 5000 })
    await page.evaluate(() => window.scrollTo(0, 0)) // the sticky heading at the top of a full-page shot
    await page.waitForTimeout(500) // the charts' 300 ms animation
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    expect(existsSync(SCREENSHOT)).toBe(true)
    // A phone's width: the page reflows, the charts redraw at their new size.
    await page.setViewportSize(PHONE)
    await page.waitForTimeout(500)
    await page.evaluate(() => document.fonts.ready)
    await page.screenshot({ path: PHONE_SCREENSHOT, fullPage: true })
    expect(existsSync(PHONE_SCREENSHOT)).toBe(true)
    await page.setViewportSize(DESKTOP)
  })

  it('on a phone (390×844) the page never scrolls sideways, the header collapses to a quarter of the screen at most, and its controls open from a labelled toggle', async () => {
    await page.setViewportSize(PHONE)
    await page.waitForTimeout(300)
    const measure = () =>
      page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        header: document.querySelector('.sticky').getBoundingClientRect().height,
        // What sticks out, to name it when the page is too wide.
        wide: [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.grid-scroll, #indicators'))
          .slice(0, 5)
          .map((e) => `${e.tagName}#${e.id}.${e.className}`),
      }))
    const shut = await measure()
    expect(shut.scrollWidth, shut.wide.join(' ')).toBeLessThanOrEqual(shut.viewport)
    expect(shut.header).toBeLessThanOrEqual(PHONE.height * 0.25)
    expect(await page.isVisible('#unit')).toBe(false)
    // The wide official table scrolls inside its panel, not the page.
    expect(await page.evaluate(() => document.querySelector('#table .grid-scroll').scrollWidth > document.querySelector('#table .grid-scroll').clientWidth)).toBe(true)
    expect(await page.getAttribute('#controls-toggle', 'aria-expanded')).toBe('false')
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: PHONE_TOP_SCREENSHOT })
    await page.locator('#chart-class').screenshot({ path: PHONE_CHART_SCREENSHOT })
    await page.click('#controls-toggle')
    expect(await page.getAttribute('#controls-toggle', 'aria-expanded')).toBe('true')
    expect(await page.isVisible('#unit')).toBe(true)
    expect(await page.isVisible('#asof')).toBe(true)
    expect((await measure()).scrollWidth).toBeLessThanOrEqual(PHONE.width)
    await page.click('#controls-toggle')
    expect(await page.isVisible('#unit')).toBe(false)
    await page.setViewportSize(DESKTOP)
    // On a wide screen there is nothing to toggle: the controls are always there.
    expect(await page.isVisible('#controls-toggle')).toBe(false)
    expect(await page.isVisible('#unit')).toBe(true)
  })

  it('axe-core finds no serious or critical accessibility violation, on a laptop and on a phone; the page has one h1', async () => {
    expect(await page.$$eval('h1', (h) => h.map((x) => x.textContent))).toEqual(['部门预算看板'])
    expect(await axeViolations(page)).toEqual([])
    await page.setViewportSize(PHONE)
    await page.waitForTimeout(300)
    expect(await axeViolations(page)).toEqual([])
    await page.click('#controls-toggle')
    expect(await axeViolations(page)).toEqual([])
    await page.click('#controls-toggle')
    await page.setViewportSize(DESKTOP)
  })

  it('by keyboard alone: Tab reaches the table list, each step visibly focused, and Enter on 表五 shows table 5 and moves aria-current to it', async () => {
    await page.evaluate(() => {
      window.scrollTo(0, 0)
      ;(document.activeElement as any)?.blur()
    })
    expect(await page.getAttribute('#tabs [aria-current="true"]', 'data-table')).toBe('4')
    let reached = false
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab')
      const focused = await page.evaluate(() => {
        const a = document.activeElement
        const style = window.getComputedStyle(a)
        return { table: a.dataset?.table ?? null, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2, what: `${a.tagName}#${a.id}.${a.className}` }
      })
      expect(focused.outline, `step ${i}: ${focused.what}`).toBe(true)
      reached = focused.table === '5'
    }
    expect(reached).toBe(true)
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.getElementById('table').dataset.table === '5')
    expect(await page.$$eval('#tabs [aria-current]', (b) => b.map((x) => [x.dataset.table, x.getAttribute('aria-current')]))).toEqual([['5', 'true']])
    expect(await page.textContent('#table .official-title')).toBe('一般公共预算支出情况表')
    // Back to table 4 for the tests after.
    await page.click('#tabs [data-table="4"]')
    await page.waitForFunction(() => document.getElementById('table').dataset.table === '4')
  })

  it('printed: the official title block, 制表人 and 审核人 lines and page numbers; no controls, lists or buttons', async () => {
    await page.emulateMedia({ media: 'print' })
    try {
      for (const hidden of ['.controls', '#controls-toggle', '#token-change', '#tabs', '.downloads', '#live', '.charts', '#indicators-panel']) expect(await page.isVisible(hidden), hidden).toBe(false)
      expect(await page.isVisible('#table .official-title')).toBe(true)
      const signatures = await page.textContent('.signatures')
      expect(await page.isVisible('.signatures')).toBe(true)
      expect(signatures).toContain('制表人')
      expect(signatures).toContain('审核人')
      expect(await page.locator('.signatures').evaluate((e) => e.textContent)).toMatch(/打印日期：\d{4}-\d{2}-\d{2}/)
      // Page numbers are the style sheet's: a page margin box with the page counter.
      const pageRule = await page.evaluate(() =>
        [...document.styleSheets].flatMap((s) => [...s.cssRules]).map((r) => r.cssText).find((t) => /^@page/.test(t)),
      )
      expect(pageRule).toMatch(/counter\(page\)/)
      await page.screenshot({ path: PRINT_SCREENSHOT, fullPage: true })
    } finally {
      await page.emulateMedia({ media: 'screen' })
    }
    expect(await page.isVisible('.signatures')).toBe(false)
  })

  it('an auditor clicks a figure of table 4 and sees the events behind it (who, when, why, document), whose amounts add up to the figure; with the dashboard token the figures are not buttons', async () => {
    // The dashboard role may not read the events: its figures are plain cells.
    expect(await page.locator('#table td[data-row]').count()).toBeGreaterThan(0)
    expect(await page.locator('#table td[role="button"]').count()).toBe(0)
    await page.click('#table td[data-row="0"][data-column="2"]')
    await page.waitForTimeout(300)
    expect(await page.isVisible('#explain-panel')).toBe(false)

    const auditor = await rig.context.newPage()
    const errors: string[] = []
    auditor.on('pageerror', (e) => errors.push(e.message))
    try {
      await auditor.goto(`${t.url}/#token=${TOKENS.auditor}&table=4`)
      await ready(auditor)
      await auditor.waitForSelector('#table td[role="button"]')
      // 收入合计：'s amount, the sum of every allocation and the addition of 年中追加.
      const total = auditor.locator('#table tbody tr', { hasText: '收入合计：' }).locator('td[data-column="2"]')
      const figure = (await total.textContent())!
      expect(figure).toBe('905.34')
      await total.click()
      await auditor.waitForSelector('#explain-panel:not([hidden]) .explain-events tbody tr')
      const events = await auditor.$$eval('#explain .explain-events tbody tr', (trs) =>
        trs.map((tr) => ({ amount: tr.dataset.amount, type: tr.dataset.type, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
      )
      expect(events.length).toBeGreaterThan(1)
      // The test adds the server's amounts up (the page adds nothing): they make the figure.
      expect(toWan(sum(events.map((e) => yuan(e.amount!))))).toBe(figure)
      const addition = events.find((e) => e.type === 'BudgetAdded')!
      expect(addition.amount).toBe('10000.00')
      expect(addition.cells).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/), '2021-07-01', '追加预算', 'p01', 'tester-finance（finance）', '年中追加', '财预〔2021〕7号', '10,000.00'])
      expect(await auditor.textContent('#explain .explain-cell')).toContain('收入合计： · 金额 = 905.34 万元')
      expect(await auditor.evaluate(() => document.activeElement?.id)).toBe('explain-title')
      await auditor.locator('#explain-panel').screenshot({ path: EXPLAIN_SCREENSHOT })
      expect(await axeViolations(auditor)).toEqual([])

      // By keyboard: another figure, Enter, and the panel shows that one.
      const other = auditor.locator('#table tbody tr', { hasText: '财政拨款' }).first().locator('td[data-column="2"]')
      await other.focus()
      await auditor.keyboard.press('Enter')
      await auditor.waitForFunction(() => /财政拨款 · 金额/.test(document.querySelector('#explain .explain-cell')?.textContent ?? ''))
      await auditor.click('#explain-close')
      expect(await auditor.isVisible('#explain-panel')).toBe(false)
      expect(errors).toEqual([])
    } finally {
      // Every font subset the panel's text asked for is in before the page goes (an aborted one is logged).
      await auditor.evaluate(() => document.fonts.ready)
      await auditor.close()
      await page.evaluate((token) => localStorage.setItem('budget-ledger.dashboardToken', token), TOKENS.dashboard)
    }
  })
})

describe('npm start prints the dashboard address', () => {
  const base = 'http://127.0.0.1:3000'
  it('on a terminal with the dashboard token in the fragment; elsewhere never a token', () => {
    expect(dashboardLine(base, TOKEN_ENTRIES, true)).toBe(`  dashboard: ${base}/#token=${TOKENS.dashboard}`)
    const piped = dashboardLine(base, TOKEN_ENTRIES, false)
    expect(piped).toContain(`${base}/`)
    for (const tok of Object.values(TOKENS)) expect(piped).not.toContain(tok)
    expect(dashboardLine(base, TOKEN_ENTRIES.filter((e) => e.role !== 'dashboard'), true)).toContain('no token has the dashboard role')
    // A dashboard token known only by its hash (a tokens file) cannot be printed, even on a terminal.
    const hashed = dashboardLine(base, [{ hash: tokenHash(TOKENS.dashboard), name: 'd', role: 'dashboard' }], true)
    expect(hashed).toBe(`  dashboard: ${base}/  (paste a dashboard token there: only its hash is kept)`)
  })
})
