/*
 * History entries (as GET …/history, …/lines/:line and …/diff give them) as a table people read:
 * when recorded, business date, what, which line, how much, who with which role, why, on which
 * document. A line opens its own view; extra actions (更正) come from the screen that lists them.
 */
import { el } from '../core/dom.js'
import { grouped } from '../wording/format.js'
import { zoneClock } from '../wording/time.js'
import { EVENT_NAMES } from '../wording/event-names.js'
import { lineName } from './line-names.js'

const ROLES = { finance: '财务', auditor: '审计', dashboard: '查看' }

/** The lines an entry is about: those it left a balance on, else those its data names. */
const linesOf = (e) => {
  const named = (e.balances || []).map((b) => b.line)
  const d = e.data || {}
  return named.length ? named : [d.line, d.from, d.to].filter(Boolean)
}

const typeText = (e) => (EVENT_NAMES[e.type] || e.type) + (e.reverses ? '（原记录 ' + e.reverses.slice(0, 8) + '）' : '')

export const recordedText = (iso) => {
  const t = zoneClock(Date.parse(iso))
  return t.date + ' ' + t.time
}

/**
 * The table of entries. o.onLine(line): open a line's view; o.actions(entry): extra buttons;
 * o.label: the scrolling region's name.
 */
export const entryTable = (entries, o) => {
  const heads = ['记录时间', '业务日期', '类型', '预算行', '金额（元）', '经办人（角色）', '事由', '文号', ...(o.actions ? ['操作'] : [])]
  const table = el('table', { className: 'entry-table' }, [el('thead', null, [el('tr', null, heads.map((h) => el('th', { scope: 'col', text: h })))])])
  const body = el('tbody')
  for (const e of entries) {
    const amount = e.data && typeof e.data.amount === 'string' ? grouped(e.data.amount) : '—'
    const lines = linesOf(e).map((line) =>
      el('button', { type: 'button', className: 'link line-link', 'data-line': line, 'aria-label': '预算行明细：' + lineName(line) }, [lineName(line)]),
    )
    body.appendChild(
      el('tr', { 'data-event': e.id, 'data-type': e.type, 'data-revision': String(e.revision) }, [
        el('td', { className: 'nowrap', text: recordedText(e.recordedAt) }),
        el('td', { className: 'nowrap', text: e.effectiveDate }),
        el('td', { className: 'nowrap', text: typeText(e) }),
        el('td', null, lines.length ? lines : ['—']),
        el('td', { className: 'num', 'data-amount': e.data && e.data.amount ? e.data.amount : '', text: amount }),
        el('td', { className: 'nowrap', text: e.actor + '（' + (ROLES[e.role] || e.role) + '）' }),
        el('td', { text: e.reason || '—' }),
        el('td', { text: e.document || '—' }),
        ...(o.actions ? [el('td', { className: 'nowrap' }, o.actions(e))] : []),
      ]),
    )
  }
  table.appendChild(body)
  table.addEventListener('click', (ev) => {
    const b = ev.target.closest('button.line-link')
    if (b && o.onLine) o.onLine(b.dataset.line)
  })
  return el('div', { className: 'grid-scroll', tabindex: '0', role: 'region', 'aria-label': o.label }, [table])
}
