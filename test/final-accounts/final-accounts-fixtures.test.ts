import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cliProcess } from '../support/shells/cli'
import { decodeFinalAccounts, type FinalAccounts, finalAccountsIds, loadFinalAccounts, readFinalAccounts } from '../support/final-accounts/final-accounts-fixture'
import { describeDrift, drifts, footings } from '../support/final-accounts/final-accounts-footings'
import { rateChecks } from '../support/final-accounts/final-accounts-rates'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * What each published 部门决算 kept in test/fixtures/final-accounts says about itself: which of its
 * totals foot and where it drifts. The reproduction tests will name these drifts when the ledger's
 * own tables (which foot exactly) are compared with the documents.
 */


/** A fixture as raw JSON, changed by `edit`: for the decode and checker failure cases. */
const edited = (id: string, edit: (doc: any) => void): unknown => {
  const doc = structuredClone(readFinalAccounts(id)) as any
  edit(doc)
  return doc
}

const messages = (input: unknown): string[] => {
  const decoded = decodeFinalAccounts(input)
  return E.isLeft(decoded) ? decoded.left.map((e) => e.message) : []
}

const decoded = (input: unknown): FinalAccounts => {
  const d = decodeFinalAccounts(input)
  if (E.isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'))
  return d.right
}

/** The drifts of a document, as [table, column, rule, printed, parts sum, drift]. */
const driftsOf = (id: string): string[][] => drifts(loadFinalAccounts(id)).map((f) => [f.table, f.column, f.rule, f.printed, f.computed, f.drift])

/** The rates a document prints that its own printed figures do not give, as [what, printed, computed]. */
const ratesOff = (id: string): string[][] =>
  rateChecks(loadFinalAccounts(id))
    .filter((r) => !r.agrees)
    .map((r) => [r.what, r.printed, r.computed])

const GENERAL = '一般公共预算财政拨款支出决算表'
const BASIC = '一般公共预算财政拨款基本支出决算表'
const SUM_302 = '302 商品和服务支出 = Σ 款 (30201 + 30202 + 30203 + 30204 + 30205 + 30206 + 30207 + 30208 + 30209 + 30211 + 30212 + 30213 + 30214 + 30215 + 30216 + 30217 + 30218 + 30224 + 30225 + 30226 + 30227 + 30228 + 30229 + 30231 + 30239 + 30240 + 30299)'

describe('published 部门决算 fixtures', () => {
  it('given the fixture folder, when every file is decoded, then each names its source, year and 万元, and its id is its file name', () => {
    const ids = finalAccountsIds()
    expect(ids).toEqual(['guangdong-czt-2023', 'putuo-czj-2024', 'putuo-ghzyj-2024', 'putuo-shgzb-2024', 'quxian-nongji-2024', 'urumqi-zwfwzx-2023'])
    for (const id of ids) {
      const doc = loadFinalAccounts(id)
      expect(doc.id).toBe(id)
      expect(doc.source.url).toMatch(/^https?:\/\//)
      expect(doc.amountUnit).toBe('万元')
      expect(doc.tables.length).toBeGreaterThan(0)
    }
  })

  it('given the three 普陀区 2024 documents, when read, then each holds its whole table set, every table transcribed from the table itself', () => {
    for (const id of ['putuo-czj-2024', 'putuo-ghzyj-2024', 'putuo-shgzb-2024']) {
      const doc = loadFinalAccounts(id)
      expect(doc.level).toBe('district')
      expect([...new Set(doc.tables.map((t) => t.title))]).toEqual(doc.tableSet)
      expect(doc.tables.filter((t) => t.coverage !== 'complete').map((t) => `${t.title} ${t.part}`)).toEqual([`${GENERAL} 情况说明`])
      // Every identity that applies could be checked: nothing the rules need is missing.
      expect(footings(doc).filter((f) => f.drift === '')).toEqual([])
    }
  })

  it('given the 普陀区财政局 2024 决算, when footed, then its 类 add up to 0.01 more than every 合计 that sums them, 社会保障和就业 is 0.01 apart between tables and 302 drifts by 0.02', () => {
    expect(footings(loadFinalAccounts('putuo-czj-2024')).length).toBe(284)
    expect(driftsOf('putuo-czj-2024')).toEqual([
      ['收入决算表', '本年收入合计', '合计 = Σ 类 (201 + 208 + 210 + 221)', '2946.25', '2946.26', '-0.01'],
      ['收入决算表', '财政拨款收入', '合计 = Σ 类 (201 + 208 + 210 + 221)', '2940.05', '2940.06', '-0.01'],
      ['支出决算表', '本年支出合计', '合计 = Σ 类 (201 + 208 + 210 + 221)', '2940.05', '2940.06', '-0.01'],
      ['支出决算表', '基本支出', '合计 = Σ 类 (201 + 208 + 210 + 221)', '2336.91', '2336.92', '-0.01'],
      [GENERAL, '合计', '合计 = Σ 类 (201 + 208 + 210 + 221)', '2940.05', '2940.06', '-0.01'],
      [GENERAL, '基本支出', '合计 = Σ 类 (201 + 208 + 210 + 221)', '2336.91', '2336.92', '-0.01'],
      [BASIC, '决算数', '301 工资福利支出 = Σ 款 (30101 + 30102 + 30103 + 30106 + 30107 + 30108 + 30109 + 30110 + 30111 + 30112 + 30113 + 30114 + 30199)', '2082.85', '2082.86', '-0.01'],
      [BASIC, '决算数', SUM_302, '171.07', '171.09', '-0.02'],
      [`${GENERAL} 情况说明`, '年初预算', '合计 = Σ 项 (11 lines)', '2993.92', '2993.93', '-0.01'],
      [`${GENERAL} 情况说明`, '决算数', '合计 = Σ 项 (11 lines)', '2940.05', '2940.06', '-0.01'],
      ['收入支出决算总表 支出 ↔ 支出决算表', '决算数', '社会保障和就业支出 = 208', '326.71', '326.72', '-0.01'],
      ['财政拨款收入支出决算总表 支出 ↔ 一般公共预算财政拨款支出决算表', '一般公共预算财政拨款', '社会保障和就业支出 = 208', '326.71', '326.72', '-0.01'],
    ])
  })

  it('given the 普陀区财政局 document, when its rates are recomputed, then all agree but the share of 一般公共服务支出: printed 71.73%, its figures give 71.65%', () => {
    expect(ratesOff('putuo-czj-2024')).toEqual([['一般公共服务支出 ÷ 合计 (合计)', '71.73', '71.65']])
  })

  it('given the 普陀区规划和自然资源局 2024 决算, when footed, then 城乡社区 and 卫生健康 differ by 0.01 between its tables, 人员经费 by 0.01 from 301 + 303 and 302 by 0.02 from its 款', () => {
    expect(footings(loadFinalAccounts('putuo-ghzyj-2024')).length).toBe(346)
    expect(driftsOf('putuo-ghzyj-2024')).toEqual([
      ['财政拨款收入支出决算总表 支出', '合计', '本年支出合计 = Σ 各项 (24 lines)', '9746.50', '9746.49', '0.01'],
      ['财政拨款收入支出决算总表 支出', '一般公共预算财政拨款', '本年支出合计 = Σ 各项 (24 lines)', '9746.50', '9746.49', '0.01'],
      [GENERAL, 'row 城乡社区支出', '合计 = 基本支出 + 项目支出', '3832.36', '3832.35', '0.01'],
      [GENERAL, 'row 城乡社区管理事务', '合计 = 基本支出 + 项目支出', '1092.80', '1092.79', '0.01'],
      [GENERAL, 'row 行政运行', '合计 = 基本支出 + 项目支出', '1092.80', '1092.79', '0.01'],
      [GENERAL, 'row 合计', '合计 = 基本支出 + 项目支出', '9746.50', '9746.49', '0.01'],
      [BASIC, '决算数', SUM_302, '440.90', '440.88', '0.02'],
      [BASIC, '决算数', '人员经费合计 = 301 + 303', '4884.09', '4884.10', '-0.01'],
      [`${GENERAL} 情况说明`, '年初预算', '合计 = Σ 项 (13 lines)', '10210.34', '10210.33', '0.01'],
      ['收入支出决算总表 支出 ↔ 支出决算表', '决算数', '卫生健康支出 = 210', '236.63', '236.64', '-0.01'],
      ['收入支出决算总表 支出 ↔ 支出决算表', '决算数', '城乡社区支出 = 212', '3845.25', '3845.24', '0.01'],
      ['财政拨款收入支出决算总表 支出 ↔ 一般公共预算财政拨款支出决算表', '一般公共预算财政拨款', '卫生健康支出 = 210', '236.63', '236.64', '-0.01'],
    ])
  })

  it('given the 普陀区规划和自然资源局 document, when its rates are recomputed, then only the headline 完成年初预算 disagrees: printed 95.45%, half-up gives 95.46% (it truncates)', () => {
    expect(ratesOff('putuo-ghzyj-2024')).toEqual([['合计 决算数 ÷ 年初预算', '95.45', '95.46']])
  })

  it('given the 区委社会工作部 2024 决算 (a unit founded in 2024), when footed, then 302 drifts by 0.01 from its 款 and 人员 + 公用 经费 by 0.01 from 基本支出', () => {
    expect(footings(loadFinalAccounts('putuo-shgzb-2024')).length).toBe(276)
    expect(driftsOf('putuo-shgzb-2024')).toEqual([
      [BASIC, '决算数', SUM_302, '10.23', '10.22', '0.01'],
      [`${BASIC} ↔ ${GENERAL}`, '决算数 ↔ 基本支出', '人员经费合计 + 公用经费合计 = 基本支出', '105.58', '105.59', '-0.01'],
    ])
  })

  it('given the 区委社会工作部 document, when its rates are recomputed, then 完成年初预算 95.89% has a 年初预算 of 0, growth 100.00% has a base of 0, and the last share is 9.55% where its figures give 9.56%', () => {
    expect(ratesOff('putuo-shgzb-2024')).toEqual([
      ['合计 决算数 ÷ 年初预算', '95.89', ''],
      ['住房保障支出 ÷ 合计 (合计)', '9.55', '9.56'],
      ['总计 决算数 against 2023年度 (change 307.82)', '100.00', ''],
    ])
  })

  it('given the 乌鲁木齐市政务服务中心 2023 决算, when its 收入支出决算总表 is footed, then each side drifts by 0.01 万元 while 收入 总计 equals 支出 总计', () => {
    const fs = footings(loadFinalAccounts('urumqi-zwfwzx-2023')).map((f) => [f.rule, f.printed, f.computed, f.drift])
    expect(fs).toEqual([
      ['总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余', '434.72', '434.71', '0.01'],
      ['总计 = 本年支出合计 + 结余分配 + 年末结转和结余', '434.72', '434.71', '0.01'],
      ['支出 总计 = 收入 总计', '434.72', '434.72', '0.00'],
    ])
    expect(describeDrift(drifts(loadFinalAccounts('urumqi-zwfwzx-2023'))[0]!)).toBe(
      '收入支出决算总表 收入 决算数: 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 — printed 434.72, parts sum to 434.71, differs by 0.01 万元',
    )
    expect(ratesOff('urumqi-zwfwzx-2023')).toEqual([])
  })

  it('given the 广东省财政厅 2023 三公 table, when footed, then 合计 and 公务用车购置及运行维护费 foot exactly in both 预算数 and 决算数', () => {
    const fs = footings(loadFinalAccounts('guangdong-czt-2023'))
    expect(fs.map((f) => [f.column, f.rule, f.printed, f.drift])).toEqual([
      ['预算数', '合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费', '84.82', '0.00'],
      ['预算数', '公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费', '29.60', '0.00'],
      ['决算数', '合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费', '62.07', '0.00'],
      ['决算数', '公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费', '27.46', '0.00'],
    ])
  })

  it('given the 广东省财政厅 document, when its rates are recomputed from its printed figures, then all agree but the 公务接待费 growth: printed 1,055.4%, the printed figures give 1052.6%', () => {
    expect(rateChecks(loadFinalAccounts('guangdong-czt-2023'))).toHaveLength(13)
    expect(ratesOff('guangdong-czt-2023')).toEqual([['公务接待费 决算数 against 上年 (change 20.63)', '1,055.4', '1052.6']])
  })

  it('given the 渠县 2024 决算 of which only the totals were retrieved, when footed, then 收入 总计 equals 支出 总计 and each side is left unchecked, naming the rows it lacks', () => {
    const fs = footings(loadFinalAccounts('quxian-nongji-2024'))
    expect(fs.map((f) => [f.rule, f.drift, f.missing.length])).toEqual([
      ['总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余', '', 3],
      ['总计 = 本年支出合计 + 结余分配 + 年末结转和结余', '', 3],
      ['支出 总计 = 收入 总计', '0.00', 0],
    ])
    expect(fs[0]!.missing[0]).toBe('收入支出决算总表 收入: 本年收入合计 (决算数)')
  })

  it('given the 渠县 table set, when set beside the nine tables of the issue, then it adds five provincial tables and prints 基本支出 as a 明细表', () => {
    const nine = loadFinalAccounts('putuo-czj-2024').tableSet
    const set = loadFinalAccounts('quxian-nongji-2024').tableSet
    expect(set.filter((title) => !nine.includes(title))).toEqual([
      '财政拨款支出决算明细表',
      '一般公共预算财政拨款支出决算明细表',
      '一般公共预算财政拨款基本支出决算明细表',
      '一般公共预算财政拨款项目支出决算表',
      '国有资本经营预算财政拨款支出决算表',
    ])
    expect(nine.filter((title) => !set.includes(title))).toEqual(['一般公共预算财政拨款基本支出决算表'])
  })

  it('given a printed figure changed by 0.01, when footed, then the drift follows the figure: the checker adds, it does not remember', () => {
    const doc = decoded(
      edited('urumqi-zwfwzx-2023', (d) => {
        d.tables[0].rows[2].cells[0] = '0.56'
      }),
    )
    expect(footings(doc).map((f) => f.drift)).toEqual(['0.00', '0.01', '0.00'])
    const fixed = decoded(
      edited('putuo-czj-2024', (d) => {
        const table = d.tables.find((t: any) => t.title === '支出决算表')
        table.rows.find((r: any) => r.code === '208').cells[0] = '326.71'
      }),
    )
    expect(drifts(fixed).filter((f) => f.table === '支出决算表').map((f) => f.column)).toEqual(['row 社会保障和就业支出', '基本支出', '本年支出合计'])
  })

  it('given a function-coded table, when footed, then 合计 is checked against its 类, each 类 against its 款 and each 款 against its 项, naming the drift', () => {
    const doc = decoded(
      edited('urumqi-zwfwzx-2023', (d) => {
        d.tables = [
          {
            title: '支出决算表',
            coverage: 'complete',
            columns: ['基本支出', '项目支出'],
            rows: [
              { code: null, label: '合计', cells: ['60.01', '40.00'] },
              { code: '201', label: '一般公共服务支出', cells: ['50.00', '40.00'] },
              { code: '20103', label: '政府办公厅（室）及相关机构事务', cells: ['50.00', '40.00'] },
              { code: '2010301', label: '行政运行', cells: ['50.00', null] },
              { code: '2010399', label: '其他政府办公厅（室）及相关机构事务支出', cells: [null, '39.99'] },
              { code: '208', label: '社会保障和就业支出', cells: ['10.00', null] },
            ],
          },
        ]
        d.statedRates = []
      }),
    )
    expect(footings(doc).map((f) => [f.rule, f.column, f.drift])).toEqual([
      ['合计 = Σ 类 (201 + 208)', '基本支出', '0.01'],
      ['合计 = Σ 类 (201 + 208)', '项目支出', '0.00'],
      ['201 一般公共服务支出 = Σ 款 (20103)', '基本支出', '0.00'],
      ['201 一般公共服务支出 = Σ 款 (20103)', '项目支出', '0.00'],
      ['20103 政府办公厅（室）及相关机构事务 = Σ 项 (2010301 + 2010399)', '基本支出', '0.00'],
      ['20103 政府办公厅（室）及相关机构事务 = Σ 项 (2010301 + 2010399)', '项目支出', '0.01'],
    ])
  })
})

describe('decoding a 部门决算 fixture', () => {
  it('given a figure typed as a JSON number, when decoded, then the error names the cell and asks for the printed string', () => {
    const input = edited('urumqi-zwfwzx-2023', (d) => {
      d.tables[0].rows[3].cells[0] = 434.72
    })
    expect(messages(input)).toEqual([
      'tables[0].rows[3].cells[0]: expected a figure as printed, as a string (e.g. "434.72", "29.6", "1,055.4") or null, got 434.72',
    ])
  })

  it('given a decimal comma, when decoded, then the error names the cell', () => {
    const input = edited('guangdong-czt-2023', (d) => {
      d.tables[0].rows[5].cells[1] = '22,59'
    })
    expect(messages(input)).toEqual([
      'tables[0].rows[5].cells[1]: expected a figure as printed, as a string (e.g. "434.72", "29.6", "1,055.4") or null, got "22,59"',
    ])
  })

  it('given a row with one cell too few, when decoded, then the error names the table, the row and the columns it needs', () => {
    const input = edited('guangdong-czt-2023', (d) => {
      d.tables[0].rows[1].cells = ['12.02']
    })
    expect(messages(input)).toEqual([
      `tables[0].rows[1].cells: 财政拨款“三公”经费支出决算表 row 因公出国（境）费 has 1 cells, expected 2 cells (预算数, 决算数)`,
    ])
  })

  it('given a misspelt field, an amount in 元 and a code of 4 digits, when decoded, then each is named by its path', () => {
    const input = edited('urumqi-zwfwzx-2023', (d) => {
      d.amountUnit = '元'
      d.tables[0].rows[0].code = '2010'
      d.source.retreived = d.source.retrieved
    })
    expect(messages(input)).toEqual([
      'amountUnit: expected "万元", got "元"',
      'source.retreived: no such field (known fields: url, copyOf, retrieved, via, retrievedPart)',
      'tables[0].rows[0].code: expected a code of 3, 5 or 7 digits (e.g. "2010301") or null, got "2010"',
    ])
  })
})

describe('the 年初预算 of a published 决算 through the existing import', () => {
  const BUDGET_FILE = path.resolve(__dirname, '../fixtures/final-accounts/budget-files/putuo-czj-2024.json')
  let db: ReturnType<typeof tempDb>
  beforeEach(() => {
    db = tempDb('final-accounts-')
  })
  afterEach(() => db.remove())

  it('given the 普陀区财政局 budget file built from its 情况说明, when imported by the CLI and table 5 is read, then every 项 is the document\'s 年初预算 to the 分 and the 合计 shows the document\'s 0.01 drift', async () => {
    const stated = loadFinalAccounts('putuo-czj-2024').tables.find((t) => t.part === '情况说明')!
    const budget = JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as {
      amountUnit: string
      lines: Array<{ functionCode: string; amount?: string; basicAmount?: string; projectAmount?: string }>
    }
    // The budget file is the fixture's figures in 万元 as printed, not a second transcription; a
    // mixed 项's two parts add up to its printed 年初预算.
    const published = stated.rows.filter((r) => r.code !== null).map((r) => [r.code, r.cells[0]])
    const amountOf = (l: (typeof budget.lines)[number]) => l.amount ?? new Decimal(l.basicAmount!).plus(l.projectAmount!).toFixed(2)
    expect(budget.amountUnit).toBe('万元')
    expect(budget.lines.map((l) => [l.functionCode, amountOf(l)])).toEqual(published)

    const imported = await cliProcess(['--db', db.path, 'import', BUDGET_FILE])
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    const table = await cliProcess(['--db', db.path, 'table', '5', '--unit', '000001', '--year', '2024', '--format', 'json'])
    expect(table.code).toBe(0)
    const rows = (JSON.parse(table.stdout) as { rows: string[][] }).rows
    const byCode = new Map(rows.map((r) => [r[0]!.trim(), r[2]!]))
    for (const r of stated.rows.filter((x) => x.code !== null)) expect([r.code, byCode.get(r.code!)]).toEqual([r.code, r.cells[0]])

    const ledgerTotal = rows.find((r) => r[1] === '合计')![2]!
    const drift = drifts(loadFinalAccounts('putuo-czj-2024')).find((f) => f.table.endsWith('情况说明') && f.column === '年初预算')!
    expect([stated.rows[0]!.cells[0], ledgerTotal]).toEqual(['2993.92', '2993.93'])
    expect(new Decimal(stated.rows[0]!.cells[0]!).minus(ledgerTotal).toFixed(2)).toBe(drift.drift)
  })
})
