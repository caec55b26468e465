import * as t from 'io-ts'

/**
 * 支出功能分类: 类 (3 digits) → 款 (5) → 项 (7). Documents print "201 06 01" as often as
 * "2010601", so the codec accepts both and keeps the compact form. A line may be classified
 * only to 类 or 款 when the source says no more (the seed's basic expenditure is known only as 215).
 */
export type FunctionCode = string & { readonly FunctionCode: unique symbol }

const FUNCTION_CODE = /^2\d{2}(\d{2}){0,2}$/

export const FunctionCode = new t.Type<FunctionCode, string, unknown>(
  'FunctionCode',
  (u): u is FunctionCode => typeof u === 'string' && FUNCTION_CODE.test(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'a function code of 3, 5 or 7 digits')
    const compact = u.replace(/\s+/g, '')
    return FUNCTION_CODE.test(compact)
      ? t.success(compact as FunctionCode)
      : t.failure(u, c, 'a function code of 3, 5 or 7 digits starting with 2 (e.g. "2150502")')
  },
  (a) => a,
)

export type FunctionLevel = 'class' | 'section' | 'item'

export const functionLevel = (code: string): FunctionLevel =>
  code.length === 3 ? 'class' : code.length === 5 ? 'section' : 'item'

/** The 类 / 款 prefixes of a code, outermost first: "2150502" → ["215", "21505", "2150502"]. */
export const functionAncestry = (code: string): string[] =>
  [3, 5, 7].filter((n) => n <= code.length).map((n) => code.slice(0, n))

/** 部门预算支出经济分类: 3xx 类 or 3xxxx 款. The 政府 scheme (5xx) is derived, never recorded. */
export type EconomicCode = string & { readonly EconomicCode: unique symbol }
const ECONOMIC_CODE = /^3\d{2}(\d{2})?$/
export const EconomicCode = new t.Type<EconomicCode, string, unknown>(
  'EconomicCode',
  (u): u is EconomicCode => typeof u === 'string' && ECONOMIC_CODE.test(u),
  (u, c) =>
    typeof u === 'string' && ECONOMIC_CODE.test(u.replace(/\s+/g, ''))
      ? t.success(u.replace(/\s+/g, '') as EconomicCode)
      : t.failure(u, c, 'a 部门 economic code of 3 or 5 digits starting with 3 (e.g. "30217")'),
  (a) => a,
)

/** 资金来源. The first five are the parts of 一般公共预算; 上年结转 is income carried from last year. */
export const FUND_SOURCES = [
  'general.appropriation', // 一般公共预算 · 财政拨款
  'general.administrativeFees', // 行政事业性收费
  'general.specialRevenue', // 专项收入
  'general.stateAssetIncome', // 国有资产资源有偿使用收入
  'general.housingFund', // 政府住房基金收入
  'governmentFund', // 政府性基金预算
  'stateCapital', // 国有资本经营预算
  'specialAccount', // 财政专户管理资金
  'institutionIncome', // 事业收入
  'higherLevelSubsidy', // 上级补助收入
  'subordinateRemittance', // 附属单位上缴收入
  'institutionOperatingIncome', // 事业单位经营收入
  'otherIncome', // 其他收入
  'carriedForward', // 上年结转
] as const
export type FundSource = (typeof FUND_SOURCES)[number]

export const FundSource = t.keyof(
  Object.fromEntries(FUND_SOURCES.map((s) => [s, null])) as Record<FundSource, null>,
  'FundSource',
)

export const FUND_SOURCE_LABEL: Record<FundSource, string> = {
  'general.appropriation': '财政拨款',
  'general.administrativeFees': '行政事业性收费',
  'general.specialRevenue': '专项收入',
  'general.stateAssetIncome': '国有资产资源有偿使用收入',
  'general.housingFund': '政府住房基金收入',
  governmentFund: '政府性基金预算',
  stateCapital: '国有资本经营预算',
  specialAccount: '财政专户管理资金',
  institutionIncome: '事业收入',
  higherLevelSubsidy: '上级补助收入',
  subordinateRemittance: '附属单位上缴收入',
  institutionOperatingIncome: '事业单位经营收入',
  otherIncome: '其他收入',
  carriedForward: '上年结转',
}

export const isGeneralBudget = (s: FundSource): boolean => s.startsWith('general.')

/** 财政性资金: money from the three government budgets (一般公共预算, 政府性基金, 国有资本经营). */
export const isFiscal = (s: FundSource): boolean =>
  isGeneralBudget(s) || s === 'governmentFund' || s === 'stateCapital'

/** “三公”经费 categories and the 部门 economic codes they are booked under. */
export const THREE_PUBLIC = ['abroad', 'reception', 'vehicleOperation', 'vehiclePurchase'] as const
export type ThreePublic = (typeof THREE_PUBLIC)[number]
export const ThreePublic = t.keyof({ abroad: null, reception: null, vehicleOperation: null, vehiclePurchase: null })
export const THREE_PUBLIC_ECONOMIC_CODE: Record<ThreePublic, string> = {
  abroad: '30212',
  reception: '30217',
  vehicleOperation: '30231',
  vehiclePurchase: '31013',
}

export const PROCUREMENT = ['goods', 'works', 'services'] as const
export type Procurement = (typeof PROCUREMENT)[number]
export const Procurement = t.keyof({ goods: null, works: null, services: null })

export const UnitType = t.keyof({ administrative: null, institution: null }, 'UnitType')
export type UnitType = t.TypeOf<typeof UnitType>
