/*
 * A department's consolidated (合并) cell, followed: the cell is its units' same cells added up, so
 * the panel lists each unit's part (its figure, in 元, and how many events) and the total as the
 * server gives them, then each unit's events. The page adds nothing up: every figure is the server's.
 */
import { el } from '../core/dom.js'
import { grouped } from '../wording/format.js'
import { state } from '../core/state.js'
import { eventsTable } from './explain-events.js'

/** A member unit's name as the department listing gives it (本级 marked), else its code. */
const memberName = (code) => {
  const d = state.departments.find((x) => x.code === state.department)
  const year = d && d.years.find((y) => y.year === state.year)
  const u = year && year.units.find((x) => x.unit === code)
  return u ? u.name + '（' + code + (u.role === 'own' ? '，本级' : '') + '）' : code
}

const figure = (c) => c.text + (c.kind === 'amount' ? ' 万元' : '')

/** The parts table and each part's events, for the answer of GET …/departments/:d/…/explain. */
export const departmentParts = (answer) => {
  const head = ['单位', '本格数值', '金额（元）', '事件数'].map((h) => el('th', { scope: 'col', text: h }))
  const rows = answer.parts.map((p) =>
    el('tr', { 'data-unit': p.unit, 'data-total': p.total == null ? '' : p.total }, [
      el('th', { scope: 'row', text: memberName(p.unit) }),
      el('td', { className: 'num', text: figure(p.cell) }),
      el('td', { className: 'num', text: p.total == null ? '—' : grouped(p.total) }),
      el('td', { className: 'num', text: String(p.events.length) }),
    ]),
  )
  const total = el('tr', { className: 'total', 'data-total': answer.total == null ? '' : answer.total }, [
    el('th', { scope: 'row', text: answer.total == null ? '部门（合并）' : '合计（部门合并）' }),
    el('td', { className: 'num', text: figure(answer.cell) }),
    el('td', { className: 'num', text: answer.total == null ? '—' : grouped(answer.total) }),
    el('td', { className: 'num', text: '—' }),
  ])
  const parts = el('table', { className: 'explain-parts' }, [el('thead', null, [el('tr', null, head)]), el('tbody', null, rows), el('tfoot', null, [total])])
  const notes = [
    answer.total == null ? el('p', { className: 'explain-note', text: '此格是比率或文字，不是各单位数值之和：下列各单位的同一格及其来源事件供核对。' }) : null,
    answer.absent.length ? el('p', { className: 'explain-note', text: '以下单位的表中没有这一格，不计入：' + answer.absent.map(memberName).join('、') }) : null,
  ]
  const perUnit = answer.parts.map((p) =>
    el('section', { className: 'explain-part', 'data-unit': p.unit }, [
      el('h3', { text: memberName(p.unit) + '：' + figure(p.cell) + '，' + p.events.length + ' 个事件' }),
      eventsTable(p.events, memberName(p.unit) + '的来源事件'),
    ]),
  )
  return [el('div', { className: 'grid-scroll', tabindex: '0', role: 'region', 'aria-label': '各单位的数值（可左右滚动）' }, [parts]), ...notes.filter(Boolean), ...perUnit]
}
