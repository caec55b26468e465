/*
 * Following a figure (auditors and finance): a figure cell of the shown table opens the events
 * behind it — who, when, why, which document, and the amount each changed the cell by — as the
 * server's explain read gives them (GET …/tables/:table/explain?row=&column=). The page adds
 * nothing up: the amounts are the server's.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { grouped } from '../core/format.js'
import { report } from '../core/message.js'
import { state, withAsOf, yearPath } from '../core/state.js'
import { zoneClock } from '../core/time.js'
import { EVENT_NAMES } from '../core/event-names.js'

let allowed = false

/** Whether these credentials may follow figures to their events (finance, auditors). */
export const mayFollow = () => allowed

/** Whether the figures of the shown table may be followed (asked once per year opened). */
export const setExplainable = (yes) => {
  allowed = yes
  const table = $('table')
  table.classList.toggle('explainable', yes)
  if (!yes) closeExplain()
}

/** Makes the figure cells of the rendered table open their events (by mouse, Enter or Space). */
export const markExplainable = () => {
  if (!allowed) return
  for (const td of $('table').querySelectorAll('td[data-row]')) {
    td.tabIndex = 0
    td.setAttribute('role', 'button')
    td.setAttribute('aria-label', td.textContent + '（查看来源事件）')
  }
}

const closeExplain = () => {
  $('explain-panel').hidden = true
  $('explain').textContent = ''
}

const show = (answer, origin) => {
  const box = $('explain')
  box.textContent = ''
  const c = answer.cell
  box.appendChild(
    el('p', { className: 'explain-cell' }, [
      el('b', { text: (answer.table.set === 'final' ? '决算表' : '表') + answer.table.number + ' ' + answer.table.title }),
      '：' + c.rowKey + ' · ' + c.columnLabel + ' = ',
      el('b', { className: 'num', text: c.text + (c.kind === 'amount' ? ' 万元' : '') }),
      '，由以下 ' + answer.events.length + ' 个事件形成（金额为各事件使该数变动的元数）',
    ]),
  )
  const table = el('table', { className: 'explain-events' })
  table.appendChild(el('thead', null, [el('tr', null, ['记录时间', '业务日期', '事件', '预算项目', '经办人', '事由', '文号', '金额（元）'].map((h) => el('th', { scope: 'col', text: h })))]))
  const body = el('tbody')
  for (const e of answer.events) {
    const t = zoneClock(Date.parse(e.recordedAt))
    body.appendChild(
      el('tr', { 'data-event': e.id, 'data-type': e.type, 'data-amount': e.amount == null ? '' : e.amount }, [
        el('td', { className: 'nowrap', text: t.date + ' ' + t.time }),
        el('td', { className: 'nowrap', text: e.effectiveDate }),
        el('td', { className: 'nowrap', text: EVENT_NAMES[e.type] || e.type }),
        el('td', { className: 'nowrap', text: (e.balances || []).map((b) => b.line).join('、') || '—' }),
        el('td', { className: 'nowrap', text: e.actor + '（' + e.role + '）' }),
        el('td', { text: e.reason || '—' }),
        el('td', { text: e.document || '—' }),
        el('td', { className: 'num', text: e.amount == null ? '—' : grouped(e.amount) }),
      ]),
    )
  }
  table.appendChild(body)
  box.appendChild(el('div', { className: 'grid-scroll', tabindex: '0', role: 'region', 'aria-label': '来源事件（可左右滚动）' }, [table]))
  const panel = $('explain-panel')
  panel.hidden = false
  panel.dataset.row = origin.dataset.row
  panel.dataset.column = origin.dataset.column
  $('explain-title').focus()
}

const open = async (td) => {
  const q = '?row=' + encodeURIComponent(td.dataset.row) + '&column=' + encodeURIComponent(td.dataset.column)
  try {
    show((await getJson(withAsOf(yearPath() + '/tables/' + encodeURIComponent(state.table) + '/explain' + q))).body, td)
  } catch (e) {
    report(e)
  }
}

export const wireExplain = () => {
  const table = $('table')
  const pick = (target) => (allowed ? target.closest('td[data-row]') : null)
  table.addEventListener('click', (e) => {
    const td = pick(e.target)
    if (td) open(td)
  })
  table.addEventListener('keydown', (e) => {
    const td = pick(e.target)
    if (td && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault()
      open(td)
    }
  })
  $('explain-close').addEventListener('click', closeExplain)
}

/** A new table or moment: the events shown are no longer of a shown cell. */
export { closeExplain }
