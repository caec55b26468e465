/*
 * 年度结转 (CloseYear): for each line with money left, whether it is carried into next year (all of
 * it, or an amount in 元 or 万元) or left as 结余. The server works out both parts of every line
 * (POST …/close), so the page adds nothing up.
 */
import { toYuanString } from '../core/amount.js'
import { $, el } from '../core/dom.js'
import { yearPath } from '../core/state.js'
import { contextFieldOf, contextFields, formShell, orNull, valueOf } from './controls.js'
import { currentYearRevision, recordingForm } from './form-kit.js'
import { lineName } from './line-name.js'

const HOW = [['none', '全部作结余'], ['all', '全部结转'], ['part', '部分结转']]

let shown = [] // the lines with money left, as the summary lists them

const carry = () =>
  Object.fromEntries(
    shown.flatMap((l, i) => {
      const how = $('cy-l' + i + '-how').value
      if (how === 'none') return []
      return [[l.line, how === 'all' ? 'all' : toYuanString($('cy-l' + i + '-amount').value, $('cy-l' + i + '-amount-unit').value)]]
    }),
  )

const lineRow = (l, i) => {
  const id = 'cy-l' + i
  return el('tr', {}, [
    el('th', { scope: 'row', text: lineName(l) }),
    el('td', { className: 'num', text: l.available + ' 元' }),
    el('td', {}, [el('select', { id: id + '-how', 'aria-label': lineName(l) + ' 结转方式' }, HOW.map(([v, t]) => el('option', { value: v, text: t })))]),
    el('td', {}, [
      el('span', { className: 'with-unit' }, [
        el('input', { type: 'text', id: id + '-amount', inputmode: 'decimal', autocomplete: 'off', 'aria-label': lineName(l) + ' 结转金额', disabled: '' }),
        el('select', { id: id + '-amount-unit', 'aria-label': lineName(l) + ' 结转金额单位' }, [el('option', { value: '元', text: '元' }), el('option', { value: '万元', text: '万元' })]),
      ]),
    ]),
  ])
}

/** The lines of the open year that have money left (the server's 可用). */
export const showCloseYear = (lines) => {
  shown = lines.filter((l) => l.available !== '0.00')
  $('cy-carry').replaceChildren(
    el('caption', { text: '各预算行的年末余额（可用数）如何处理' }),
    el('thead', {}, [el('tr', {}, ['预算行', '可用', '处理', '结转金额'].map((h) => el('th', { scope: 'col', text: h })))]),
    el('tbody', {}, shown.map(lineRow)),
  )
}

export const wireCloseYear = (box, recorded) => {
  box.replaceChildren(
    ...formShell('cy', [
      el('div', { className: 'field wide', id: 'cy-carry-field' }, [
        el('div', { className: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': '结转表（可左右滚动）' }, [el('table', { id: 'cy-carry', className: 'cy-table', 'aria-describedby': 'cy-carry-error' })]),
        el('span', { id: 'cy-carry-error', className: 'field-error' }),
      ]),
      ...contextFields('cy'),
    ]),
  )
  $('cy-carry').addEventListener('change', (e) => {
    const m = /^(cy-l\d+)-how$/.exec(e.target.id || '')
    if (m) $(m[1] + '-amount').disabled = e.target.value !== 'part'
  })
  recordingForm({
    prefix: 'cy',
    request: () => ({ path: yearPath() + '/close', body: { carry: carry(), reason: valueOf('cy-reason'), document: orNull('cy-document'), effectiveDate: valueOf('cy-date') } }),
    revision: currentYearRevision,
    fieldOf: (path) => (path === 'carry' || path.startsWith('carry.') ? 'cy-carry' : contextFieldOf('cy')[path]),
    recorded,
  })
}
