import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from '../support/browser/axe'
import { pageReady } from '../support/browser/page'
import { pageRig } from '../support/browser/page-rig'
import { YEAR_PATH, addBody, startServer } from '../support/shells/http'
import { OidcSignIn } from '../../src/identity/oidc/oidc'
import { CLIENT_SECRET, startProvider } from '../support/shells/oidc-provider'
import { cli } from '../support/shells/cli'

/**
 * Signing in and recording on the dashboard page, in a real browser against the real server over a
 * real SQLite file holding the fixture year (unit 900001, 2021).
 */
declare const document: any

const ready = (page: Page) => pageReady(page)

describe('the dashboard page: people sign in, and finance records through a form', () => {
  const rig = pageRig({ server: { fixture: true }, people: [['张三', 'finance'], ['李四', 'dashboard'], ['王五', 'auditor']] })
  const { t } = rig
  const signedIn = (name: string) => rig.signedIn(name)

  it('given no token and no session, the page offers sign-in (no provider link without a provider); 张三 (finance) signs in, her name and role show, 退出 returns to sign-in', async () => {
    await rig.context.clearCookies()
    const page = await rig.context.newPage()
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

      await page.fill('#signin-password', rig.passwordOf('张三'))
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

  /** Fills the recording form: a command typed as a person would. */
  const fill = async (page: Page, o: { type?: string; line: string; amount: string; unit: string }) => {
    await page.selectOption('#rf-type', o.type ?? 'AddToLine')
    await page.selectOption('#rf-line', o.line)
    await page.fill('#rf-amount', o.amount)
    await page.selectOption('#rf-unit', o.unit)
    await page.fill('#rf-reason', '年中追加')
    await page.fill('#rf-document', '财预〔2021〕7号')
    await page.fill('#rf-date', '2021-07-01')
  }
  const previewed = async (page: Page) => {
    await page.click('#rf-preview-button')
    await page.waitForSelector('#rf-preview:not([hidden])')
  }

  it('given a dashboard reader or an auditor signed in, then the page shows no recording form', async () => {
    for (const name of ['李四', '王五']) {
      const page = await signedIn(name)
      try {
        expect(await page.isHidden('#record-panel'), name).toBe(true)
      } finally {
        await page.close()
      }
    }
  })

  it('given 张三, when she previews 10 万元 added to 项目一, then she sees the event, the line after and 预算调整率 0.00% → 12.50% with nothing written; a double-clicked 确认记录 records it once and the page shows it', async () => {
    const page = await signedIn('张三')
    try {
      expect(await page.isVisible('#record-panel')).toBe(true)
      expect(await page.$$eval('#rf-line option', (os) => os.map((o) => o.textContent))).toEqual(['基本支出·人员经费（215）', '项目一（2150502）', '项目二（2060499）'])
      const before = await t.eventCount()
      await fill(page, { line: 'p01', amount: '10', unit: '万元' })
      await previewed(page)
      expect(await page.textContent('#rf-events')).toBe('追加预算 p01 100000.00 元')
      expect(await page.textContent('#rf-line-after')).toBe('记录后 p01：调整后预算 600000.00 元，已支出 0.00 元，可用 600000.00 元')
      expect(await page.textContent('#rf-changes')).toMatch(/预算调整率 0\.00% → 12\.50%/)
      expect(await t.eventCount()).toBe(before)
      expect(await page.textContent('[data-indicator="budget-adjustment"] .value')).toBe('0.00%')

      await page.dblclick('#rf-confirm')
      await page.waitForFunction(() => /已记录/.test(document.getElementById('rf-status').textContent))
      await page.waitForFunction(() => document.querySelector('[data-indicator="budget-adjustment"] .value')?.textContent === '12.50%', null, { timeout: 5000 })
      expect(await t.eventCount()).toBe(before + 1)
      const last = (await t.store.readAll()).at(-1)!
      expect(last.data).toMatchObject({ line: 'p01', amount: '100000.00' })
      expect(last.metadata).toMatchObject({ actor: '张三' })
      // With the form open and a preview shown, the page still passes the accessibility check.
      await fill(page, { line: 'p02', amount: '1.5', unit: '万元' })
      await previewed(page)
      expect(await page.textContent('#rf-events')).toBe('追加预算 p02 15000.00 元')
      expect(await axeViolations(page)).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('given a preview, when another session records in between, then 确认记录 says 账本已被他人修改 and writes nothing, shows the new preview, and records once confirmed again', async () => {
    const page = await signedIn('张三')
    try {
      await fill(page, { line: 'p02', amount: '2000', unit: '元' })
      await previewed(page)
      const other = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('300.00', 'basic') })
      expect(other.status).toBe(201)
      const before = await t.eventCount()
      await page.click('#rf-confirm')
      await page.waitForFunction(() => /账本已被他人修改/.test(document.getElementById('rf-status').textContent))
      // What the other session recorded, named, beside the new preview.
      await page.waitForSelector('#rf-others')
      expect(await page.textContent('#rf-others')).toBe(`追加预算 basic 300.00 元（tester-finance，修订号 ${other.body.revision}）`)
      expect(await t.eventCount()).toBe(before)
      expect(await page.isEnabled('#rf-confirm')).toBe(true)
      await page.click('#rf-confirm')
      await page.waitForFunction(() => /已记录/.test(document.getElementById('rf-status').textContent))
      expect(await t.eventCount()).toBe(before + 1)
      expect((await t.store.readAll()).at(-1)!.data).toMatchObject({ line: 'p02', amount: '2000.00' })
    } finally {
      await page.close()
    }
  })

  it('given a reduction larger than the line, then the refusal shows beside the amount, in Chinese words (低于已支出), and nothing is written', async () => {
    const page = await signedIn('张三')
    try {
      const before = await t.eventCount()
      await fill(page, { type: 'ReduceLine', line: 'p02', amount: '1000', unit: '万元' })
      await page.click('#rf-preview-button')
      await page.waitForFunction(() => document.getElementById('rf-amount-error').textContent !== '')
      expect(await page.getAttribute('#rf-amount', 'aria-invalid')).toBe('true')
      expect(await page.textContent('#rf-amount-error')).toMatch(/^调减 10000000\.00 元 后，科目 "p02" 的预算将为 .*低于已支出的 .* 元$/)
      expect(await page.isHidden('#rf-preview')).toBe(true)
      expect(await page.isDisabled('#rf-confirm')).toBe(true)
      expect(await t.eventCount()).toBe(before)
    } finally {
      await page.close()
    }
  })

  it('given 张三, when she transfers 1 万元 from 项目一 to 项目二 and then spends 5000 元 on 项目二, then each preview shows the lines after, and each confirm records one event', async () => {
    const page = await signedIn('张三')
    try {
      const p02 = async () => (await t.request('GET', YEAR_PATH, { token: 'auditor' })).body.lines.find((l: { line: string }) => l.line === 'p02')
      expect((await p02()).spent).toBe('0.00')
      expect(await page.isHidden('#rf-to')).toBe(true)
      await page.selectOption('#rf-type', 'TransferBetweenLines')
      expect(await page.textContent('#rf-line-label')).toBe('调出行')
      await page.selectOption('#rf-to', 'p02')
      await fill(page, { type: 'TransferBetweenLines', line: 'p01', amount: '1', unit: '万元' })
      await previewed(page)
      expect(await page.textContent('#rf-events')).toBe('调剂预算 p01 → p02 10000.00 元')
      expect(await page.$$eval('#rf-line-after li', (li) => li.length)).toBe(2)
      let before = await t.eventCount()
      await page.click('#rf-confirm')
      await page.waitForFunction(() => /已记录/.test(document.getElementById('rf-status').textContent))
      expect(await t.eventCount()).toBe(before + 1)

      await page.selectOption('#rf-type', 'RecordExpenditure')
      expect(await page.isHidden('#rf-category')).toBe(true)
      await fill(page, { type: 'RecordExpenditure', line: 'p02', amount: '5000', unit: '元' })
      await page.fill('#rf-voucher', '记-0701')
      await previewed(page)
      expect(await page.textContent('#rf-events')).toBe('支出 p02 5000.00 元')
      before = await t.eventCount()
      await page.click('#rf-confirm')
      await page.waitForFunction(() => /已记录/.test(document.getElementById('rf-status').textContent))
      expect(await t.eventCount()).toBe(before + 1)
      expect((await p02()).spent).toBe('5000.00')
      expect(await page.textContent('#rf-status')).toContain(String((await t.store.readAll()).at(-1)!.revision))
    } finally {
      await page.close()
    }
  })

  it('given a server with an identity provider, then the sign-in panel offers 通过单位身份认证登录, which starts at /auth/oidc/start', async () => {
    const provider = await startProvider({})
    const ledger = await startServer({
      fixture: true,
      oidc: new OidcSignIn({ issuer: new URL(provider.issuer), clientId: 'ledger', clientSecret: CLIENT_SECRET, redirectUri: new URL('http://127.0.0.1/auth/oidc/callback'), roleClaim: 'roles', roleMap: { finance: 'finance' } }),
    })
    const page = await rig.context.newPage()
    try {
      await page.goto(`${ledger.url}/`)
      await page.waitForSelector('#oidc-link', { state: 'visible' })
      expect(await page.textContent('#oidc-link')).toBe('通过单位身份认证登录')
      expect(await page.getAttribute('#oidc-link', 'href')).toBe('/auth/oidc/start')
    } finally {
      await page.close()
      expect(ledger.logged).toEqual([])
      await ledger.close()
      await provider.close()
    }
  })

  it('given 张三 signed in, when her account is revoked and the page next asks the server, then it no longer names her and offers sign-in again', async () => {
    const page = await signedIn('张三')
    try {
      expect(await page.textContent('#who')).toBe('张三（财务）')
      expect((await cli(['users', 'revoke', '张三'], { LEDGER_USERS_FILE: t.usersFile })).code).toBe(0)
      await fill(page, { line: 'p01', amount: '1', unit: '元' })
      await page.click('#rf-preview-button')
      await page.waitForSelector('#signin-form', { state: 'visible' })
      expect(await page.isHidden('#who')).toBe(true)
      expect(await page.isHidden('#main')).toBe(true)
    } finally {
      await page.close()
    }
  })
})
