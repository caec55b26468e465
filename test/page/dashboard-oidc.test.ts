import type { Page } from 'playwright-core'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OidcSignIn } from '../../src/identity/oidc/oidc'
import { axeViolations } from '../support/browser/axe'
import { pageReady } from '../support/browser/page'
import { OUT, pageRig } from '../support/browser/page-rig'
import { CLIENT_SECRET, startProvider, type TestProvider } from '../support/shells/oidc-provider'

/**
 * Signing in through the unit's identity provider in a real browser: the page's link, the real
 * provider's (oidc-provider) login and consent pages, back to the page; recording as oneself; and
 * signing out of both the ledger and the provider (RP-initiated logout).
 */
declare const document: any

const ready = (page: Page) => pageReady(page)

describe('the dashboard page with the unit’s identity provider: sign in there, record as oneself, sign out of both', () => {
  let provider: TestProvider
  const redirect = new URL('http://127.0.0.1/auth/oidc/callback')

  beforeAll(async () => {
    // The provider is built at its first request, by when the ledger listens and its page is known.
    provider = await startProvider({ zhang: { name: '张三', roles: ['finance'] } }, () => redirect.href, { pages: true, afterSignOut: () => `${t.url}/` })
  }, 60_000)
  const rig = pageRig({
    server: () => ({
      fixture: true,
      oidc: new OidcSignIn({ issuer: new URL(provider.issuer), clientId: 'ledger', clientSecret: CLIENT_SECRET, redirectUri: redirect, roleClaim: 'roles', roleMap: { finance: 'finance' } }),
    }),
    given: async (t) => (redirect.port = new URL(t.url).port),
  })
  const { t } = rig
  afterAll(() => provider.close())

  it('given 张三 with the finance role claim, when she follows 通过单位身份认证登录 and signs in and consents at the provider, then the page names her; her addition names her and her role; 退出 ends her session here and at the provider', async () => {
    const page = await rig.context.newPage()
    try {
      await page.goto(`${t.url}/`)
      await page.waitForSelector('#oidc-link', { state: 'visible' })
      await page.click('#oidc-link')
      await page.waitForURL(`${provider.issuer}/interaction/**`)
      expect(await page.textContent('h1')).toBe('单位身份认证')
      await page.fill('#account', 'zhang')
      await page.click('button[type=submit]')
      await page.waitForFunction(() => document.querySelector('h1')?.textContent === '授权')
      await page.click('text=同意')
      await page.waitForURL(`${t.url}/`)
      await ready(page)
      expect(await page.textContent('#who')).toBe('张三（财务）')
      expect(await page.isVisible('#record-panel')).toBe(true)
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: join(OUT, 'oidc-signed-in.png') })
      await page.setViewportSize({ width: 390, height: 844 })
      await page.screenshot({ path: join(OUT, 'oidc-signed-in-phone.png') })
      expect(await axeViolations(page)).toEqual([])
      await page.setViewportSize({ width: 1440, height: 900 })

      // An addition through the page's form: the event names her, her subject at the provider and her role.
      const before = await t.eventCount()
      await page.selectOption('#rf-type', 'AddToLine')
      await page.selectOption('#rf-line', 'p01')
      await page.fill('#rf-amount', '2')
      await page.selectOption('#rf-unit', '万元')
      await page.fill('#rf-reason', '年中追加')
      await page.fill('#rf-document', '财预〔2021〕8号')
      await page.fill('#rf-date', '2021-07-01')
      await page.click('#rf-preview-button')
      await page.waitForSelector('#rf-preview:not([hidden])')
      await page.click('#rf-confirm')
      await page.waitForFunction(() => /已记录/.test(document.getElementById('rf-status').textContent))
      expect(await t.eventCount()).toBe(before + 1)
      const last = (await t.store.readAll()).at(-1)!
      expect(last.data).toMatchObject({ line: 'p01', amount: '20000.00' })
      expect(last.metadata).toMatchObject({ actor: '张三', subject: `${provider.issuer}|zhang`, role: 'finance' })

      // 退出: the ledger's session ends, then the provider asks and ends its own, and sends her back.
      const cookie = (await rig.context.cookies(t.url)).find((c) => c.name === 'ledger_session')!
      expect(cookie).toBeDefined()
      await page.click('#sign-out')
      await page.waitForURL(`${provider.issuer}/session/end**`)
      expect(await page.textContent('h1')).toBe('退出单位身份认证')
      await page.click('button[name=logout]')
      await page.waitForURL(`${t.url}/`)
      await page.waitForSelector('#signin-form', { state: 'visible' })
      expect(await page.isHidden('#who')).toBe(true)
      expect((await t.request('GET', '/auth/me', { headers: { cookie: `ledger_session=${cookie.value}` } })).status).toBe(401)
      // Signed out at the provider too: its link asks for the sign-in again instead of coming straight back.
      await page.click('#oidc-link')
      await page.waitForURL(`${provider.issuer}/interaction/**`)
      expect(await page.textContent('h1')).toBe('单位身份认证')
    } finally {
      await page.close()
    }
  })
})
