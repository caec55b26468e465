import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { CITY_YEAR, seedCity } from '../../scripts/bench/ledgers/city'
import { axeViolations } from '../support/browser/axe'
import { pageReady } from '../support/browser/page'
import { DESKTOP, OUT, PHONE, gridOf, pageRig } from '../support/browser/page-rig'

/**
 * The unit picker of a city's ledger: 2,000 unit-years (900000 基准单位0 … 901999 基准单位1999, as
 * the bench seeds them, 11 events each) in a real SQLite file behind the real server, in a real
 * browser, read by a dashboard person. The page never lists every unit: it searches the server.
 */
declare const document: any, location: { hash: string }

const UNITS = 2000
const optionTexts = (page: Page) => page.$$eval('#unit-list [role="option"]', (o) => o.map((x) => x.textContent))
/** Waits for a read begun by a choice to finish (view.js marks body data-state). */
const settled = async (page: Page, change: () => Promise<unknown>) => {
  await page.evaluate(() => (document.body.dataset.state = 'changing'))
  await change()
  await pageReady(page)
}

describe('the unit picker over 2,000 unit-years', () => {
  const rig = pageRig({ people: [['看板甲', 'dashboard']], given: (t) => seedCity(t.dbPath, UNITS, 11) })

  it('given a city of 2,000 unit-years, when the page opens, then it shows the first unit without listing them all; ↓ lists a page, “更多单位” the next, and typing part of a name then ↓ Enter chooses that unit', async () => {
    const page = await rig.newPage()
    const unitReads: string[] = []
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname + new URL(r.url()).search
      if (path.startsWith('/api/units') && !path.includes('/years/')) unitReads.push(path)
    })
    const errors = rig.errorsOf(page)
    try {
      await page.goto(rig.t.url)
      await page.waitForSelector('#signin-form')
      await page.fill('#signin-name', '看板甲')
      await page.fill('#signin-password', rig.passwordOf('看板甲'))
      await page.click('#signin-form button')
      await pageReady(page, 30_000)
      expect(await page.inputValue('#unit')).toBe('900000 基准单位0')
      expect(await page.textContent('#ctx-unit')).toBe('基准单位0（900000）· 2021 年度')
      // Never the whole list: a page of 20 at most.
      expect(unitReads).toEqual(['/api/units?limit=20'])

      // ↓ without typing: the first page, none chosen yet, and a way to more.
      await page.focus('#unit')
      await page.keyboard.press('ArrowDown')
      await page.waitForSelector('#unit-list [role="option"]')
      expect(await page.getAttribute('#unit', 'aria-expanded')).toBe('true')
      const first = await optionTexts(page)
      expect(first).toHaveLength(21)
      expect(first.slice(0, 2)).toEqual(['900000 基准单位0', '900001 基准单位1'])
      expect(first.at(-1)).toBe('更多单位…')
      expect(await page.textContent('#unit-status')).toBe('列出 20 个单位，还有更多（选“更多单位”）')
      // ↓ 21 times reaches “更多单位”; Enter lists the next 20, the first of them active.
      for (let i = 0; i < 21; i++) await page.keyboard.press('ArrowDown')
      expect(await page.getAttribute('#unit', 'aria-activedescendant')).toBe('unit-more')
      await page.keyboard.press('Enter')
      await page.waitForFunction(() => document.querySelectorAll('#unit-list [role="option"]').length === 41)
      expect(await page.getAttribute('#unit', 'aria-activedescendant')).toBe('unit-option-20')
      expect(await page.textContent('#unit-option-20')).toBe('900020 基准单位20')
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: join(OUT, 'unit-picker.png') })
      await page.keyboard.press('Escape')
      expect(await page.isVisible('#unit-list')).toBe(false)
      expect(await page.inputValue('#unit')).toBe('900000 基准单位0')

      // Typing part of a name: the server finds the one unit; ↓ Enter chooses it.
      await page.keyboard.press('Control+A')
      await page.keyboard.type('单位1234')
      await page.waitForFunction(() => document.querySelector('#unit-list [data-unit]')?.dataset.unit === '901234')
      expect(await optionTexts(page)).toEqual(['901234 基准单位1234'])
      expect(await page.textContent('#unit-status')).toBe('列出 1 个单位')
      await page.keyboard.press('ArrowDown')
      expect(await page.getAttribute('#unit-option-0', 'aria-selected')).toBe('true')
      await settled(page, () => page.keyboard.press('Enter'))
      expect(await page.textContent('#ctx-unit')).toBe(`基准单位1234（901234）· ${CITY_YEAR} 年度`)
      expect(await page.inputValue('#unit')).toBe('901234 基准单位1234')
      expect(await page.getAttribute('#unit', 'aria-expanded')).toBe('false')
      expect(await page.evaluate(() => location.hash)).toContain('unit=901234&year=2021')
      expect((await gridOf(page)).length).toBeGreaterThan(0)
      expect(unitReads.every((p) => /[?&]limit=20\b/.test(p))).toBe(true)
      expect(unitReads).toContain(`/api/units?q=${encodeURIComponent('单位1234')}&limit=20`)

      // A code's start finds its units too; nothing found says so.
      await page.focus('#unit')
      await page.keyboard.type('90199')
      await page.waitForFunction(() => document.querySelector('#unit-list [data-unit]')?.dataset.unit === '901990')
      expect(await optionTexts(page)).toEqual(Array.from({ length: 10 }, (_, i) => `90199${i} 基准单位199${i}`))
      await page.keyboard.press('Control+A')
      await page.keyboard.type('不存在的单位')
      await page.waitForFunction(() => document.getElementById('unit-status').textContent === '没有编码或名称与之相符的单位')
      expect(await optionTexts(page)).toEqual([])
      await page.keyboard.press('Escape')
      expect(await page.inputValue('#unit')).toBe('901234 基准单位1234')
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: join(OUT, 'unit-picker-chosen.png') })

      // A phone: the picker in the opened controls, listing within the screen.
      await page.setViewportSize(PHONE)
      await page.click('#controls-toggle')
      await page.click('#unit')
      await page.waitForSelector('#unit-list [role="option"]')
      // A fresh list has nothing chosen until ↓ says so.
      expect(await page.$$('#unit-list [aria-selected="true"]')).toHaveLength(0)
      const box = await page.locator('#unit-popup').boundingBox()
      expect(box!.x).toBeGreaterThanOrEqual(0)
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width)
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: join(OUT, 'unit-picker-phone.png') })
      await page.keyboard.press('Escape')
      await page.setViewportSize(DESKTOP)

      // A bookmarked unit is read by its code alone.
      await page.goto('about:blank')
      unitReads.length = 0
      await page.goto(`${rig.t.url}/#unit=901999&year=2021`)
      await pageReady(page)
      expect(await page.inputValue('#unit')).toBe('901999 基准单位1999')
      expect(unitReads).toEqual(['/api/units/901999'])
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 180_000)
})
