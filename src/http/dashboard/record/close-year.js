/*
 * 年度结转 (CloseYear): for each line with money left, whether it is carried into next year (结转),
 * taken back by the finance bureau (收回, with its notice), all of it or an amount in 元 or 万元, or
 * left as 结余. The server works out every part of every line (POST …/close), so the page adds
 * nothing up.
 */
import { toYuanString } from '../wording/amount.js'
import { $, el } from '../core/dom.js'
import { yearPath } from '../core/state.js'
import { contextFieldOf, contextFields, field, formShell, input, orNull, valueOf } from './controls.js'
import { currentYearRevision, recordingForm } from './form-kit.js'
import { lineName } from '../wording/line-name.js'

/** [value, label, which wish of the close it goes to, whether an amount is typed]. */
const HOW = [
  ['none', '全部作结余', null, false],
  ['all', '全部结转', 'carry', false],
  ['part', '部分结转', 'carry', true],
  ['recover', '全部收回', 'recover', false],
  ['recover-part', '部分收回', 'recover', true],
]
const howOf = (value) => HOW.find(([v]) => v === value)

let shown = [] // the lines with money left, as the summary lists them

/** The lines' wish of one kind (carry or recover): {line: "all" | amount in 元}. */
const wish = (kind) =>
  Object.fromEntries(
    shown.flatMap((l, i) => {
      const [, , goes, typed] = howOf($('cy-l' + i + '-how').value)
      if (goes !== kind) return []
      return [[l.line, typed ? toYuanString($('cy-l' + i + '-amount').value, $('cy-l' + i + '-amount-unit').value) : 'all']]
    }),
  )

const lineRow = (l, i) => {
  const id = 'cy-l' + i
  return el('tr', {}, [
    el('th', { scope: 'row', text: lineName(l) }),
    el('td', { className: 'num', text: l.available + ' 元' }),
    el('td', {}, [el('select', { id: id + '-how', 'aria-label': lineName(l) + ' 处理方式' }, HOW.map(([v, t]) => el('option', { value: v, text: t })))]),
    el('td', {}, [
      el('span', { className: 'with-unit' }, [
        el('input', { type: 'text', id: id + '-amount', inputmode: 'decimal', autocomplete: 'off', 'aria-label': lineName(l) + ' 结转或收回金额', disabled: '' }),
        el('select', { id: id + '-amount-unit', 'aria-label': lineName(l) + ' 结转或收回金额单位' }, [el('option', { value: '元', text: '元' }), el('option', { value: '万元', text: '万元' })]),
      ]),
    ]),
  ])
}

/** The lines of the open year that have money left (the server's 可用). */
export const showCloseYear = (lines) => {
  shown = lines.filter((l) => l.available !== '0.00')
  $('cy-carry').replaceChildren(
    el('caption', { text: '各预算行的年末余额（可用数）如何处理' }),
    el('thead', {}, [el('tr', {}, ['预算行', '可用', '处理', '结转或收回金额'].map((h) => el('th', { scope: 'col', text: h })))]),
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
      field('cy-notice', '收回文号（有收回时填写）', input('cy-notice')),
      ...contextFields('cy'),
    ]),
  )
  $('cy-carry').addEventListener('change', (e) => {
    const m = /^(cy-l\d+)-how$/.exec(e.target.id || '')
    if (m) $(m[1] + '-amount').disabled = !howOf(e.target.value)[3]
  })
  recordingForm({
    prefix: 'cy',
    request: () => ({
      path: yearPath() + '/close',
      body: {
        carry: wish('carry'),
        recover: wish('recover'),
        ...(valueOf('cy-notice') ? { recoveryNotice: valueOf('cy-notice') } : {}),
        reason: valueOf('cy-reason'),
        document: orNull('cy-document'),
        effectiveDate: valueOf('cy-date'),
      },
    }),
    revision: currentYearRevision,
    fieldOf: (path) =>
      /recoveryNotice$/.test(path) ? 'cy-notice' : /^(carry|recover)(\.|$)/.test(path) ? 'cy-carry' : contextFieldOf('cy')[path],
    recorded,
  })
}
