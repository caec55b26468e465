/*
 * An event of a preview (or of another person's recent change) in words: what, on which line, how
 * much, in 元. Only what the server answered; nothing is computed.
 */
import { EVENT_NAMES } from '../wording/event-names.js'

export const eventName = (type) => EVENT_NAMES[type] || type

const DETAIL = {
  BudgetYearOpened: (d) => d.unit.name + '（' + d.unit.code + '）' + d.year + ' 年度',
  LineAllocated: (d) => d.line + ' ' + (d.projectName || '') + '（' + d.functionCode + '）年初预算 ' + d.amount + ' 元',
  BudgetTransferred: (d) => d.from + ' → ' + d.to + ' ' + d.amount + ' 元',
  EventReversed: (d) => '事件 ' + d.event,
  UnitTargetsSet: (d) => d.indicators.length + ' 项绩效指标',
  ProjectTargetsSet: (d) => d.line + ' ' + d.targets.length + ' 项绩效目标',
  YearClosed: (d) =>
    d.lines.length
      ? d.lines.map((l) => l.line + ' 结转 ' + l.carryOver + ' 元、结余 ' + l.balance + ' 元' + (l.recovered ? '、收回 ' + l.recovered + ' 元' : '')).join('；') +
        (d.recoveryNotice ? '（收回依据 ' + d.recoveryNotice + '）' : '')
      : '无余额',
}

export const eventText = (e) => eventName(e.type) + ' ' + (DETAIL[e.type] ? DETAIL[e.type](e.data) : e.data.line + ' ' + e.data.amount + ' 元')
