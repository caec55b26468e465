import * as E from 'fp-ts/Either'
import type Decimal from 'decimal.js'
import { type Command, type CommandContext, needsApprovalDocument } from '../events/commands'
import { type DomainError, domainError } from '../codecs/errors'
import type { DomainEvent, EventOf } from '../events/events'
import { ZERO, yuan } from '../money/money'
import { dateOutsideWindow } from './business-date'
import { evolve, isReversible } from './evolve'
import { type BudgetYearState, type Line, adjustedOf, availableOf, detailedOf, forkState, isReversed, journalEntry, specialFundsOf, spentOf } from './state'

type Decision = E.Either<DomainError, DomainEvent[]>

const fmt = (d: Decimal): string => `${d.toFixed(2)} 元`
const accept = (...events: DomainEvent[]): Decision => E.right(events)
const refuse = (...args: Parameters<typeof domainError>): Decision => E.left(domainError(...args))
/** What takes budget from a line, named in both languages of a refusal. */
type Action = { readonly message: string; readonly words: string }
const targetNames = (l: Line): string => [...new Set(l.targets.map((t) => t.name))].join('、')

/**
 * Decides what a command records, given the budget year as it stands. Pure: the same state and
 * command always give the same answer. Every refusal says what is wrong in the ledger's terms.
 */
export const decide = (s: BudgetYearState, c: Command, ctx: CommandContext): Decision => {
  const outside = (year: number) => dateOutsideWindow(c.type, year, ctx.effectiveDate)
  if (c.type === 'OpenBudgetYear') {
    if (s.identity) return refuse('year-already-open', `budget year ${s.identity.year} of unit ${s.identity.unit.code} is already open`, `单位 ${s.identity.unit.code} 的 ${s.identity.year} 预算年度已经开启`)
    const why = outside(c.data.year)
    return why ? refuse('date-outside-year', why.message, why.words, 'effectiveDate') : accept({ type: 'BudgetYearOpened', data: c.data })
  }
  const id = s.identity
  if (!id) return refuse('year-not-open', 'the budget year is not open: open it before recording anything in it', '该预算年度尚未开启：请先开启预算年度再记账')
  if (s.closed) return refuse('year-closed', `budget year ${id.year} of unit ${id.unit.code} is closed: it takes no more changes`, `单位 ${id.unit.code} 的 ${id.year} 预算年度已结账，不能再作任何变动`)
  if (needsApprovalDocument(c) && ctx.document === null)
    return refuse('document-required', 'a budget adjustment needs the approval document that authorised it', '预算调整须附批准文件（批复文号）', 'document')
  const why = outside(id.year)
  if (why) return refuse('date-outside-year', why.message, why.words, 'effectiveDate')

  const line = (lineId: string, path: string): E.Either<DomainError, Line> => {
    const l = s.lines.get(lineId)
    return l ? E.right(l) : E.left(domainError('unknown-line', `there is no budget line "${lineId}" in ${id.year}`, `${id.year} 年度没有预算科目 "${lineId}"`, path))
  }
  /** A line may lose budget only down to what it has already spent. */
  const canLose = (l: Line, amount: Decimal, path: string, what: Action): E.Either<DomainError, Line> =>
    adjustedOf(l).minus(amount).lt(spentOf(l))
      ? E.left(
          domainError(
            'below-spent',
            `${what.message} of ${fmt(amount)} would leave line "${l.id}" at ${fmt(adjustedOf(l).minus(amount))}, below the ${fmt(spentOf(l))} it has already spent`,
            `${what.words} ${fmt(amount)} 后，科目 "${l.id}" 的预算将为 ${fmt(adjustedOf(l).minus(amount))}，低于已支出的 ${fmt(spentOf(l))}`,
            path,
          ),
        )
      : E.right(l)

  switch (c.type) {
    case 'AllocateLine': {
      const d = c.data
      if (s.lines.has(d.line)) return refuse('line-exists', `budget line "${d.line}" already exists`, `预算科目 "${d.line}" 已存在`, 'data.line')
      if (d.kind === 'project' && d.projectName === null)
        return refuse('line-shape', 'a project line needs its project name', '项目支出科目须填写项目名称', 'data.projectName')
      if (d.kind === 'basic' && d.projectName !== null)
        return refuse('line-shape', 'a basic-expenditure line has no project name', '基本支出科目不填写项目名称', 'data.projectName')
      if (d.kind === 'project' && d.basicCategory !== null)
        return refuse('line-shape', 'personnel/operating applies to basic expenditure only', '人员经费/公用经费仅适用于基本支出', 'data.basicCategory')
      if (yuan(d.amount).isNegative())
        return refuse('line-shape', 'an initial allocation cannot be negative', '年初预算数不能为负数', 'data.amount')
      if (d.carriedFundSource !== undefined) {
        if (d.fundSource !== 'carriedForward')
          return refuse('carried-from', 'only a line carried in (fund source carriedForward, 上年结转) names the fund source its money came from', '只有资金来源为上年结转的科目才填写结转资金的原资金来源', 'data.carriedFundSource')
        if (d.carriedFundSource === 'carriedForward')
          return refuse('carried-from', 'the fund source carried money came from is where it was budgeted (e.g. general.appropriation), not carriedForward', '结转资金的原资金来源是其原预算来源（如一般公共预算拨款），不能是上年结转', 'data.carriedFundSource')
      }
      if (d.carriedFrom !== undefined) {
        if (d.fundSource !== 'carriedForward')
          return refuse('carried-from', 'a line carried from an earlier year has fund source carriedForward (上年结转)', '从以前年度结转的科目，资金来源应为上年结转', 'data.fundSource')
        if (d.carriedFrom.year >= id.year)
          return refuse('carried-from', `a line of ${id.year} can carry only from an earlier year, not ${d.carriedFrom.year}`, `${id.year} 年度的科目只能从以前年度结转，不能从 ${d.carriedFrom.year} 年度结转`, 'data.carriedFrom.year')
        const again = [...s.lines.values()].find(
          (l) => l.carriedFrom?.year === d.carriedFrom!.year && l.carriedFrom.line === d.carriedFrom!.line,
        )
        if (again)
          return refuse('carried-from', `line "${d.carriedFrom.line}" of ${d.carriedFrom.year} is already carried forward, as line "${again.id}"`, `${d.carriedFrom.year} 年度科目 "${d.carriedFrom.line}" 已结转为科目 "${again.id}"`, 'data.carriedFrom')
      }
      return accept({ type: 'LineAllocated', data: d })
    }
    case 'AddToLine':
      return E.map(() => [{ type: 'BudgetAdded', data: c.data } as DomainEvent])(line(c.data.line, 'data.line'))
    case 'ReduceLine':
      return E.chain((l: Line) =>
        E.map(() => [{ type: 'BudgetReduced', data: c.data } as DomainEvent])(
          canLose(l, yuan(c.data.amount), 'data.amount', { message: 'a reduction', words: '调减' }),
        ),
      )(line(c.data.line, 'data.line'))
    case 'TransferBetweenLines': {
      const d = c.data
      if (d.from === d.to) return refuse('transfer-to-itself', `a transfer from line "${d.from}" to itself moves nothing`, `科目 "${d.from}" 不能调剂给自身`, 'data.to')
      const to = line(d.to, 'data.to')
      if (E.isLeft(to)) return to
      return E.chain((l: Line) =>
        E.map(() => [{ type: 'BudgetTransferred', data: d } as DomainEvent])(canLose(l, yuan(d.amount), 'data.amount', { message: 'a transfer', words: '调出' })),
      )(line(d.from, 'data.from'))
    }
    case 'RecordExpenditure': {
      const d = c.data
      return E.chain((l: Line) => {
        const after = spentOf(l).plus(yuan(d.amount))
        return after.gt(adjustedOf(l))
          ? refuse(
              'over-spend',
              `spending ${fmt(yuan(d.amount))} on line "${l.id}" would bring its spending to ${fmt(after)}, over its adjusted budget of ${fmt(adjustedOf(l))}`,
              `超支：科目 "${l.id}" 支出 ${fmt(yuan(d.amount))} 后累计支出 ${fmt(after)}，超过调整后预算 ${fmt(adjustedOf(l))}`,
              'data.amount',
            )
          : accept({ type: 'ExpenditureRecorded', data: d })
      })(line(d.line, 'data.line'))
    }
    case 'ReverseEvent':
      return decideReversal(s, c.data.event, canLose)
    case 'CorrectEntry':
      return decideCorrection(s, c.data, ctx, canLose)
    case 'SetEarmark':
      return accept({ type: 'EarmarkSet', data: c.data })
    case 'SetUnitTargets':
      return accept({ type: 'UnitTargetsSet', data: c.data })
    case 'SetProjectTargets':
      return E.chain((l: Line) =>
        l.kind === 'project'
          ? accept({ type: 'ProjectTargetsSet', data: c.data })
          : refuse('not-a-project', `line "${l.id}" is basic expenditure; performance targets belong to projects`, `科目 "${l.id}" 是基本支出；绩效目标只设于项目支出`, 'data.line'),
      )(line(c.data.line, 'data.line'))
    case 'DeclareSpecialFunds': {
      const d = c.data
      return E.chain((l: Line) => {
        if (l.kind !== 'project')
          return refuse('not-a-project', `line "${l.id}" is basic expenditure; special funds (专项资金) belong to projects`, `科目 "${l.id}" 是基本支出；专项资金只属于项目支出`, 'data.line')
        if (yuan(d.amount).gt(adjustedOf(l)))
          return refuse(
            'special-funds-over-budget',
            `declaring ${fmt(yuan(d.amount))} of line "${l.id}" as special funds exceeds its adjusted budget of ${fmt(adjustedOf(l))}`,
            `科目 "${l.id}" 申报专项资金 ${fmt(yuan(d.amount))}，超过其调整后预算 ${fmt(adjustedOf(l))}`,
            'data.amount',
          )
        if (yuan(d.amount).lt(detailedOf(l)))
          return refuse(
            'below-detailed',
            `declaring ${fmt(yuan(d.amount))} of line "${l.id}" as special funds is less than the ${fmt(detailedOf(l))} already detailed to recipients`,
            `科目 "${l.id}" 申报专项资金 ${fmt(yuan(d.amount))}，低于已分配细化的 ${fmt(detailedOf(l))}`,
            'data.amount',
          )
        return accept({ type: 'SpecialFundsDeclared', data: d })
      })(line(d.line, 'data.line'))
    }
    case 'DetailSpecialFunds': {
      const d = c.data
      return E.chain((l: Line) => {
        const after = detailedOf(l).plus(yuan(d.amount))
        return after.gt(specialFundsOf(l))
          ? refuse(
              'over-detail',
              `detailing ${fmt(yuan(d.amount))} of line "${l.id}" to ${d.recipient} would bring its detailed special funds to ${fmt(after)}, over the ${fmt(specialFundsOf(l))} declared to distribute`,
              `科目 "${l.id}" 向 ${d.recipient} 细化 ${fmt(yuan(d.amount))} 后，已细化专项资金累计 ${fmt(after)}，超过申报待分配的 ${fmt(specialFundsOf(l))}`,
              'data.amount',
            )
          : accept({ type: 'SpecialFundsDetailed', data: d })
      })(line(d.line, 'data.line'))
    }
    case 'ScheduleEvaluation':
      return E.chain((l: Line) =>
        l.kind !== 'project'
          ? refuse('not-a-project', `line "${l.id}" is basic expenditure; performance evaluations are of projects`, `科目 "${l.id}" 是基本支出；绩效评价只针对项目支出`, 'data.line')
          : l.keyEvaluation
            ? refuse('already-scheduled', `project "${l.id}" is already one of the key evaluations`, `项目 "${l.id}" 已列入部门重点绩效评价项目`, 'data.line')
            : accept({ type: 'EvaluationScheduled', data: c.data }),
      )(line(c.data.line, 'data.line'))
    case 'CompleteReview':
      return E.chain((l: Line) => decideReview(s, l, c.data))(line(c.data.line, 'data.line'))
    case 'AdoptRecommendation': {
      const r = s.recommendations.get(c.data.recommendation)
      if (!r) return refuse('unknown-recommendation', `there is no recommendation "${c.data.recommendation}" in ${id.year}`, `${id.year} 年度没有整改建议 "${c.data.recommendation}"`, 'data.recommendation')
      if (r.adopted) return refuse('already-adopted', `recommendation "${r.id}" was already adopted`, `整改建议 "${r.id}" 已采纳`, 'data.recommendation')
      return accept({ type: 'RecommendationAdopted', data: c.data })
    }
    case 'RecordTargetActual':
      return E.chain((l: Line) =>
        l.targets.some((t) => t.name === c.data.target)
          ? accept({ type: 'TargetActualRecorded', data: c.data })
          : refuse(
              'unknown-target',
              `line "${l.id}" has no performance target "${c.data.target}"${l.targets.length ? ` (its targets: ${targetNames(l)})` : ' (it has no targets)'}`,
              `科目 "${l.id}" 没有绩效指标 "${c.data.target}"${l.targets.length ? `（现有指标：${targetNames(l)}）` : '（尚未设定绩效指标）'}`,
              'data.target',
            ),
      )(line(c.data.line, 'data.line'))
    case 'CloseYear':
      return decideClose(s, c.data)
  }
}

const REVIEW_NAME = { monitoring: '绩效监控', selfEvaluation: '绩效自评', evaluation: '部门绩效评价' } as const

const decideReview = (s: BudgetYearState, l: Line, d: EventOf<'ReviewCompleted'>['data']): Decision => {
  if (l.kind !== 'project') return refuse('not-a-project', `line "${l.id}" is basic expenditure; performance reviews are of projects`, `科目 "${l.id}" 是基本支出；绩效监控与评价只针对项目支出`, 'data.line')
  if (d.review === 'evaluation' && !l.keyEvaluation)
    return refuse('not-scheduled', `project "${l.id}" is not one of the key evaluations (部门重点绩效评价项目): schedule it first`, `项目 "${l.id}" 未列入部门重点绩效评价项目：请先列入`, 'data.review')
  if (l.reviews[d.review]) return refuse('review-already-done', `the ${REVIEW_NAME[d.review]} of project "${l.id}" is already done`, `项目 "${l.id}" 的${REVIEW_NAME[d.review]}已经完成`, 'data.review')
  const seen = new Set<string>()
  for (const [i, r] of d.recommendations.entries()) {
    if (seen.has(r.id) || s.recommendations.has(r.id))
      return refuse('duplicate-recommendation', `recommendation id "${r.id}" is already used`, `整改建议编号 "${r.id}" 已被使用`, `data.recommendations[${i}].id`)
    seen.add(r.id)
  }
  return accept({ type: 'ReviewCompleted', data: d })
}

/**
 * The close splits each line's unspent amount (adjusted − spent) into 结转, 结余 and 收回, exactly.
 * Every line with money left must be split; a fully spent line may be left out (or given zeros).
 * 收回 needs the finance bureau's notice, and a notice needs some 收回 to cite it for.
 */
const decideClose = (s: BudgetYearState, d: EventOf<'YearClosed'>['data']): Decision => {
  const seen = new Set<string>()
  for (const [i, c] of d.lines.entries()) {
    const path = `data.lines[${i}]`
    const l = s.lines.get(c.line)
    if (!l) return refuse('unknown-line', `there is no budget line "${c.line}" in ${s.identity!.year}`, `${s.identity!.year} 年度没有预算科目 "${c.line}"`, `${path}.line`)
    if (seen.has(c.line)) return refuse('close-duplicate-line', `line "${c.line}" is split twice in the close`, `年终结账中科目 "${c.line}" 重复列出`, `${path}.line`)
    seen.add(c.line)
    const parts = closingParts(c)
    const described = parts.map(([name, amount]) => `${name} ${fmt(amount)}`)
    if (parts.some(([, amount]) => amount.isNegative()))
      return refuse('close-mismatch', `line "${l.id}": ${parts.map(([name]) => name).join('、')} cannot be negative (got ${described.join(', ')})`, `科目 "${l.id}"：${parts.map(([name]) => name).join('、')}不能为负数（填写的是 ${described.join('，')}）`, path)
    const split = parts.reduce((a, [, amount]) => a.plus(amount), ZERO)
    const available = availableOf(l)
    if (!split.eq(available))
      return refuse(
        'close-mismatch',
        `line "${l.id}": ${described.join(' + ')} = ${fmt(split)}, but its available amount is ${fmt(available)} (adjusted ${fmt(adjustedOf(l))} − spent ${fmt(spentOf(l))})`,
        `科目 "${l.id}"：${described.join(' + ')} = ${fmt(split)}，与可用余额 ${fmt(available)} 不符（调整后预算 ${fmt(adjustedOf(l))} − 已支出 ${fmt(spentOf(l))}）`,
        path,
      )
  }
  const missing = [...s.lines.values()].filter((l) => !seen.has(l.id) && !availableOf(l).eq(ZERO))
  if (missing.length > 0)
    return refuse(
      'close-missing-line',
      `the close must split every line with money left into 结转, 结余 and 收回; missing: ${missing.map((l) => `"${l.id}" (${fmt(availableOf(l))} available)`).join(', ')}`,
      `年终结账须将每个尚有余额的科目分为结转、结余和收回；缺少：${missing.map((l) => `"${l.id}"（可用余额 ${fmt(availableOf(l))}）`).join('，')}`,
      'data.lines',
    )
  const recovers = d.lines.some((c) => !yuan(c.recovered ?? ZERO).isZero())
  if (recovers && d.recoveryNotice === undefined)
    return refuse('document-required', 'money taken back (收回) needs the finance bureau’s 收回 notice: give its 文号 as recoveryNotice', '收回资金须附财政部门的收回通知：请填写其文号', 'data.recoveryNotice')
  if (!recovers && d.recoveryNotice !== undefined)
    return refuse('close-mismatch', `the close cites 收回 notice "${d.recoveryNotice}" but takes nothing back (收回 is 0 on every line)`, `年终结账引用了收回通知 "${d.recoveryNotice}"，但各科目收回均为 0`, 'data.recoveryNotice')
  return accept({ type: 'YearClosed', data: d })
}

/** A line's outcomes as named in the close; 收回 only when given, so older refusals read as they did. */
const closingParts = (c: EventOf<'YearClosed'>['data']['lines'][number]): Array<readonly [string, Decimal]> => [
  ['结转', yuan(c.carryOver)],
  ['结余', yuan(c.balance)],
  ...(c.recovered === undefined ? [] : [['收回', yuan(c.recovered)] as const]),
]

const decideReversal = (
  s: BudgetYearState,
  eventId: string,
  canLose: (l: Line, amount: Decimal, path: string, what: Action) => E.Either<DomainError, Line>,
): Decision => {
  const entry = journalEntry(s, eventId)
  if (!entry) return refuse('unknown-event', `there is no reversible event ${eventId} in this budget year`, `本预算年度没有可冲销的记录 ${eventId}`, 'data.event')
  if (!isReversible(entry.event)) return refuse('not-reversible', `event ${eventId} cannot be reversed`, `记录 ${eventId} 不能冲销`, 'data.event')
  if (isReversed(s, entry)) return refuse('already-reversed', `event ${eventId} was already reversed`, `记录 ${eventId} 已冲销`, 'data.event')
  const reversal: DomainEvent = { type: 'EventReversed', data: { event: eventId } }
  const e = entry.event
  const losing = (lineId: string, amount: string) => {
    const l = s.lines.get(lineId)!
    return E.map(() => [reversal])(canLose(l, yuan(amount), 'data.event', { message: 'undoing this event', words: '冲销该记录，减少预算' }))
  }
  switch (e.type) {
    case 'BudgetAdded':
      return losing(e.data.line, e.data.amount)
    case 'BudgetTransferred':
      return losing(e.data.to, e.data.amount)
    case 'BudgetReduced':
    case 'ExpenditureRecorded':
    case 'SpecialFundsDetailed':
      return accept(reversal)
  }
}

/**
 * 更正: the reversal and the replacement decided together, the replacement against the year as the
 * reversal leaves it (a corrected expenditure may use the room its own reversal frees), so that
 * both are recorded in one append or neither is. A refusal of the replacement names its field
 * under `data.replacement`.
 */
const decideCorrection = (
  s: BudgetYearState,
  d: Extract<Command, { type: 'CorrectEntry' }>['data'],
  ctx: CommandContext,
  canLose: (l: Line, amount: Decimal, path: string, what: Action) => E.Either<DomainError, Line>,
): Decision => {
  const reversal = decideReversal(s, d.event, canLose)
  if (E.isLeft(reversal)) return reversal
  // On a fork: the state given is shared (the snapshot cache's) and must not see the reversal.
  const reversed = reversal.right.reduce((st, event, i) => evolve(st, { id: `${d.event}#reversal`, revision: s.revision + 1 + i, event }), forkState(s))
  const replacement = decide(reversed, d.replacement, ctx)
  if (E.isLeft(replacement)) {
    const e = replacement.left
    const path = e.path === undefined ? 'data.replacement' : e.path.startsWith('data') ? `data.replacement.${e.path}` : e.path
    return refuse(e.code, `the replacement: ${e.message}`, `更正后的记录：${e.words}`, path)
  }
  return accept(...reversal.right, ...replacement.right)
}
