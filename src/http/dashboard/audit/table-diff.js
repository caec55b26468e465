/*
 * 对比两个时点 (finance and auditors): a table as the ledger printed it at two moments, the cells
 * that differ (before → after) and the events recorded in between that changed each of them, as
 * the server's diff read finds them (GET …/tables/:table/diff?from=&to=). Moments are typed as
 * yyyy-mm-dd (the end of that day) or yyyy-mm-dd hh:mm:ss, in the ledger's time zone.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { clearFieldErrors, showFieldErrors } from '../core/field-errors.js'
import { state, yearPath } from '../core/state.js'
import { EVENT_NAMES } from '../wording/event-names.js'
import { entryTable, recordedText } from './entry-table.js'

const FIELDS = { from: 'df-from', to: 'df-to', table: 'df-table' }
const PARTS = { income: '收入', expenditure: '支出' }
let onLine = () => {}

/** A moment as the server reads it: a date, or a date-time without offset in the ledger's zone. */
const moment = (typed) => typed.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(:\d{2})?)$/, '$1T$2')

const show = (d) => {
  const names = new Map(d.events.map((e) => [e.id, e]))
  const label = (id) => {
    const e = names.get(id)
    return e ? '#' + e.revision + ' ' + (EVENT_NAMES[e.type] || e.type) : id.slice(0, 8)
  }
  $('diff-status').textContent =
    (d.table.set === 'final' ? '决算表' : '表') + d.table.number + ' ' + d.table.title + '：' + recordedText(d.from) + ' → ' + recordedText(d.to) + '（修订号 ' + d.revisions.from + ' → ' + d.revisions.to + '），' + d.changes.length + ' 个单元格有变化，期间记录了 ' + d.events.length + ' 个事件'
  if (!d.changes.length) return $('diff').replaceChildren(el('p', { text: '两个时点之间该表没有变化。' }))
  const table = el('table', { className: 'entry-table diff-table' }, [
    el('thead', null, [el('tr', null, ['部分', '行', '列', '之前', '之后', '改变它的事件'].map((h) => el('th', { scope: 'col', text: h })))]),
    el('tbody', null, d.changes.map((c) =>
      el('tr', { 'data-row': String(c.row), 'data-column': String(c.column), 'data-events': c.events.join(' ') }, [
        el('td', { className: 'nowrap', text: PARTS[c.part] || '' }),
        el('td', { text: c.rowKey }),
        el('td', { className: 'nowrap', text: c.columnLabel }),
        el('td', { className: c.kind === 'text' ? '' : 'num', text: c.from == null ? '（无）' : c.from }),
        el('td', { className: c.kind === 'text' ? '' : 'num', text: c.to == null ? '（无）' : c.to }),
        el('td', { text: c.events.length ? c.events.map(label).join('、') : '—' }),
      ]),
    )),
  ])
  $('diff').replaceChildren(
    el('div', { className: 'grid-scroll', tabindex: '0', role: 'region', 'aria-label': '有变化的单元格（可左右滚动）' }, [table]),
    el('h3', { text: '期间记录的事件' }),
    entryTable(d.events, { label: '期间记录的事件（可左右滚动）', onLine }),
  )
}

const compare = async () => {
  clearFieldErrors(Object.values(FIELDS))
  const q = new URLSearchParams({ from: moment($('df-from').value) })
  if ($('df-to').value.trim()) q.set('to', moment($('df-to').value))
  try {
    show((await getJson(yearPath() + '/tables/' + encodeURIComponent($('df-table').value) + '/diff?' + q)).body)
  } catch (e) {
    const errors = (e.body && e.body.errors) || []
    showFieldErrors(errors, FIELDS)
    $('diff-status').textContent = '未能对比：' + (errors.length ? '请按提示修改' : e.message)
    $('diff').replaceChildren()
  }
}

/** Shows the screen (finance and auditors) with the year's tables to choose from. */
export const showDiff = (may) => {
  $('diff-panel').hidden = !may
  if (!may) return
  const chosen = $('df-table').value || state.table
  $('df-table').replaceChildren(...state.tables.map((t) => el('option', { value: String(t.number), text: '表' + t.number + ' ' + t.title })))
  $('df-table').value = chosen
}

export const wireDiff = (o) => {
  onLine = o.onLine
  $('diff-form').addEventListener('submit', (e) => {
    e.preventDefault()
    compare()
  })
}
