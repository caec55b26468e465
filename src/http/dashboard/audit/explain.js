/*
 * Following a figure (auditors and finance): a figure cell of the shown table opens the events
 * behind it — who, when, why, which document, and the amount each changed the cell by — as the
 * server's explain read gives them (GET …/tables/:table/explain?row=&column=); a department's
 * cell, each unit's part and its events (department-explain.js). The page adds nothing up: the
 * amounts are the server's.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { report } from '../core/message.js'
import { state, withAsOf, yearPath } from '../core/state.js'
import { departmentParts } from './department-explain.js'
import { eventsTable } from './explain-events.js'

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
  const parts = Boolean(answer.department)
  box.appendChild(
    el('p', { className: 'explain-cell' }, [
      el('b', { text: (answer.table.set === 'final' ? '决算表' : '表') + answer.table.number + ' ' + answer.table.title }),
      '：' + c.rowKey + ' · ' + c.columnLabel + ' = ',
      el('b', { className: 'num', text: c.text + (c.kind === 'amount' ? ' 万元' : '') }),
      parts
        ? '，部门合并：由以下 ' + answer.parts.length + ' 个单位的同一格' + (answer.total == null ? '构成' : '相加') + '（金额为元）'
        : '，由以下 ' + answer.events.length + ' 个事件形成（金额为各事件使该数变动的元数）',
    ]),
  )
  if (parts) box.append(...departmentParts(answer))
  else box.appendChild(eventsTable(answer.events, '来源事件'))
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
