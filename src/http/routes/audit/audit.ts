import type { Request } from 'express'
import * as E from 'fp-ts/Either'
import { DEFAULT_TIME_ZONE, type TimePoint, parseAsOf, parseTimePoint } from '../../../domain/time/as-of'
import { UnknownCell, UnknownLine, explainDepartmentCell, explainTableCell, tableDiff, yearHistory } from '../../../ledger/reports/audit'
import { budgetYearAt } from '../../../ledger/fold/snapshots/snapshots'
import { UnknownTable, YearNotOpen } from '../../../ledger/reports/tables'
import { takeDigest, verifyLog } from '../../../store/chain/verify'
import { EVENT_TYPES } from '../../../domain/events/events'
import { parseHistoryFilter } from '../../../../projections/audit/history-filter'
import { historyAsciiName, historyFileName, historySheet } from '../../../../projections/audit/history-sheet'
import { csvOf } from '../../../../projections/render'
import { historyWorkbook } from '../../../export/history-xlsx'
import { CSV_BOM, CSV_TYPE } from '../../../export/files'
import { sendDownload } from '../../responses/download'
import { XLSX_TYPE, xlsxBytes } from '../../../export/xlsx'
import { fail } from '../../wire/problem'
import { queryOf } from '../../requests/query'
import { ledgerTimeZone } from '../../requests/time-zone'
import { type RouteContext, type RouteSpec, sendJson } from '../../route'
import { openedOrNotFound, targetOf } from '../../requests/unit-year'
import { DEPARTMENT_YEAR } from '../../responses/year-reader'

/**
 * The auditor's reads (docs/audit.md): history, table diff and cell explain (finance and auditor),
 * verify and digest (auditor only); and the asOf / effective query parameters every time-travel
 * read shares (tables.ts uses them too).
 */

export const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
})

/** The time-travel query parameters, as OpenAPI describes them. */
export const TIME_PARAMS = [
  q('asOf', 'what the ledger said then: only events recorded by that moment. YYYY-MM-DD is the end of that day in the ledger time zone; or an ISO-8601 timestamp; or now'),
  q('effective', 'business date: leave out events dated after it (YYYY-MM-DD, an ISO-8601 timestamp, or today)'),
  q('timeZone', `time zone of bare dates (an IANA name; default: the server's LEDGER_TIME_ZONE, else ${DEFAULT_TIME_ZONE})`),
] as const

export const one = (req: Request, name: string): string | undefined => {
  const v = queryOf(req)[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string') fail('bad-request', `query ${name}: give it once, as text`, [{ path: name, reason: 'given more than once, or not as text' }])
  return v
}

const zoneOf = (req: Request): string => one(req, 'timeZone') ?? ledgerTimeZone()

/** The point in time of a request's asOf / effective (none: the ledger as it stands); 400 when bad. */
export const timePointQuery = (ctx: RouteContext, req: Request): TimePoint => {
  const parsed = parseTimePoint({ asOf: one(req, 'asOf'), effective: one(req, 'effective') }, zoneOf(req), ctx.deps.now)
  if (E.isLeft(parsed))
    fail(
      'bad-request',
      parsed.left.map((i) => `query ${i.path}: ${i.reason}`).join('; '),
      parsed.left.map((i) => ({ path: i.path, reason: i.reason })),
    )
  return parsed.right
}

/** The ledger's refusals, as problems. */
export const answering = async <T>(f: () => Promise<T>): Promise<T> => {
  try {
    return await f()
  } catch (err) {
    if (err instanceof YearNotOpen) fail('not-found', `no budget year ${err.year} for ${err.of} ${err.unit} at that point in time`)
    if (err instanceof UnknownTable || err instanceof UnknownLine || err instanceof UnknownCell) fail('not-found', err.message)
    if (err instanceof RangeError) fail('bad-request', err.message)
    throw err
  }
}

export const json = (description: string, schema: Record<string, unknown>) => ({ description, content: { 'application/json': { schema } } })
export const object = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required })
export const HISTORY_ENTRY = object(
  {
    revision: { type: 'integer' },
    position: { type: 'integer' },
    id: { type: 'string' },
    type: { type: 'string' },
    recordedAt: { type: 'string', format: 'date-time' },
    effectiveDate: { type: 'string', format: 'date' },
    actor: { type: 'string' },
    role: { type: 'string' },
    subject: { type: 'string', description: "the signed-in person's stable id, when one recorded it" },
    reason: { type: 'string' },
    document: { oneOf: [{ type: 'string' }, { type: 'null' }] },
    data: { type: 'object' },
    reverses: { type: 'string', description: 'for a reversal: the id of the event it undoes' },
    changed: { type: 'array', items: { type: 'string' }, description: 'the figures it wrote, e.g. lines[p01].added.ordinary' },
    balances: {
      type: 'array',
      description: 'each line it touched, right after it: budget (调整数) and spent, 元',
      items: object({ line: { type: 'string' }, budget: { type: 'string' }, spent: { type: 'string' } }, ['line', 'budget', 'spent']),
    },
  },
  ['revision', 'position', 'id', 'type', 'recordedAt', 'effectiveDate', 'actor', 'role', 'reason', 'document', 'data', 'changed', 'balances'],
)
export const TIME_POINT = object({ asOf: { type: 'string', format: 'date-time' }, effective: { type: 'string', format: 'date' } }, [])
const TABLE_REF = object(
  {
    code: { type: 'string', description: 'how people name the table: "5" for a 预算 table, "F5" for a 决算 table' },
    id: { type: 'string' },
    number: { type: 'integer', description: 'its number within its set (the 决算 set numbers from 1 again)' },
    set: { type: 'string', enum: ['budget', 'final'] },
    title: { type: 'string', description: 'the official title' },
  },
  ['code', 'id', 'number', 'set', 'title'],
)
const BREAK = object(
  {
    stream: { type: 'string' },
    revision: { type: 'integer' },
    eventId: { type: 'string' },
    position: { type: 'integer' },
    problem: { type: 'string', enum: ['revision-gap', 'prev-hash-mismatch', 'hash-mismatch', 'unreadable'] },
    expected: { type: 'string' },
    found: { type: 'string' },
    detail: { type: 'string' },
  },
  ['stream', 'revision', 'eventId', 'position', 'problem', 'expected', 'found', 'detail'],
)
const VERIFY_REPORT = object(
  {
    ok: { type: 'boolean', description: 'every chain intact, the Merkle tree agrees with the log (and the digest, when given, matches)' },
    events: { type: 'integer' },
    streams: { type: 'integer' },
    position: { type: 'integer' },
    breaks: { type: 'array', items: BREAK, description: 'the first broken link of each broken stream' },
    firstEventMissing: {
      ...object({ position: { type: 'integer' }, detail: { type: 'string' } }, ['position', 'detail']),
      description: 'present when the log no longer holds its first event (the SQLite file remembers it): the events table was dropped or emptied',
    },
    digest: object(
      { ok: { type: 'boolean' }, position: { type: 'integer' }, sha256: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } },
      ['ok', 'position', 'sha256', 'problems'],
    ),
    tree: {
      ...object(
        {
          ok: { type: 'boolean' },
          size: { type: 'integer', description: 'events (leaves) the stored Merkle tree covers' },
          root: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'the root recomputed from the log as it is now' },
          absent: { const: true, description: 'the file has no tree yet (written by an older version; a writer adds it)' },
          problems: { type: 'array', items: { type: 'string' } },
        },
        ['ok', 'size', 'root', 'problems'],
      ),
      description: 'the Merkle tree kept with the log, against the log: each leaf recomputed from its event',
    },
  },
  ['ok', 'events', 'streams', 'position', 'breaks', 'tree'],
)
const DIGEST = object(
  {
    format: { const: 'budget-ledger/digest@1' },
    takenAt: { type: 'string', format: 'date-time' },
    position: { type: 'integer' },
    events: { type: 'integer' },
    streams: { type: 'array', items: object({ stream: { type: 'string' }, revision: { type: 'integer' }, hash: { type: 'string' } }, ['stream', 'revision', 'hash']) },
    sha256: { type: 'string', description: 'SHA-256 of canonical JSON {format, position, events, streams}' },
  },
  ['format', 'takenAt', 'position', 'events', 'streams', 'sha256'],
)
const CELL = object(
  {
    part: { type: 'string' },
    row: { type: 'integer' },
    column: { type: 'integer' },
    rowKey: { type: 'string' },
    columnLabel: { type: 'string' },
    partColumn: { type: 'integer' },
  },
  ['part', 'row', 'column', 'rowKey', 'columnLabel', 'partColumn'],
)
export const NO_STORE = { 'Cache-Control': 'no-store' }

/** The history's query parameters: the line, the filter, and the time point. */
const HISTORY_PARAMS = [
  q('line', 'only the events that touched this budget line'),
  q('document', 'only events whose approval document number (批文号) contains this text (case-insensitive)'),
  q('person', "only events recorded by a person whose name contains this text, or whose signed-in subject does (case-insensitive)"),
  q('type', `only events of these types, comma-separated (${EVENT_TYPES.join(', ')})`),
  q('from', 'only events recorded after this moment (YYYY-MM-DD = the end of that day in the ledger time zone, or an ISO-8601 timestamp)'),
  q('to', 'only events recorded by this moment (as from)'),
  q('effectiveFrom', 'only events with a business date on or after this date (YYYY-MM-DD)'),
  q('effectiveTo', 'only events with a business date on or before this date (YYYY-MM-DD)'),
  ...TIME_PARAMS,
]

const FILTER = object(
  {
    document: { type: 'string' },
    person: { type: 'string' },
    types: { type: 'array', items: { type: 'string' } },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    effectiveFrom: { type: 'string', format: 'date' },
    effectiveTo: { type: 'string', format: 'date' },
  },
  [],
)

/** The history a request asks for: line, filter and time point read from the query, 400 when bad. */
const requestedHistory = async (ctx: RouteContext, req: Request) => {
  const target = targetOf(req)
  const at = timePointQuery(ctx, req)
  const line = one(req, 'line')
  const input = { document: one(req, 'document'), person: one(req, 'person'), type: one(req, 'type'), from: one(req, 'from'), to: one(req, 'to'), effectiveFrom: one(req, 'effectiveFrom'), effectiveTo: one(req, 'effectiveTo') }
  const filter = parseHistoryFilter(input, zoneOf(req), ctx.deps.now(), EVENT_TYPES)
  if (E.isLeft(filter))
    fail(
      'bad-request',
      filter.left.map((i) => `query ${i.path}: ${i.reason}`).join('; '),
      filter.left.map((i) => ({ path: i.path, reason: i.reason })),
    )
  return answering(() => yearHistory(ctx.deps.store, target, at, line, filter.right))
}

export const getHistory: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/history',
  access: 'history',
  operation: {
    operationId: 'getHistory',
    summary: 'Every event of a budget year (or of one line, or those a filter picks), in order, with who, when, business date, reason, document and running balances',
    description:
      'The same JSON as `budget-ledger history --format json`. asOf and effective select the events folded, as for the tables; line, document, person, type, from/to (recording time) and effectiveFrom/effectiveTo (business date) narrow the entries shown (their balances stay those of the whole year).',
    tags: ['audit'],
    parameters: HISTORY_PARAMS,
    responses: {
      200: json(
        'The history',
        object(
          { unit: { type: 'string' }, year: { type: 'integer' }, line: { type: 'string' }, at: TIME_POINT, filter: FILTER, entries: { type: 'array', items: HISTORY_ENTRY } },
          ['unit', 'year', 'at', 'entries'],
        ),
      ),
    },
  },
  async handle(ctx, req, res) {
    sendJson(res, 200, await requestedHistory(ctx, req), NO_STORE)
  },
}

const historyFile = (ext: 'csv' | 'xlsx', type: string): RouteSpec => ({
  method: 'get',
  path: `/api/units/:unit/years/:year/history.${ext}`,
  access: 'history',
  operation: {
    operationId: ext === 'csv' ? 'getHistoryCsv' : 'getHistoryXlsx',
    summary: `The history, filtered as the JSON is, as a .${ext} download: exactly the entries shown, times in the ledger time zone`,
    description: 'Same parameters as getHistory. A title line, a header, then one row per entry: revision, recording time, business date, type, actor, role, document, reason, what it changed, balances after (元), id, the event it reverses.',
    tags: ['audit'],
    parameters: HISTORY_PARAMS,
    responses: {
      200: {
        description: `The history as .${ext}`,
        headers: { 'Content-Disposition': { description: 'attachment, with the Chinese file name as filename* (RFC 6266, RFC 8187)', schema: { type: 'string' } } },
        content: { [type]: { schema: { type: 'string', ...(ext === 'xlsx' ? { contentEncoding: 'binary' } : {}) } } },
      },
    },
  },
  async handle(ctx, req, res) {
    const h = await requestedHistory(ctx, req)
    const rows = historySheet(h, zoneOf(req))
    const body = ext === 'csv' ? CSV_BOM + csvOf(rows) : await xlsxBytes(historyWorkbook(rows))
    sendDownload(res, { type, bytes: body, ascii: historyAsciiName(h.unit, h.year, ext), name: historyFileName(h.unit, h.year, ext) })
  },
})

export const getHistoryCsv = historyFile('csv', CSV_TYPE)
export const getHistoryXlsx = historyFile('xlsx', XLSX_TYPE)

export const getTableDiff: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/tables/:table/diff',
  access: 'history',
  operation: {
    operationId: 'getTableDiff',
    summary: 'The cells of a table that changed between two as-of points, with the events recorded in between that changed them',
    description: 'The same JSON as `budget-ledger diff TABLE --from … --to … --format json`. Events recorded in (from, to] are listed; each changed cell names those that wrote a figure it reads.',
    tags: ['audit'],
    parameters: [
      q('from', 'the earlier as-of point (YYYY-MM-DD = end of that day, or an ISO-8601 timestamp)', { type: 'string' }, true),
      q('to', 'the later as-of point (default: now)'),
      q('effective', 'compare both sides at this business date'),
      TIME_PARAMS[2],
    ],
    responses: {
      200: json(
        'The changed cells and the events',
        object(
          {
            unit: { type: 'string' },
            year: { type: 'integer' },
            table: TABLE_REF,
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            effective: { type: 'string', format: 'date' },
            revisions: object({ from: { type: 'integer' }, to: { type: 'integer' } }, ['from', 'to']),
            changes: {
              type: 'array',
              items: {
                ...CELL,
                properties: {
                  ...CELL.properties,
                  from: { oneOf: [{ type: 'string' }, { type: 'null' }] },
                  to: { oneOf: [{ type: 'string' }, { type: 'null' }] },
                  events: { type: 'array', items: { type: 'string' }, description: 'ids of the events in the window that changed it' },
                },
              },
            },
            events: { type: 'array', items: HISTORY_ENTRY },
          },
          ['unit', 'year', 'table', 'from', 'to', 'revisions', 'changes', 'events'],
        ),
      ),
    },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const zone = zoneOf(req)
    const now = ctx.deps.now()
    const bound = (name: 'from' | 'to', fallback?: string): string => {
      const raw = one(req, name) ?? fallback
      if (raw === undefined) fail('bad-request', `query ${name} is required`, [{ path: name, reason: 'required: YYYY-MM-DD or an ISO-8601 timestamp' }])
      const r = parseAsOf(raw, zone, now)
      if (E.isLeft(r)) fail('bad-request', `query ${name}: ${r.left}`, [{ path: name, reason: r.left }])
      return r.right
    }
    const from = bound('from')
    const to = bound('to', 'now')
    const at = timePointQuery(ctx, req)
    const window = { from, to, ...(at.effective === undefined ? {} : { effective: at.effective }) }
    sendJson(res, 200, await answering(() => tableDiff(ctx.deps.store, target, String(req.params.table), window, ctx.catalogue)), NO_STORE)
  },
}

/** The unit explain's answer, as OpenAPI describes it (a department's parts are each one of these). */
const CELL_ANSWER = object(
  {
    unit: { type: 'string' },
    year: { type: 'integer' },
    table: TABLE_REF,
    at: TIME_POINT,
    cell: { ...CELL, properties: { ...CELL.properties, kind: { type: 'string' }, text: { type: 'string' } } },
    via: { type: 'string', enum: ['cell', 'row'], description: 'row: a label cell, explained by the figures of its row' },
    figures: { type: 'array', items: { type: 'string' } },
    events: {
      type: 'array',
      items: {
        ...HISTORY_ENTRY,
        properties: {
          ...HISTORY_ENTRY.properties,
          amount: {
            type: ['string', 'null'],
            description: 'for an amount cell: what this event changed the cell by, 元 (the amounts add up to the cell); null for a label or a percentage',
          },
        },
        required: [...HISTORY_ENTRY.required, 'amount'],
      },
    },
    total: { type: ['string', 'null'], description: 'for an amount cell: its exact value in 元, which the events\' amounts add up to; null for a rate or a label' },
    notASum: { type: 'string', description: 'why the cell is not a sum of events (a rate, a label); absent for an amount cell' },
  },
  ['unit', 'year', 'table', 'at', 'cell', 'via', 'figures', 'events', 'total'],
)

/** A cell named by row and column in the query, for both explains. */
const cellQuery = (req: Request): { row: string; column?: string } => {
  const row = one(req, 'row')
  if (row === undefined) fail('bad-request', 'query row is required', [{ path: 'row', reason: 'required: a label of the row, or its index' }])
  const column = one(req, 'column')
  return { row, ...(column === undefined ? {} : { column }) }
}

const CELL_PARAMS = [
  q('row', 'a label of the row, or its index in the table JSON rows', { type: 'string' }, true),
  q('column', 'the column label, or its index in the table JSON columns (not needed for table 10 预算情况 figures)'),
  ...TIME_PARAMS,
]

export const getCellExplain: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/tables/:table/explain',
  access: 'history',
  operation: {
    operationId: 'getCellExplain',
    summary: 'The events behind one cell of a table: the figures it reads and the events that wrote them',
    description:
      'The same JSON as `budget-ledger explain TABLE --row … --column … --format json`. row: a label of the row (code, name, or the key diff prints), else its index in the table JSON rows; column: its label, else its index.',
    tags: ['audit'],
    parameters: CELL_PARAMS,
    responses: { 200: json('The cell, the figures it reads and the events behind them', CELL_ANSWER) },
  },
  async handle(ctx, req, res) {
    const at = timePointQuery(ctx, req)
    sendJson(res, 200, await answering(() => explainTableCell(ctx.deps.store, targetOf(req), String(req.params.table), cellQuery(req), at, ctx.catalogue)), NO_STORE)
  },
}

export const getDepartmentCellExplain: RouteSpec = {
  method: 'get',
  path: '/api/departments/:department/years/:year/tables/:table/explain',
  access: 'history',
  operation: {
    operationId: 'getDepartmentCellExplain',
    summary: "The events behind one cell of a department's consolidated (合并) table: the sum of its units' cells, each unit's part explained as that unit's own cell",
    description:
      "The same JSON as `budget-ledger explain TABLE --department D --row … --column … --format json`. row and column as for a unit's explain, in the consolidated table. An amount cell's total is its parts' totals added up (本级 first, then the 所属单位 by code); each part is exactly what getCellExplain answers for that unit's same cell; `absent` names the units whose table has no such cell. A rate or a label is not a sum: total is null and notASum says why.",
    tags: ['audit'],
    parameters: CELL_PARAMS,
    responses: {
      200: json(
        "The consolidated cell and each unit's part",
        object(
          {
            department: { type: 'string' },
            year: { type: 'integer' },
            table: TABLE_REF,
            at: TIME_POINT,
            cell: CELL_ANSWER.properties.cell,
            total: { type: ['string', 'null'], description: "for an amount cell: its exact value in 元, which the parts' totals add up to; null for a rate or a label" },
            notASum: { type: 'string', description: "why the cell is not the sum of its units' cells (a rate, a label); absent for an amount cell" },
            parts: { type: 'array', items: CELL_ANSWER, description: 'each unit whose table prints the cell, 本级 first, as its own explain answers' },
            absent: { type: 'array', items: { type: 'string' }, description: 'the units whose table has no such cell: they add nothing' },
          },
          ['department', 'year', 'table', 'at', 'cell', 'total', 'parts', 'absent'],
        ),
      ),
    },
  },
  async handle(ctx, req, res) {
    const at = timePointQuery(ctx, req)
    const scope = DEPARTMENT_YEAR.scope(req) as { department: string; year: number }
    sendJson(res, 200, await answering(() => explainDepartmentCell(ctx.deps.store, scope, String(req.params.table), cellQuery(req), at, ctx.catalogue)), NO_STORE)
  },
}

const SHA256 = /^[0-9a-f]{64}$/

export const getVerify: RouteSpec = {
  method: 'get',
  path: '/api/audit/verify',
  access: 'audit',
  operation: {
    operationId: 'verifyLog',
    summary: 'Recompute every hash chain of the log; with a digest’s position and sha256, check the log up to there was not rewritten',
    description: 'Auditors only. 200 with ok: false when a chain is broken (each broken stream’s first bad link is named), the log lost its first event (firstEventMissing), or the digest does not match.',
    tags: ['audit'],
    parameters: [
      q('position', 'the position of a digest taken earlier (with sha256)', { type: 'integer', minimum: 0 }),
      q('sha256', 'the sha256 of that digest', { type: 'string', pattern: '^[0-9a-f]{64}$' }),
    ],
    responses: { 200: json('What the check found', VERIFY_REPORT) },
  },
  async handle(ctx, req, res) {
    const position = one(req, 'position')
    const sha256 = one(req, 'sha256')
    if ((position === undefined) !== (sha256 === undefined))
      fail('bad-request', 'give both position and sha256 of the digest, or neither', [{ path: position === undefined ? 'position' : 'sha256', reason: 'required with the other' }])
    if (position !== undefined && !/^\d{1,15}$/.test(position)) fail('bad-request', 'query position: expected a whole number', [{ path: 'position', reason: 'expected a whole number' }])
    if (sha256 !== undefined && !SHA256.test(sha256)) fail('bad-request', 'query sha256: expected 64 lowercase hex digits', [{ path: 'sha256', reason: 'expected 64 lowercase hex digits' }])
    const digest = position === undefined || sha256 === undefined ? undefined : { position: Number(position), sha256 }
    sendJson(res, 200, await verifyLog(ctx.deps.store, digest ? { digest } : {}), NO_STORE)
  },
}

export const getDigest: RouteSpec = {
  method: 'get',
  path: '/api/audit/digest',
  access: 'audit',
  operation: {
    operationId: 'getDigest',
    summary: 'A digest of the whole log (every stream’s head hash, the position, one SHA-256) to keep offline',
    description: 'Auditors only. The same JSON as `budget-ledger digest --out FILE`. Refused (409) when the log does not verify: a digest would certify the break.',
    tags: ['audit'],
    responses: { 200: json('The digest', DIGEST), 409: { description: 'The log does not verify', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
  },
  async handle(ctx, _req, res) {
    const { report, digest } = await takeDigest(ctx.deps.store, ctx.deps.now())
    if (!digest) fail('refused', 'no digest taken: the log does not verify (a digest would certify the break)', [], { breaks: report.breaks })
    sendJson(res, 200, digest, NO_STORE)
  },
}

export const AUDIT_ROUTES: ReadonlyArray<RouteSpec> = [getHistory, getHistoryCsv, getHistoryXlsx, getTableDiff, getCellExplain, getDepartmentCellExplain, getVerify, getDigest]

/**
 * A budget year at a point in time through the process's snapshot cache (src/ledger/fold/snapshots/snapshots.ts);
 * 404 when it was not open then. Time-travel reads carry no ETag: their revision alone does not
 * name what they show.
 */
export const openYearAt = async (ctx: RouteContext, target: { unit: string; year: number }, at: TimePoint) => {
  const r = await budgetYearAt(ctx.deps.store, target.unit, target.year, at)
  openedOrNotFound(r.state, target, 'then')
  return r
}
