import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { FINAL_TABLES } from '../../projections'
import { axeViolations } from '../support/browser/axe'
import { pageReady } from '../support/browser/page'
import { DESKTOP, OUT, PHONE, gridOf, pageRig } from '../support/browser/page-rig'
import { PATH, buildYear } from '../support/years/final-year'
import { TOKENS } from '../support/shells/http'

/**
 * The page's table tabs offer the 决算 set: a switch between 预算表 and 决算表, each 决算 table in
 * its published layout, in a real browser against the real server over a real SQLite file.
 */
declare const document: any
declare const window: any

const ready = (page: Page) => pageReady(page)
/** A picture of one panel where it lies on the whole page (an element shot would put the sticky header over it). */
const shootPanel = async (page: Page, selector: string, path: string) => {
  await page.evaluate(() => window.scrollTo(0, 0))
  const box = (await page.locator(selector).boundingBox())!
  await page.screenshot({ path, fullPage: true, clip: box })
}

describe('the 决算 tables on the page', () => {
  const rig = pageRig({ given: (t) => buildYear(t.store) })

  it('given the page on a 预算 table, when 决算表 is switched to and 决算表五 chosen by keyboard, then it shows the 决算 table with its rates, and axe finds nothing serious at desktop and phone sizes', async () => {
    const page = await rig.newPage()
    const errors = rig.errorsOf(page)
    try {
      await page.goto(`${rig.t.url}/#token=${TOKENS.dashboard}&table=4`)
      await ready(page)
      expect(await page.getAttribute('[data-set="budget"]', 'aria-pressed')).toBe('true')
      expect(await page.textContent('#dl-all')).toBe('全部预算表（Excel 工作簿）')
      // the 情况说明 of the 预算 set, under the tables, from …/report
      await page.waitForFunction(() => document.querySelector('#report .report-title')?.textContent === '决算测试单位 2021 年部门预算情况说明')
      expect(await page.textContent('#report-kind')).toBe('部门预算')

      await page.click('[data-set="final"]')
      await page.waitForFunction(() => document.querySelector('#table .official-title')?.textContent === '收入支出决算总表')
      expect(await page.getAttribute('[data-set="final"]', 'aria-pressed')).toBe('true')
      expect(await page.$$eval('#tabs [data-table]', (b) => b.map((x) => x.dataset.table))).toEqual(FINAL_TABLES.map((x) => `F${x.number}`))
      expect(await page.textContent('#dl-all')).toBe('全部决算表（Excel 工作簿）')
      expect((await gridOf(page)).find((r) => r[0] === '本年收入合计')?.[1]).toBe('105.00')
      // …and the 决算 情况说明, the server's text paragraph by paragraph, read once for the set
      await page.waitForFunction(() => document.querySelector('#report .report-title')?.textContent === '决算测试单位 2021 年度部门决算情况说明')
      expect(await page.textContent('#report-kind')).toBe('部门决算')
      const report = (await (await fetch(`${rig.t.url}${PATH}/final-report`, { headers: { authorization: `Bearer ${TOKENS.dashboard}` } })).json()) as { text: string }
      const paragraphs = report.text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
      expect(await page.$$eval('#report > *', (xs) => xs.map((x) => x.textContent))).toEqual(paragraphs)
      expect(await page.$$eval('#report h4', (xs) => xs.map((x) => x.textContent))).toContain('五、一般公共预算财政拨款支出决算情况')
      expect(paragraphs).toContain('年初预算 100.00 万元，全年预算 105.00 万元，决算数 45.00 万元，完成全年预算的 42.86%，为年初预算的 45.00%。决算数与年初预算的差异来自年中追加、追减、调剂与年初结转和结余。')

      // keyboard: focus the 决算表五 tab and press Enter
      await page.focus('#tabs [data-table="F5"]')
      await page.keyboard.press('Enter')
      await page.waitForFunction(() => document.querySelector('#table .official-title')?.textContent === '一般公共预算财政拨款支出决算表')
      expect((await gridOf(page))[0]).toEqual(['', '合计', '100.00', '105.00', '45.00', '25.00', '20.00', '42.86%', '45.00%'])
      const header = await page.$$eval('#table thead tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th')].map((th) => th.textContent)))
      expect(header[0]).toContain('决算数')
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: join(OUT, 'final-tables.png'), fullPage: true })
      await shootPanel(page, '#report-panel', join(OUT, 'final-report.png'))

      await page.setViewportSize(PHONE)
      await page.waitForTimeout(300)
      expect(await axeViolations(page)).toEqual([])
      await page.locator('#tables-panel').screenshot({ path: join(OUT, 'final-tables-phone.png') })
      await shootPanel(page, '#report-panel', join(OUT, 'final-report-phone.png'))

      // and back to the 预算 set, at the desktop size (the phone's controls fold away)
      await page.setViewportSize(DESKTOP)
      await page.click('[data-set="budget"]')
      await page.waitForFunction(() => document.querySelector('#table .official-title')?.textContent === '部门收支总体情况表')
      await page.waitForFunction(() => document.querySelector('#report .report-title')?.textContent === '决算测试单位 2021 年部门预算情况说明')
      // as of a past moment, the 情况说明 of then: only the March spending was recorded by 2021-06-30
      await page.click('[data-set="final"]')
      await page.waitForFunction(() => /决算数 45\.00 万元/.test(document.querySelector('#report')?.textContent ?? ''))
      await page.fill('#asof', '2021-06-30 23:59:59')
      await page.click('#asof-apply')
      await page.waitForFunction(() => /决算数 15\.00 万元/.test(document.querySelector('#report')?.textContent ?? ''))
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)
})
