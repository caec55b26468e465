import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/package-root'
import { axeViolations } from '../support/browser/axe'
import { pageReady } from '../support/browser/page'
import { DESKTOP, OUT, PHONE, pageRig } from '../support/browser/page-rig'
import { type TestServer, TOKENS, YEAR_PATH, fixtureBudgetFile } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The imports of the dashboard page (issue 12 §3), in a real browser against real servers over real
 * SQLite files: a budget workbook exported by the page and imported through the page into an empty
 * ledger; a voucher file refused with its three bad rows named, then imported, then not again; the
 * progress of a 5,000-row file as the page shows it.
 */
declare const document: any, window: any, localStorage: any

const TABLE_NUMBERS = Array.from({ length: 11 }, (_, i) => i + 1)
const samplePath = () => join(packageRoot(), 'src', 'sample', 'budget-101065-2021.json')

const ready = (page: Page) => pageReady(page)
const statusIs = (page: Page, id: string, re: RegExp) => page.waitForFunction(([i, s]) => new RegExp(s).test(document.getElementById(i).textContent), [id, re.source] as const, { timeout: 30_000 })
/** The rows of the bad-cells table beside a file input: [sheet, row, column, why]. */
const badCells = (page: Page, box: string) => page.$$eval(`#${box} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
/** The preview's summary as [term, value] pairs. */
const summaryOf = async (page: Page, id: string) => {
  const texts = await page.$$eval(`#${id} dt, #${id} dd`, (els) => els.map((e) => e.textContent))
  return Object.fromEntries(Array.from({ length: texts.length / 2 }, (_, i) => [texts[2 * i], texts[2 * i + 1]]))
}

describe('the dashboard page: budgets and vouchers imported from files', () => {
  const dir = tempDb('ledger-page-imports-')
  const rig = pageRig({ startFirst: false, people: [['张三', 'finance']], browser: { acceptDownloads: true } })

  /** A server with 张三 (finance) among its people; the sample or the fixture in it, or nothing. */
  const server = async (content: 'sample' | 'fixture' | 'empty') => {
    const t = await rig.another({ fixture: content === 'fixture' })
    if (content === 'sample') expect((await t.request('POST', '/api/budget-files', { token: 'finance', body: JSON.parse(readFileSync(samplePath(), 'utf8')) })).status).toBe(201)
    return t
  }

  /** A fresh page on t signed in as 张三. */
  const signedIn = async (t: TestServer) => {
    const page = await rig.signedIn('张三', { server: t })
    await page.setViewportSize(DESKTOP)
    return page
  }

  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir.dir, name)
    writeFileSync(path, content)
    return path
  }

  /** Axe at both sizes with what is open now, and a screenshot of each (the page returns to the desktop size). */
  const checkedAndShot = async (page: Page, name: string, panel: string) => {
    for (const [size, suffix] of [[DESKTOP, ''], [PHONE, '-phone']] as const) {
      await page.setViewportSize(size)
      expect(await axeViolations(page), `${name}${suffix}`).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}${suffix} scrolls sideways`).toBeLessThanOrEqual(size.width)
      // The panel's top just under the sticky header (a full-page shot would draw that header in its middle).
      await page.evaluate((sel) => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top + window.scrollY - document.querySelector('.sticky').getBoundingClientRect().height - 8), panel)
      await page.screenshot({ path: join(OUT, `${name}${suffix}.png`) })
    }
    await page.setViewportSize(DESKTOP)
  }

  afterAll(() => dir.remove())


  it('given the sample on one server, when its workbook (all eleven tables) is downloaded from the page and imported through the page of a server with an empty ledger, then the preview names the unit-year, lines and total with nothing written, and after 确认导入 all eleven tables are equal', async () => {
    const a = await server('sample')
    const b = await server('empty')
    const from = await signedIn(a)
    const [download] = await Promise.all([from.waitForEvent('download'), from.click('#dl-all')])
    expect(download.suggestedFilename()).toBe('101065-2021-部门预算.xlsx')
    const workbook = join(dir.dir, download.suggestedFilename())
    await download.saveAs(workbook)
    await from.close()
    const year = (await a.request('GET', '/api/units/101065/years/2021', { token: 'auditor' })).body

    const page = await signedIn(b)
    try {
      expect(await page.textContent('#message')).toContain('账本中还没有预算年度')
      expect(await page.isVisible('#budget-import-panel')).toBe(true)
      expect(await page.isHidden('#voucher-import-panel')).toBe(true)
      // The template is offered beside the file input.
      const [template] = await Promise.all([page.waitForEvent('download'), page.click('#bi-template')])
      expect(template.suggestedFilename()).toBe('预算导入模板.xlsx')

      // A template with two bad cells: each named beside the input (sheet, row, column, why), nothing written.
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.readFile((await template.path())!)
      wb.getWorksheet('预算明细')!.getCell('G10').value = '12,5'
      wb.getWorksheet('预算明细')!.getCell('D11').value = '99'
      await page.setInputFiles('#bi-file', file('坏预算.xlsx', new Uint8Array(await wb.xlsx.writeBuffer())))
      await page.click('#bi-preview-button')
      await page.waitForSelector('#bi-errors:not([hidden])')
      const bad = await badCells(page, 'bi-errors')
      expect(bad.map((r) => r.slice(0, 3))).toEqual([['预算明细', '10', 'G'], ['预算明细', '11', 'D']])
      expect(bad[0]![3]).toContain('应为以元为单位、至多两位小数的金额')
      expect(await page.textContent('#bi-errors h3')).toBe('有问题的单元格：2 处，未写入任何数据')
      expect(await page.isDisabled('#bi-confirm')).toBe(true)
      expect(await b.eventCount()).toBe(0)

      await page.setInputFiles('#bi-file', workbook)
      expect(await page.isHidden('#bi-errors')).toBe(true)
      await page.click('#bi-preview-button')
      await page.waitForSelector('#bi-preview:not([hidden])')
      expect(await summaryOf(page, 'bi-summary')).toEqual({
        预算单位: '101065 工信科技金融办',
        年度: '2021 年',
        预算行数: String(year.lines.length),
        将记录事件: expect.stringMatching(/^\d+$/),
        '年初预算合计（元）': year.totals.initial.replace(/\B(?=(\d{3})+\.)/g, ','),
      })
      expect(await b.eventCount()).toBe(0)
      await checkedAndShot(page, 'imports-budget', '#budget-import-panel')

      await page.click('#bi-confirm')
      await statusIs(page, 'bi-status', /^已导入 101065 工信科技金融办 2021 年预算/)
      expect(await b.eventCount()).toBeGreaterThan(0)
      // The page turns to the year it imported.
      await page.waitForFunction(() => /101065/.test(document.getElementById('ctx-unit').textContent))
      for (const n of TABLE_NUMBERS) {
        const [x, y] = await Promise.all([a, b].map((s) => s.request('GET', `/api/units/101065/years/2021/tables/${n}`, { token: 'dashboard' })))
        expect(y!.status).toBe(200)
        expect(y!.body, `table ${n}`).toEqual(x!.body)
      }

      // A JSON budget file previews the same way; one for a year the ledger now holds is refused, its reason shown, nothing written.
      const count = await b.eventCount()
      await page.setInputFiles('#bi-file', file('预算.json', JSON.stringify(fixtureBudgetFile())))
      await page.click('#bi-preview-button')
      await page.waitForSelector('#bi-preview:not([hidden])')
      expect(await summaryOf(page, 'bi-summary')).toMatchObject({ 预算单位: '900001 测试单位', 预算行数: '3', '年初预算合计（元）': '800,000.00' })
      await page.setInputFiles('#bi-file', file('样例.json', readFileSync(samplePath())))
      await page.click('#bi-preview-button')
      await page.waitForSelector('#bi-errors:not([hidden])')
      expect(await page.textContent('#bi-errors h3')).toBe('未写入任何数据')
      expect(await page.textContent('#bi-errors .detail')).toMatch(/2021/)
      expect(await page.isHidden('#bi-preview')).toBe(true)
      expect(await b.eventCount()).toBe(count)
    } finally {
      await page.close()
    }
  })

  const HEADER = '日期,凭证号,预算行号,功能分类科目编码,项目名称,经济分类科目编码,金额（元）,三公经费,政府采购,摘要'
  const csv = (rows: ReadonlyArray<string>) => `\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`
  const GOOD = ['2021-04-01,记-001,basic,,,30201,1200.00,,,办公用品', '2021-04-02,记-002,,2060499,,,5000,,services,咨询服务', '2021-04-03,记-003,p01,,,30217,600.50,公务接待费,,接待']
  /** Rows 5, 6, 7 of the sheet are bad: a date that does not exist, an unknown line, an over-spend of p02 (after row 3's 5000). */
  const WITH_THREE_BAD = [...GOOD, '2021-02-30,记-004,basic,,,,10.00,,,日期错', '2021-04-05,记-005,p99,,,,10.00,,,无此行', '2021-04-06,记-006,p02,,,,195000.01,,,超支']
  const FIXED = [...GOOD, '2021-03-30,记-004,basic,,,,10.00,,,日期改正', '2021-04-05,记-005,p02,,,,10.00,,,行号改正', '2021-04-06,记-006,p02,,,,100.00,,,金额改正']
  const revisionOf = async (t: TestServer) => (await t.request('GET', YEAR_PATH, { token: 'auditor' })).body.revision as number

  it('given a voucher file with three bad rows, when previewed on the page, then exactly those three rows are named (sheet, row, column, why) and nothing is written; fixed, it previews its count and total and imports; the same file again is reported as already recorded and records nothing', async () => {
    const t = await server('fixture')
    const page = await signedIn(t)
    try {
      expect(await page.textContent('#vi-target')).toBe('记入 900001 2021 年')
      const revision = await revisionOf(t)
      const events = await t.eventCount()
      await page.setInputFiles('#vi-file', file('凭证-有误.csv', csv(WITH_THREE_BAD)))
      await page.fill('#vi-document', '财〔2021〕9号')
      await page.click('#vi-preview-button')
      await page.waitForSelector('#vi-errors:not([hidden])')
      const bad = await badCells(page, 'vi-errors')
      expect(bad.map((r) => r.slice(0, 3))).toEqual([['凭证-有误.csv', '5', 'A'], ['凭证-有误.csv', '6', 'C'], ['凭证-有误.csv', '7', 'G']])
      expect(bad.map((r) => r[3])).toEqual([
        // Every reason in the ledger's Chinese words: the file's own checks and the ledger's refusal alike.
        '凭证-有误.csv!A5：应为实际存在的日期 YYYY-MM-DD（或日期单元格），实际为 "2021-02-30"',
        '凭证-有误.csv!C6：应为本年度某一预算行的行号，实际为 "p99"',
        expect.stringMatching(/^超支：.*"p02".*超过调整后预算 200000\.00 元$/),
      ])
      // The list and its heading, nothing else (no summary in the server's English beside it).
      expect(await page.$$eval('#vi-errors > *', (els) => els.map((e) => e.tagName))).toEqual(['H3', 'DIV'])
      expect(await page.isDisabled('#vi-confirm')).toBe(true)
      expect(await page.isHidden('#vi-preview')).toBe(true)
      expect(await revisionOf(t)).toBe(revision)
      expect(await t.eventCount()).toBe(events)
      await checkedAndShot(page, 'imports-vouchers-refused', '#voucher-import-panel')

      const fixed = file('凭证.csv', csv(FIXED))
      await page.setInputFiles('#vi-file', fixed)
      await page.click('#vi-preview-button')
      await page.waitForSelector('#vi-preview:not([hidden])')
      expect(await page.isHidden('#vi-errors')).toBe(true)
      expect(await page.textContent('#vi-preview')).toBe('预览（尚未记录）：凭证.csv记入900001 2021 年凭证行数6合计金额（元）6,920.50将记录事件6')
      expect(await summaryOf(page, 'vi-summary')).toEqual({ 记入: '900001 2021 年', 凭证行数: '6', '合计金额（元）': '6,920.50', 将记录事件: '6' })
      expect(await t.eventCount()).toBe(events)
      await checkedAndShot(page, 'imports-vouchers', '#voucher-import-panel')

      await page.click('#vi-confirm')
      await statusIs(page, 'vi-status', /^已记录 6 张凭证，合计 6,920\.50 元（账本修订号 \d+）$/)
      expect(await t.eventCount()).toBe(events + 6)
      const recorded = (await t.store.readAll()).slice(-6)
      expect(recorded.map((e) => [e.type, (e.data as { amount: string }).amount, e.metadata.actor, e.metadata.document])).toEqual(
        ['1200.00', '5000.00', '600.50', '10.00', '10.00', '100.00'].map((amount) => ['ExpenditureRecorded', amount, '张三', '财〔2021〕9号']),
      )
      const after = await revisionOf(t)

      // The same file again: the preview says it was imported, and confirming records nothing.
      await page.setInputFiles('#vi-file', fixed)
      await page.click('#vi-preview-button')
      await page.waitForSelector('#vi-repeated')
      expect(await page.textContent('#vi-repeated')).toMatch(/^该文件已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 导入（6 个事件）：同一文件只记录一次/)
      await page.click('#vi-confirm')
      await statusIs(page, 'vi-status', /本次未记录任何内容/)
      expect(await t.eventCount()).toBe(events + 6)
      expect(await revisionOf(t)).toBe(after)
    } finally {
      await page.close()
    }
  })

  it('given an XLSX voucher file, when previewed, then a bad cell is named by its sheet, row and column; fixed, its count and total are the server\'s', async () => {
    const t = await server('fixture')
    const page = await signedIn(t)
    try {
      const workbook = async (amount: number) => {
        const wb = new ExcelJS.Workbook()
        const ws = wb.addWorksheet('四月凭证')
        ws.addRow(['摘要', '日期', '凭证号', '预算行号', '金额（元）'])
        ws.addRow(['办公用品', new Date(Date.UTC(2021, 3, 1)), '记-101', 'basic', 1200.5])
        ws.addRow(['差旅', new Date(Date.UTC(2021, 3, 2)), '记-102', 'p01', amount])
        return file(`凭证-${amount}.xlsx`, new Uint8Array(await wb.xlsx.writeBuffer()))
      }
      const events = await t.eventCount()
      await page.setInputFiles('#vi-file', await workbook(12.345))
      await page.click('#vi-preview-button')
      await page.waitForSelector('#vi-errors:not([hidden])')
      const bad = await badCells(page, 'vi-errors')
      expect(bad.map((r) => r.slice(0, 3))).toEqual([['四月凭证', '3', 'E']])
      expect(bad[0]![3]).toContain('more than a 分')
      await page.setInputFiles('#vi-file', await workbook(99.5))
      await page.click('#vi-preview-button')
      await page.waitForSelector('#vi-preview:not([hidden])')
      expect(await summaryOf(page, 'vi-summary')).toMatchObject({ 凭证行数: '2', '合计金额（元）': '1,300.00' })
      expect(await t.eventCount()).toBe(events)
    } finally {
      await page.close()
    }
  })

  it('given a file of 5,000 vouchers, when previewed and imported on the page, then the page shows the upload, the rows the server has checked (1000 / 5000 … 5000 / 5000) and the writing, and all 5,000 are recorded', async () => {
    const t = await server('fixture')
    const page = await signedIn(t)
    try {
      // Every text the progress line shows, as it is set (a text node each time).
      await page.evaluate(() => {
        window.shown = []
        new window.MutationObserver((records: any[]) => {
          for (const r of records) for (const n of r.addedNodes) window.shown.push(n.textContent)
        }).observe(document.getElementById('vi-progress-text'), { childList: true })
      })
      const shown = async () => {
        const texts: string[] = await page.evaluate(() => window.shown.splice(0))
        return texts.filter((s) => s !== '')
      }
      const events = await t.eventCount()
      await page.setInputFiles('#vi-file', file('五千张.csv', csv(Array.from({ length: 5000 }, (_, i) => `2021-05-01,批-${i},p01,,,,1.00,,,批量`))))
      await page.click('#vi-preview-button')
      await page.waitForSelector('#vi-preview:not([hidden])', { timeout: 60_000 })
      expect(await summaryOf(page, 'vi-summary')).toMatchObject({ 凭证行数: '5000', '合计金额（元）': '5,000.00' })
      const checking = await shown()
      // The upload's own progress first (the browser reports at least its end), then the server's.
      expect(checking.filter((s) => s.startsWith('正在上传 ')).at(-1)).toMatch(/^正在上传 100%（\d+ KB \/ \d+ KB）$/)
      expect(checking.filter((s) => s.startsWith('文件已上传（'))).toHaveLength(1)
      expect(checking.filter((s) => s.startsWith('正在校验'))).toEqual([1000, 2000, 3000, 4000, 5000].map((n) => `正在校验：已校验 ${n} / 5000 行`))
      expect(checking.indexOf(checking.find((s) => s.startsWith('文件已上传'))!)).toBeLessThan(checking.indexOf('正在校验：已校验 1000 / 5000 行'))
      expect(await page.isHidden('#vi-progress-box')).toBe(true)
      expect(await t.eventCount()).toBe(events)

      await page.click('#vi-confirm')
      await statusIs(page, 'vi-status', /^已记录 5000 张凭证，合计 5,000\.00 元/)
      const recording = await shown()
      expect(recording.filter((s) => s.startsWith('正在校验'))).toEqual([1000, 2000, 3000, 4000].map((n) => `正在校验：已校验 ${n} / 5000 行`))
      expect(recording.at(-1)).toBe('已校验 5000 行，正在写入账本…')
      expect(await t.eventCount()).toBe(events + 5000)
    } finally {
      await page.close()
    }
  })

  it('given a dashboard reader, an auditor or a finance token (no person), then the page offers neither import', async () => {
    const t = await server('fixture')
    for (const role of ['dashboard', 'auditor', 'finance'] as const) {
      await rig.context.clearCookies()
      const page = await rig.context.newPage()
      try {
        await page.goto(`${t.url}/#token=${TOKENS[role]}`)
        await ready(page)
        expect(await page.isHidden('#budget-import-panel'), role).toBe(true)
        expect(await page.isHidden('#voucher-import-panel'), role).toBe(true)
      } finally {
        await page.evaluate(() => localStorage.clear())
        await page.close()
      }
    }
  })
})
