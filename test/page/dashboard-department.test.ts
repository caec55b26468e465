import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { FINAL_TABLES } from '../../projections'
import type { TableJson } from '../../projections/render'
import { axeViolations } from '../support/axe'
import { DEPARTMENT_PATH, buildDepartment } from '../support/department'
import { csvTableRows, readWorkbook, shownRows } from '../support/downloaded'
import { pageReady } from '../support/page'
import { DESKTOP, OUT, PHONE, gridOf, pageRig } from '../support/page-rig'

/**
 * A department's consolidated (合并) year on the page: the department of test/support/department.ts
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
  const rig = pageRig({ people: [['财务甲', 'finance']], given: (t) => buildDepartment(t.store) })

  it('given three units of one department, when the department is chosen, then its table 1 total is the units’ sum (88.00), 预算执行率 is recomputed (59.09%), 决算表 shows F1, the line names its units, nothing of one unit-year is offered, and axe finds nothing serious at desktop and phone sizes', async () => {
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
      expect(await page.$$('#table td[role="button"]')).toHaveLength(0)

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
