import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchBrowser } from './support/browser'
import { type TestServer, startServer } from './support/http'
import { addPerson } from './support/people'

/**
 * Signing in and recording on the dashboard page, in a real browser against the real server over a
 * real SQLite file holding the fixture year (unit 900001, 2021).
 */
declare const document: any

const ready = (page: Page) => page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 10_000 })

describe('the dashboard page: people sign in, and finance records through a form', () => {
  let t: TestServer
  let browser: LaunchedBrowser | undefined
  let context: BrowserContext
  const people: Record<string, string> = {}

  beforeAll(async () => {
    browser = await launchBrowser({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    context = browser.context
    t = await startServer({ fixture: true })
    for (const [name, role] of [['张三', 'finance'], ['李四', 'dashboard'], ['王五', 'auditor']] as const) people[name] = (await addPerson(t, name, role)).password
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    expect(t.logged).toEqual([])
    await t.close()
  })

  /** A fresh page signed in as name through the sign-in panel. */
  const signedIn = async (name: string) => {
    const page = await context.newPage()
    await page.goto(`${t.url}/`)
    await page.waitForSelector('#signin-form')
    await page.fill('#signin-name', name)
    await page.fill('#signin-password', people[name]!)
    await page.click('#signin-form button')
    await ready(page)
    return page
  }

  it('given no token and no session, the page offers sign-in (no provider link without a provider); 张三 (finance) signs in, her name and role show, 退出 returns to sign-in', async () => {
    await context.clearCookies()
    const page = await context.newPage()
    try {
      await page.goto(`${t.url}/`)
      await page.waitForSelector('#signin-form')
      expect(await page.isVisible('#signin-name')).toBe(true)
      expect(await page.isHidden('#main')).toBe(true)
      await page.waitForFunction(() => document.getElementById('oidc-link').hidden === true)
      await page.fill('#signin-name', '张三')
      await page.fill('#signin-password', 'not-her-password')
      await page.click('#signin-form button')
      await page.waitForFunction(() => /姓名或密码不正确/.test(document.getElementById('message').textContent))
      expect(await page.isHidden('#main')).toBe(true)

      await page.fill('#signin-password', people['张三']!)
      await page.click('#signin-form button')
      await ready(page)
      expect(await page.textContent('#who')).toBe('张三（财务）')
      expect(await page.isVisible('#sign-out')).toBe(true)
      // The session outlives a reload: the page asks the server who is signed in.
      await page.reload()
      await ready(page)
      expect(await page.textContent('#who')).toBe('张三（财务）')

      await page.click('#sign-out')
      await page.waitForSelector('#signin-form', { state: 'visible' })
      expect(await page.isHidden('#main')).toBe(true)
      expect(await page.isHidden('#who')).toBe(true)
      // Signed out on the server too: the cookie no longer opens anything.
      await page.reload()
      await page.waitForSelector('#signin-form', { state: 'visible' })
      expect(await page.isHidden('#main')).toBe(true)
    } finally {
      await page.close()
    }
  })
})
