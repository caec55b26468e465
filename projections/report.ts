import type Decimal from 'decimal.js'
import { type BudgetYearState, initialOf } from '../src/domain/budget-year'
import type { Catalogue } from '../src/domain/budget-file/catalogue'
import { FUND_SOURCE_LABEL, type FundSource, THREE_PUBLIC, type ThreePublic, isGeneralBudget } from '../src/domain/budget-file/classification'
import type { Earmark } from '../src/domain/events/events'
import { ZERO, percent, sum, toWan, yuan } from '../src/domain/money/money'
import { budgetOf, linesOf } from './budget-year'
import { budgetByClass, budgetBySource, budgetWhere, classStem } from './fund-amounts'
import { fiscalAppropriationSummary } from './budget-tables/fiscal-appropriation-summary'
import { incomeExpenditureSummary } from './budget-tables/income-expenditure-summary'

/**
 * Part 2 of a 部门预算, 情况说明: prose made of figures. `reportFigures` computes them exactly (元 as
 * Decimal, percentages as strings with two decimals, half-up, of exact sums); `renderReport` writes
 * them in the seed's order and manner. A comparison with the previous year is made only from what
 * the year's opening recorded (identity.previousYear); when that is missing the text says so.
 */

/** A change against the previous year. growth = (this − last) / last in percent; undefined when last is 0. */
export interface Change {
  readonly previous: Decimal
  readonly change: Decimal
  readonly growth: string | undefined
}

export interface ClassShare {
  readonly code: string
  /** The 类 name without its trailing 支出, as printed before （类）. */
  readonly name: string
  readonly amount: Decimal
  /** Share of the block's total (一般公共预算 for section 五). */
  readonly share: string | undefined
}

export interface ReportFigures {
  readonly unitName: string
  readonly year: number
  readonly previousYear: number
  /** 一: 收入总计 / 支出总计 (table 1), and the change against previousYear.total. */
  readonly incomeTotal: Decimal
  readonly expenditureTotal: Decimal
  readonly totalChange: Change | undefined
  /** 二: income by the groups of table 1 (一般公共预算 = all five general.* sources), and 上年结转. */
  readonly income: Readonly<Record<IncomeGroup, Decimal>>
  /** 三: 基本支出 and 项目支出, with their shares of 支出合计. */
  readonly basic: Decimal
  readonly basicShare: string | undefined
  readonly project: Decimal
  readonly projectShare: string | undefined
  /** 四: the fiscal budgets (table 4) and their changes. */
  readonly fiscal: {
    readonly total: Decimal
    readonly general: Decimal
    readonly governmentFund: Decimal
    readonly stateCapital: Decimal
    readonly generalChange: Change | undefined
    readonly governmentFundChange: Change | undefined
    readonly stateCapitalChange: Change | undefined
  }
  /** 五: 一般公共预算支出 by 类. `adjusted` when some general line differs from its 年初预算. */
  readonly generalBudget: { readonly total: Decimal; readonly adjusted: boolean; readonly byClass: ReadonlyArray<ClassShare> }
  /** 七: the “三公” budget (earmarks); undefined where no earmark was declared. */
  readonly threePublic: {
    readonly total: Decimal | undefined
    readonly change: Change | undefined
    readonly parts: Readonly<Record<ThreePublic, { readonly amount: Decimal | undefined; readonly change: Change | undefined }>>
  }
  /** 八 / 九 */
  readonly governmentFund: { readonly total: Decimal; readonly byClass: ReadonlyArray<ClassShare> }
  readonly stateCapital: { readonly total: Decimal; readonly byClass: ReadonlyArray<ClassShare> }
  /** 十: 机关运行经费 and 政府采购 (earmarks); undefined where not declared. */
  readonly officeOperating: { readonly amount: Decimal | undefined; readonly change: Change | undefined }
  readonly procurement: {
    readonly total: Decimal | undefined
    readonly goods: Decimal | undefined
    readonly works: Decimal | undefined
    readonly services: Decimal | undefined
  }
}

export const INCOME_GROUPS = [
  'general',
  'governmentFund',
  'stateCapital',
  'specialAccount',
  'institutionIncome',
  'higherLevelSubsidy',
  'subordinateRemittance',
  'institutionOperatingIncome',
  'otherIncome',
  'carriedForward',
] as const
export type IncomeGroup = (typeof INCOME_GROUPS)[number]

const INCOME_GROUP_LABEL: Record<IncomeGroup, string> = {
  general: '一般公共预算',
  governmentFund: FUND_SOURCE_LABEL.governmentFund,
  stateCapital: FUND_SOURCE_LABEL.stateCapital,
  specialAccount: FUND_SOURCE_LABEL.specialAccount,
  institutionIncome: FUND_SOURCE_LABEL.institutionIncome,
  higherLevelSubsidy: FUND_SOURCE_LABEL.higherLevelSubsidy,
  subordinateRemittance: FUND_SOURCE_LABEL.subordinateRemittance,
  institutionOperatingIncome: FUND_SOURCE_LABEL.institutionOperatingIncome,
  otherIncome: FUND_SOURCE_LABEL.otherIncome,
  carriedForward: FUND_SOURCE_LABEL.carriedForward,
}

const THREE_PUBLIC_LABEL: Record<ThreePublic, string> = {
  abroad: '因公出国（境）费',
  reception: '公务接待费',
  vehicleOperation: '公务用车运行维护费',
  vehiclePurchase: '公务用车购置费',
}

/** The change from `previous` (a recorded decimal string) to `current`; undefined when not recorded. */
export const changeFrom = (current: Decimal, previous: string | undefined): Change | undefined => {
  if (previous === undefined) return undefined
  const last = yuan(previous)
  const change = current.minus(last)
  return { previous: last, change, growth: percent(change, last) }
}

export const classShares = (rows: ReadonlyArray<readonly [string, Decimal]>, whole: Decimal, catalogue: Catalogue): ClassShare[] =>
  rows.map(([code, amount]) => ({ code, name: classStem(catalogue, code), amount, share: percent(amount, whole) }))

/**
 * Sum of the earmarks `keys`; undefined when none of them was declared. Once one part of a group
 * (三公, 政府采购) is declared, the undeclared parts count as 0, for the total and for the parts alike.
 */
const earmarkSum = (s: BudgetYearState, keys: ReadonlyArray<Earmark>): Decimal | undefined =>
  keys.some((k) => s.earmarks[k] !== undefined) ? sum(keys.map((k) => s.earmarks[k] ?? ZERO)) : undefined

export const reportFigures = (s: BudgetYearState, catalogue: Catalogue): ReportFigures => {
  const id = s.identity
  if (!id) throw new Error('invariant: the report needs an opened budget year')
  const prev = id.previousYear
  const lines = linesOf(s)

  const t1 = incomeExpenditureSummary.render(s, catalogue).totals
  const t4 = fiscalAppropriationSummary.render(s, catalogue).totals
  const bySource = budgetBySource(lines)
  const general = sum((Object.keys(bySource) as FundSource[]).filter(isGeneralBudget).map((x) => bySource[x]))
  const income = Object.fromEntries(
    INCOME_GROUPS.map((g) => [g, g === 'general' ? general : bySource[g]]),
  ) as Record<IncomeGroup, Decimal>

  const expenditureTotal = t1.expenditure!
  const basic = budgetWhere(lines, (l) => l.kind === 'basic')
  const project = budgetWhere(lines, (l) => l.kind === 'project')

  const generalLines = lines.filter((l) => isGeneralBudget(l.fundSource))
  const fundLines = lines.filter((l) => l.fundSource === 'governmentFund')
  const capitalLines = lines.filter((l) => l.fundSource === 'stateCapital')

  // “三公”: the four parts; the previous total is known only when all four parts were recorded.
  const prevThree = prev.threePublic
  const threeTotal = earmarkSum(s, THREE_PUBLIC.map((k) => `threePublic.${k}` as const))
  const parts = Object.fromEntries(
    THREE_PUBLIC.map((k) => {
      const amount = threeTotal === undefined ? undefined : (s.earmarks[`threePublic.${k}`] ?? ZERO)
      return [k, { amount, change: amount === undefined ? undefined : changeFrom(amount, prevThree?.[k]) }]
    }),
  ) as Record<ThreePublic, { amount: Decimal | undefined; change: Change | undefined }>
  const prevThreeTotal =
    prevThree && THREE_PUBLIC.every((k) => prevThree[k] !== undefined)
      ? sum(THREE_PUBLIC.map((k) => yuan(prevThree[k]!))).toFixed(2)
      : undefined

  const officeOperating = earmarkSum(s, ['officeOperating'])
  const procurementTotal = earmarkSum(s, ['procurement.goods', 'procurement.works', 'procurement.services'])
  const procurementPart = (k: Earmark) => (procurementTotal === undefined ? undefined : (s.earmarks[k] ?? ZERO))
  const procurement = {
    total: procurementTotal,
    goods: procurementPart('procurement.goods'),
    works: procurementPart('procurement.works'),
    services: procurementPart('procurement.services'),
  }

  return {
    unitName: id.unit.name,
    year: id.year,
    previousYear: id.year - 1,
    incomeTotal: t1.income!,
    expenditureTotal,
    totalChange: changeFrom(t1.income!, prev.total),
    income,
    basic,
    basicShare: percent(basic, expenditureTotal),
    project,
    projectShare: percent(project, expenditureTotal),
    fiscal: {
      total: t4.expenditure!,
      general: t4.general!,
      governmentFund: t4.governmentFund!,
      stateCapital: t4.stateCapital!,
      generalChange: changeFrom(t4.general!, prev.generalBudget),
      governmentFundChange: changeFrom(t4.governmentFund!, prev.governmentFund),
      stateCapitalChange: changeFrom(t4.stateCapital!, prev.stateCapital),
    },
    generalBudget: {
      total: t4.general!,
      adjusted: generalLines.some((l) => !budgetOf(l).eq(initialOf(l))),
      byClass: classShares(budgetByClass(generalLines), t4.general!, catalogue),
    },
    threePublic: {
      total: threeTotal,
      change: threeTotal === undefined ? undefined : changeFrom(threeTotal, prevThreeTotal),
      parts,
    },
    governmentFund: { total: t4.governmentFund!, byClass: classShares(budgetByClass(fundLines), t4.governmentFund!, catalogue) },
    stateCapital: { total: t4.stateCapital!, byClass: classShares(budgetByClass(capitalLines), t4.stateCapital!, catalogue) },
    officeOperating: {
      amount: officeOperating,
      change: officeOperating === undefined ? undefined : changeFrom(officeOperating, prev.officeOperating),
    },
    procurement,
  }
}

// ---- text ----

export const wan = (d: Decimal): string => `${toWan(d)} 万元`
export const pct = (p: string | undefined): string => (p === undefined ? '—（分母为 0）' : `${p}%`)

/** "增加 808.51 万元，增长 843.69%" / "减少 …，下降 …%" / "持平". */
export const delta = (c: Change, lastYear: number): string => {
  if (c.change.isZero()) return '持平'
  const up = c.change.isPositive()
  const rate =
    c.growth === undefined
      ? `（${lastYear} 年为 0，增长率不适用）`
      : `，${up ? '增长' : '下降'} ${c.growth.replace(/^-/, '')}%`
  return `${up ? '增加' : '减少'} ${wan(c.change.abs())}${rate}`
}

/** What follows "预算数": "比 2020 年增加 …" / "与 2020 年持平" / "无法与 2020 年比较（2020 年数未记录）". */
const versus = (c: Change | undefined, lastYear: number): string => {
  if (c === undefined) return `无法与 ${lastYear} 年比较（${lastYear} 年数未记录）`
  return c.change.isZero() ? `与 ${lastYear} 年持平` : `比 ${lastYear} 年${delta(c, lastYear)}`
}

const classList = (xs: ReadonlyArray<ClassShare>): string =>
  xs.map((x) => `${x.name}（类）支出 ${wan(x.amount)}，占 ${pct(x.share)}`).join('；')

const known = (d: Decimal | undefined): string => (d === undefined ? '未记录' : wan(d))

export const renderReport = (s: BudgetYearState, catalogue: Catalogue): string => {
  const f = reportFigures(s, catalogue)
  const who = `${f.unitName} ${f.year} 年`
  const py = f.previousYear
  const out: string[] = [`${f.unitName} ${f.year} 年部门预算情况说明`, '']
  const section = (title: string, ...paragraphs: string[]) => out.push(title, '', ...paragraphs.flatMap((p) => [p, '']))

  section(
    '一、收入支出预算总体情况说明',
    `${who}收入总计 ${wan(f.incomeTotal)}，支出总计 ${wan(f.expenditureTotal)}，` +
      (f.totalChange === undefined
        ? `${py} 年预算收支总计未记录，无法与上年预算相比较。`
        : `与 ${py} 年预算相比，收入${delta(f.totalChange, py)}；支出${delta(f.totalChange, py)}。`),
  )

  const incomeParts = INCOME_GROUPS.filter(
    (g) => g === 'general' || g === 'governmentFund' || g === 'specialAccount' || !f.income[g].isZero(),
  ).map((g) => `${INCOME_GROUP_LABEL[g]} ${wan(f.income[g])}`)
  section('二、收入预算总体情况说明', `${who}收入合计 ${wan(f.incomeTotal)}，其中：${incomeParts.join('；')}。`)

  section(
    '三、支出预算总体情况说明',
    `${who}支出合计 ${wan(f.expenditureTotal)}，其中：基本支出 ${wan(f.basic)}，占 ${pct(f.basicShare)}；项目支出 ${wan(f.project)}，占 ${pct(f.projectShare)}。`,
  )

  const fiscal = f.fiscal
  const showCapital = !fiscal.stateCapital.isZero() || (fiscal.stateCapitalChange !== undefined && !fiscal.stateCapitalChange.previous.isZero())
  const compared: ReadonlyArray<readonly [string, Change | undefined]> = [
    ['一般公共预算收支预算', fiscal.generalChange],
    ['政府性基金收支预算', fiscal.governmentFundChange],
    ...(showCapital ? [['国有资本经营收支预算', fiscal.stateCapitalChange] as const] : []),
  ]
  const compare = ([what, c]: readonly [string, Change | undefined]) =>
    c === undefined ? `${what}的 ${py} 年数未记录，无法比较` : `${what}${c.change.isZero() ? '持平' : delta(c, py)}`
  section(
    '四、财政拨款收入支出预算总体情况说明',
    `${who}一般公共预算收支预算 ${wan(fiscal.general)}，政府性基金收支预算 ${wan(fiscal.governmentFund)}` +
      (showCapital ? `，国有资本经营收支预算 ${wan(fiscal.stateCapital)}` : '') +
      '。' +
      (compared.every(([, c]) => c === undefined)
        ? `${py} 年财政拨款收支预算数未记录，无法与上年比较。`
        : `与 ${py} 年相比，${compared.map(compare).join('；')}。`),
  )

  const g = f.generalBudget
  section(
    '五、一般公共预算支出预算情况说明',
    `${who}一般公共预算支出${g.adjusted ? '调整后预算' : '年初预算'}为 ${wan(g.total)}。` +
      (g.byClass.length ? `主要用于以下方面：${classList(g.byClass)}。` : ''),
  )

  section(
    '六、支出预算分类汇总表（按支出经济分类）情况说明',
    '《支出预算分类汇总表》按部门预算支出经济分类科目和政府预算支出经济分类科目两套科目，分别反映全部预算支出；未记录经济分类的支出单列，不作推定。',
  )

  const tp = f.threePublic
  const part = (k: ThreePublic) => tp.parts[k]
  const vehicle = earmarkPair(part('vehiclePurchase').amount, part('vehicleOperation').amount)
  section(
    '七、“三公”经费支出预算情况说明',
    tp.total === undefined
      ? `${who}“三公”经费预算未记录。`
      : `${who}“三公”经费预算为 ${wan(tp.total)}，` +
          (tp.change === undefined ? `${py} 年“三公”经费预算数未记录，无法比较。` : `预算数${versus(tp.change, py)}。`),
    ...(tp.total === undefined
      ? []
      : [
          '具体支出情况如下：',
          `（一）${THREE_PUBLIC_LABEL.abroad} ${known(part('abroad').amount)}，预算数${versus(part('abroad').change, py)}。`,
          `（二）公务用车购置及运行费 ${known(vehicle)}，其中，公务用车购置费 ${known(part('vehiclePurchase').amount)}；公务用车运行维护费 ${known(part('vehicleOperation').amount)}。` +
            `公务用车购置费预算数${versus(part('vehiclePurchase').change, py)}；公务用车运行维护费预算数${versus(part('vehicleOperation').change, py)}。`,
          `（三）${THREE_PUBLIC_LABEL.reception} ${known(part('reception').amount)}，预算数${versus(part('reception').change, py)}。`,
        ]),
  )

  const fundBlock = (what: string, b: ReportFigures['governmentFund']) =>
    b.total.isZero()
      ? `${who}未使用${what}拨款安排的支出。`
      : `${who}${what}支出 ${wan(b.total)}，其中：${classList(b.byClass)}。`
  section('八、政府性基金预算支出预算情况说明', fundBlock('政府性基金预算', f.governmentFund))
  section('九、国有资本经营预算支出预算情况说明', fundBlock('国有资本经营预算', f.stateCapital))

  const oo = f.officeOperating
  const pr = f.procurement
  section(
    '十、其他重要事项情况说明',
    '（一）机关运行经费支出情况',
    oo.amount === undefined
      ? `${who}机关运行经费支出预算未记录。`
      : `${who}机关运行经费支出预算 ${wan(oo.amount)}` + (oo.change === undefined ? '。' : `，${versus(oo.change, py)}。`),
    '（二）政府采购支出情况',
    pr.total === undefined
      ? `${f.year} 年政府采购预算未记录。`
      : `${f.year} 年政府采购预算安排 ${wan(pr.total)}，其中：政府采购货物预算 ${known(pr.goods)}、政府采购工程预算 ${known(pr.works)}、政府采购服务预算 ${known(pr.services)}。`,
  )
  return `${out.join('\n').trimEnd()}\n`
}

/** The 预算 情况说明 for programs: its text, with what it is of (its figures are the tables'). */
export const budgetReportJson = (s: BudgetYearState, catalogue: Catalogue) => ({
  unit: s.identity!.unit.code,
  year: s.identity!.year,
  amountUnit: '万元',
  text: renderReport(s, catalogue),
})

/** 公务用车购置及运行费: the two parts' sum; undefined when neither was declared. */
const earmarkPair = (a: Decimal | undefined, b: Decimal | undefined): Decimal | undefined =>
  a === undefined && b === undefined ? undefined : (a ?? ZERO).plus(b ?? ZERO)
