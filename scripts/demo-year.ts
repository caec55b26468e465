/**
 * A demo year of execution on top of the 2021 sample (docs/demo-year.md): monthly spending per
 * project, adjustments (ordinary and exempt), a correction (a reversal and re-entry), “三公”
 * spending, a procurement plan and its execution, special-fund detailing, monitoring, self-evaluation
 * and evaluation with their recommendations, actual results of project targets, the year-end close
 * with carry-over, and 2022 opened with the 上年结转.
 *
 * EVERY event it records is marked `synthetic: true` in its metadata: the figures are made up. The
 * sample's own events (the published budget) are not touched; the sample is imported first if the
 * store does not hold it yet (as itself, not synthetic).
 *
 *   npx tsx scripts/demo-year.ts --db PATH        (default ./data/ledger.db; --store URL also works)
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import type { Command } from '../src/domain/events/commands'
import { closeYearCommand } from '../src/ledger/opening-closing/close-year'
import { type Actor, type LedgerDeps, ledgerDeps } from '../src/ledger/deps'
import { importBudgetFile } from '../src/ledger/recording/import-file'
import { loadBudgetYear } from '../src/ledger/fold/load'
import { openNextYear } from '../src/ledger/opening-closing/open-next-year'
import { type BatchStep, type RecordError, recordSteps } from '../src/ledger/recording/record'
import { samplePath } from '../src/package-root'
import { describeStore, openStore } from '../src/store/open'

export const DEMO = { unit: '101065', year: 2021 } as const
export const DEMO_ACTOR: Actor = { name: 'demo-year（演示数据）', role: 'finance' }
const SYNTHETIC = { synthetic: true } as const
const DOC = (n: number) => `区财预〔2021〕${n}号（演示）`

// ---- command builders ----------------------------------------------------------------------

type Data = Record<string, unknown>
const cmd = (type: string, data: Data): Command => ({ type, data }) as Command
const spend = (line: string, amount: string, voucher: string, economicCode: string | null, extra: { threePublic?: string; procurement?: string } = {}) =>
  cmd('RecordExpenditure', { line, amount, economicCode, voucher, threePublic: extra.threePublic ?? null, procurement: extra.procurement ?? null })
const add = (line: string, amount: string, category: string) => cmd('AddToLine', { line, amount, category })
const reduce = (line: string, amount: string, category: string) => cmd('ReduceLine', { line, amount, category })
const transfer = (from: string, to: string, amount: string, category: string) => cmd('TransferBetweenLines', { from, to, amount, category })
const review = (line: string, kind: 'monitoring' | 'selfEvaluation' | 'evaluation', recommendations: Array<[id: string, text: string]> = []) =>
  cmd('CompleteReview', { line, review: kind, recommendations: recommendations.map(([id, text]) => ({ id, text })) })
const actual = (line: string, target: string, value: string) => cmd('RecordTargetActual', { line, target, actual: value })

const PROJECTS = ['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p07', 'p08', 'p09', 'p10', 'p11'] as const
const MONTHS = ['03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const
const lastDay = (m: string) => ({ '02': '28', '04': '30', '06': '30', '09': '30', '11': '30' })[m] ?? '31'

/** One batch of the demo: recorded atomically on its business date, with its reason and document. */
interface Step {
  readonly date: string
  readonly reason: string
  readonly document?: string
  /** Commands, or a function of the ids of earlier steps' first events (by key), for reversals. */
  readonly commands: ReadonlyArray<Command> | ((ids: ReadonlyMap<string, string>) => ReadonlyArray<Command>)
  /** Remember the id of this step's first event under this key. */
  readonly key?: string
}

/**
 * The year, month by month (元). Totals: adjusted budget 9,118,400.00 (the sample's 9,043,400.00
 * + 30,000 − 5,000 ordinary + 50,000 exempt); spent 7,642,000.00; left 1,476,400.00, of which
 * 结转 1,420,000.00 (p05 1,400,000 + p01 20,000) and 结余 56,400.00. See docs/demo-year.md.
 */
export const demoSteps = (): Step[] => {
  const steps: Step[] = []
  // Routine spending, month by month (March, when the budget was approved, to December).
  for (const m of MONTHS) {
    const date = `2021-${m}-${lastDay(m)}`
    const commands: Command[] = [
      spend('basic', '30000.00', `记-${m}-01`, '30201'),
      ...(m === '05' ? [] : [spend('p01', '50000.00', `记-${m}-02`, '30227')]),
      spend('p02', '18000.00', `记-${m}-03`, '30211'),
    ]
    steps.push({ date, reason: `${Number(m)}月日常支出（演示）`, commands })
  }
  steps.push(
    // The correction: May's p01 entry keyed as 5,000.00 instead of 50,000.00, reversed and re-entered a week later.
    { date: '2021-05-31', reason: '5月工信科技金融工作经费支出（演示；金额录入有误）', key: 'wrong', commands: [spend('p01', '5000.00', '记-05-02', '30227')] },
    {
      date: '2021-06-07',
      reason: '更正：5月支出金额录入有误，冲销后重新录入（演示）',
      commands: (ids) => [cmd('ReverseEvent', { event: ids.get('wrong')! }), spend('p01', '50000.00', '记-05-02更', '30227')],
    },
    // One-off payments of the projects.
    { date: '2021-03-25', reason: '拨付目标考评综合奖、经济工作奖（演示）', commands: [spend('p08', '40000.00', '记-03-11', '30309'), spend('p09', '50000.00', '记-03-12', '30309')] },
    { date: '2021-03-31', reason: '扶贫小额信贷贴息一季度（演示）', commands: [spend('p11', '50000.00', '记-03-13', '31299')] },
    { date: '2021-04-15', reason: '拨付工业机器人政策奖励（演示）', commands: [spend('p03', '9300.00', '记-04-11', '31299')] },
    { date: '2021-04-20', reason: '拨付污染防治先进单位奖、营商环境奖（演示）', commands: [spend('p07', '20000.00', '记-04-12', '30309'), spend('p10', '30000.00', '记-04-13', '30309')] },
    { date: '2021-09-06', reason: '营商环境奖调剂后补发（演示）', commands: [spend('p10', '10000.00', '记-09-13', '30309')] },
    { date: '2021-05-20', reason: '拨付企业研发补助区级配套资金（第一批，演示）', commands: [spend('p04', '300000.00', '记-05-11', '31299')] },
    { date: '2021-06-18', reason: '拨付卷烟厂异地技改补助（第一期，演示）', commands: [spend('p05', '3000000.00', '记-06-11', '31299')] },
    { date: '2021-06-30', reason: '扶贫小额信贷贴息二季度（演示）', commands: [spend('p11', '50000.00', '记-06-13', '31299')] },
    { date: '2021-07-16', reason: '拨付企业研发补助区级配套资金（第二批，演示）', commands: [spend('p04', '232700.00', '记-07-11', '31299')] },
    { date: '2021-09-30', reason: '扶贫小额信贷贴息三季度（演示）', commands: [spend('p11', '50000.00', '记-09-13', '31299')] },
    { date: '2021-10-22', reason: '拨付卷烟厂异地技改补助（第二期，演示）', commands: [spend('p05', '2600000.00', '记-10-11', '31299')] },
    { date: '2021-12-20', reason: '扶贫小额信贷贴息四季度及追加部分（演示）', commands: [spend('p11', '50000.00', '记-12-13', '31299'), spend('p11', '50000.00', '记-12-14', '31299')] },
    {
      date: '2021-11-30',
      reason: '评审专项工作专家劳务费（演示）',
      commands: [spend('p06', '8000.00', '记-11-21', '30226'), spend('p06', '7000.00', '记-11-22', '30226'), spend('p06', '5000.00', '记-11-23', '30226')],
    },
    // “三公”: 公务接待 for 招商 (budget 21,000.00; 4 × 2,500.00 = 10,000.00 spent).
    ...['04', '06', '09', '11'].map((m, i) => ({
      date: `2021-${m}-10`,
      reason: `招商引资公务接待（演示）`,
      commands: [spend('p02', '2500.00', `记-${m}-3${i}`, '30217', { threePublic: 'reception' })],
    })),
    // Procurement: the seed says the plan would be filed once the staff arrived; filed in June, executed after.
    { date: '2021-06-15', reason: '人员到位后报备政府采购预算（演示）', document: DOC(31), commands: [cmd('SetEarmark', { earmark: 'procurement.goods', amount: '60000.00' }), cmd('SetEarmark', { earmark: 'procurement.services', amount: '40000.00' })] },
    { date: '2021-09-08', reason: '采购办公设备（政府采购·货物，演示）', commands: [spend('p01', '55000.00', '记-09-41', '31002', { procurement: 'goods' })] },
    { date: '2021-10-12', reason: '采购招商推介服务（政府采购·服务，演示）', commands: [spend('p02', '35000.00', '记-10-42', '30227', { procurement: 'services' })] },
    // Adjustments: ordinary (counted by 预算调整率) and exempt (higher-level assignment: left out).
    { date: '2021-06-10', reason: '加大招商力度追加经费（演示）', document: DOC(21), commands: [add('p02', '30000.00', 'ordinary')] },
    { date: '2021-07-05', reason: '评审工作量减少追减（演示）', document: DOC(22), commands: [reduce('p06', '5000.00', 'ordinary')] },
    { date: '2021-08-12', reason: '目标考评综合奖调剂至营商环境奖（演示）', document: DOC(23), commands: [transfer('p08', 'p10', '10000.00', 'ordinary')] },
    { date: '2021-11-15', reason: '上级临时交办：扶贫小额信贷贴息追加（演示）', document: DOC(24), commands: [add('p11', '50000.00', 'higherLevelAssignment')] },
    // Special funds to distribute, and their detailing to named recipients.
    {
      date: '2021-04-30',
      reason: '明确参与分配的专项资金（演示）',
      commands: [cmd('DeclareSpecialFunds', { line: 'p04', amount: '532700.00' }), cmd('DeclareSpecialFunds', { line: 'p05', amount: '7000000.00' })],
    },
    {
      date: '2021-05-15',
      reason: '研发补助配套资金细化到企业（演示；企业名称为虚构）',
      commands: [
        cmd('DetailSpecialFunds', { line: 'p04', recipient: '示例科技有限公司甲（虚构）', amount: '200000.00' }),
        cmd('DetailSpecialFunds', { line: 'p04', recipient: '示例智能装备有限公司乙（虚构）', amount: '150000.00' }),
        cmd('DetailSpecialFunds', { line: 'p04', recipient: '示例新材料有限公司丙（虚构）', amount: '182700.00' }),
      ],
    },
    { date: '2021-06-01', reason: '技改补助第一阶段细化到承担单位（演示）', commands: [cmd('DetailSpecialFunds', { line: 'p05', recipient: '洛阳卷烟厂', amount: '6300000.00' })] },
    // Performance management: monitoring of every project, key evaluations, self-evaluations.
    { date: '2021-08-31', reason: '年中绩效监控（演示）', commands: PROJECTS.map((p) => review(p, 'monitoring')) },
    { date: '2021-09-01', reason: '确定部门重点绩效评价项目（演示）', commands: [cmd('ScheduleEvaluation', { line: 'p04' }), cmd('ScheduleEvaluation', { line: 'p05' })] },
    {
      date: '2021-11-20',
      reason: '部门重点绩效评价（演示）',
      commands: [
        review('p04', 'evaluation', [['2021-E-p04-1', '补助资金拨付后跟踪企业研发投入（演示）'], ['2021-E-p04-2', '细化产出指标（演示）']]),
        review('p05', 'evaluation', [['2021-E-p05-1', '按技改进度分期拨付（演示）'], ['2021-E-p05-2', '建立项目台账（演示）'], ['2021-E-p05-3', '增加效益类量化指标（演示）']]),
      ],
    },
    {
      date: '2021-12-10',
      reason: '评价意见建议采纳（演示）',
      commands: ['2021-E-p04-1', '2021-E-p04-2', '2021-E-p05-1', '2021-E-p05-2'].map((r) => cmd('AdoptRecommendation', { recommendation: r })),
    },
    { date: '2021-12-28', reason: '项目绩效自评（演示）', commands: PROJECTS.map((p) => review(p, 'selfEvaluation')) },
    {
      date: '2021-12-28',
      reason: '绩效目标实际完成值（演示）',
      commands: [
        actual('p01', '全年开展安全生产指导、检查次数', '14'),
        actual('p01', '企业反映问题办结率', '96'),
        actual('p01', '民营经济发展情况', '良好'),
        actual('p02', '招商次数', '8'),
        actual('p02', '厉行节约', '22.5'),
        actual('p03', '奖励资金拨付时间', '10'),
        actual('p05', '奖励资金拨付时间', '12'),
        actual('p06', '参与评审专家', '5'),
        actual('p11', '贴息资金拨付时间', '9'),
      ],
    },
  )
  // In business-date order (a stable sort keeps same-day steps as listed).
  return steps.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

export interface DemoSummary {
  readonly events: number
  readonly carriedOver: string
  readonly store: string
}

export class DemoError extends Error {}

const explain = (e: RecordError): string =>
  e.kind === 'refused' ? `refused (${e.error.code}): ${e.error.message}` : e.kind === 'stale' ? 'the budget year changed meanwhile' : 'too many concurrent changes'

/** The year-end close: p05's unpaid second phase and 20,000.00 of p01 are carried over, the rest is 结余. */
const CARRY = { p05: 'all', p01: '20000.00' } as const

/**
 * Records the demo year, all or nothing: every step and the year-end close are decided first,
 * each against the state the earlier ones leave (the pure decide/evolve), then appended as ONE
 * batch, the path a budget-file import takes; if any step is refused, the error names it and
 * nothing is written. 2022 is opened after (another stream). Progress goes to `progress`, one line
 * per step. A ledger that already holds the demo is told so, and nothing is written; the sample's
 * own events are never altered.
 */
export const recordDemoYear = async (deps: LedgerDeps, progress: (line: string) => void = () => {}): Promise<Omit<DemoSummary, 'store'>> => {
  let year = await loadBudgetYear(deps.store, DEMO.unit, DEMO.year)
  if (!year.state.identity) {
    progress('importing the 2021 sample (the published budget; not synthetic)')
    const imported = await importBudgetFile(deps, JSON.parse(readFileSync(samplePath(), 'utf8')), { name: 'sample import (scripts/demo-year.ts)', role: 'finance' })
    if (E.isLeft(imported)) throw new DemoError(`the sample could not be imported: ${JSON.stringify(imported.left)}`)
    year = await loadBudgetYear(deps.store, DEMO.unit, DEMO.year)
  }
  const synthetic = year.events.filter((e) => e.metadata.synthetic === true).length
  if (synthetic > 0)
    throw new DemoError(`the demo year is already recorded in this ledger (${synthetic} synthetic events in ${DEMO.year} of unit ${DEMO.unit}); nothing was written`)
  if (year.state.closed) throw new DemoError(`budget year ${DEMO.year} of unit ${DEMO.unit} is already closed; nothing was written`)
  if ((await loadBudgetYear(deps.store, DEMO.unit, DEMO.year + 1)).state.identity)
    throw new DemoError(`budget year ${DEMO.year + 1} of unit ${DEMO.unit} is already open, so the demo could not open it with the 结转; nothing was written`)

  const steps = demoSteps()
  const total = steps.length + 3
  const label = (i: number, date: string, what: string) => `[${String(i + 1).padStart(2)}/${total}] ${date}  ${what}`
  const keyed = new Map(steps.flatMap((s, i) => (s.key ? [[s.key, i] as const] : [])))
  const close: Step = { date: `${DEMO.year}-12-31`, reason: '年终结账（演示）', document: DOC(99), commands: [] }
  let perStep: ReadonlyArray<number> = []
  const batch: BatchStep[] = [
    ...steps.map(
      (step): BatchStep => ({
        ctx: { reason: step.reason, document: step.document ?? null, effectiveDate: step.date },
        commands:
          typeof step.commands === 'function'
            ? (before) => (step.commands as (ids: ReadonlyMap<string, string>) => ReadonlyArray<Command>)(new Map([...keyed].map(([k, i]) => [k, before.events[i]![0]!.id])))
            : step.commands,
      }),
    ),
    {
      ctx: { reason: close.reason, document: close.document ?? null, effectiveDate: close.date },
      commands: (before) => {
        perStep = before.events.map((e) => e.length)
        const command = closeYearCommand(before.state, CARRY)
        if (E.isLeft(command)) throw new DemoError(`${label(steps.length, close.date, 'year-end close')}: ${command.left.message}; nothing was written`)
        return [command.right]
      },
    },
  ]
  const recorded = await recordSteps(deps, DEMO, batch, DEMO_ACTOR, { metadata: SYNTHETIC })
  if (E.isLeft(recorded)) {
    const e = recorded.left
    const at = e.kind === 'refused' && e.step !== undefined ? e.step : undefined
    const which = at === undefined ? '' : at < steps.length ? `${label(at, steps[at]!.date, steps[at]!.reason)}: ` : `${label(at, close.date, 'year-end close')}: `
    throw new DemoError(`${which}${explain(e)}; nothing was written (the demo records all its steps or none)`)
  }
  steps.forEach((step, i) => progress(label(i, step.date, `${step.reason}  (${perStep[i]} event${perStep[i] === 1 ? '' : 's'})`)))
  progress(label(steps.length, close.date, 'year-end close  (1 event)'))
  let events = recorded.right.events.length

  const opened = await openNextYear(deps, DEMO, DEMO_ACTOR, { metadata: SYNTHETIC }, { reason: '2021 年结转资金列入 2022 年上年结转（演示）', effectiveDate: '2022-01-01' })
  if (E.isLeft(opened))
    throw new DemoError(`2021 was recorded, but opening 2022 failed: ${opened.left.kind === 'source-not-closed' ? opened.left.message : explain(opened.left)}`)
  events += opened.right.events.length
  progress(label(steps.length + 1, '2022-01-01', `opened 2022 with 上年结转 ${opened.right.carriedOver} 元  (${opened.right.events.length} events)`))
  progress(`[${total}/${total}] done: ${events} synthetic events`)
  return { events, carriedOver: opened.right.carriedOver }
}

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const arg = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  if (argv.includes('--help')) {
    process.stdout.write('usage: npx tsx scripts/demo-year.ts [--db PATH | --store URL]\nRecords a synthetic year of execution on top of the 2021 sample (docs/demo-year.md).\n')
    return 0
  }
  const choice = { ...(arg('--db') ? { db: arg('--db')! } : {}), ...(arg('--store') ? { store: arg('--store')! } : {}) }
  const store = openStore(choice)
  try {
    process.stdout.write(`demo year → ${describeStore(choice)}\n`)
    const summary = await recordDemoYear(ledgerDeps(store), (line) => process.stdout.write(`${line}\n`))
    process.stdout.write(`recorded ${summary.events} synthetic events; 2021 closed with 结转 ${summary.carriedOver} 元 carried into 2022\n`)
    process.stdout.write('see: budget-ledger indicators --unit 101065 --year 2021\n')
    return 0
  } catch (err) {
    process.stderr.write(`demo-year: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  } finally {
    await store.close()
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
