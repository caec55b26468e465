import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from '../support/browser/axe'
import { pageReady } from '../support/browser/page'
import { DESKTOP, OUT, PHONE, pageRig } from '../support/browser/page-rig'
import { type TestServer, YEAR_PATH, addBody } from '../support/shells/http'

/**
 * A form for every finance command on the page (新建预算年度, 分配预算行, 冲销, 绩效目标, 年度结转,
 * 开启下一年度), in a real chromium against the real server over a real SQLite file: each previewed
 * first (nothing written), then confirmed; refusals beside their field.
 */
declare const document: any

const ready = (page: Page) => pageReady(page)
const statusSays = (page: Page, prefix: string, re: RegExp) =>
  page.waitForFunction(([id, src]) => new RegExp(src).test(document.getElementById(id).textContent), [`${prefix}-status`, re.source] as const, { timeout: 10_000 })

describe('the page offers a form for every finance command', () => {
  let empty: TestServer
  const rig = pageRig({
    server: { fixture: true },
    people: [['张三', 'finance'], ['李四', 'dashboard'], ['王五', 'auditor']],
    given: async () => (empty = await rig.another()),
  })
  const { t } = rig
  const signedIn = (server: TestServer, name: string) => rig.signedIn(name, { server })

  const screen = async (page: Page, id: string) => {
    await page.click(`#rs-${id}`)
    await page.waitForSelector(`#screen-${id}:not([hidden])`)
  }
  const context3 = async (page: Page, prefix: string, date = '2021-08-01') => {
    await page.fill(`#${prefix}-reason`, '表单测试')
    await page.fill(`#${prefix}-document`, '财预〔2021〕9号')
    await page.fill(`#${prefix}-date`, date)
  }
  const previewed = async (page: Page, prefix: string) => {
    await page.click(`#${prefix}-preview-button`)
    await page.waitForSelector(`#${prefix}-preview:not([hidden])`)
  }
  const confirmed = async (page: Page, prefix: string) => {
    await page.click(`#${prefix}-confirm`)
    await statusSays(page, prefix, /已记录/)
  }
  /** axe with the preview open, at desktop and phone size, and a screenshot of each. */
  const checked = async (page: Page, name: string) => {
    for (const [size, suffix] of [[DESKTOP, ''], [PHONE, '-phone']] as const) {
      await page.setViewportSize(size)
      expect(await axeViolations(page), `${name}${suffix}`).toEqual([])
      await page.locator('#record-panel').screenshot({ path: join(OUT, `${name}${suffix}.png`) })
    }
    await page.setViewportSize(DESKTOP)
  }

  it('given a dashboard reader or an auditor, then none of the forms is offered', async () => {
    for (const name of ['李四', '王五']) {
      const page = await signedIn(t, name)
      try {
        expect(await page.isHidden('#record-panel'), name).toBe(true)
        expect(await page.isVisible('#rs-open'), name).toBe(false)
      } finally {
        await page.close()
      }
    }
  })

  it('given an empty ledger, when 张三 opens a year through 新建预算年度, then she sees its preview first (nothing written), and once confirmed the page shows the new year', async () => {
    const page = await signedIn(empty, '张三')
    try {
      expect(await page.textContent('#message')).toMatch(/还没有预算年度/)
      expect(await page.isVisible('#screen-open')).toBe(true)
      expect(await page.isHidden('#rs-adjust')).toBe(true)
      await page.fill('#oy-unit', '900002')
      await page.fill('#oy-name', '表单单位')
      await page.fill('#oy-year', '2022')
      await page.selectOption('#oy-type', 'institution')
      await context3(page, 'oy', '2022-01-01')
      await previewed(page, 'oy')
      expect(await page.textContent('#oy-events')).toBe('新建预算年度 表单单位（900002）2022 年度')
      expect(await empty.eventCount()).toBe(0)
      await checked(page, 'record-open-year')
      await confirmed(page, 'oy')
      await page.waitForFunction(() => /表单单位（900002）· 2022 年度/.test(document.getElementById('ctx-unit').textContent), null, { timeout: 10_000 })
      expect(await empty.eventCount()).toBe(1)
      expect((await empty.store.readAll())[0]!.metadata).toMatchObject({ actor: '张三' })
      await page.waitForSelector('#rs-allocate', { state: 'visible' })
    } finally {
      await page.close()
    }
  })

  it('given 张三, when she allocates a line picking 2150502 by code and name with 3 万元, then the preview shows the line after in 元 and one event is recorded; an existing line id is refused beside 行编号', async () => {
    const page = await signedIn(t, '张三')
    try {
      await screen(page, 'allocate')
      await page.waitForSelector('#al-function option[value="2150502"]', { state: 'attached' })
      expect(await page.textContent('#al-function option[value="2150502"]')).toMatch(/^2150502 \S/)
      await page.fill('#al-line', 'p01')
      await page.fill('#al-project', '项目三')
      await page.selectOption('#al-function', '2150502')
      await page.fill('#al-amount', '3')
      await page.selectOption('#al-amount-unit', '万元')
      await context3(page, 'al')
      const before = await t.eventCount()
      await page.click('#al-preview-button')
      await page.waitForFunction(() => document.getElementById('al-line-error').textContent !== '')
      expect(await page.textContent('#al-line-error')).toMatch(/^预算科目 "p01" 已存在$/)
      expect(await page.getAttribute('#al-line', 'aria-invalid')).toBe('true')
      expect(await page.isDisabled('#al-confirm')).toBe(true)

      await page.fill('#al-line', 'p03')
      await previewed(page, 'al')
      expect(await page.textContent('#al-events')).toBe('分配预算行 p03 项目三（2150502）年初预算 30000.00 元')
      expect(await page.textContent('#al-line-after')).toBe('记录后 p03：调整后预算 30000.00 元，已支出 0.00 元，可用 30000.00 元')
      expect(await page.getAttribute('#al-line', 'aria-invalid')).toBeNull()
      expect(await t.eventCount()).toBe(before)
      await checked(page, 'record-allocate')
      await page.dblclick('#al-confirm')
      await statusSays(page, 'al', /已记录/)
      expect(await t.eventCount()).toBe(before + 1)
      expect((await t.store.readAll()).at(-1)!.data).toMatchObject({ line: 'p03', functionCode: '2150502', amount: '30000.00', kind: 'project' })
      // The new line is offered to the other forms at once, by name and code.
      await screen(page, 'adjust')
      expect(await page.$$eval('#rf-line option', (os) => os.map((o) => o.textContent))).toContain('项目三（2150502）')
    } finally {
      await page.close()
    }
  })

  it('given 张三 allocating a line of 上年结转, when she picks the fund source its money was budgeted from, then 结转资金原资金来源 is offered from the classification only for 上年结转, a wrong one is refused beside it, and the right one is recorded', async () => {
    const page = await signedIn(t, '张三')
    try {
      await screen(page, 'allocate')
      await page.waitForSelector('#al-carried option[value="general.appropriation"]', { state: 'attached' })
      expect(await page.isHidden('#al-carried-field')).toBe(true)
      const sources = await page.$$eval('#al-source option', (os) => os.map((o) => [o.getAttribute('value'), o.textContent]))
      expect(await page.$$eval('#al-carried option', (os) => os.map((o) => [o.getAttribute('value'), o.textContent]))).toEqual([['', '（不指定）'], ...sources])
      await page.fill('#al-line', 'cf1')
      await page.fill('#al-project', '项目三（上年结转）')
      await page.selectOption('#al-function', '2150502')
      await page.selectOption('#al-source', 'carriedForward')
      expect(await page.isVisible('#al-carried-field')).toBe(true)
      await page.selectOption('#al-carried', 'carriedForward')
      // 0 keeps the line out of the year-end close below (nothing left on it)
      await page.fill('#al-amount', '0')
      await context3(page, 'al')
      const before = await t.eventCount()
      await page.click('#al-preview-button')
      await page.waitForFunction(() => document.getElementById('al-carried-error').textContent !== '')
      expect(await page.textContent('#al-carried-error')).toBe('结转资金的原资金来源是其原预算来源（如一般公共预算拨款），不能是上年结转')
      expect(await page.getAttribute('#al-carried', 'aria-invalid')).toBe('true')
      expect(await page.isDisabled('#al-confirm')).toBe(true)
      await checked(page, 'record-allocate-carried-refused')

      await page.selectOption('#al-carried', 'general.appropriation')
      await previewed(page, 'al')
      expect(await page.getAttribute('#al-carried', 'aria-invalid')).toBeNull()
      await checked(page, 'record-allocate-carried')
      await confirmed(page, 'al')
      expect(await t.eventCount()).toBe(before + 1)
      expect((await t.store.readAll()).at(-1)!.data).toMatchObject({ line: 'cf1', fundSource: 'carriedForward', carriedFundSource: 'general.appropriation', amount: '0.00' })
      // another fund source: the field goes away and nothing of it is sent
      await page.selectOption('#al-source', 'general.appropriation')
      expect(await page.isHidden('#al-carried-field')).toBe(true)
    } finally {
      await page.close()
    }
  })

  it('given an addition recorded elsewhere, when 张三 picks it from 冲销 by date, type, line, amount and document, then the preview shows the line after and, confirmed, it is reversed and no longer offered', async () => {
    const add = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('300.00', 'p02') })
    expect(add.status).toBe(201)
    const id = add.body.events[0].id
    const page = await signedIn(t, '张三')
    try {
      await screen(page, 'reverse')
      expect(await page.textContent(`#rv-event option[value="${id}"]`)).toBe('2021-05-01 · 追加预算 · 项目二（2060499） · 300.00 元 · 测试〔2021〕2号')
      await page.selectOption('#rv-event', id)
      await context3(page, 'rv')
      const before = await t.eventCount()
      await previewed(page, 'rv')
      expect(await page.textContent('#rv-events')).toBe('冲销 2021-05-01 · 追加预算 · 项目二（2060499） · 300.00 元 · 测试〔2021〕2号')
      expect(await page.textContent('#rv-line-after')).toBe('记录后 p02：调整后预算 200000.00 元，已支出 0.00 元，可用 200000.00 元')
      expect(await t.eventCount()).toBe(before)
      await checked(page, 'record-reverse')
      await confirmed(page, 'rv')
      expect(await t.eventCount()).toBe(before + 1)
      expect((await t.store.readAll()).at(-1)!).toMatchObject({ type: 'EventReversed', data: { event: id } })
      await page.waitForFunction((x) => !document.querySelector(`#rv-event option[value="${x}"]`), id)
    } finally {
      await page.close()
    }
  })

  it('given 项目一, when 张三 adds a target row in 绩效目标, then an empty name is refused beside that cell, and filled in it is previewed and recorded; so is a unit target for 预算执行率, its change named', async () => {
    const page = await signedIn(t, '张三')
    try {
      await screen(page, 'targets')
      await page.selectOption('#tg-scope', 'p01')
      expect(await page.$$eval('#tg-rows tr', (r) => r.length)).toBe(0)
      await page.click('#tg-add')
      await page.fill('#tg-r0-value', '12')
      await page.fill('#tg-r0-unit', '次')
      await context3(page, 'tg')
      const before = await t.eventCount()
      await page.click('#tg-preview-button')
      await page.waitForFunction(() => document.getElementById('tg-r0-name-error').textContent !== '')
      expect(await page.getAttribute('#tg-r0-name', 'aria-invalid')).toBe('true')
      expect(await t.eventCount()).toBe(before)
      await page.fill('#tg-r0-name', '开展检查次数')
      await previewed(page, 'tg')
      expect(await page.textContent('#tg-events')).toBe('设定项目绩效目标 p01 1 项绩效目标')
      await checked(page, 'record-targets')
      await confirmed(page, 'tg')
      expect(await t.eventCount()).toBe(before + 1)
      const targets = await t.request('GET', `${YEAR_PATH}/targets`, { token: 'auditor' })
      expect(targets.body.projects[0].targets).toEqual([{ category: 'output', name: '开展检查次数', operator: '≥', value: '12', unit: '次' }])

      // The unit's own indicators: a target for 预算执行率, whose change the preview names.
      await page.selectOption('#tg-scope', '')
      expect(await page.$$eval('#tg-table th', (th) => th.map((x) => x.textContent))).toEqual(['一级指标', '二级指标', '三级指标', '值类型', '指标值', '计量单位', '指标说明', '操作'])
      await page.click('#tg-add')
      await page.fill('#tg-r0-level1', '产出指标')
      await page.fill('#tg-r0-level3', '预算执行率')
      await page.fill('#tg-r0-value', '90')
      await page.fill('#tg-r0-unit', '%')
      await previewed(page, 'tg')
      expect(await page.textContent('#tg-events')).toBe('设定单位整体绩效目标 1 项绩效指标')
      expect(await page.textContent('#tg-changes')).toMatch(/预算执行率/)
      await confirmed(page, 'tg')
      expect((await t.store.readAll()).at(-1)!).toMatchObject({ type: 'UnitTargetsSet', data: { annualGoals: [], tasks: [], indicators: [{ level3: '预算执行率', operator: '≥', value: '90', unit: '%' }] } })
    } finally {
      await page.close()
    }
  })

  it('given the open year, when 张三 asks for the next year first, then it is refused as not closed; she closes the year (项目一 all, 项目二 1 万元 carried, 项目三 收回 with its notice) and opens 2022 with its 上年结转, each previewed first', async () => {
    const page = await signedIn(t, '张三')
    try {
      await screen(page, 'next')
      const before = await t.eventCount()
      await page.click('#ny-preview-button')
      await statusSays(page, 'ny', /未记录：.*尚未年终结账/)
      expect(await t.eventCount()).toBe(before)

      await screen(page, 'close')
      const rows = await page.$$eval('#cy-carry tbody th', (th) => th.map((x) => x.textContent))
      expect(rows).toEqual(['基本支出·人员经费（215）', '项目一（2150502）', '项目二（2060499）', '项目三（2150502）'])
      await page.selectOption('#cy-l1-how', 'all')
      await page.selectOption('#cy-l2-how', 'part')
      await page.fill('#cy-l2-amount', '300')
      await page.selectOption('#cy-l2-amount-unit', '万元')
      await context3(page, 'cy', '2021-12-31')
      await page.click('#cy-preview-button')
      await page.waitForFunction(() => document.getElementById('cy-carry-error').textContent !== '')
      expect(await page.textContent('#cy-carry-error')).toMatch(/p02.*只剩 200000\.00 元/)
      await page.fill('#cy-l2-amount', '1')
      await page.selectOption('#cy-l3-how', 'recover')
      await page.click('#cy-preview-button')
      await page.waitForFunction(() => document.getElementById('cy-notice-error').textContent !== '')
      expect(await page.textContent('#cy-notice-error')).toBe('收回资金须附财政部门的收回通知：请填写其文号')
      expect(await t.eventCount()).toBe(before)
      await page.fill('#cy-notice', '财收〔2021〕12号')
      await previewed(page, 'cy')
      expect(await page.textContent('#cy-events')).toBe(
        '年终结账 basic 结转 0.00 元、结余 100000.00 元、收回 0.00 元；p01 结转 500000.00 元、结余 0.00 元、收回 0.00 元；p02 结转 10000.00 元、结余 190000.00 元、收回 0.00 元；p03 结转 0.00 元、结余 0.00 元、收回 30000.00 元（收回依据 财收〔2021〕12号）',
      )
      expect(await page.textContent('#cy-changes')).toMatch(/结转结余率/)
      expect(await t.eventCount()).toBe(before)
      await checked(page, 'record-close-year')
      await confirmed(page, 'cy')
      expect(await t.eventCount()).toBe(before + 1)

      await screen(page, 'next')
      await page.fill('#ny-document', '财预〔2022〕1号')
      await previewed(page, 'ny')
      expect(await page.textContent('#ny-carried')).toBe('将开启 2022 年度，上年结转合计 510000.00 元')
      expect(await page.textContent('#ny-line-after')).toBe(
        '记录后 cf-p01：调整后预算 500000.00 元，已支出 0.00 元，可用 500000.00 元记录后 cf-p02：调整后预算 10000.00 元，已支出 0.00 元，可用 10000.00 元',
      )
      expect(await t.eventCount()).toBe(before + 1)
      await checked(page, 'record-next-year')
      await confirmed(page, 'ny')
      expect(await t.eventCount()).toBe(before + 4)
      await page.waitForFunction(() => /· 2022 年度/.test(document.getElementById('ctx-unit').textContent), null, { timeout: 10_000 })
    } finally {
      await page.close()
    }
  }, 120_000)
})
