import { FUND_SOURCES, FUND_SOURCE_LABEL } from '../../../domain/budget-file/classification'
import { yearReversible } from '../../../ledger/reports/audit'
import type { RouteSpec } from '../../route'
import { sendJson } from '../../route'
import { loadOpenYear, targetOf } from '../../requests/unit-year'
import { targetsView } from '../../wire/views'
import { HISTORY_ENTRY, NO_STORE, answering, json, object } from '../audit/audit'

/** The reads a recording form needs beside the year summary: what may be reversed, the targets, the classification. */

export const getReversibleEntries: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/reversible-entries',
  access: 'history',
  operation: {
    operationId: 'getReversibleEntries',
    summary: 'The entries a ReverseEvent may still undo (adjustments, expenditures, detailed special funds not yet reversed), latest first, as history entries',
    tags: ['record'],
    responses: {
      200: json(
        'The reversible entries',
        object({ unit: { type: 'string' }, year: { type: 'integer' }, revision: { type: 'integer' }, entries: { type: 'array', items: HISTORY_ENTRY } }, ['unit', 'year', 'revision', 'entries']),
      ),
    },
  },
  async handle(ctx, req, res) {
    sendJson(res, 200, await answering(() => yearReversible(ctx.deps.store, targetOf(req))), NO_STORE)
  },
}

const TARGET = { type: 'object', description: 'as in the SetUnitTargets / SetProjectTargets commands' }

export const getTargets: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/targets',
  access: 'read',
  operation: {
    operationId: 'getTargets',
    summary: "The year's performance targets: the unit's (年度履职目标, 工作任务, 绩效指标; null until set) and each project line's",
    tags: ['read'],
    responses: {
      200: json(
        'The targets',
        object(
          {
            revision: { type: 'integer' },
            unitTargets: { oneOf: [TARGET, { type: 'null' }] },
            projects: {
              type: 'array',
              items: object(
                { line: { type: 'string' }, projectName: { oneOf: [{ type: 'string' }, { type: 'null' }] }, functionCode: { type: 'string' }, targets: { type: 'array', items: TARGET } },
                ['line', 'projectName', 'functionCode', 'targets'],
              ),
            },
          },
          ['revision', 'unitTargets', 'projects'],
        ),
      ),
    },
  },
  async handle(ctx, req, res) {
    const { state } = await loadOpenYear(ctx.deps.store, targetOf(req))
    sendJson(res, 200, targetsView(state), NO_STORE)
  },
}

const CODE_ENTRY = object({ code: { type: 'string' }, name: { type: 'string' }, parent: { oneOf: [{ type: 'string' }, { type: 'null' }] } }, ['code', 'name', 'parent'])

/** GET /api/classifications/functions and /economic: the catalogue's codes and names, for a form to pick from. */
const classification = (scheme: 'functions' | 'economic', title: string): RouteSpec => ({
  method: 'get',
  path: `/api/classifications/${scheme}`,
  access: 'read',
  operation: {
    operationId: scheme === 'functions' ? 'listFunctionCodes' : 'listEconomicCodes',
    summary: `${title}: every code of the server's catalogue with its name and parent, in code order`,
    tags: ['read'],
    responses: { 200: json(title, { type: 'array', items: CODE_ENTRY }) },
  },
  handle(ctx, _req, res) {
    const entries = [...ctx.catalogue[scheme].values()].map(({ code, name, parent }) => ({ code, name, parent })).sort((a, b) => a.code.localeCompare(b.code))
    sendJson(res, 200, entries, { 'Cache-Control': 'private, max-age=3600' })
  },
})

export const listFunctionCodes = classification('functions', '支出功能分类 (function codes)')
export const listEconomicCodes = classification('economic', '部门支出经济分类 (economic codes)')

/** GET /api/classifications/fund-sources: the 资金来源 a line may have, with their Chinese names. */
export const listFundSources: RouteSpec = {
  method: 'get',
  path: '/api/classifications/fund-sources',
  access: 'read',
  operation: {
    operationId: 'listFundSources',
    summary: '资金来源 (fund sources): every code a budget line may have, with its name',
    tags: ['read'],
    responses: { 200: json('The fund sources', { type: 'array', items: object({ code: { type: 'string' }, name: { type: 'string' } }, ['code', 'name']) }) },
  },
  handle(_ctx, _req, res) {
    sendJson(res, 200, FUND_SOURCES.map((code) => ({ code, name: FUND_SOURCE_LABEL[code] })), { 'Cache-Control': 'private, max-age=3600' })
  },
}

export const RECORD_READS: ReadonlyArray<RouteSpec> = [getReversibleEntries, getTargets, listFunctionCodes, listEconomicCodes, listFundSources]
