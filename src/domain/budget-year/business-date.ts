import type { CommandType } from '../events/commands'

/**
 * When a command's business date may fall, relative to its budget year Y (docs/indicators.md,
 * "Business dates"). A date outside every view of the year would vanish from the effective-dated
 * tables, so each kind of work has a window, as data:
 *
 * - preparation (预算编制与批复): the budget is approved before or during the year, so opening
 *   the year and recording what the approved budget says may be dated from 1 October of Y−1;
 * - spending (支出执行): a payment belongs to the year it is paid in (收付实现制), and the
 *   execution indicators count payments to 31 December;
 * - final accounts (决算): adjustments, corrections (冲销) and the year-end close of Y are done
 *   until the 决算 is compiled, dated up to 31 March of Y+1;
 * - performance (绩效管理): self-evaluations and evaluations of Y are done during Y+1, and their
 *   results and recommendations follow, dated up to 31 December of Y+1.
 */
export interface DateWindow {
  readonly name: string
  /** The window as finance staff call it. */
  readonly words: string
  /** First and last allowed date, as (years after Y, "MM-DD"). */
  readonly from: readonly [number, string]
  readonly to: readonly [number, string]
}

export const PREPARATION: DateWindow = { name: 'preparation (预算编制)', words: '预算编制', from: [-1, '10-01'], to: [0, '12-31'] }
export const SPENDING: DateWindow = { name: 'spending (支出执行)', words: '支出执行', from: [0, '01-01'], to: [0, '12-31'] }
export const FINAL_ACCOUNTS: DateWindow = { name: 'the year and its final accounts (决算)', words: '执行及决算', from: [0, '01-01'], to: [1, '03-31'] }
export const PERFORMANCE: DateWindow = { name: 'performance management (绩效管理)', words: '绩效管理', from: [0, '01-01'], to: [1, '12-31'] }

export const DATE_WINDOWS: Readonly<Record<CommandType, DateWindow>> = {
  OpenBudgetYear: PREPARATION,
  AllocateLine: PREPARATION,
  SetEarmark: PREPARATION,
  SetUnitTargets: PREPARATION,
  SetProjectTargets: PREPARATION,
  DeclareSpecialFunds: PREPARATION,
  ScheduleEvaluation: PREPARATION,
  RecordExpenditure: SPENDING,
  DetailSpecialFunds: SPENDING,
  AddToLine: FINAL_ACCOUNTS,
  ReduceLine: FINAL_ACCOUNTS,
  TransferBetweenLines: FINAL_ACCOUNTS,
  ReverseEvent: FINAL_ACCOUNTS,
  CorrectEntry: FINAL_ACCOUNTS,
  CloseYear: FINAL_ACCOUNTS,
  CompleteReview: PERFORMANCE,
  AdoptRecommendation: PERFORMANCE,
  RecordTargetActual: PERFORMANCE,
}

type AllowedDates = { readonly from: string; readonly to: string; readonly window: DateWindow }

// Every command is checked against its window: each window's dates for a year are made once (two
// strings and an object a command otherwise), a handful of years each, emptied if a caller ever
// asks for many.
const madeDates = new Map<DateWindow, Map<number, AllowedDates>>()
const MAX_YEARS_A_WINDOW = 64

/** The first and last date a command of budget year `year` may be dated, YYYY-MM-DD. */
export const allowedDates = (type: CommandType, year: number): AllowedDates => {
  const w = DATE_WINDOWS[type]
  let years = madeDates.get(w)
  if (years === undefined) madeDates.set(w, (years = new Map()))
  let made = years.get(year)
  if (made === undefined) {
    const at = ([yearsOn, monthDay]: readonly [number, string]) => `${year + yearsOn}-${monthDay}`
    made = Object.freeze({ from: at(w.from), to: at(w.to), window: w })
    if (years.size >= MAX_YEARS_A_WINDOW) years.clear()
    years.set(year, made)
  }
  return made
}

/** Why a business date does not fit the command's window (in English and in Chinese), or undefined when it does. */
export const dateOutsideWindow = (type: CommandType, year: number, date: string): { readonly message: string; readonly words: string } | undefined => {
  const { from, to, window } = allowedDates(type, year)
  // YYYY-MM-DD strings of four-digit years compare as dates.
  if (date >= from && date <= to) return undefined
  return {
    message: `business date ${date} is outside the dates ${type} may take in budget year ${year}: ${from} to ${to} (${window.name})`,
    words: `业务日期 ${date} 不在 ${year} 预算年度${window.words}的业务日期范围内（${from} 至 ${to}）`,
  }
}
