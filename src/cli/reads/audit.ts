import { readFileSync, writeFileSync } from 'node:fs'
import { type Command as Cli, Option } from 'commander'
import * as E from 'fp-ts/Either'
import type { HistoryEntry } from '../../../projections/audit/history'
import { type HistoryFilterInput, parseHistoryFilter } from '../../../projections/audit/history-filter'
import type { LineView } from '../../../projections/audit/line-view'
import { EVENT_TYPES } from '../../domain/events/events'
import { yearLine } from '../../ledger/reports/line-view'
import { parseAsOf, timeInZone } from '../../domain/time/as-of'
import { type CellAnswer, type DepartmentCellAnswer, type TableDiff, UnknownCell, UnknownLine, type YearHistory, explainDepartmentCell, explainTableCell, tableDiff, yearHistory } from '../../ledger/reports/audit'
import { UnknownTable, YearNotOpen } from '../../ledger/reports/tables'
import { bundledCatalogue } from '../../reference/catalogue'
import { type Digest, parseDigest } from '../../store/chain/digest'
import type { EventStore } from '../../store/port'
import { type VerifyReport, takeDigest, verifyLog } from '../../store/chain/verify'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import { readingStore } from '../program'
import { resolveReadScope, resolveUnitRead } from '../shell/target'
import { type TimeOptions, ledgerTimeZone, notOpenAt, timeNote, timePointOf, withTimeOptions } from '../shell/time-options'

/**
 * The auditor's commands (docs/audit.md): history, diff, explain, verify, digest. Thin: they parse
 * flags, call src/ledger/reports/audit.ts or src/store/chain/verify.ts, and print.
 */

const FORMAT = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')

interface Common extends TimeOptions {
  unit?: string
  department?: string
  year?: string
  format: string
}

/** The ledger's refusals, as CLI errors. */
const explained = async <T>(target: Parameters<typeof notOpenAt>[0], at: Parameters<typeof notOpenAt>[1], o: TimeOptions, io: CliIo, f: () => Promise<T>): Promise<T> => {
  try {
    return await f()
  } catch (err) {
    if (err instanceof YearNotOpen) throw notOpenAt(target, at, o, io.env)
    // A cell the table does not have is named wrongly, as a bad flag is.
    if (err instanceof UnknownCell) throw new CliError(err.message, 2)
    if (err instanceof UnknownLine || err instanceof UnknownTable || err instanceof RangeError) throw new CliError(err.message)
    throw err
  }
}

/** The flag of each filter input. */
const FLAG_OF: Record<keyof HistoryFilterInput, string> = {
  document: 'document',
  person: 'person',
  type: 'type',
  from: 'from',
  to: 'to',
  effectiveFrom: 'effective-from',
  effectiveTo: 'effective-to',
}

const short = (data: unknown): string => {
  const text = JSON.stringify(data)
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

/**
 * One event as an auditor reads it: when (in the ledger's time zone), what, who, why, on what
 * authority, and the balances after.
 */
const eventBlock = (zone: string) => (e: HistoryEntry): string[] => [
  `#${e.revision}  ${e.type}  recorded ${timeInZone(e.recordedAt, zone)}  effective ${e.effectiveDate}`,
  `    by ${e.actor} (${e.role})  document ${e.document ?? '—'}  reason ${e.reason}`,
  `    id ${e.id}${e.reverses ? `  reverses ${e.reverses}` : ''}  data ${short(e.data)}`,
  ...(e.balances.length ? [`    after: ${e.balances.map((b) => `${b.line} budget ${b.budget} spent ${b.spent} 元`).join('; ')}`] : []),
]

const historyText = (h: YearHistory, zone: string, note: string): string =>
  [
    `history of ${h.line === undefined ? `budget year ${h.year} of unit ${h.unit}` : `line ${h.line} of ${h.year}, unit ${h.unit}`}: ${h.entries.length} event(s)${h.filter ? ` (filtered: ${JSON.stringify(h.filter)})` : ''}`,
    ...h.entries.flatMap(eventBlock(zone)),
  ].join('\n') + `\n${note}`

/** A diffed cell's value: null is a row not there on that side, '' a blank cell. */
const shown = (v: string | null): string => (v === null ? '(no row)' : v === '' ? '(blank)' : v)

const diffText = (d: TableDiff, zone: string): string => {
  const out = [
    `table ${d.table.code} ${d.table.title} (${d.table.id}), unit ${d.unit}, ${d.year}`,
    `as of ${timeInZone(d.from, zone)} → as of ${timeInZone(d.to, zone)}${d.effective ? `, effective ${d.effective}` : ''}: ${d.changes.length} cell(s) changed; ${d.events.length} event(s) recorded in between (revisions ${d.revisions.from + 1}..${d.revisions.to})`,
  ]
  for (const c of d.changes)
    out.push(
      `  row ${c.row} "${c.rowKey}" column ${c.column} "${c.columnLabel}": ${shown(c.from)} → ${shown(c.to)}${c.events.length ? `  by ${c.events.join(', ')}` : ''}`,
    )
  if (d.events.length) out.push('', 'events recorded in between:', ...d.events.flatMap(eventBlock(zone)))
  return `${out.join('\n')}\n`
}

/** "lines[p01].added.ordinary", "lines[p01].initial" → "lines[p01]: added, initial": for people. */
const groupFigures = (figures: ReadonlyArray<string>): string => {
  const groups = new Map<string, Set<string>>()
  for (const f of figures) {
    const m = /^([^.[]+\[[^\]]*\])\.([^.]+)/.exec(f)
    const head = m ? m[1]! : f
    const g = groups.get(head) ?? new Set<string>()
    if (m) g.add(m[2]!)
    groups.set(head, g)
  }
  return [...groups].map(([head, leaves]) => (leaves.size ? `${head}: ${[...leaves].join(', ')}` : head)).join('; ')
}

/** Where a cell is and what it prints, for people. */
const cellShown = (c: CellAnswer['cell']): string =>
  `${c.part === 'summary' ? `"${c.rowKey}"` : `row ${c.row} "${c.rowKey}" column ${c.column} "${c.columnLabel}"`} = ${c.text === '' ? '(blank)' : c.text}${c.kind === 'amount' ? ' 万元' : ''}`

const explainLines = (a: CellAnswer, zone: string): string[] => [
  `table ${a.table.code} ${a.table.title}, unit ${a.unit}, ${a.year}: ${cellShown(a.cell)}`,
  a.figures.length === 0
    ? '  it reads no recorded figure (a label, or a constant of the table)'
    : `  it reads${a.via === 'row' ? ' (a label: the figures of its row)' : ''}: ${groupFigures(a.figures)}`,
  `  ${a.events.length} event(s) behind it:`,
  ...a.events.flatMap((e) => [...eventBlock(zone)(e), ...(e.amount === null ? [] : [`    changed the cell by ${e.amount} 元`])]),
  a.total === null ? `  not a sum of events: ${a.notASum}` : `  the events' amounts add up to ${a.total} 元, the cell`,
]

const explainText = (a: CellAnswer, zone: string, note: string): string => `${explainLines(a, zone).join('\n')}\n${note}`

/** A consolidated cell: its units' parts aligned, then each part as the unit's own explain prints it. */
const departmentExplainText = (a: DepartmentCellAnswer, zone: string, note: string): string => {
  const w = Math.max(0, ...a.parts.map((p) => (p.total ?? '').length))
  const sum =
    a.total === null
      ? [`  not the sum of its units' cells: ${a.notASum}`]
      : [
          `  = ${a.total} 元, the sum of its units' cells:`,
          labelled([
            ...a.parts.map((p): [string, string] => [`    unit ${p.unit}`, `${p.total!.padStart(w)} 元  (${p.events.length} event(s))`]),
            ...a.absent.map((u): [string, string] => [`    unit ${u}`, 'no such cell in its table: adds nothing']),
          ]).trimEnd(),
        ]
  const out = [
    `table ${a.table.code} ${a.table.title}, department ${a.department} (合并), ${a.year}: ${cellShown(a.cell)}`,
    ...sum,
    ...(a.total === null && a.absent.length > 0 ? [`  units without this cell: ${a.absent.join(', ')}`] : []),
    ...a.parts.flatMap((p) => ['', ...explainLines(p, zone)]),
  ]
  return `${out.join('\n')}\n${note}`
}

const verifyText = (r: VerifyReport): string => {
  const out: string[] = []
  if (r.firstEventMissing) out.push(`BROKEN: ${r.firstEventMissing.detail}`)
  else if (r.breaks.length === 0)
    out.push(`verified ${r.events} event(s) in ${r.streams} stream(s), up to position ${r.position}: every hash chain is intact`)
  if (r.breaks.length > 0) {
    out.push(`BROKEN: ${r.breaks.length} stream(s) fail the hash chain (${r.events} event(s) read, up to position ${r.position})`)
    for (const b of r.breaks)
      out.push(
        `  stream ${b.stream} revision ${b.revision} event ${b.eventId} (position ${b.position}): ${b.problem}`,
        `    expected ${b.expected || '""'}`,
        `    found    ${b.found || '""'}`,
        `    ${b.detail}`,
      )
  }
  if (r.tree.absent) out.push('Merkle tree: none in this file yet (written by an older version; the next writer adds it)')
  else if (r.tree.ok) out.push(`Merkle tree: ${r.tree.size} leaf(s), root ${r.tree.root}: agrees with the log`)
  else out.push(`BROKEN: the Merkle tree does not agree with the log`, ...r.tree.problems.map((p) => `  ${p}`))
  if (r.digest) {
    if (r.digest.ok) out.push(`digest ${r.digest.sha256}: the log up to position ${r.digest.position} is unchanged`)
    else out.push(`digest ${r.digest.sha256}: the log up to position ${r.digest.position} is NOT the one it was taken of`, ...r.digest.problems.map((p) => `  ${p}`))
  }
  return `${out.join('\n')}\n`
}

const digestText = (d: Digest, zone: string, out?: string): string =>
  labelled([
    ['position', String(d.position)],
    ['events', String(d.events)],
    ...d.streams.map((s): [string, string] => [s.stream, `revision ${s.revision}  ${s.hash}`]),
    ['sha256', d.sha256],
    ['taken at', timeInZone(d.takenAt, zone)],
    ...(out ? [['written to', out] as [string, string]] : []),
  ])

const readDigest = (path: string): Digest => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new CliError(`${path}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const d = parseDigest(value)
  if (E.isLeft(d)) throw new CliError(`${path}: ${d.left}`)
  return d.right
}

/** A line's figures aligned, 元 and 万元 side by side, then its rate and its events. */
const lineText = (v: LineView, zone: string, note: string): string => {
  const f = v.figures
  const rows: Array<[string, { yuan: string; wan: string }]> = [
    ['年初预算 initial', f.initial],
    ['追加 added', f.added],
    ['追减 reduced', f.reduced],
    ['调入 transferred in', f.transferredIn],
    ['调出 transferred out', f.transferredOut],
    ['调整后预算 adjusted', f.adjusted],
    ['支出 spent', f.spent],
    ['可用 available', f.available],
  ]
  const yw = Math.max(...rows.map(([, x]) => x.yuan.length))
  const ww = Math.max(...rows.map(([, x]) => x.wan.length))
  return (
    `line ${v.line.id} ${v.line.name} (${v.line.kind}, function ${v.line.functionCode}, ${v.line.fundSource}), ${v.year}, unit ${v.unit}\n` +
    labelled([
      ...rows.map(([l, x]): [string, string] => [l, `${x.yuan.padStart(yw)} 元  ${x.wan.padStart(ww)} 万元`]),
      ...v.executionRate.map((r): [string, string] => [`执行率 ${r.label}`, r.value === null ? '—' : `${r.value}%`]),
    ]) +
    `${v.events.length} event(s):\n${v.events.flatMap(eventBlock(zone)).join('\n')}\n${note}`
  )
}

export const registerAudit = (cli: Cli, io: CliIo): void => {
  withTimeOptions(
    cli
      .command('line')
      .description('one budget line: initial, additions, reductions, transfers, adjusted, spent, available, execution rate, and its events')
      .argument('<line>', 'the budget line id')
      .option('--unit <code>', 'unit code')
      .option('--department <code>', 'not for a department: this reads one unit-year, so --department is refused with the units to use')
      .option('--year <year>', 'budget year')
      .addOption(FORMAT()),
  ).action(
    readingStore(io, cli, async (store: EventStore, line: string, o: Common) => {
      const at = timePointOf(o, io.env)
      const target = await resolveUnitRead(store, o, 'line', "shows one unit's budget line, and a department's lines are its units'")
      const v = await explained(target, at, o, io, () => yearLine(store, target, line, at))
      io.out(o.format === 'json' ? json(v) : lineText(v, ledgerTimeZone(o, io.env), timeNote(at, o, io.env)))
    }),
  )

  withTimeOptions(
    cli
      .command('history')
      .description('every event of a unit-year (or of one line), in order: when, business date, who, why, document, running balance')
      .option('--unit <code>', 'unit code')
      .option('--department <code>', 'not for a department: this reads one unit-year, so --department is refused with the units to use')
      .option('--year <year>', 'budget year')
      .option('--line <id>', 'only the events of this budget line')
      .option('--document <text>', 'only events whose approval document number contains this text')
      .option('--person <text>', "only events recorded by a person whose name (or signed-in subject) contains this text")
      .option('--type <types>', `only events of these types, comma-separated (${EVENT_TYPES.join(', ')})`)
      .option('--from <when>', 'only events recorded after this moment (YYYY-MM-DD = the end of that day, or an ISO timestamp)')
      .option('--to <when>', 'only events recorded by this moment (as --from)')
      .option('--effective-from <date>', 'only events with a business date on or after this date')
      .option('--effective-to <date>', 'only events with a business date on or before this date')
      .addOption(FORMAT()),
  ).action(
    readingStore(io, cli, async (store: EventStore, o: Common & HistoryFilterInput & { line?: string }) => {
      const at = timePointOf(o, io.env)
      const filter = parseHistoryFilter(o, ledgerTimeZone(o, io.env), new Date(), EVENT_TYPES)
      if (E.isLeft(filter)) throw new CliError('bad history filter', 2, filter.left.map((i) => `  --${FLAG_OF[i.path]}: ${i.reason}`))
      const target = await resolveUnitRead(store, o, 'history', "lists one unit-year's own events (each unit keeps its own hash chain and running balances)")
      const h = await explained(target, at, o, io, () => yearHistory(store, target, at, o.line, filter.right))
      io.out(o.format === 'json' ? json(h) : historyText(h, ledgerTimeZone(o, io.env), timeNote(at, o, io.env)))
    }),
  )

  cli
    .command('diff')
    .description('the cells of a table that changed between two as-of dates, with the events that changed them')
    .argument('<table>', 'number 1-11 (预算), F1-F9 (决算) or id')
    .requiredOption('--from <when>', 'the earlier as-of point (YYYY-MM-DD = end of that day, or an ISO timestamp)')
    .option('--to <when>', 'the later as-of point (as --from; default: now, the ledger as it stands)', 'now')
    .option('--effective <date>', 'compare both sides at this business date')
    .option('--time-zone <zone>', 'time zone of bare dates (env LEDGER_TIME_ZONE; default Asia/Shanghai)')
    .option('--unit <code>', 'unit code')
    .option('--department <code>', 'not for a department: this reads one unit-year, so --department is refused with the units to use')
    .option('--year <year>', 'budget year')
    .addOption(FORMAT())
    .action(
      readingStore(io, cli, async (store: EventStore, table: string, o: Common & { from: string; to: string }) => {
        const now = new Date()
        const zone = ledgerTimeZone(o, io.env)
        const bound = (flag: string, v: string) => {
          const r = parseAsOf(v, zone, now)
          if (E.isLeft(r)) throw new CliError(`${flag}: ${r.left}`, 2)
          return r.right
        }
        const from = bound('--from', o.from)
        const to = bound('--to', o.to)
        const at = timePointOf({ effective: o.effective, timeZone: o.timeZone }, io.env, now)
        const target = await resolveUnitRead(store, o, 'diff', "compares one unit-year's table between two moments; a consolidated table's diff is not traced to its units' events yet")
        const d = await explained(target, { asOf: to, ...at }, o, io, () =>
          tableDiff(store, target, table, { from, to, ...(at.effective === undefined ? {} : { effective: at.effective }) }, bundledCatalogue()),
        )
        io.out(o.format === 'json' ? json(d) : diffText(d, zone))
      }),
    )

  withTimeOptions(
    cli
      .command('explain')
      .description("the events behind one cell of a table: the figures it reads and the events that wrote them; for a department's consolidated (合并) cell, each unit's part so explained")
      .argument('<table>', 'number 1-11 (预算), F1-F9 (决算) or id')
      .requiredOption('--row <row>', 'row index (0-based, as in --format json) or a label of the row (code, name, or the key diff prints)')
      .option('--column <column>', 'column index (0-based, as in --format json) or label; not needed for table 10 预算情况 figures')
      .option('--unit <code>', 'unit code')
      .option('--department <code>', "department code: a cell of its consolidated (合并) table, as the sum of its units' cells")
      .option('--year <year>', 'budget year')
      .addOption(FORMAT()),
  ).action(
    readingStore(io, cli, async (store: EventStore, table: string, o: Common & { row: string; column?: string }) => {
      const at = timePointOf(o, io.env)
      const cell = { row: o.row, ...(o.column === undefined ? {} : { column: o.column }) }
      const zone = ledgerTimeZone(o, io.env)
      const scope = await resolveReadScope(store, o)
      if ('department' in scope) {
        const a = await explained(scope, at, o, io, () => explainDepartmentCell(store, scope, table, cell, at, bundledCatalogue()))
        io.out(o.format === 'json' ? json(a) : departmentExplainText(a, zone, timeNote(at, o, io.env)))
        return
      }
      const a = await explained(scope, at, o, io, () => explainTableCell(store, scope, table, cell, at, bundledCatalogue()))
      io.out(o.format === 'json' ? json(a) : explainText(a, zone, timeNote(at, o, io.env)))
    }),
  )

  cli
    .command('verify')
    .description('recompute every hash chain of the log; with --digest, prove the log up to the digest was not rewritten (exit 1 if not)')
    .option('--digest <file>', 'a digest taken earlier with `budget-ledger digest --out FILE`')
    .addOption(FORMAT())
    .action(
      readingStore(io, cli, async (store: EventStore, o: { digest?: string; format: string }) => {
        const digest = o.digest === undefined ? undefined : readDigest(o.digest)
        const r = await verifyLog(store, digest ? { digest } : {})
        io.out(o.format === 'json' ? json(r) : verifyText(r))
        if (!r.ok)
          throw new CliError(
            r.firstEventMissing
              ? `the log does not verify: ${r.firstEventMissing.detail}`
              : r.breaks.length > 0
                ? `the log does not verify: stream ${r.breaks[0]!.stream} revision ${r.breaks[0]!.revision} (event ${r.breaks[0]!.eventId}): ${r.breaks[0]!.problem}`
                : !r.tree.ok
                  ? `the log does not verify: the Merkle tree: ${r.tree.problems[0]}`
                  : 'the log does not match the digest',
          )
      }),
    )

  cli
    .command('digest')
    .description('a digest of the whole log (head hash of every stream, position, one SHA-256) to keep offline; refused if the log does not verify')
    .option('--out <file>', 'write the digest (JSON) to this file')
    .addOption(FORMAT())
    .action(
      readingStore(io, cli, async (store: EventStore, o: { out?: string; format: string }) => {
        const { report, digest } = await takeDigest(store, new Date())
        if (!digest) {
          io.out(o.format === 'json' ? json(report) : verifyText(report))
          throw new CliError('no digest taken: the log does not verify (a digest would certify the break)')
        }
        if (o.out !== undefined) writeFileSync(o.out, json(digest), { flag: 'w' })
        io.out(o.format === 'json' ? json(digest) : digestText(digest, ledgerTimeZone({}, io.env), o.out))
      }),
    )
}
