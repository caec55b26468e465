import Decimal from 'decimal.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { FINAL_TABLES } from '../../projections'
import type { TableJson } from '../../projections/render'
import { axeViolations } from '../support/browser/axe'
import { DEPARTMENT_PATH, buildDepartment } from '../support/years/department'
import { csvTableRows, readWorkbook, shownRows } from '../support/shells/downloaded'
import { pageReady } from '../support/browser/page'
import { DESKTOP, OUT, PHONE, gridOf, pageRig } from '../support/browser/page-rig'

/**
 * A department's consolidated (合并) year on the page: the department of test/support/years/department.ts
 * (three units, hand-computed there) chosen beside the units, in a real browser against the real
 * server over a real SQLite file, as a signed-in finance person (who sees everything a unit-year offers).
 */
declare const document: any, location: { hash: string }, window: { scrollTo(x: number, y: number): void }

const rowOf = async (page: Page, label: string) => (await gridOf(page)).find((r) => r.includes(label))
const titleIs = (page: Page, title: string) => page.waitForFunction((t) => document.querySelector('#table .official-title')?.textContent === t, title)
/** Waits for a read begun by a choice to finish (main.js marks body data-state). */
const settled = async (page: Page, change: () => Promise<unknown>) => {
  await page.evaluate(() => (document.body.dataset.state = 'changing'))
  await change()
  await pageReady(page).catch(async (e) => {
    throw new Error(`${e}: ${await page.evaluate(() => document.body.dataset.state + ' ' + document.getElementById('message').textContent)}`)
  })
}
/** What only a unit-year has, and whether each is on the screen. */
const UNIT_ONLY = ['#record-panel', '.charts', '#live', '#history-panel', '#line-panel', '#diff-panel']
const visible = (page: Page) => Promise.all(UNIT_ONLY.map((s) => page.isVisible(s)))
/** A unit-year's audit screens are shown alongside its first read (main.js), so they are waited for. */
const unitYearShown = (page: Page) => Promise.all(UNIT_ONLY.map((s) => page.waitForSelector(s, { state: 'visible', timeout: 5_000 })))

describe('a department on the page', () => {
  const rig = pageRig({ people: [['财务甲', 'finance'], ['审计乙', 'auditor'], ['看板丙', 'dashboard']], given: (t) => buildDepartment(t.store) })

  it('given three units of one department, when the department is chosen, then its table 1 total is the units’ sum (88.00), 预算执行率 is recomputed (59.09%), 决算表 shows F1, the line names its units, nothing of one unit-year is offered but its cells’ parts, and axe finds nothing serious at desktop and phone sizes', async () => {
    const page = await rig.signedIn('财务甲', { path: '/#unit=900501&year=2021&table=1' })
    const errors = rig.errorsOf(page)
    try {
      // A unit-year, for finance: everything is offered; its table 1 total is its own 50.00.
      await unitYearShown(page)
      expect(await page.textContent('#indicators-panel h2 small')).toBe('对照本单位整体绩效目标表的目标值')
      expect((await rowOf(page, '收入总计'))?.[1]).toBe('50.00')
      expect(await page.$$eval('#department option', (o) => o.map((x) => x.textContent))).toEqual(['—（按单位查看）', '900500 合并测试部门'])

      await settled(page, () => page.selectOption('#department', '900500'))
      expect(await page.textContent('#ctx-unit')).toBe('合并测试部门（900500）· 部门合并 · 2021 年度')
      expect(await page.textContent('#department-line')).toBe(
        '合并视图：合并测试部门（900500）2021 年度由 3 个单位合并：合并测试部门本级（900501，本级）、所属单位甲（900502）、所属单位乙（900503）。记账、实时更新、数字来源和执行图表请按单位查看。',
      )
      expect(await page.evaluate(() => location.hash)).toBe('#department=900500&year=2021&table=1')
      expect(await page.textContent('#indicators-panel h2 small')).toBe('合并：合并测试部门（900500）3 个单位的金额相加计算，对照各单位整体绩效目标表的目标值（本级在前）')
      // 500,000.00 + 250,000.50 + 130,000.00 元 = 880,000.50 元 = 88.00 万元.
      expect(await page.textContent('#table .official-sub')).toContain('部门名称：合并测试部门（900500）')
      expect(await rowOf(page, '收入总计')).toEqual(['收入总计', '88.00', '支出总计', '88.00'])
      // 520,000.50 ÷ 880,000.50 = 59.09%, not the units’ rates averaged (51.23%).
      expect(await page.textContent('[data-indicator="budget-execution"] .value')).toBe('59.09%')
      expect(await visible(page)).toEqual(UNIT_ONLY.map(() => false))
      // A figure of the department's table opens its units' parts (finance and auditors may).
      expect((await page.$$('#table td[role="button"]')).length).toBeGreaterThan(0)

      // The shown table's CSV is the department's, as its JSON gives it.
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')])
      expect(csv.suggestedFilename()).toBe('900500-2021-表1-部门收支总体情况表.csv')
      const json = (await rig.t.request('GET', `${DEPARTMENT_PATH}/tables/1`, { token: 'dashboard' })).body as TableJson
      expect(csvTableRows(readFileSync((await csv.path())!, 'utf8'))).toEqual(shownRows(json.rows))

      expect(await axeViolations(page)).toEqual([])
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: join(OUT, 'department.png'), fullPage: true })

      // 决算表: F1 with 本年支出 29.00 + 22.00 + 1.00 = 52.00 万元, and the 决算 workbook of the department.
      await page.click('[data-set="final"]')
      await titleIs(page, '收入支出决算总表')
      expect((await rowOf(page, '本年支出合计'))?.at(-1)).toBe('52.00')
      const [book] = await Promise.all([page.waitForEvent('download'), page.click('#dl-all')])
      expect(book.suggestedFilename()).toBe('900500-2021-部门决算.xlsx')
      expect((await readWorkbook(readFileSync((await book.path())!))).worksheets.map((w) => w.name).slice(FINAL_TABLES.length)).toEqual(['情况说明'])
      await page.waitForFunction(() => document.querySelector('#report .report-title')?.textContent === '合并测试部门 2021 年度部门决算情况说明')
      await page.locator('#tables-panel').screenshot({ path: join(OUT, 'department-final.png') })

      // As of a moment before the spending was recorded (2021-06-10), the department had spent nothing.
      await page.fill('#asof', '2021-06-01')
      await settled(page, () => page.click('#asof-apply'))
      expect((await rowOf(page, '本年支出合计'))?.at(-1)).toBe('0.00')
      expect(await visible(page)).toEqual(UNIT_ONLY.map(() => false))
      await settled(page, () => page.click('#asof-now'))
      expect((await rowOf(page, '本年支出合计'))?.at(-1)).toBe('52.00')

      await page.setViewportSize(PHONE)
      await page.waitForTimeout(300)
      expect(await axeViolations(page)).toEqual([])
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: join(OUT, 'department-phone.png'), fullPage: true })
      await page.click('#controls-toggle')
      expect(await page.isVisible('#department')).toBe(true)
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: join(OUT, 'department-phone-controls.png') })
      await page.click('#controls-toggle')
      await page.setViewportSize(DESKTOP)

      // Back to a unit: its own figures, and everything a unit-year offers again.
      await settled(page, () => page.selectOption('#department', ''))
      expect(await page.textContent('#ctx-unit')).toBe('合并测试部门本级（900501）· 2021 年度')
      expect(await page.isVisible('#department-line')).toBe(false)
      expect(await page.textContent('#indicators-panel h2 small')).toBe('对照本单位整体绩效目标表的目标值')
      expect((await rowOf(page, '本年支出合计'))?.at(-1)).toBe('29.00')
      await unitYearShown(page)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 120_000)

  it('given the department, when an auditor opens its 收入总计 cell by the keyboard, then the panel lists each unit’s part (50.00, 25.00, 13.00 万元) adding up to 88.00 as the server answers, each part with its events; a dashboard reader cannot open it', async () => {
    const page = await rig.signedIn('审计乙', { path: '/#department=900500&year=2021&table=1' })
    const errors = rig.errorsOf(page)
    try {
      const cell = page.locator('#table tr', { hasText: '收入总计' }).locator('td[role="button"]').first()
      expect(await cell.textContent()).toBe('88.00')
      await cell.focus()
      await page.keyboard.press('Enter')
      await page.waitForSelector('#explain-panel .explain-parts', { state: 'visible' })
      const { row, column } = await page.$eval('#explain-panel', (p) => ({ row: p.dataset.row, column: p.dataset.column }))
      const answer = (await rig.t.request('GET', `${DEPARTMENT_PATH}/tables/1/explain?row=${encodeURIComponent(row)}&column=${encodeURIComponent(column)}`, { token: 'auditor' })).body as {
        total: string
        parts: Array<{ unit: string; total: string; events: Array<{ id: string; amount: string }> }>
      }
      // 500,000.00 + 250,000.50 + 130,000.00 = 880,000.50 元 (test/support/years/department.ts).
      expect(answer.total).toBe('880000.50')
      expect(answer.parts.map((p) => [p.unit, p.total])).toEqual([
        ['900501', '500000.00'],
        ['900502', '250000.50'],
        ['900503', '130000.00'],
      ])
      expect(await page.textContent('#explain .explain-cell')).toMatch(/^表1 .*收入总计 · .* = 88\.00 万元，部门合并：由以下 3 个单位的同一格相加（金额为元）$/)
      const partRows = await page.$$eval('#explain .explain-parts tbody tr', (trs) => trs.map((tr) => [tr.dataset.unit, tr.dataset.total, ...[...tr.children].map((c) => c.textContent)]))
      expect(partRows).toEqual([
        ['900501', '500000.00', '合并测试部门本级（900501，本级）', '50.00 万元', '500,000.00', String(answer.parts[0]!.events.length)],
        ['900502', '250000.50', '所属单位甲（900502）', '25.00 万元', '250,000.50', String(answer.parts[1]!.events.length)],
        ['900503', '130000.00', '所属单位乙（900503）', '13.00 万元', '130,000.00', String(answer.parts[2]!.events.length)],
      ])
      // Every unit adds to the cell: no note of a unit left out, nor of a rate.
      expect(await page.$$('#explain .explain-note')).toHaveLength(0)
      expect(await page.textContent('#explain')).not.toContain('null')
      expect(await page.$$eval('#explain .explain-parts tfoot td', (tds) => tds.map((td) => td.textContent))).toEqual(['88.00 万元', '880,000.50', '—'])
      // Each part's events are the server's, in its order, their amounts as it gives them.
      for (const p of answer.parts) {
        const shown = await page.$$eval(`#explain .explain-part[data-unit="${p.unit}"] tbody tr`, (trs) => trs.map((tr) => [tr.dataset.event, tr.dataset.amount]))
        expect(shown).toEqual(p.events.map((e) => [e.id, e.amount]))
        expect(p.events.reduce((s, e) => s.plus(e.amount), new Decimal(0)).toFixed(2)).toBe(p.total)
      }
      expect(await axeViolations(page)).toEqual([])
      await page.locator('#explain-panel').screenshot({ path: join(OUT, 'department-explain.png') })
      await page.setViewportSize(PHONE)
      await page.waitForTimeout(300)
      expect(await axeViolations(page)).toEqual([])
      await page.locator('#explain-panel').screenshot({ path: join(OUT, 'department-explain-phone.png') })
      await page.setViewportSize(DESKTOP)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
    const reader = await rig.signedIn('看板丙', { path: '/#department=900500&year=2021&table=1' })
    try {
      expect((await gridOf(reader)).length).toBeGreaterThan(0)
      expect(await reader.$$('#table td[role="button"]')).toHaveLength(0)
    } finally {
      await reader.close()
    }
  }, 120_000)

  it('given a bookmarked department address, when the page opens at a moment before any member was open, then it says the year was not there yet', async () => {
    const page = await rig.context.newPage()
    try {
      // Signed in already (the session cookie of the first test).
      await page.goto(`${rig.t.url}/#department=900500&year=2021&table=F1&asOf=2021-01-01T00:00:00`)
      await pageReady(page)
      expect(await page.textContent('#message')).toContain('在所选时点（')
      expect(await page.textContent('#message')).toContain('账本中还没有这个预算年度')
      expect(await page.textContent('#ctx-unit')).toBe('合并测试部门（900500）· 部门合并 · 2021 年度')
    } finally {
      await page.close()
    }
  }, 60_000)
})
