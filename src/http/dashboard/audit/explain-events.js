/* The events behind a figure, as a table: shared by a unit's cell and by each unit's part of a department's cell. */
import { el } from '../core/dom.js'
import { grouped } from '../wording/format.js'
import { zoneClock } from '../wording/time.js'
import { EVENT_NAMES } from '../wording/event-names.js'

/** The events (as the explain read lists them) in a scrolling table; `what` names it for a screen reader. */
export const eventsTable = (events, what) => {
  const table = el('table', { className: 'explain-events' })
  table.appendChild(el('thead', null, [el('tr', null, ['记录时间', '业务日期', '事件', '预算项目', '经办人', '事由', '文号', '金额（元）'].map((h) => el('th', { scope: 'col', text: h })))]))
  const body = el('tbody')
  for (const e of events) {
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
  return el('div', { className: 'grid-scroll', tabindex: '0', role: 'region', 'aria-label': what + '（可左右滚动）' }, [table])
}
