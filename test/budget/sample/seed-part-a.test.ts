import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BudgetFile, budgetFileCommands } from '../../../src/domain/budget-file/budget-file'
import { decode } from '../../../src/domain/codecs/decode'
import { toWan } from '../../../src/domain/money/money'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import { ledgerProblems } from '../../../projections/consistency'
import { fiscalAppropriationSummary } from '../../../projections/budget-tables/fiscal-appropriation-summary'
import { generalBudgetExpenditure } from '../../../projections/budget-tables/general-budget-expenditure'
import { incomeExpenditureSummary } from '../../../projections/budget-tables/income-expenditure-summary'
import { TABLES } from '../../../projections/index'
import { toJson } from '../../../projections/render'
import { renderReport, reportFigures } from '../../../projections/report'
import { given } from '../../support/years/given'
import { publishedBudgetLines } from '../../support/years/published-budget'

/**
 * The sample budget file (the seed transcribed) folded into a budget year, and its table 4 and
 * Part 2 report compared with the seed text itself, parsed here — no hard-coded copies.
 */

const SAMPLE = path.resolve(__dirname, '..', '..', '..', 'src', 'sample', 'budget-101065-2021.json')
const seedLines = publishedBudgetLines()
const catalogue = bundledCatalogue()

const state = (() => {
  const decoded = decode(BudgetFile)(JSON.parse(readFileSync(SAMPLE, 'utf8')))
  if (E.isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'))
  const { commands, context } = budgetFileCommands(decoded.right)
  return given(commands, context).state
})()

/** A figure as the seed prints it ("2.1", "0", "904.34") in the 2-decimal form render uses. */
const wan2 = (printed: string): string => new Decimal(printed).toFixed(2)

// ---- the seed's 财政拨款收支总体情况表 ----

const NUMBERED = /^[一二三四五六七八九十]+、/

/** The data rows of the block: from the first numbered expenditure row through the 收入合计 row. */
const seedTable4 = (): string[][] => {
  const title = seedLines.findIndex((l) => l.startsWith('2021年财政拨款收支总体情况表'))
  expect(title).toBeGreaterThan(0)
  const rows: string[][] = []
  let inData = false
  for (const l of seedLines.slice(title + 1)) {
    if (!l.includes('\t')) continue
    const cells = l.split('\t')
    if (!inData && NUMBERED.test(cells[3] ?? '')) inData = true
    if (!inData) continue // header lines
    rows.push(cells)
    if (l.startsWith('收入合计')) break
  }
  return rows
}

/** A blank seed amount cell is 0.00 on a row that has a label, and blank on a row that has none. */
const seedAmount = (printed: string, rowHasLabel: boolean): string => (printed === '' ? (rowHasLabel ? '0.00' : '') : wan2(printed))

describe('given the sample budget file of 工信科技金融办 (101065) for 2021, folded into a budget year', () => {
  it('when every registered table is rendered, then each foots and they agree with each other', () => {
    expect(ledgerProblems(TABLES.map((t) => t.render(state, catalogue)))).toEqual([])
  })

  it('when table 4 is rendered, then every data row equals the seed’s 财政拨款收支总体情况表 (blank ⇔ 0.00)', () => {
    const seed = seedTable4()
    expect(seed.length).toBe(29) // 28 类 rows of the template + the totals row
    expect(seed.at(-1)![0]).toBe('收入合计：')
    const ours = toJson(fiscalAppropriationSummary.render(state, catalogue))
    expect(ours.columns).toHaveLength(13)
    expect(ours.rows).toHaveLength(seed.length)
    seed.forEach((s, i) => {
      const o = ours.rows[i]!
      const where = `row ${i} (${s[3]})`
      // income part: 项目 (group), 明细 (item), 金额
      expect([o[0], o[1]], where).toEqual([s[0], s[1]])
      expect(o[2], where).toBe(seedAmount(s[2]!, s[0] !== '' || s[1] !== ''))
      // expenditure part: 项目, then 合计, 小计, five 一般公共预算 parts, 政府性基金, 国有资本经营
      expect(o[3], where).toBe(s[3])
      expect(o.slice(4, 13), where).toEqual(s.slice(4, 13).map((c) => seedAmount(c, s[3] !== '')))
      // The seed's rows carry one more (always blank) cell than the header names.
      expect(s.slice(13).every((c) => c === ''), where).toBe(true)
    })
  })
})

// ---- the seed's Part 2 (情况说明) ----

/** Part 2 as one string: the body between "第二部分" and "第三部分", line breaks removed (the seed wraps mid-sentence). */
const seedPart2 = (): string => {
  const start = seedLines.lastIndexOf('第二部分')
  const end = seedLines.indexOf('第三部分', start)
  expect(start).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(start)
  return seedLines.slice(start + 1, end).join('')
}

const match = (text: string, re: RegExp): string[] => {
  const m = re.exec(text)
  expect(m, String(re)).not.toBeNull()
  return m!.slice(1)
}

describe('given the seed’s Part 2 and the report rendered from the sample ledger', () => {
  const seed = seedPart2()
  const f = reportFigures(state, catalogue)
  const text = renderReport(state, catalogue)
  const seen = (wan: string) => expect(text).toContain(`${wan} 万元`)
  const seenPct = (p: string) => expect(text).toContain(`${p}%`)

  it('when section 一 is compared, then 收入总计 / 支出总计 and the change against the previous year agree', () => {
    const [income, expenditure, lastYear, change, growth] = match(
      seed,
      /收入总计 ([\d.]+) 万元，支出总计 ([\d.]+) 万元，与 (\d{4}) 年预算相比，收入增加 ([\d.]+) 万元，增长 ([\d.]+)%/,
    )
    expect([toWan(f.incomeTotal), toWan(f.expenditureTotal)]).toEqual([wan2(income!), wan2(expenditure!)])
    expect(f.previousYear).toBe(Number(lastYear))
    expect(toWan(f.totalChange!.change)).toBe(wan2(change!))
    expect(f.totalChange!.growth).toBe(growth)
    seen(wan2(income!))
    expect(text).toContain(`收入增加 ${wan2(change!)} 万元，增长 ${growth}%`)
    expect(text).toContain(`支出增加 ${wan2(change!)} 万元，增长 ${growth}%`)
  })

  it('when section 二 is compared, then 收入合计 and 一般公共预算 agree', () => {
    const [total, general, fund] = match(seed, /收入合计 ([\d.]+) 万元，其中：一般公共预算 ([\d.]+) 万元；政府基金收入 ([\d.]+) 万元/)
    expect([toWan(f.incomeTotal), toWan(f.income.general), toWan(f.income.governmentFund)]).toEqual([wan2(total!), wan2(general!), wan2(fund!)])
    expect(text).toContain(`收入合计 ${wan2(total!)} 万元，其中：一般公共预算 ${wan2(general!)} 万元；政府性基金预算 ${wan2(fund!)} 万元`)
  })

  it('when section 三 is compared, then 基本支出 and 项目支出 and their shares agree', () => {
    const [total, basic, basicShare, project, projectShare] = match(
      seed,
      /支出合计 ([\d.]+) 万元，其中：基本支出 ([\d.]+) 万元，占 ([\d.]+)%；项目支出 ([\d.]+) 万元，占 ([\d.]+)%/,
    )
    expect([toWan(f.expenditureTotal), toWan(f.basic), f.basicShare, toWan(f.project), f.projectShare]).toEqual([
      wan2(total!),
      wan2(basic!),
      basicShare,
      wan2(project!),
      projectShare,
    ])
    expect(text).toContain(`基本支出 ${wan2(basic!)} 万元，占 ${basicShare}%；项目支出 ${wan2(project!)} 万元，占 ${projectShare}%`)
    // Tables 3-like figures agree with the prose too.
    const t5 = generalBudgetExpenditure.render(state, catalogue).totals
    expect([toWan(t5.basic!), toWan(t5.project!)]).toEqual([wan2(basic!), wan2(project!)])
    expect(toWan(incomeExpenditureSummary.render(state, catalogue).totals.expenditure!)).toBe(wan2(total!))
  })

  it('when section 四 is compared, then the fiscal budgets and the change of 一般公共预算 agree', () => {
    const [general, fund, change, growth] = match(
      seed,
      /一般公共预算收支预算 ([\d.]+) 万元，政府性基金收支预算 ([\d.]+) 万元。与 \d{4} 年相比，一般公共预算收支预算增加 ([\d.]+) 万元，增长 ([\d.]+)%/,
    )
    expect([toWan(f.fiscal.general), toWan(f.fiscal.governmentFund)]).toEqual([wan2(general!), wan2(fund!)])
    expect(toWan(f.fiscal.generalChange!.change)).toBe(wan2(change!))
    expect(f.fiscal.generalChange!.growth).toBe(growth)
    expect(text).toContain(`一般公共预算收支预算 ${wan2(general!)} 万元，政府性基金收支预算 ${wan2(fund!)} 万元`)
    expect(text).toContain(`一般公共预算收支预算增加 ${wan2(change!)} 万元，增长 ${growth}%`)
  })

  it('when section 五 is compared, then the 一般公共预算 total and each 类 amount and share agree, in order', () => {
    const [total] = match(seed, /一般公共预算支出年初预算为 ([\d.]+) 万元/)
    expect(toWan(f.generalBudget.total)).toBe(wan2(total!))
    expect(f.generalBudget.adjusted).toBe(false)
    expect(text).toContain(`一般公共预算支出年初预算为 ${wan2(total!)} 万元`)
    const classes = [...seed.matchAll(/([^：；。]+)（类）支出 ([\d.]+) 万元，占 ([\d.]+)%/g)].map((m) => [wan2(m[2]!), m[3]!])
    expect(classes).toHaveLength(3)
    expect(f.generalBudget.byClass.map((c) => [toWan(c.amount), c.share])).toEqual(classes)
    for (const [amount, share] of classes) expect(text).toContain(`（类）支出 ${amount} 万元，占 ${share}%`)
  })

  it('when section 七 is compared, then the “三公” total, its change, and each of the four parts agree', () => {
    const [total, change] = match(seed, /“三公”经费预算为 ([\d.]+) 万元。\d{4} 年“三公”经费支出预算数比 \d{4} 年增加 ([\d.]+) 万元/)
    expect(toWan(f.threePublic.total!)).toBe(wan2(total!))
    expect(toWan(f.threePublic.change!.change)).toBe(wan2(change!))
    // The previous year's total is this year's less the change (0.60 万元).
    expect(toWan(f.threePublic.change!.previous)).toBe(new Decimal(total!).minus(change!).toFixed(2))
    expect(text).toContain(`“三公”经费预算为 ${wan2(total!)} 万元，预算数比 2020 年增加 ${wan2(change!)} 万元`)
    const [abroad] = match(seed, /因公出国（境）费 ([\d.]+) 万元/)
    const [vehicle, purchase, operation] = match(seed, /公务用车购置及运行费 ([\d.]+) 万元，其中，公务用车购置费([\d.]+)万元；公务用车运行维护费([\d.]+)万元/)
    const [reception, receptionChange] = match(seed, /公务接待费([\d.]+)万元，.*?预算数比\d{4}年增加([\d.]+)万元/)
    const p = f.threePublic.parts
    expect([p.abroad.amount, p.vehiclePurchase.amount, p.vehicleOperation.amount, p.reception.amount].map((d) => toWan(d!))).toEqual(
      [abroad!, purchase!, operation!, reception!].map(wan2),
    )
    expect(toWan(p.vehiclePurchase.amount!.plus(p.vehicleOperation.amount!))).toBe(wan2(vehicle!))
    expect(toWan(p.reception.change!.change)).toBe(wan2(receptionChange!))
    expect(text).toContain(`因公出国（境）费 ${wan2(abroad!)} 万元`)
    expect(text).toContain(`公务用车购置及运行费 ${wan2(vehicle!)} 万元，其中，公务用车购置费 ${wan2(purchase!)} 万元；公务用车运行维护费 ${wan2(operation!)} 万元`)
    expect(text).toContain(`公务接待费 ${wan2(reception!)} 万元，预算数比 2020 年增加 ${wan2(receptionChange!)} 万元`)
  })

  it('when sections 八 and 九 are compared, then both say the money was not used, as the seed does', () => {
    const compact = text.replace(/ /g, '')
    for (const what of ['政府性基金预算', '国有资本经营预算']) {
      const [sentence] = match(seed, new RegExp(`(工信科技金融办\\d{4}年未使用${what}拨款安排的支出。)`))
      expect(compact).toContain(sentence)
    }
    expect(f.governmentFund.total.isZero() && f.stateCapital.total.isZero()).toBe(true)
  })

  it('when section 十 is compared, then 机关运行经费 and the 政府采购 budget and its three parts agree', () => {
    const [office] = match(seed, /机关运行经费支出预算([\d.]+)万元/)
    expect(toWan(f.officeOperating.amount!)).toBe(wan2(office!))
    seen(wan2(office!))
    const [total, goods, works, services] = match(
      seed,
      /政府采购预算安排([\d.]+)万元，其中：政府采购货物预算([\d.]+)万元、政府采购工程预算([\d.]+)万元、政府采购服务预算([\d.]+)万元/,
    )
    expect([f.procurement.total, f.procurement.goods, f.procurement.works, f.procurement.services].map((d) => toWan(d!))).toEqual(
      [total!, goods!, works!, services!].map(wan2),
    )
    expect(text).toContain(
      `政府采购预算安排 ${wan2(total!)} 万元，其中：政府采购货物预算 ${wan2(goods!)} 万元、政府采购工程预算 ${wan2(works!)} 万元、政府采购服务预算 ${wan2(services!)} 万元`,
    )
  })

  it('when the report is read, then its sections come in the seed’s order', () => {
    const titles = ['一、收入支出预算总体情况说明', '二、收入预算总体情况说明', '三、支出预算总体情况说明', '四、财政拨款收入支出预算总体情况说明', '五、一般公共预算支出预算情况说明', '六、', '七、“三公”经费支出预算情况说明', '八、政府性基金预算支出', '九、国有资本经营预算支出预算情况说明', '十、其他重要事项情况说明']
    const positions = titles.map((t) => text.indexOf(t))
    for (const [i, t] of titles.entries()) expect(seed.indexOf(t), `seed has ${t}`).toBeGreaterThanOrEqual(0), expect(positions[i], t).toBeGreaterThanOrEqual(0)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    seenPct(f.basicShare!)
  })
})
