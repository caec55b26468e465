/*
 * The recording form (finance only): 追加, 追减, 调剂 between two lines, or 支出 on a line. 预览 asks the server for a dry run and
 * shows what it answers — the events, the line after, every indicator that changes — and 确认记录
 * sends the same command on the revision the preview was made on (If-Match) under one
 * Idempotency-Key, so a double click records once. Every figure and every refusal is the server's.
 */
import { toYuanString } from '../core/amount.js'
import { getJson, postJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { state, yearPath } from '../core/state.js'

const TYPES = { AddToLine: '追加', ReduceLine: '追减', TransferBetweenLines: '调剂', RecordExpenditure: '支出' }
const EVENTS = { BudgetAdded: '追加预算', BudgetReduced: '追减预算', BudgetTransferred: '调剂预算', ExpenditureRecorded: '支出' }
/** Each command's data, from the fields; the fields a type does not use are hidden. */
const DATA = {
  AddToLine: () => ({ line: $('rf-line').value, amount: amount(), category: $('rf-category').value }),
  ReduceLine: () => ({ line: $('rf-line').value, amount: amount(), category: $('rf-category').value }),
  TransferBetweenLines: () => ({ from: $('rf-line').value, to: $('rf-to').value, amount: amount(), category: $('rf-category').value }),
  RecordExpenditure: () => ({ line: $('rf-line').value, amount: amount(), economicCode: null, voucher: $('rf-voucher').value.trim(), threePublic: null, procurement: null }),
}
const USES = { 'rf-to-field': ['TransferBetweenLines'], 'rf-voucher-field': ['RecordExpenditure'], 'rf-category-field': ['AddToLine', 'ReduceLine', 'TransferBetweenLines'] }
const BASIC = { personnel: '基本支出·人员经费', public: '基本支出·公用经费' }
/** The form's field of each command path the server may name in a refusal. */
const FIELDS = { 'data.line': 'rf-line', 'data.from': 'rf-line', 'data.to': 'rf-to', 'data.voucher': 'rf-voucher', 'data.amount': 'rf-amount', 'data.category': 'rf-category', reason: 'rf-reason', document: 'rf-document', effectiveDate: 'rf-date' }

let pending = null // { command, etag, key }
let onRecorded = () => {}

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')

const lineName = (l) => (l.projectName || BASIC[l.basicCategory] || l.line) + '（' + l.functionCode + '）'

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

const clearErrors = () => {
  for (const id of new Set(Object.values(FIELDS))) {
    $(id).removeAttribute('aria-invalid')
    $(id + '-error').textContent = ''
  }
  $('rf-status').textContent = ''
}

/** A refusal beside the fields it names; what names no field, under the form. */
const showRefusal = (body, status) => {
  const errors = (body && body.errors) || []
  const loose = []
  for (const e of errors) {
    const id = FIELDS[e.path]
    if (!id) loose.push(e.path + '：' + e.reason)
    else {
      $(id).setAttribute('aria-invalid', 'true')
      $(id + '-error').textContent += e.reason
    }
  }
  if (!errors.length || loose.length) $('rf-status').textContent = '未记录：' + ((body && body.detail) || status) + (loose.length ? '（' + loose.join('；') + '）' : '')
}

/** An event as the form lists it: what, which line(s), how much. */
const eventText = (e) => (EVENTS[e.type] || e.type) + ' ' + (e.data.line || e.data.from + ' → ' + e.data.to) + ' ' + e.data.amount + ' 元'

const showPreview = (body) => {
  const d = pending.command.data
  const named = [d.line, d.from, d.to].filter(Boolean)
  const after = (body.lines || []).filter((l) => named.includes(l.line))
  const box = $('rf-preview')
  box.replaceChildren(
    el('h3', { text: '预览（尚未记录）' }),
    el('ul', { id: 'rf-events' }, body.events.map((e) => el('li', { text: eventText(e) }))),
    el('ul', { id: 'rf-line-after' }, after.map((l) => el('li', { text: '记录后 ' + l.line + '：调整后预算 ' + l.adjusted + ' 元，已支出 ' + l.spent + ' 元，可用 ' + l.available + ' 元' }))),
    el('ul', { id: 'rf-changes' }, body.changes.length ? body.changes.map((c) => el('li', { text: c })) : [el('li', { text: '绩效指标不变' })]),
  )
  box.hidden = false
  $('rf-confirm').disabled = false
}

/** What others recorded after the given revision (finance may read the history), to show beside the new preview. */
const recordedSince = async (revision) => {
  const r = await getJson(yearPath() + '/events?from=' + (revision + 1)).catch(() => null)
  return r ? r.body.events : []
}

const preview = async (note, others) => {
  clearErrors()
  $('rf-confirm').disabled = true
  $('rf-preview').hidden = true
  const year = await getJson(yearPath())
  pending = { command: command(), etag: year.etag, key: newKey() }
  const r = await postJson(yearPath() + '/commands?dryRun=true', pending.command, { 'If-Match': pending.etag })
  if (r.status !== 200) {
    pending = null
    return showRefusal(r.body, r.status)
  }
  showPreview(r.body)
  if (note) $('rf-status').textContent = note
  if (others && others.length)
    $('rf-preview').prepend(
      el('h3', { text: '他人刚记录的事件' }),
      el('ul', { id: 'rf-others' }, others.map((e) => el('li', { text: eventText(e) + '（' + e.metadata.actor + '，修订号 ' + e.revision + '）' }))),
    )
}

const confirm = async () => {
  if (!pending) return
  const sent = pending
  $('rf-confirm').disabled = true
  const r = await postJson(yearPath() + '/commands', sent.command, { 'If-Match': sent.etag, 'Idempotency-Key': sent.key })
  if (r.status === 201) {
    pending = null
    $('rf-preview').hidden = true
    $('rf-status').textContent = '已记录（账本修订号 ' + r.body.revision + '）'
    return onRecorded()
  }
  if (r.status === 412) {
    const was = Number(sent.etag.replace(/\D/g, ''))
    const note = '账本已被他人修改（修订号 ' + was + ' → ' + (r.body && r.body.currentRevision) + '）：下面是按最新账本重新预览的结果，尚未记录，请再次确认。'
    return preview(note, await recordedSince(was))
  }
  $('rf-confirm').disabled = false
  showRefusal(r.body, r.status)
}

/** Shows the form to a finance person only, with the lines of the open year. */
export const showRecordForm = (lines) => {
  const may = !!state.person && state.person.role === 'finance' && !state.asOf
  $('record-panel').hidden = !may
  if (!may) return
  for (const id of ['rf-line', 'rf-to']) {
    const chosen = $(id).value
    $(id).replaceChildren(...lines.map((l) => el('option', { value: l.line, text: lineName(l) })))
    if (chosen) $(id).value = chosen
  }
}

export const wireRecordForm = (recorded) => {
  onRecorded = recorded
  $('rf-type').replaceChildren(...Object.entries(TYPES).map(([v, t]) => el('option', { value: v, text: t })))
  showFieldsOf($('rf-type').value)
  $('rf-type').addEventListener('change', () => showFieldsOf($('rf-type').value))
  $('record-form').addEventListener('submit', (e) => {
    e.preventDefault()
    preview().catch((err) => ($('rf-status').textContent = err.message))
  })
  $('rf-confirm').addEventListener('click', () => confirm().catch((err) => ($('rf-status').textContent = err.message)))
  // A changed form is a new command: its preview no longer holds.
  $('record-form').addEventListener('input', () => {
    pending = null
    $('rf-confirm').disabled = true
    $('rf-preview').hidden = true
  })
}
