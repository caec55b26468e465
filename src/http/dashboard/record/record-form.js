/*
 * The adjustment form (finance only): 追加, 追减, 调剂 between two lines, or 支出 on a line, with
 * the preview and confirmation every recording form has (form-kit.js).
 */
import { toYuanString } from '../wording/amount.js'
import { $, el } from '../core/dom.js'
import { yearPath } from '../core/state.js'
import { currentYearRevision, recordingForm } from './form-kit.js'
import { lineName } from '../wording/line-name.js'

const TYPES = { AddToLine: '追加', ReduceLine: '追减', TransferBetweenLines: '调剂', RecordExpenditure: '支出' }
/** Each command's data, from the fields; the fields a type does not use are hidden. */
const DATA = {
  AddToLine: () => ({ line: $('rf-line').value, amount: amount(), category: $('rf-category').value }),
  ReduceLine: () => ({ line: $('rf-line').value, amount: amount(), category: $('rf-category').value }),
  TransferBetweenLines: () => ({ from: $('rf-line').value, to: $('rf-to').value, amount: amount(), category: $('rf-category').value }),
  RecordExpenditure: () => ({ line: $('rf-line').value, amount: amount(), economicCode: null, voucher: $('rf-voucher').value.trim(), threePublic: null, procurement: null }),
}
const USES = { 'rf-to-field': ['TransferBetweenLines'], 'rf-voucher-field': ['RecordExpenditure'], 'rf-category-field': ['AddToLine', 'ReduceLine', 'TransferBetweenLines'] }
/** The form's field of each command path the server may name in a refusal. */
const FIELDS = { 'data.line': 'rf-line', 'data.from': 'rf-line', 'data.to': 'rf-to', 'data.voucher': 'rf-voucher', 'data.amount': 'rf-amount', 'data.category': 'rf-category', reason: 'rf-reason', document: 'rf-document', effectiveDate: 'rf-date' }

const amount = () => toYuanString($('rf-amount').value, $('rf-unit').value)

const showFieldsOf = (type) => {
  for (const [id, types] of Object.entries(USES)) $(id).hidden = !types.includes(type)
  $('rf-line-label').textContent = type === 'TransferBetweenLines' ? '调出行' : '预算行'
}

const command = () => ({
  type: $('rf-type').value,
  data: DATA[$('rf-type').value](),
  reason: $('rf-reason').value.trim(),
  document: $('rf-document').value.trim() || null,
  effectiveDate: $('rf-date').value,
})

/** Fills the line choices with the open year's lines. */
export const showRecordForm = (lines) => {
  for (const id of ['rf-line', 'rf-to']) {
    const chosen = $(id).value
    $(id).replaceChildren(...lines.map((l) => el('option', { value: l.line, text: lineName(l) })))
    if (chosen) $(id).value = chosen
  }
}

export const wireRecordForm = (recorded) => {
  $('rf-type').replaceChildren(...Object.entries(TYPES).map(([v, t]) => el('option', { value: v, text: t })))
  showFieldsOf($('rf-type').value)
  $('rf-type').addEventListener('change', () => showFieldsOf($('rf-type').value))
  recordingForm({
    prefix: 'rf',
    request: () => ({ path: yearPath() + '/commands', body: command() }),
    revision: currentYearRevision,
    fieldOf: (path) => FIELDS[path],
    linesOf: (body, sent) => {
      const d = sent.body.data
      const named = [d.line, d.from, d.to].filter(Boolean)
      return (body.lines || []).filter((l) => named.includes(l.line))
    },
    recorded,
  })
}
