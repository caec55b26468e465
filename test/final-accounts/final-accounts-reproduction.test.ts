import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { agrees, type Compared, compareDocument, compareRates, showMismatch } from '../support/final-accounts/final-accounts-comparison'
import { FINAL_ACCOUNTS_DIR, loadFinalAccounts } from '../support/final-accounts/final-accounts-fixture'
import { finalReportOf, finalTablesOf, type RecordingPlan, recordDocument } from '../support/final-accounts/final-accounts-recording'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * Issue 13's acceptance: three published 2024 部门决算 of 普陀区 (test/fixtures/final-accounts/),
 * recorded through the CLI as a finance user would, and every cell of their nine tables set beside
 * the ledger's (test/support/final-accounts/final-accounts-comparison.ts). The ledger foots exactly; where the
 * document does not, the cells that differ are listed here, each with the drift of the document's
 * own arithmetic that the fixture README names (quoted from it, and checked to be there).
 */

const README = readFileSync(path.join(FINAL_ACCOUNTS_DIR, 'README.md'), 'utf8')
/** The README's words without emphasis and line breaks, so a quoted drift can be looked up. */
const readmeText = README.replace(/\*\*/g, '').replace(/\s+/g, ' ')
const budgetFile = (id: string) => path.join(FINAL_ACCOUNTS_DIR, 'budget-files', `${id}.json`)

/** A cell the ledger prints otherwise than the document, and the README's words for why. */
type Drift = readonly [mismatch: string, readme: string]

/** Every table cell of the document, then its 情况说明's 完成率, shares and growth rates, against the ledger's 情况说明. */
const reproduce = async (db: string, id: string, plan: RecordingPlan): Promise<{ cells: Compared[]; rates: Compared[] }> => {
  await recordDocument(db, plan)
  const doc = loadFinalAccounts(id)
  const tables = await finalTablesOf(db, plan.unit, plan.year)
  return { cells: compareDocument(doc, tables), rates: compareRates(doc, tables, await finalReportOf(db, plan.unit, plan.year)) }
}

const expectDrifts = (compared: ReadonlyArray<Compared>, drifts: ReadonlyArray<Drift>) => {
  expect(compared.filter((c) => !agrees(c)).map(showMismatch)).toEqual(drifts.map(([m]) => m))
  for (const [, why] of drifts) expect(readmeText).toContain(why)
}

/** How many cells were compared, how many of them print a figure (not blank), how many agree. */
const tally = (compared: ReadonlyArray<Compared>) => ({
  cells: compared.length,
  printed: compared.filter((c) => c.printed !== null).length,
  exact: compared.filter(agrees).length,
})

let db: ReturnType<typeof tempDb>
beforeEach(() => {
  db = tempDb('final-accounts-')
})
afterEach(() => db.remove())

/**
 * 区委社会工作部 2024: 年初预算 0, every 项's 全年预算 added in the year (追加), 307.82 spent, and
 * the 13.20 left unspent taken back (收回). The 项 × economic split is not published: the vouchers
 * below are one split that gives every printed margin (表五 by 项, 表六 by 款).
 */
const SHGZB: RecordingPlan = {
  budgetFile: budgetFile('putuo-shgzb-2024'),
  unit: '000002',
  year: 2024,
  additions: [
    ['s2013901', '52.00'],
    ['s2013950', '17.68'],
    ['s2013999', '202.24'],
    ['s2080505', '9.00'],
    ['s2080506', '5.74'],
    ['s2101101', '2.23'],
    ['s2101102', '2.29'],
    ['s2210201', '18.12'],
    ['s2210203', '11.72'],
  ],
  vouchers: [
    ['s2080505', '30108', '6.18'],
    ['s2080506', '30109', '4.64'],
    ['s2101101', '30110', '2.22'],
    ['s2101102', '30110', '0.49'],
    ['s2210201', '30113', '17.70'],
    ['s2210203', '30102', '11.72'],
    ['s2013950', '30107', '10.16'],
    ['s2013950', '30211', '1.15'],
    ['s2013901', '30101', '14.12'],
    ['s2013901', '30102', '28.00'],
    ['s2013901', '30112', '0.09'],
    ['s2013901', '30199', '0.04'],
    ['s2013901', '30201', '3.78'],
    ['s2013901', '30213', '0.02'],
    ['s2013901', '30226', '0.68'],
    ['s2013901', '30227', '0.48'],
    ['s2013901', '30229', '1.48'],
    ['s2013901', '30239', '2.43'],
    ['s2013901', '30299', '0.20'],
    // project spending is not in 表六: its economic code is a choice
    ['s2013999', '30227', '202.24'],
  ],
  close: { carry: [], recover: ['s2013901', 's2013950', 's2080505', 's2080506', 's2101101', 's2101102', 's2210201'] },
}

describe('区委社会工作部 2024 部门决算 (putuo-shgzb-2024), recorded through the CLI', () => {
  it('given its budget file at 0, 追加 to 321.02, vouchers of 307.82 and 13.20 收回 at the close, when its nine 决算 tables are set beside the document, then every cell agrees but the two the document’s 302 drift explains', async () => {
    const { cells: compared, rates } = await reproduce(db.path, 'putuo-shgzb-2024', SHGZB)
    expectDrifts(compared, [
      ['一般公共预算财政拨款基本支出决算表 | 302 | 决算数 | 10.23 → 10.22', '302 is 10.23 against Σ 款 10.22'],
      ['一般公共预算财政拨款基本支出决算表 | 公用经费合计 | 决算数 | 10.23 → 10.22', '人员经费 95.36 + 公用经费 10.23 = 105.59 against 基本支出 105.58'],
    ])
    expect(tally(compared)).toEqual({ cells: 576, printed: 226, exact: 574 })
    // Rates of the 情况说明: the ledger leaves 为年初预算的 blank where 年初预算 is 0, and gives no
    // growth over last year's 0 (the budget file records the 2023 收入支出总计 the document states:
    // 307.82 − 307.82); its 类 shares are rounded each on its own, not forced to add to 100.00.
    expectDrifts(rates, [
      ['一般公共预算财政拨款支出决算表 情况说明 | 合计 | 完成年初预算 | 95.89 → (none)', '完成年初预算 95.89% has a 年初预算 of 0 (it is 307.82 ÷ 321.02, the 全年预算)'],
      ['一般公共预算财政拨款支出决算表 情况说明 | 住房保障支出 | 占合计（合计） | 9.55 → 9.56', 'The last 类 share is 9.55% where 29.42 ÷ 307.82 gives 9.56%'],
      ['收入支出决算总表 情况说明 | 总计 | 增长率（与2023年度相比） | 100.00 → (none)', 'The growth of 100.00% is over a base of 0.'],
    ])
    expect(tally(rates)).toEqual({ cells: 9, printed: 9, exact: 6 })
  })
})

/**
 * 普陀区财政局 2024, as one unit (its two 所属单位 have no budget of their own). 年初预算 by 项 from
 * the budget file; 年初结转和结余 21.63 财政拨款 + 27.51 other money, and 其他收入 6.20 (2010601 0.01,
 * 2010602 6.19), none of it spent and all of it carried over; 2,940.05 spent from the 年初预算, whose
 * unspent 53.87 is 收回. The document does not say which 项 holds the carried-in money: 2010602
 * 一般行政管理事务 is chosen (any 项 gives the same printed margins, as it is not spent). The 项 ×
 * economic split is not published: the vouchers are one split that gives every printed margin, but
 * one: the document's 302 款 add to 0.02 more than its 302 and its 基本支出, so 30299 carries 0.02
 * less than printed (11.51) for the 款 to add up to the 基本支出 of the 项.
 */
const CZJ: RecordingPlan = {
  budgetFile: budgetFile('putuo-czj-2024'),
  unit: '000001',
  year: 2024,
  allocations: [
    { line: 'cf-fiscal', kind: 'project', functionCode: '2010602', fundSource: 'carriedForward', carriedFundSource: 'general.appropriation', projectName: '一般行政管理事务（上年结转）', amount: '21.63' },
    { line: 'cf-other', kind: 'project', functionCode: '2010602', fundSource: 'carriedForward', carriedFundSource: 'otherIncome', projectName: '一般行政管理事务（上年结转）', amount: '27.51' },
    { line: 'o2010601', kind: 'basic', functionCode: '2010601', fundSource: 'otherIncome', amount: '0.01' },
    { line: 'o2010602', kind: 'project', functionCode: '2010602', fundSource: 'otherIncome', projectName: '一般行政管理事务', amount: '6.19' },
  ],
  earmarks: [['threePublic.reception', '0.95']],
  vouchers: [
    ['x2080505', '30108', '160.75'],
    ['x2080506', '30109', '80.38'],
    ['x2101101', '30110', '60.99'],
    ['x2210201', '30113', '187.19'],
    ['x2080501', '30302', '69.10'],
    ['x2080501', '30309', '0.31'],
    ['x2080501', '30102', '15.24'],
    ['x2080599', '30112', '0.94'],
    ['x2210203', '30102', '258.50'],
    ['x2010601.basic', '30101', '262.33'],
    ['x2010601.basic', '30102', '964.84'],
    ['x2010601.basic', '30112', '0.67'],
    ['x2010601.basic', '30199', '91.03'],
    ['x2010601.basic', '30201', '21.21'],
    ['x2010601.basic', '30202', '7.61'],
    ['x2010601.basic', '30204', '0.09'],
    ['x2010601.basic', '30207', '4.88'],
    ['x2010601.basic', '30211', '1.20'],
    ['x2010601.basic', '30213', '2.83'],
    ['x2010601.basic', '30216', '4.05'],
    ['x2010601.basic', '30226', '2.01'],
    ['x2010601.basic', '30228', '24.42'],
    ['x2010601.basic', '30229', '42.77'],
    ['x2010601.basic', '30239', '48.49'],
    ['x2010601.basic', '30299', '11.51'],
    ['x2010601.basic', '31002', '13.58'],
    // project spending is not in 表六: its economic codes are a choice
    ['x2010601.project', '30299', '8.37'],
    ['x2010602', '30299', '10.00'],
    ['x2010607', '31007', '135.25'],
    ['x2010608', '30227', '449.52'],
  ],
  close: {
    carry: ['cf-fiscal', 'cf-other', 'o2010601', 'o2010602'],
    recover: ['x2010601.basic', 'x2010601.project', 'x2010602', 'x2010607', 'x2010608', 'x2080501', 'x2080505', 'x2080506', 'x2080599', 'x2101101', 'x2210201', 'x2210203'],
  },
}

describe('普陀区财政局 2024 部门决算 (putuo-czj-2024), recorded through the CLI', () => {
  it('given its budget file in 万元, carried-in and 其他收入 lines, vouchers of 2,940.05, a 三公 budget and 53.87 收回 at the close, when its nine 决算 tables are set beside the document, then every cell agrees but those its named drifts explain', async () => {
    const { cells: compared, rates } = await reproduce(db.path, 'putuo-czj-2024', CZJ)
    // Every 合计 over the 类 (and what adds it: 总计, 财政拨款 本年收入) is 0.01 above the printed
    // one; 208 is 0.01 apart between the 总表 and the detail tables; 301 and 302 do not add their
    // 款 (人员经费合计 = 301 + 303 carries the first; 30299 carries the second, see CZJ).
    const SUM_OF_CLASSES = 'every 合计 over the 类 is 0.01 below the sum of its 类'
    expectDrifts(compared, [
      ['收入支出决算总表 收入 | 一、一般公共预算财政拨款收入 | 决算数 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['收入支出决算总表 收入 | 本年收入合计 | 决算数 | 2,946.25 → 2946.26', SUM_OF_CLASSES],
      ['收入支出决算总表 收入 | 总计 | 决算数 | 2,995.39 → 2995.40', SUM_OF_CLASSES],
      ['收入支出决算总表 支出 | 八、社会保障和就业支出 | 决算数 | 326.71 → 326.72', '社会保障和就业支出 is 326.71 in both 总表 and 326.72 (208) in the detail tables'],
      ['收入支出决算总表 支出 | 本年支出合计 | 决算数 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['收入支出决算总表 支出 | 总计 | 决算数 | 2,995.39 → 2995.40', SUM_OF_CLASSES],
      ['收入决算表 | 合计 | 本年收入合计 | 2,946.25 → 2946.26', SUM_OF_CLASSES],
      ['收入决算表 | 合计 | 财政拨款收入 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['支出决算表 | 合计 | 本年支出合计 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['支出决算表 | 合计 | 基本支出 | 2,336.91 → 2336.92', SUM_OF_CLASSES],
      ['财政拨款收入支出决算总表 收入 | 一、一般公共预算财政拨款 | 决算数 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['财政拨款收入支出决算总表 收入 | 本年收入合计 | 决算数 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['财政拨款收入支出决算总表 收入 | 总计 | 决算数 | 2,961.68 → 2961.69', SUM_OF_CLASSES],
      ['财政拨款收入支出决算总表 支出 | 八、社会保障和就业支出 | 合计 | 326.71 → 326.72', '社会保障和就业支出 is 326.71 in both 总表 and 326.72 (208) in the detail tables'],
      ['财政拨款收入支出决算总表 支出 | 八、社会保障和就业支出 | 一般公共预算财政拨款 | 326.71 → 326.72', '社会保障和就业支出 is 326.71 in both 总表 and 326.72 (208) in the detail tables'],
      ['财政拨款收入支出决算总表 支出 | 本年支出合计 | 合计 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['财政拨款收入支出决算总表 支出 | 本年支出合计 | 一般公共预算财政拨款 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['财政拨款收入支出决算总表 支出 | 总计 | 合计 | 2,961.68 → 2961.69', SUM_OF_CLASSES],
      ['财政拨款收入支出决算总表 支出 | 总计 | 一般公共预算财政拨款 | 2,961.68 → 2961.69', SUM_OF_CLASSES],
      ['一般公共预算财政拨款支出决算表 | 合计 | 合计 | 2,940.05 → 2940.06', SUM_OF_CLASSES],
      ['一般公共预算财政拨款支出决算表 | 合计 | 基本支出 | 2,336.91 → 2336.92', SUM_OF_CLASSES],
      ['一般公共预算财政拨款支出决算表 情况说明 | 合计 | 年初预算 | 2993.92 → 2993.93', "The 情况说明's 年初预算 by 项 add to 2,993.93 against a printed 2,993.92"],
      ['一般公共预算财政拨款支出决算表 情况说明 | 合计 | 决算数 | 2940.05 → 2940.06', SUM_OF_CLASSES],
      ['一般公共预算财政拨款基本支出决算表 | 301 | 决算数 | 2,082.85 → 2082.86', '301 工资福利支出 is 2,082.85 against Σ 款 2,082.86'],
      ['一般公共预算财政拨款基本支出决算表 | 30299 | 决算数 | 11.53 → 11.51', '302 商品和服务支出 is 171.07 against Σ 款 171.09 (0.02)'],
      ['一般公共预算财政拨款基本支出决算表 | 人员经费合计 | 决算数 | 2,152.26 → 2152.27', '301 工资福利支出 is 2,082.85 against Σ 款 2,082.86'],
    ])
    expect(tally(compared)).toEqual({ cells: 601, printed: 219, exact: 575 })
    // 完成年初预算 98.20%, the 三公 完成率 0 and the three growths over the 2023 决算 (recorded with
    // the year as the document states them, this year's figure less the printed change) are the
    // ledger's, though its 总计 and 一般公共预算 合计 are 0.01 above the printed ones.
    expectDrifts(rates, [
      ['一般公共预算财政拨款支出决算表 情况说明 | 一般公共服务支出 | 占合计（合计） | 71.73 → 71.65', 'Its share of 一般公共服务支出 is printed 71.73%, and its own figures give 71.65%'],
      ['收入决算表 情况说明 | 合计 | 占合计（本年收入合计） | 100.00 → (none)', 'The 收入决算表 share of 100.00% is of 本年收入合计 in itself'],
    ])
    expect(tally(rates)).toEqual({ cells: 10, printed: 10, exact: 8 })
  })
})

/**
 * 普陀区规划和自然资源局 2024, as one unit: its five units' split is not published. 年初预算 by 项,
 * the 上年结转 line of 112.88 (other money, on 2120101) and the 三公 budgets come with the budget
 * file; 9,746.50 is spent from the 年初预算 and 12.88 from the carried-in money; 100.00 is carried
 * over and the unspent 年初预算 (463.83 on the ledger's exact 项) is 收回. The 项 × economic split is
 * not published: the vouchers are one split that gives every printed margin, but where the
 * document's own figures disagree. 2120101's basic spending is 1,084.03: what 表三 prints (1,096.91)
 * less the 12.88 spent from the carry-in, and what 表五's 合计 (1,092.80) less its 项目 (8.77) gives,
 * where 表五 prints 1,084.02. The 302 款 add to 0.02 less than 302 and than the 基本支出 of the 项:
 * 30299 carries the 0.02 (28.88). 30110 is 236.63 as printed; 2101102's remaining 0.01 is 30112's.
 */
const GHZYJ: RecordingPlan = {
  budgetFile: budgetFile('putuo-ghzyj-2024'),
  unit: '000003',
  year: 2024,
  vouchers: [
    ['g2080505', '30108', '446.11'],
    ['g2080506', '30109', '225.12'],
    ['g2101101', '30110', '40.35'],
    ['g2101102', '30110', '196.28'],
    ['g2101102', '30112', '0.01'],
    ['g2210201', '30113', '289.59'],
    ['g2080501', '30302', '54.53'],
    ['g2080502', '30302', '13.43'],
    ['g2080502', '30199', '14.68'],
    ['g2080599', '30199', '0.88'],
    ['g2210203', '30102', '171.49'],
    ['g2120101.basic', '30217', '0.39', 'reception'],
    ['g2120101.basic', '30101', '537.64'],
    ['g2120101.basic', '30102', '546.00'],
    ['g2120201.basic', '30102', '270.37'],
    ['g2120201.basic', '30107', '218.31'],
    ['g2200150.basic', '30107', '1375.71'],
    ['g2200150.basic', '30112', '17.93'],
    ['g2200150.basic', '30199', '465.67'],
    ['g2200150.basic', '30201', '84.62'],
    ['g2200150.basic', '30204', '0.08'],
    ['g2200150.basic', '30205', '0.92'],
    ['g2200150.basic', '30206', '18.86'],
    ['g2200150.basic', '30207', '8.05'],
    ['g2200150.basic', '30209', '82.20'],
    ['g2200150.basic', '30211', '1.50'],
    ['g2200150.basic', '30213', '29.65'],
    ['g2200150.basic', '30216', '1.21'],
    ['g2200150.basic', '30226', '2.40'],
    ['g2200150.basic', '30227', '19.16'],
    ['g2200150.basic', '30228', '56.29'],
    ['g2200150.basic', '30229', '73.19'],
    ['g2200150.basic', '30239', '33.50'],
    ['g2200150.basic', '30299', '28.88'],
    ['g2200150.basic', '31002', '39.76'],
    // spending from the carried-in other money, and project spending, are not in 表六: their economic codes are a choice
    ['g-carried', '30299', '12.88'],
    ['g2120101.project', '30227', '8.77'],
    ['g2120201.project', '30227', '2250.88'],
    ['g2200150.project', '30227', '2077.09'],
    ['g2200199', '30227', '45.00'],
  ],
  close: {
    carry: ['g-carried'],
    recover: [
      'g2080501', 'g2080502', 'g2080505', 'g2080506', 'g2080599', 'g2101101', 'g2101102', 'g2120101.basic', 'g2120101.project',
      'g2120201.basic', 'g2120201.project', 'g2200150.basic', 'g2200150.project', 'g2200199', 'g2210201', 'g2210203',
    ],
  },
}

describe('普陀区规划和自然资源局 2024 部门决算 (putuo-ghzyj-2024), recorded through the CLI', () => {
  it('given its budget file in 万元 with three mixed 项, a carried-in line of other money and its 三公 budgets, vouchers of 9,746.50 + 12.88 and 收回 at the close, when its nine 决算 tables are set beside the document, then every cell agrees but those its named drifts explain', async () => {
    const { cells: compared, rates } = await reproduce(db.path, 'putuo-ghzyj-2024', GHZYJ)
    // 表五's 基本支出 is 0.01 low on 2120101 and what adds it (see GHZYJ); the ledger prints the
    // two renamed 项 of the 情况说明 under their codes (2080599, 2200199), which 表五 compares.
    const HEALTH = '卫生健康支出 is 236.63 in both 总表 and 236.64 (210) in the detail tables'
    const BASIC_PLUS_PROJECT = 'In the 一般公共预算 table, 合计 = 基本 + 项目 fails by 0.01 on 212, 21201, 2120101 and the 合计 row'
    const RENAMED = 'The text also names two 项 differently from the tables'
    expectDrifts(compared, [
      ['收入支出决算总表 支出 | 九、卫生健康支出 | 决算数 | 236.63 → 236.64', HEALTH],
      ['收入支出决算总表 支出 | 十一、城乡社区支出 | 决算数 | 3845.25 → 3845.24', '城乡社区支出 is 3,845.25 in the 总表 and 3,845.24 in the 支出决算表'],
      ['财政拨款收入支出决算总表 支出 | 九、卫生健康支出 | 合计 | 236.63 → 236.64', HEALTH],
      ['财政拨款收入支出决算总表 支出 | 九、卫生健康支出 | 一般公共预算财政拨款 | 236.63 → 236.64', HEALTH],
      ['一般公共预算财政拨款支出决算表 | 212 | 基本支出 | 1572.70 → 1572.71', BASIC_PLUS_PROJECT],
      ['一般公共预算财政拨款支出决算表 | 21201 | 基本支出 | 1084.02 → 1084.03', BASIC_PLUS_PROJECT],
      ['一般公共预算财政拨款支出决算表 | 2120101 | 基本支出 | 1084.02 → 1084.03', BASIC_PLUS_PROJECT],
      ['一般公共预算财政拨款支出决算表 | 合计 | 基本支出 | 5364.75 → 5364.76', BASIC_PLUS_PROJECT],
      ['一般公共预算财政拨款支出决算表 情况说明 | 合计 | 年初预算 | 10210.34 → 10210.33', 'The 年初预算 by 项 add to 10,210.33 against a printed 10,210.34'],
      ['一般公共预算财政拨款支出决算表 情况说明 | 机关事业单位退休人员活动费支出 | 年初预算 | 0.88 → (none)', RENAMED],
      ['一般公共预算财政拨款支出决算表 情况说明 | 机关事业单位退休人员活动费支出 | 决算数 | 0.88 → (none)', RENAMED],
      ['一般公共预算财政拨款支出决算表 情况说明 | 其他国土资源事务支出 | 年初预算 | 45.00 → (none)', RENAMED],
      ['一般公共预算财政拨款支出决算表 情况说明 | 其他国土资源事务支出 | 决算数 | 45.00 → (none)', RENAMED],
      ['一般公共预算财政拨款基本支出决算表 | 30299 | 决算数 | 28.86 → 28.88', '302 is 440.90 against Σ 款 440.88 (0.02)'],
      ['一般公共预算财政拨款基本支出决算表 | 人员经费合计 | 决算数 | 4884.09 → 4884.10', '人员经费合计 4,884.09 is 0.01 below 301 + 303'],
    ])
    expect(tally(compared)).toEqual({ cells: 676, printed: 336, exact: 661 })
    expectDrifts(rates, [
      ['一般公共预算财政拨款支出决算表 情况说明 | 合计 | 完成年初预算 | 95.45 → 95.46', 'while 9,746.50 ÷ 10,210.34 rounds half-up to 95.46% (the document truncates)'],
      ['一般公共预算财政拨款支出决算表 情况说明 | 机关事业单位退休人员活动费支出 | 完成年初预算 | 100.00 → (none)', RENAMED],
      ['一般公共预算财政拨款支出决算表 情况说明 | 其他国土资源事务支出 | 完成年初预算 | 100.00 → (none)', RENAMED],
    ])
    // Its 类 shares, and its three growths over the 2023 决算 the budget file records as the document
    // states them (总计, 财政拨款 总计, 三公 合计), are the ledger's.
    expect(tally(rates)).toEqual({ cells: 24, printed: 24, exact: 21 })
  })
})
