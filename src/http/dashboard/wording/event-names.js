/* The ledger's event types in people's words: one vocabulary for every screen that lists or previews events. */

/** The event types in the ledger's words (labels only; the server's types stay in data-type). */
export const EVENT_NAMES = {
  BudgetYearOpened: '新建预算年度',
  LineAllocated: '分配预算行',
  BudgetAdded: '追加预算',
  BudgetReduced: '追减预算',
  BudgetTransferred: '调剂预算',
  ExpenditureRecorded: '支出',
  EventReversed: '冲销',
  EarmarkSet: '设定专项预算',
  UnitTargetsSet: '设定单位整体绩效目标',
  ProjectTargetsSet: '设定项目绩效目标',
  SpecialFundsDeclared: '申报专项资金',
  SpecialFundsDetailed: '细化专项资金',
  EvaluationScheduled: '安排绩效评价',
  ReviewCompleted: '完成评价',
  RecommendationAdopted: '采纳意见建议',
  TargetActualRecorded: '记录指标实际值',
  YearClosed: '年终结账',
}
