/*
 * 更正 (finance), offered from an entry of the history: the entry is reversed and replaced by what
 * it should have been, as ONE command (CorrectEntry): the server decides both together and records
 * both in one append, or neither. The form starts as the entry was (same type, line, amount,
 * document, date) for the person to change; 预览 shows the server's dry run (the reversal and the
 * replacement, the lines after, the indicators that change), 确认更正 sends the same command on
 * the revision previewed (If-Match) under one Idempotency-Key. Refusals show beside their fields.
 */
import { toYuanString } from '../wording/amount.js'
import { getJson, postJson } from '../core/api.js'
import { newRequestKey, previewNodes } from '../core/command-preview.js'
import { $, el } from '../core/dom.js'
import { clearFieldErrors, detailOf, reasonOf, showFieldErrors } from '../core/field-errors.js'
import { grouped } from '../wording/format.js'
import { yearPath } from '../core/state.js'
import { EVENT_NAMES } from '../wording/event-names.js'
import { recordedText } from './entry-table.js'
import { lineName, lineOptions } from './line-names.js'

/** The command that records each correctable event type, and its name for people. */
const COMMAND_OF = { BudgetAdded: 'AddToLine', BudgetReduced: 'ReduceLine', BudgetTransferred: 'TransferBetweenLines', ExpenditureRecorded: 'RecordExpenditure' }
const TYPES = { AddToLine: '追加', ReduceLine: '追减', TransferBetweenLines: '调剂', RecordExpenditure: '支出' }
const USES = { 'cf-to-field': ['TransferBetweenLines'], 'cf-voucher-field': ['RecordExpenditure'], 'cf-category-field': ['AddToLine', 'ReduceLine', 'TransferBetweenLines'] }

/** The form's field of each path the server may name in a refusal. */
const R = 'data.replacement.'
const FIELDS = {
  'data.event': 'cf-event',
  [R + 'type']: 'cf-type',
  [R + 'data.line']: 'cf-line',
  [R + 'data.from']: 'cf-line',
  [R + 'data.to']: 'cf-to',
  [R + 'data.amount']: 'cf-amount',
  [R + 'data.category']: 'cf-category',
  [R + 'data.voucher']: 'cf-voucher',
  reason: 'cf-reason',
  document: 'cf-document',
  effectiveDate: 'cf-date',
}

let entry = null // the history entry being corrected
let pending = null // { command, etag, key }
let onRecorded = () => {}

const amount = () => toYuanString($('cf-amount').value, $('cf-unit').value)

/** The replacement's data; an expenditure keeps the entry's classification when it stays one. */
const DATA = {
  AddToLine: () => ({ line: $('cf-line').value, amount: amount(), category: $('cf-category').value }),
  ReduceLine: () => ({ line: $('cf-line').value, amount: amount(), category: $('cf-category').value }),
  TransferBetweenLines: () => ({ from: $('cf-line').value, to: $('cf-to').value, amount: amount(), category: $('cf-category').value }),
  RecordExpenditure: () => {
    const was = entry.type === 'ExpenditureRecorded' ? entry.data : {}
    return { line: $('cf-line').value, amount: amount(), economicCode: was.economicCode || null, voucher: $('cf-voucher').value.trim(), threePublic: was.threePublic || null, procurement: was.procurement || null }
  },
}

const command = () => {
  const type = $('cf-type').value
  return {
    type: 'CorrectEntry',
    data: { event: entry.id, replacement: { type, data: DATA[type]() } },
    reason: $('cf-reason').value.trim(),
    document: $('cf-document').value.trim() || null,
    effectiveDate: $('cf-date').value.trim(),
  }
}

const showFieldsOf = (type) => {
  for (const [id, types] of Object.entries(USES)) $(id).hidden = !types.includes(type)
  $('cf-line-label').textContent = type === 'TransferBetweenLines' ? '调出行' : '预算行'
}

const entryText = (e) => {
  const d = e.data
  const where = d.line ? lineName(d.line) : lineName(d.from) + ' → ' + lineName(d.to)
  return (EVENT_NAMES[e.type] || e.type) + ' ' + where + ' ' + grouped(d.amount) + ' 元'
}

const clearErrors = () => {
  clearFieldErrors(Object.values(FIELDS))
  $('cf-status').textContent = ''
}

/** A refusal beside the fields it names; what names no field, under the form. */
const showRefusal = (body, status) => {
  const errors = (body && body.errors) || []
  const loose = showFieldErrors(errors, FIELDS).map((x) => x.path + '：' + reasonOf(x))
  if (!errors.length || loose.length) $('cf-status').textContent = '未记录：' + (detailOf(body) || status) + (loose.length ? '（' + loose.join('；') + '）' : '')
}

/** An event of the preview: the reversal names the entry it undoes. */
const describe = (e) => (e.type === 'EventReversed' ? '冲销原记录：' + entryText(entry) : entryText(e))

const preview = async (note) => {
  clearErrors()
  $('cf-confirm').disabled = true
  $('cf-preview').hidden = true
  const year = await getJson(yearPath())
  pending = { command: command(), etag: year.etag, key: newRequestKey() }
  const r = await postJson(yearPath() + '/commands?dryRun=true', pending.command, { 'If-Match': pending.etag })
  if (r.status !== 200) {
    pending = null
    return showRefusal(r.body, r.status)
  }
  const d = pending.command.data.replacement.data
  const lines = [...new Set([entry.data.line, entry.data.from, entry.data.to, d.line, d.from, d.to].filter(Boolean))]
  $('cf-preview').replaceChildren(...previewNodes(r.body, { ids: 'cf', lines, describe, name: lineName }))
  $('cf-preview').hidden = false
  $('cf-confirm').disabled = false
  if (note) $('cf-status').textContent = note
}

const confirm = async () => {
  if (!pending) return
  const sent = pending
  $('cf-confirm').disabled = true
  const r = await postJson(yearPath() + '/commands', sent.command, { 'If-Match': sent.etag, 'Idempotency-Key': sent.key })
  if (r.status === 201) {
    pending = null
    $('cf-preview').hidden = true
    $('cf-status').textContent = '已更正（账本修订号 ' + r.body.revision + '，冲销与更正后的记录一并记录）'
    return onRecorded()
  }
  if (r.status === 412) return preview('账本已被他人修改（修订号 → ' + (r.body && r.body.currentRevision) + '）：下面是按最新账本重新预览的结果，尚未记录，请再次确认。')
  $('cf-confirm').disabled = false
  showRefusal(r.body, r.status)
}

/** Opens the form on a history entry, filled in as the entry was. */
export const openCorrection = (e) => {
  entry = e
  pending = null
  clearErrors()
  const type = COMMAND_OF[e.type]
  for (const id of ['cf-line', 'cf-to']) $(id).replaceChildren(...lineOptions())
  $('cf-type').value = type
  showFieldsOf(type)
  $('cf-line').value = e.data.line || e.data.from
  if (e.data.to) $('cf-to').value = e.data.to
  $('cf-amount').value = e.data.amount
  $('cf-unit').value = '元'
  $('cf-category').value = e.data.category || 'ordinary'
  $('cf-voucher').value = e.data.voucher || ''
  $('cf-reason').value = ''
  $('cf-document').value = e.document || ''
  $('cf-date').value = e.effectiveDate
  $('cf-original').textContent = '原记录：' + entryText(e) + '，业务日期 ' + e.effectiveDate + '，' + e.actor + ' 记录于 ' + recordedText(e.recordedAt) + (e.document ? '，文号 ' + e.document : '')
  $('cf-preview').hidden = true
  $('cf-confirm').disabled = true
  const panel = $('correction-panel')
  panel.hidden = false
  panel.dataset.event = e.id
  $('correction-title').focus()
}

export const closeCorrection = () => {
  entry = null
  pending = null
  $('correction-panel').hidden = true
}

export const wireCorrection = (recorded) => {
  onRecorded = recorded
  $('cf-type').replaceChildren(...Object.entries(TYPES).map(([v, t]) => el('option', { value: v, text: t })))
  $('cf-type').addEventListener('change', () => showFieldsOf($('cf-type').value))
  $('correction-form').addEventListener('submit', (e) => {
    e.preventDefault()
    preview().catch((err) => ($('cf-status').textContent = err.message))
  })
  $('cf-confirm').addEventListener('click', () => confirm().catch((err) => ($('cf-status').textContent = err.message)))
  $('cf-cancel').addEventListener('click', closeCorrection)
  // A changed form is a new command: its preview no longer holds.
  $('correction-form').addEventListener('input', () => {
    pending = null
    $('cf-confirm').disabled = true
    $('cf-preview').hidden = true
  })
}
