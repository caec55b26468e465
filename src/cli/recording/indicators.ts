import { Command as Cli, Option } from 'commander'
import * as E from 'fp-ts/Either'
import { indicatorReport } from '../../../projections/indicators/indicators'
import { closePreviewText } from '../../../projections/year-end/close-preview'
import { drillText, indicatorsText } from '../../../projections/indicators/indicators-render'
import type { AmountUnit } from '../../domain/money/money'
import { Year } from '../../domain/codecs/primitives'
import { closeYearCommand } from '../../ledger/opening-closing/close-year'
import { ledgerDeps } from '../../ledger/deps'
import { decodeCommandBody, problemOf, resultView } from '../../ledger/recording/handle-command'
import { UnknownIndicator, type WhatIf, explainIndicator, indicatorPreview, whatIf } from '../../ledger/reports/indicators'
import { openNextYear } from '../../ledger/opening-closing/open-next-year'
import { recordCommand } from '../../ledger/recording/record'
import { budgetYearAt } from '../../ledger/fold/snapshots/snapshots'
import { YearNotOpen } from '../../ledger/reports/tables'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import { cliActor, explainRecordError, readingStore, withStore } from '../program'
import { readScopeAt } from '../../ledger/reports/read-scope'
import { resolveReadScope, resolveTarget } from '../shell/target'
import { type TimeOptions, notOpenAt, timeNote, timePointOf, withTimeOptions } from '../shell/time-options'

/**
 * indicators, what-if, close-year and open-next-year on the command line. Text for people
 * (aligned, labelled), JSON for programs; the figures come from projections/indicators/indicators.ts.
 */

const FORMAT = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')

const today = (): string => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

const asCliError = (err: unknown): never => {
  if (err instanceof UnknownIndicator || err instanceof YearNotOpen) throw new CliError(err.message)
  throw err
}

export { indicatorPreview }

/** The labelled lines of a preview: each indicator that would change, or that none would. */
export const previewLines = (changes: ReadonlyArray<string>): Array<readonly [string, string]> =>
  changes.length === 0 ? [['indicators', 'no indicator would change']] : changes.map((c, i) => [i === 0 ? 'indicators after' : '', c] as const)

/** "p01=1200.00" or "p01=all", repeatable (--carry, --recover). */
const collectLineAmounts =
  (option: string) =>
  (value: string, previous: Record<string, string>): Record<string, string> => {
    const m = /^([^=]+)=(.+)$/.exec(value)
    if (!m) throw new CliError(`${option}: expected LINE=AMOUNT or LINE=all (e.g. p01=1200.00), got ${JSON.stringify(value)}`, 2)
    return { ...previous, [m[1]!]: m[2]! }
  }

export const registerIndicators = (cli: Cli, io: CliIo): void => {
  withTimeOptions(
    cli
      .command('indicators')
      .description('the performance indicators of a unit-year (预算执行率, 预算调整率, …) against its own targets')
      .option('--unit <code>', 'unit code, e.g. 101065')
      .option('--department <code>', 'a department: its units consolidated (合并), instead of --unit')
      .option('--year <year>', 'budget year, e.g. 2021')
      .option('--explain <name>', 'list the events behind one indicator (name or id, e.g. 预算调整率 or budget-adjustment)')
      .addOption(FORMAT()),
  ).action(
    readingStore(io, cli, async (store, o: { unit?: string; department?: string; year?: string; explain?: string; format: string } & TimeOptions) => {
      const at = timePointOf(o, io.env)
      const scope = await resolveReadScope(store, o)
      if (o.explain !== undefined) {
        const d = await explainIndicator(store, scope, o.explain, at).catch((err: unknown): never => {
          if (err instanceof YearNotOpen) throw notOpenAt(scope, at, o, io.env)
          return asCliError(err)
        })
        return io.out(o.format === 'json' ? json(d) : drillText(d) + timeNote(at, o, io.env))
      }
      const state = await readScopeAt(store, scope, at)
      if (!state.identity) throw notOpenAt(scope, at, o, io.env)
      const r = indicatorReport(state)
      io.out(o.format === 'json' ? json(r) : indicatorsText(r) + timeNote(at, o, io.env))
    }),
  )

  cli
    .command('what-if')
    .description('dry-run any command (the HTTP body {type, data, reason, document, effectiveDate}) and show the indicators it would change; writes nothing')
    .requiredOption('--command-json <json>', 'the command body as JSON')
    .option('--unit <code>', 'unit code')
    .option('--year <year>', 'budget year')
    .addOption(FORMAT())
    .action(
      readingStore(io, cli, async (store, o: { commandJson: string; unit?: string; year?: string; format: string }) => {
        let body: unknown
        try {
          body = JSON.parse(o.commandJson)
        } catch (err) {
          throw new CliError(`--command-json: not valid JSON: ${err instanceof Error ? err.message : String(err)}`, 2)
        }
        const decoded = decodeCommandBody(body)
        if (E.isLeft(decoded)) throw new CliError(decoded.left.detail, 1, decoded.left.errors.map((e) => `  ${e.path || '(input)'}: ${e.reason}`))
        const target = await resolveTarget(store, o)
        const r = await whatIf(ledgerDeps(store), target, [decoded.right.command], decoded.right.context, cliActor(io.env))
        if (E.isLeft(r)) {
          const p = problemOf(r.left)
          throw new CliError(p.kind === 'refused' ? `refused (${p.code}): ${p.detail}` : p.detail)
        }
        const view = resultView(target, r.right.recorded)
        if (o.format === 'json') return io.out(json({ ...view, indicators: r.right.after ?? null, changes: r.right.changes }))
        io.out(
          labelled([
            ['would record', view.events.map((e) => e.type).join(', ') || '(nothing)'],
            ['budget year', `${view.unit} ${view.year}`],
            ['revision', String(view.revision)],
            ...previewLines(r.right.changes),
            ['note', 'dry run: nothing was written'],
          ]),
        )
      }),
    )

  cli
    .command('close-year')
    .description('年终结账: split every line’s unspent amount into 结转 (carried into next year), 结余 and 收回 (taken back by the finance bureau); --carry and --recover name those, the rest is 结余')
    .option('--unit <code>', 'unit code')
    .option('--year <year>', 'budget year')
    .option('--carry <line=amount>', 'carry AMOUNT 元 (or "all", or 1.25万元) of LINE into next year; repeatable', collectLineAmounts('--carry'), {})
    .option('--recover <line=amount>', '收回: AMOUNT 元 (or "all", or 1.25万元) of LINE taken back by the finance bureau; repeatable', collectLineAmounts('--recover'), {})
    .addOption(new Option('--amount-unit <unit>', 'the unit the amounts of --carry and --recover are typed in: 元 (default) or 万元 (at most six decimals, exact to the 分)').choices(['元', '万元']))
    .option('--recovery-notice <ref>', 'the finance bureau’s 收回 notice (文号); needed with --recover')
    .option('--reason <text>', 'why (kept in the event)', '年终结账')
    .option('--document <ref>', 'approval document (批文号)')
    .option('--date <YYYY-MM-DD>', 'business date (default: today)')
    .option('--dry-run', 'decide and show the indicators after the close; write nothing')
    .option('--json', 'print the result as JSON')
    .action(
      withStore(
        io,
        cli,
        async (
          store,
          o: { unit?: string; year?: string; carry: Record<string, string>; recover: Record<string, string>; amountUnit?: AmountUnit; recoveryNotice?: string; reason: string; document?: string; date?: string; dryRun?: boolean; json?: boolean },
        ) => {
          const target = await resolveTarget(store, o)
          const { state } = await budgetYearAt(store, target.unit, target.year)
          if (!state.identity) throw new CliError(`no budget year ${target.year} for unit ${target.unit} in this ledger`)
          const command = closeYearCommand(state, o.carry, { recover: o.recover, ...(o.recoveryNotice === undefined ? {} : { recoveryNotice: o.recoveryNotice }) }, o.amountUnit)
          if (E.isLeft(command)) throw new CliError(`--${command.left.wish} ${command.left.line}: ${command.left.message}`)
          const body = { ...command.right, reason: o.reason, document: o.document ?? null, effectiveDate: o.date ?? today() }
          const decoded = decodeCommandBody(body)
          if (E.isLeft(decoded)) throw new CliError(decoded.left.detail, 1, decoded.left.errors.map((e) => `  ${e.path}: ${e.reason}`))
          const deps = ledgerDeps(store)
          const r = o.dryRun
            ? E.map((w: WhatIf) => w.recorded)(await whatIf(deps, target, [decoded.right.command], decoded.right.context, cliActor(io.env)))
            : await recordCommand(deps, target, decoded.right.command, decoded.right.context, cliActor(io.env))
          if (E.isLeft(r)) throw explainRecordError(r.left)
          const report = indicatorReport(r.right.state)
          const carry = report.indicators.find((i) => i.id === 'carry-over')!
          const close = command.right.type === 'CloseYear' ? command.right.data : { lines: [] }
          const { lines } = close
          const notice = 'recoveryNotice' in close ? close.recoveryNotice : undefined
          if (o.json) return io.out(json({ ...resultView(target, r.right), lines, ...(notice === undefined ? {} : { recoveryNotice: notice }), carryOverRate: carry }))
          io.out(
            labelled([
              [r.right.dryRun ? 'would record' : 'recorded', 'YearClosed'],
              ['budget year', `${target.unit} ${target.year}`],
              ...(notice === undefined ? [] : [['收回依据', notice] as const]),
              ['结转结余率', `${carry.value === null ? '—' : `${carry.value}%`}${carry.target ? `（目标 ${carry.target.text}）` : ''} ${carry.status}`],
              ['revision', String(r.right.revision)],
              ...(r.right.dryRun ? [['note', 'dry run: nothing was written'] as const] : []),
            ]) +
              '\n' +
              closePreviewText(state, lines),
          )
        },
      ),
    )

  cli
    .command('open-next-year')
    .description('open the year after a closed one, with its 结转 as 上年结转 lines')
    .option('--unit <code>', 'unit code of the closed year')
    .option('--year <year>', 'the closed year, e.g. 2021 (opens 2022)')
    .option('--reason <text>', 'why (kept in the events)')
    .option('--document <ref>', 'approval document (批文号)')
    .option('--date <YYYY-MM-DD>', 'business date (default: 1 January of the new year)')
    .option('--dry-run', 'show what would be recorded; write nothing')
    .option('--json', 'print the result as JSON')
    .action(
      withStore(io, cli, async (store, o: { unit?: string; year?: string; reason?: string; document?: string; date?: string; dryRun?: boolean; json?: boolean }) => {
        const source = await resolveTarget(store, o)
        if (!Year.is(source.year + 1)) throw new CliError(`--year: ${source.year + 1} is outside the years the ledger keeps`, 2)
        const r = await openNextYear(ledgerDeps(store), source, cliActor(io.env), o.dryRun ? { dryRun: true } : {}, {
          ...(o.reason === undefined ? {} : { reason: o.reason }),
          ...(o.document === undefined ? {} : { document: o.document }),
          ...(o.date === undefined ? {} : { effectiveDate: o.date }),
        })
        if (E.isLeft(r)) throw r.left.kind === 'source-not-closed' ? new CliError(r.left.message) : explainRecordError(r.left)
        const target = { unit: source.unit, year: source.year + 1 }
        const view = resultView(target, r.right)
        if (o.json) return io.out(json({ ...view, carriedOver: r.right.carriedOver }))
        io.out(
          labelled([
            [view.dryRun ? 'would record' : 'recorded', `${view.events.length} event(s)`],
            ['budget year', `${target.unit} ${target.year}`],
            ['上年结转', `${r.right.carriedOver} 元`],
            ...view.events
              .filter((e) => e.type === 'LineAllocated')
              .map((e) => {
                const d = e.data as { line: string; amount: string; carriedFrom?: { line: string } }
                return [`line ${d.line}`, `${d.amount} 元 (from ${source.year} line ${d.carriedFrom?.line ?? '?'})`] as const
              }),
            ['revision', String(view.revision)],
            ...(view.dryRun ? [['note', 'dry run: nothing was written'] as const] : []),
          ]),
        )
      }),
    )
}
