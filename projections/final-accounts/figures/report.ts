import type Decimal from 'decimal.js'
import type { BudgetYearState } from '../../../src/domain/budget-year'
import type { Catalogue } from '../../../src/domain/budget-file/catalogue'
import { THREE_PUBLIC } from '../../../src/domain/budget-file/classification'
import { percent, sum, toWan, yuan } from '../../../src/domain/money/money'
import { functionName } from '../../../src/domain/budget-file/catalogue'
import { changeFrom, delta, pct, wan } from '../../report'
import type { TableModel } from '../../table'
import { FINAL_TABLES } from '../catalogue/catalogue'
import { compareWithLastYear, type FinalYearComparison, generalBudgetClassShares } from './year-comparison'

/**
 * The 决算 情况说明: the year's final accounts in prose, every figure read from the 决算 tables'
 * exact totals (so the text and the tables cannot disagree), compared with the 年初预算, with last
 * year's published budget figures where the year's opening recorded them, and with last year's 决算
 * (year-comparison.ts; `previous` is the ledger's previous unit-year, when it holds one).
 */
export const renderFinalReport = (s: BudgetYearState, catalogue: Catalogue, previous?: BudgetYearState): string => {
  const t = Object.fromEntries(FINAL_TABLES.map((p) => [p.id, p.render(s, catalogue)])) as Record<string, TableModel>
  const total = (id: string, name: string): Decimal => t[id]!.totals[name]!
  const year = s.identity!.year
  const prev = s.identity!.previousYear
  /** "收支总计比 2020 年预算数增加 …": the comparatives the opening recorded are last year's budget. */
  const againstLastYear = (label: string, now: Decimal, recorded: string | undefined): string => {
    const c = changeFrom(now, recorded)
    if (c === undefined) return `${label}：${year - 1} 年预算数未记录，不作比较。`
    return c.change.isZero() ? `${label}与 ${year - 1} 年预算数持平。` : `${label}比 ${year - 1} 年预算数${delta(c, year - 1)}。`
  }
  const growth = (now: Decimal, before: Decimal): string =>
    before.isZero() ? '年初预算为 0，不作比较' : `为年初预算的 ${pct(percent(now, before))}`

  const summary = (n: string) => total('final-income-expenditure-summary', n)
  const f5 = (n: string) => total('final-general-budget-expenditure', n)
  const f4 = (n: string) => total('final-fiscal-appropriation-summary', n)
  const basic = (n: string) => total('final-general-budget-basic-expenditure', n)
  const three = t['final-three-public-expenses']!.totals
  const spent = summary('yearExpenditure')
  const basicSpent = total('final-expenditure', 'basic')
  const projectSpent = total('final-expenditure', 'project')

  const lines = [
    `${s.identity!.unit.name} ${year} 年度部门决算情况说明`,
    '',
    s.closed ? `（${year} 年已年终结账。）` : `（${year} 年尚未年终结账：以下为截至目前的执行情况，年末结转和结余为尚未支出的余额。）`,
    '',
    `一、收入支出决算总体情况`,
    `  收入总计 ${wan(summary('income'))}，其中本年收入 ${wan(summary('yearIncome'))}，年初结转和结余 ${wan(summary('carriedIn'))}；` +
      `支出总计 ${wan(summary('expenditure'))}，其中本年支出 ${wan(spent)}，年末结转和结余 ${wan(summary('yearEnd'))}。` +
      `年终财政收回 ${wan(summary('recovered'))}，未拨付，不计入本年收入和支出总计。`,
    `  ${againstLastYear('收支总计', summary('income'), prev.total)}`,
    '',
    `二、收入决算情况`,
    `  本年收入 ${wan(summary('yearIncome'))}，其中财政拨款收入 ${wan(summary('fiscalIncome'))}，占 ${pct(percent(summary('fiscalIncome'), summary('yearIncome')))}；` +
      `其他来源的收入 ${wan(summary('yearIncome').minus(summary('fiscalIncome')))}。`,
    '',
    `三、支出决算情况`,
    `  本年支出 ${wan(spent)}，其中基本支出 ${wan(basicSpent)}，占 ${pct(percent(basicSpent, spent))}；项目支出 ${wan(projectSpent)}，占 ${pct(percent(projectSpent, spent))}。`,
    '',
    `四、财政拨款收入支出决算情况`,
    `  财政拨款本年收入 ${wan(f4('yearIncome'))}，本年支出 ${wan(f4('yearExpenditure'))}：一般公共预算财政拨款 ${wan(f4('general'))}，` +
      `政府性基金预算财政拨款 ${wan(f4('governmentFund'))}，国有资本经营预算财政拨款 ${wan(f4('stateCapital'))}。`,
    `  ${againstLastYear('一般公共预算财政拨款支出', f4('general'), prev.generalBudget)}`,
    '',
    `五、一般公共预算财政拨款支出决算情况`,
    `  年初预算 ${wan(f5('initial'))}，全年预算 ${wan(f5('fullYear'))}，决算数 ${wan(f5('actual'))}，` +
      `完成全年预算的 ${pct(percent(f5('actual'), f5('fullYear')))}，${growth(f5('actual'), f5('initial'))}。` +
      `决算数与年初预算的差异来自年中追加、追减、调剂与年初结转和结余。`,
    ...generalBudgetClassShares(s, catalogue).map((c) => `  ${c.name}支出（类）${wan(c.amount)}，占 ${pct(c.share)}。`),
    '',
    `六、一般公共预算财政拨款基本支出决算情况`,
    `  基本支出 ${wan(basic('basic'))}，其中人员经费 ${wan(basic('personnel'))}，公用经费 ${wan(basic('operating'))}` +
      (basic('unclassified').isZero() ? '。' : `，未录入经济分类的 ${wan(basic('unclassified'))}。`),
    '',
    `七、财政拨款“三公”经费支出决算情况`,
    `  “三公”经费决算数 ${wan(three.actual!)}` +
      (three.budget ? `，预算数 ${wan(three.budget)}，完成预算的 ${pct(percent(three.actual!, three.budget))}。` : '，预算未列数，不作比较。') +
      againstLastYear(
        '“三公”经费决算数',
        three.actual!,
        THREE_PUBLIC.every((c) => prev.threePublic?.[c] !== undefined) ? sum(THREE_PUBLIC.map((c) => yuan(prev.threePublic![c]!))).toFixed(2) : undefined,
      ),
    '',
    `八、政府性基金与国有资本经营预算财政拨款支出决算情况`,
    `  政府性基金预算财政拨款支出 ${wan(f4('governmentFund'))}；国有资本经营预算财政拨款支出 ${wan(f4('stateCapital'))}。`,
    '',
    ...lastYearSection(compareWithLastYear(s, catalogue, previous)),
  ]
  return `${lines.join('\n')}\n`
}

/** 九、与上年度决算相比: one line per compared figure; what last year's 决算 does not give is said, not zeroed. */
const lastYearSection = (c: FinalYearComparison): string[] => {
  const y = c.lastYear
  const from = c.source === 'ledger' ? `本账簿 ${y} 年度决算${c.lastYearOpen ? `（${y} 年尚未年终结账，为截至目前的执行数）` : ''}` : `${y} 年度公开的决算数（随本年度开账记录）`
  if (c.source === 'none') return [`九、与 ${y} 年度决算相比`, `  ${y} 年度决算数未记录，不作比较。`]
  return [
    `九、与 ${y} 年度决算相比（${from}）`,
    ...c.items.map((i) =>
      i.previous === undefined
        ? `  ${i.label} ${wan(i.current)}：${y} 年度决算数未记录，不作比较。`
        : i.change!.isZero()
          ? `  ${i.label} ${wan(i.current)}，与 ${y} 年度持平。`
          : `  ${i.label} ${wan(i.current)}，比 ${y} 年度${delta({ previous: i.previous, change: i.change!, growth: i.growth }, y)}。`,
    ),
  ]
}

/** The 情况说明's comparisons and shares for programs: amounts in 万元 as printed, rates in percent. */
export const finalReportJson = (s: BudgetYearState, catalogue: Catalogue, previous?: BudgetYearState) => {
  const c = compareWithLastYear(s, catalogue, previous)
  return {
    unit: s.identity!.unit.code,
    year: s.identity!.year,
    amountUnit: '万元',
    text: renderFinalReport(s, catalogue, previous),
    lastYear: {
      year: c.lastYear,
      source: c.source,
      ...(c.lastYearOpen ? { lastYearOpen: true } : {}),
      items: c.items.map((i) => ({
        item: i.item,
        label: i.label,
        current: toWan(i.current),
        previous: i.previous === undefined ? null : toWan(i.previous),
        change: i.change === undefined ? null : toWan(i.change),
        growth: i.growth ?? null,
      })),
    },
    generalBudgetShares: generalBudgetClassShares(s, catalogue).map((x) => ({ code: x.code, name: functionName(catalogue, x.code), amount: toWan(x.amount), share: x.share ?? null })),
  }
}
