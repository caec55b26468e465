/*
 * 历史记录 (finance and auditors): the year's events filtered by line, document, person, type and
 * either time axis, as the server's history read filters them (GET …/history), a page of them at
 * a time, and the CSV / Excel downloads of exactly the entries the filter picked (…/history.csv,
 * …/history.xlsx with the same query). Finance may correct an entry from here (correction.js).
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { clearFieldErrors, showFieldErrors } from '../core/field-errors.js'
import { withAsOf, yearPath } from '../core/state.js'
import { download } from '../figures/downloads.js'
import { EVENT_NAMES } from '../wording/event-names.js'
import { entryTable } from './entry-table.js'
import { lineOptions } from './line-names.js'

export const PAGE_SIZE = 50
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** The entry types finance may correct (an amount on a line, not yet reversed: the server says). */
export const CORRECTABLE = ['BudgetAdded', 'BudgetReduced', 'BudgetTransferred', 'ExpenditureRecorded']

/** The form's field of each query parameter the server may name in a refusal. */
const FIELDS = { line: 'hf-line', document: 'hf-document', person: 'hf-person', type: 'hf-type', from: 'hf-from', to: 'hf-to', effectiveFrom: 'hf-effective-from', effectiveTo: 'hf-effective-to' }

let shown = { query: '', entries: [], page: 0 }
let hooks = { onCorrect: null, onLine: () => {} }

/**
 * The day before a yyyy-mm-dd date (calendar only). The server's recording-time `from` is
 * exclusive and a bare date means the end of that day, so "from 3 March" is sent as 2 March.
 */
const dayBefore = (date) => {
  const m = DATE.exec(date)
  if (!m) return date
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) - 1)).toISOString().slice(0, 10)
}

/** The query of the filter as the form holds it. */
const queryOf = () => {
  const q = new URLSearchParams()
  const put = (name, value) => {
    if (value.trim() !== '') q.set(name, value.trim())
  }
  put('line', $('hf-line').value)
  put('document', $('hf-document').value)
  put('person', $('hf-person').value)
  put('type', $('hf-type').value)
  put('from', dayBefore($('hf-from').value.trim()))
  put('to', $('hf-to').value)
  put('effectiveFrom', $('hf-effective-from').value)
  put('effectiveTo', $('hf-effective-to').value)
  return q.toString()
}

/** The history's address with the filter shown (downloads add the moment themselves). */
const path = (ext) => yearPath() + '/history' + ext + (shown.query ? '?' + shown.query : '')

const actionsOf = (e) =>
  hooks.onCorrect && CORRECTABLE.includes(e.type)
    ? [el('button', { type: 'button', className: 'correct', 'data-event': e.id, 'aria-label': '更正 ' + (EVENT_NAMES[e.type] || e.type) + ' ' + e.effectiveDate + ' ' + (e.data.amount || '') + ' 元' }, ['更正'])]
    : []

const render = () => {
  const { entries, page } = shown
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE))
  const part = entries.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
  $('history').replaceChildren(entries.length ? entryTable(part, { label: '历史记录（可左右滚动）', onLine: hooks.onLine, ...(hooks.onCorrect ? { actions: actionsOf } : {}) }) : el('p', { text: '没有符合条件的记录。' }))
  $('history-count').textContent = '共 ' + entries.length + ' 条' + (entries.length > PAGE_SIZE ? '，第 ' + (page + 1) + ' / ' + pages + ' 页（每页 ' + PAGE_SIZE + ' 条）' : '')
  $('hp-prev').disabled = page === 0
  $('hp-next').disabled = page >= pages - 1
  $('history-pages').hidden = entries.length <= PAGE_SIZE
}

/** Reads the history the form asks for and shows its first page. */
export const loadHistory = async () => {
  clearFieldErrors(Object.values(FIELDS))
  shown = { query: queryOf(), entries: [], page: 0 }
  try {
    shown.entries = (await getJson(withAsOf(path('')))).body.entries
  } catch (e) {
    const errors = (e.body && e.body.errors) || []
    showFieldErrors(errors, FIELDS)
    $('history-count').textContent = '未能查询：' + (errors.length ? '请按提示修改筛选条件' : e.message)
    $('history').replaceChildren()
    return
  }
  render()
}

const entryOf = (id) => shown.entries.find((e) => e.id === id)

/** Shows the screen (finance and auditors) with the year's lines, and reads the history. */
export const showHistory = async (may, correcting) => {
  $('history-panel').hidden = !may
  hooks.onCorrect = correcting ? hooks.correct : null
  if (!may) return
  const chosen = $('hf-line').value
  $('hf-line').replaceChildren(...lineOptions('全部预算行'))
  $('hf-line').value = chosen
  await loadHistory()
}

export const wireHistory = (o) => {
  hooks = { onCorrect: null, correct: o.onCorrect, onLine: o.onLine }
  $('hf-type').replaceChildren(el('option', { value: '', text: '全部类型' }), ...Object.entries(EVENT_NAMES).map(([v, t]) => el('option', { value: v, text: t })))
  $('history-form').addEventListener('submit', (e) => {
    e.preventDefault()
    loadHistory()
  })
  $('hf-clear').addEventListener('click', () => {
    $('history-form').reset()
    loadHistory()
  })
  $('hp-prev').addEventListener('click', () => {
    shown.page = Math.max(0, shown.page - 1)
    render()
  })
  $('hp-next').addEventListener('click', () => {
    shown.page += 1
    render()
  })
  $('history').addEventListener('click', (e) => {
    const b = e.target.closest('button.correct')
    if (b && hooks.onCorrect) hooks.onCorrect(entryOf(b.dataset.event))
  })
  $('hf-csv').addEventListener('click', () => download(path('.csv'), 'history.csv'))
  $('hf-xlsx').addEventListener('click', () => download(path('.xlsx'), 'history.xlsx'))
}

/** The unit-year chosen: the filter starts empty. */
export const resetHistory = () => $('history-form').reset()
