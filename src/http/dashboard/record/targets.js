/*
 * 绩效目标 (SetUnitTargets / SetProjectTargets): the unit's 绩效指标 or a project's 产出 / 效益 /
 * 满意度 targets as a small table, one row per target, rows added and removed. The unit's 年度履职目标
 * and 工作任务 are sent back as the server holds them.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { yearPath } from '../core/state.js'
import { contextFieldOf, contextFields, field, formShell, orNull, select, valueOf } from './controls.js'
import { currentYearRevision, recordingForm } from './form-kit.js'
import { lineName } from '../wording/line-name.js'

const OPERATORS = ['≥', '≤', '=', '↑', '↓', '定性'].map((o) => [o, o])
const CATEGORIES = [['output', '产出指标'], ['effect', '效益指标'], ['satisfaction', '满意度指标']]
/** The columns of each table: [key, heading, control]. */
const COLUMNS = {
  project: [['category', '指标类别', CATEGORIES], ['name', '指标名称'], ['operator', '值类型', OPERATORS], ['value', '指标值'], ['unit', '计量单位']],
  unit: [['level1', '一级指标'], ['level2', '二级指标'], ['level3', '三级指标'], ['operator', '值类型', OPERATORS], ['value', '指标值'], ['unit', '计量单位'], ['explanation', '指标说明']],
}
const EMPTY = { project: { category: 'output', name: '', operator: '≥', value: '', unit: '' }, unit: { level1: '', level2: '', level3: '', operator: '≥', value: '', unit: '', explanation: '' } }

let held = null // the targets as the server holds them
let rows = 0

const scope = () => ($('tg-scope').value === '' ? 'unit' : 'project')
const cellId = (i, key) => 'tg-r' + i + '-' + key

const row = (i, values, kind) =>
  el('tr', { id: 'tg-r' + i }, [
    ...COLUMNS[kind].map(([key, heading, options]) => {
      const id = cellId(i, key)
      const attrs = { id, 'aria-label': '第 ' + (i + 1) + ' 行 ' + heading, 'aria-describedby': id + '-error' }
      const control = options ? el('select', attrs, options.map(([v, t]) => el('option', { value: v, text: t }))) : el('input', { type: 'text', autocomplete: 'off', ...attrs })
      control.value = values[key] ?? ''
      return el('td', {}, [control, el('span', { id: id + '-error', className: 'field-error' })])
    }),
    el('td', {}, [el('button', { type: 'button', className: 'tg-remove', 'data-row': String(i), text: '删除', 'aria-label': '删除第 ' + (i + 1) + ' 行' })]),
  ])

/** The table of the chosen scope: the unit's indicators or the chosen project's targets. */
const fillTable = (list) => {
  const kind = scope()
  rows = list.length
  $('tg-table').replaceChildren(
    el('thead', {}, [el('tr', {}, [...COLUMNS[kind].map(([, heading]) => el('th', { scope: 'col', text: heading })), el('th', { scope: 'col', text: '操作' })])]),
    el('tbody', { id: 'tg-rows' }, list.map((v, i) => row(i, v, kind))),
  )
}

const heldList = () =>
  scope() === 'unit' ? (held.unitTargets ? held.unitTargets.indicators : []) : (held.projects.find((p) => p.line === $('tg-scope').value) || { targets: [] }).targets

const rowsNow = () => {
  const kind = scope()
  return [...$('tg-rows').children].map((tr) => {
    const i = tr.id.slice(4)
    return Object.fromEntries(COLUMNS[kind].map(([key]) => [key, $(cellId(i, key)).value.trim()]))
  })
}

const request = () => {
  const context = { reason: valueOf('tg-reason'), document: orNull('tg-document'), effectiveDate: valueOf('tg-date') }
  const list = rowsNow()
  const data =
    scope() === 'unit'
      ? { annualGoals: held.unitTargets ? held.unitTargets.annualGoals : [], tasks: held.unitTargets ? held.unitTargets.tasks : [], indicators: list }
      : { line: $('tg-scope').value, targets: list }
  return { path: yearPath() + '/commands', body: { type: scope() === 'unit' ? 'SetUnitTargets' : 'SetProjectTargets', data, ...context } }
}

/** A refusal path → its cell: data.targets[2].value → the value of the third row. */
const fieldOf = (path) => {
  const m = /^data\.(?:targets|indicators)\[(\d+)\]\.(\w+)$/.exec(path)
  if (m) return 'tg-r' + [...$('tg-rows').children][Number(m[1])]?.id.slice(4) + '-' + m[2]
  return { 'data.line': 'tg-scope', ...contextFieldOf('tg') }[path]
}

/** Reads the targets the year holds and lists the scopes: the unit, then each project line. */
export const showTargets = async (lines) => {
  held = (await getJson(yearPath() + '/targets')).body
  const chosen = $('tg-scope').value
  const names = new Map(lines.map((l) => [l.line, lineName(l)]))
  $('tg-scope').replaceChildren(
    el('option', { value: '', text: '单位整体绩效目标' }),
    ...held.projects.map((p) => el('option', { value: p.line, text: '项目：' + (names.get(p.line) || p.line) })),
  )
  if ([...$('tg-scope').options].some((o) => o.value === chosen)) $('tg-scope').value = chosen
  fillTable(heldList())
}

export const wireTargets = (box, recorded) => {
  box.replaceChildren(
    ...formShell('tg', [
      field('tg-scope', '目标属于', select('tg-scope', [])),
      el('div', { className: 'table-scroll tg-table-box', tabindex: '0', role: 'region', 'aria-label': '绩效目标表（可左右滚动）' }, [el('table', { id: 'tg-table', className: 'tg-table' })]),
      el('span', { className: 'field buttons wide' }, [el('button', { type: 'button', id: 'tg-add', text: '添加一行' })]),
      ...contextFields('tg'),
    ]),
  )
  const form = recordingForm({ prefix: 'tg', request, revision: currentYearRevision, fieldOf, recorded })
  $('tg-scope').addEventListener('change', () => fillTable(heldList()))
  $('tg-add').addEventListener('click', () => {
    $('tg-rows').appendChild(row(rows++, EMPTY[scope()], scope()))
    form.stale()
  })
  $('tg-table').addEventListener('click', (e) => {
    const i = e.target.dataset && e.target.dataset.row
    if (i === undefined) return
    $('tg-r' + i).remove()
    form.stale()
  })
}
