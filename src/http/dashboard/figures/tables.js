/*
 * The official tables, 预算 (1-11) and 决算 (F1-F9): a switch between the two sets, the list to
 * choose from and the chosen table in its published layout (the multi-level headers of
 * header-layout.js, loaded as a plain script: window.HeaderLayout). A table is known by its code:
 * "4" for a 预算 table, "F5" for a 决算 table, as the server's lists give them.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { state, withAsOf, yearPath } from '../core/state.js'
import { describeAsOf } from '../wording/time.js'

const NUMBER = /^-?\d+\.\d{2}%?$/
const TOTAL = /(合计|总计|共计)：?$/
const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一']

export const isFinal = (code) => /^F/i.test(String(code))
const SETS = [
  { final: false, label: '预算表', all: '全部预算表（Excel 工作簿）' },
  { final: true, label: '决算表', all: '全部决算表（Excel 工作簿）' },
]

/** Both lists, 预算 then 决算, each entry with its code ("4", "F5"). */
export const loadTableLists = async () => {
  const [budget, final] = await Promise.all([getJson(yearPath() + '/tables'), getJson(yearPath() + '/final-tables')])
  return [...budget.body, ...final.body]
}

/** Where the shown table (or `code`) is read: /tables/4 or /final-tables/5. */
export const tablePath = (code = state.table) => yearPath() + (isFinal(code) ? '/final-tables/' + String(code).slice(1) : '/tables/' + code)

/** Where the whole set of the shown table downloads as one workbook. */
export const workbookPath = () => yearPath() + (isFinal(state.table) ? '/final-workbook.xlsx' : '/workbook.xlsx')

/**
 * The switch between the two sets (buttons with aria-pressed) and the list of the shown set:
 * buttons (keyboard reachable), the shown one marked aria-current.
 */
export const renderTabs = (onSelect) => {
  const nav = $('tabs')
  nav.textContent = ''
  const final = isFinal(state.table)
  const group = el('div', { className: 'set-switch', role: 'group', 'aria-label': '表的类别' })
  for (const s of SETS) {
    const b = el('button', { type: 'button', 'data-set': s.final ? 'final' : 'budget', 'aria-pressed': String(s.final === final), text: s.label })
    // The first table of the other set; none when the server lists no such set.
    const first = state.tables.find((t) => isFinal(t.code) === s.final)
    b.addEventListener('click', () => s.final !== final && first && onSelect(first.code))
    group.appendChild(b)
  }
  nav.appendChild(group)
  nav.setAttribute('aria-label', final ? '决算表' : '预算表')
  $('dl-all').textContent = SETS[final ? 1 : 0].all
  for (const t of state.tables.filter((x) => isFinal(x.code) === final)) {
    const chosen = t.code === String(state.table)
    const b = el('button', { type: 'button', 'data-table': t.code, className: chosen ? 'tab active' : 'tab' }, [
      el('span', { className: 'tab-no', text: (final ? '决算表' : '表') + (NUMERALS[t.number] || t.number) }),
      ' ',
      t.title,
    ])
    if (chosen) b.setAttribute('aria-current', 'true')
    b.addEventListener('click', () => onSelect(t.code))
    nav.appendChild(b)
  }
}

const headerRows = (t) =>
  window.HeaderLayout ? window.HeaderLayout.headerRows(t.id, t.columns) : [t.columns.map((c, i) => ({ label: c, col: i, colSpan: 1, rowSpan: 1 }))]

export const renderTable = (t) => {
  const box = $('table')
  box.textContent = ''
  box.dataset.table = (t.set === 'final' ? 'F' : '') + t.number
  box.appendChild(el('div', { className: 'official-title', text: t.title }))
  box.appendChild(
    el('div', { className: 'official-sub' }, [
      el('span', { text: '部门名称：' + t.unitName + '（' + t.unitCode + '）' }),
      el('span', { text: t.year + ' 年度' + (state.asOf ? ' · 历史时点 ' + describeAsOf(state.asOf) : '') }),
      el('span', { text: '单位：万元' }),
    ]),
  )
  for (const s of t.sections || []) {
    const list = el('table', { className: 'section-table' })
    for (const r of s.rows) list.appendChild(el('tr', null, r.map((c) => el('td', { text: c }))))
    box.appendChild(el('div', { className: 'section' }, [el('h3', { text: s.title }), el('div', { className: 'grid-scroll' }, [list])]))
  }
  if (t.summary && t.summary.length) {
    const sum = el('table', { className: 'summary-table' })
    for (const p of t.summary) sum.appendChild(el('tr', null, [el('th', { scope: 'row', text: p[0] }), el('td', { className: 'num', text: p[1] })]))
    box.appendChild(el('div', { className: 'grid-scroll' }, [sum]))
  }

  const grid = el('table', { className: 'grid' })
  const thead = el('thead')
  for (const cells of headerRows(t)) {
    const tr = el('tr')
    for (const h of cells) {
      const th = el('th', { scope: 'col', text: h.label })
      if (h.colSpan > 1) th.colSpan = h.colSpan
      if (h.rowSpan > 1) th.rowSpan = h.rowSpan
      tr.appendChild(th)
    }
    thead.appendChild(tr)
  }
  grid.appendChild(thead)
  // A column is numeric when every filled cell in it is a figure: then it is right-aligned.
  const numeric = t.columns.map((_, c) => {
    const filled = t.rows.map((r) => (r[c] || '').trim()).filter((v) => v !== '')
    return filled.length > 0 && filled.every((v) => NUMBER.test(v))
  })
  const tbody = el('tbody')
  t.rows.forEach((row, rowIndex) => {
    // A figure not known is null in the JSON: a blank cell, never 0.
    const r = row.map((c) => (c == null ? '' : c))
    const filled = r.filter((c) => c.trim() !== '').length
    const total = r.some((c, i) => !numeric[i] && TOTAL.test(c.trim()))
    const tr = el('tr', { className: (total ? 'total' : '') + (filled === 1 && r.length > 2 ? ' group' : '') })
    r.forEach((c, i) => {
      const bare = c.replace(/^ +/, '')
      const depth = Math.floor((c.length - bare.length) / 2)
      // Short labels stay on one line (the grid scrolls sideways in its panel); long text wraps.
      const figure = numeric[i] || NUMBER.test(bare)
      const td = el('td', { className: figure ? 'num' : bare.length <= 16 ? 'text nowrap' : 'text', text: bare })
      if (figure && bare !== '') {
        td.dataset.row = String(rowIndex)
        td.dataset.column = String(i)
      }
      if (depth) td.style.paddingLeft = 0.5 + depth * 1.2 + 'em'
      tr.appendChild(td)
    })
    tbody.appendChild(tr)
  })
  grid.appendChild(tbody)
  box.appendChild(el('div', { className: 'grid-scroll', tabindex: '0', role: 'region', 'aria-label': t.title + '（可左右滚动）' }, [grid]))
  for (const n of t.notes || []) box.appendChild(el('p', { className: 'note', text: '注：' + n }))
}

/** Reads the chosen table: { body, revision } (revision null for an as-of read). */
export const fetchTable = async () => {
  const r = await getJson(withAsOf(tablePath()))
  const m = /^"(\d+)"$/.exec(r.etag || '')
  return { body: r.body, revision: m ? Number(m[1]) : null }
}

export const clearTable = () => {
  $('table').textContent = ''
}
