/*
 * An event of a preview (or of another person's recent change) in words: what, on which line, how
 * much, in 元. Only what the server answered; nothing is computed.
 */
const EVENTS = {
  BudgetYearOpened: '新建预算年度',
  LineAllocated: '分配预算行',
  BudgetAdded: '追加预算',
  BudgetReduced: '追减预算',
  BudgetTransferred: '调剂预算',
  ExpenditureRecorded: '支出',
  EventReversed: '冲销',
  UnitTargetsSet: '设定单位整体绩效目标',
  ProjectTargetsSet: '设定项目绩效目标',
  YearClosed: '年终结账',
}

export const eventName = (type) => EVENTS[type] || type

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
