/* The performance indicators against the unit's targets, as the server computed them. */
import { $, el } from '../core/dom.js'
import { grouped } from '../wording/format.js'

// A mark and a style per status; the words are the API's statusLabel (one vocabulary with the CLI).
// √ and × as on paper forms (and in the page's Chinese font, which has no ✔ ✘).
const STATUS_MARK = {
  met: ['√ ', 'met'],
  'not met': ['× ', 'not-met'],
  'not applicable': ['— ', 'na'],
  'no target': ['', 'na'],
}

// Amounts in 万元, the unit of every figure on the page (the server gives them so: no arithmetic here).
const side = (quantity, s) => s.label + ' ' + (quantity === 'amount' ? grouped(s.valueWan) + ' 万元' : s.value + ' 项')

export const renderIndicators = (report) => {
  const box = $('indicators')
  box.textContent = ''
  const table = el('table', { className: 'indicator-table' })
  table.appendChild(el('thead', null, [el('tr', null, ['指标', '目标值', '本期值', '是否达标', '计算依据'].map((h) => el('th', { scope: 'col', text: h })))]))
  const body = el('tbody')
  for (const i of report.indicators) {
    const s = STATUS_MARK[i.status] || ['', 'na']
    const head = i.variants.find((v) => v.headline) || i.variants[0]
    const basis = head ? side(i.quantity, head.numerator) + ' ÷ ' + side(i.quantity, head.denominator) : ''
    const others = i.variants.filter((v) => !v.headline).map((v) => v.label + '：' + (v.value == null ? v.statusLabel : v.value + '%'))
    body.appendChild(
      el('tr', { 'data-indicator': i.id, 'data-status': i.status }, [
        el('th', { scope: 'row', title: i.formula, text: i.name }),
        el('td', { className: 'num', text: i.target ? i.target.text : '—' }),
        el('td', { className: 'num value', text: i.value == null ? '—' : i.value + '%' }),
        el('td', null, [el('span', { className: 'badge ' + s[1], title: i.note || '', text: s[0] + i.statusLabel })]),
        el('td', { className: 'basis' }, [
          basis,
          others.length ? el('div', { className: 'variants', text: '另：' + others.join('；') }) : null,
          i.note ? el('div', { className: 'note', text: i.note }) : null,
        ]),
      ]),
    )
  }
  table.appendChild(body)
  box.appendChild(table)
}

/**
 * Whose targets the rates are held against: the unit's own, or, for a department, its units' (the
 * server lists them 本级 first and computes every rate from the amounts added up).
 */
export const showIndicatorsScope = (department, unitCount) => {
  $('indicators-scope').textContent = department
    ? '合并：' + department.name + '（' + department.code + '）' + unitCount + ' 个单位的金额相加计算，对照各单位整体绩效目标表的目标值（本级在前）'
    : '对照本单位整体绩效目标表的目标值'
}

/** Instead of the indicators: a note. */
export const indicatorsNote = (text) => {
  $('indicators').textContent = text
}
