/*
 * What every recording form does, once: 预览 asks the server for a dry run and shows what it
 * answers — the events, the lines after, every indicator that changes — and 确认记录 sends the same
 * request on the revision the preview was made on (If-Match) under one Idempotency-Key, so a double
 * click records once; a 412 re-previews on the new ledger and names what others recorded; a refusal
 * shows beside the field its path names. Every figure and every refusal is the server's.
 *
 * A form is described by its id prefix (its elements are <prefix>-form, -preview-button, -confirm,
 * -status, -preview), `request()` (the path and body to send), `fieldOf(path)` (the id of the field
 * a refusal path names, or none), `linesOf(body, sent)` (the lines after to show), and `revision()`
 * (the ETag the request is decided on, or null when there is nothing to match, e.g. a new year);
 * `eventText(e)` may name a previewed event better than its data can (the entry a reversal undoes).
 */
import { getJson, postJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { detailOf, reasonOf } from '../core/field-errors.js'
import { yearPath } from '../core/state.js'
import { eventText } from './event-text.js'

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')

/** A line after the command, as the dry run answers it (元). */
export const lineAfterText = (l) => '记录后 ' + l.line + '：调整后预算 ' + l.adjusted + ' 元，已支出 ' + l.spent + ' 元，可用 ' + l.available + ' 元'

/** The year's ETag as read now: what a request is decided on. */
export const currentYearRevision = async () => (await getJson(yearPath())).etag

/** What others recorded after the given revision (finance may read the history), to show beside the new preview. */
const recordedSince = async (revision) => {
  const r = await getJson(yearPath() + '/events?from=' + (revision + 1)).catch(() => null)
  return r ? r.body.events : []
}

export const recordingForm = (o) => {
  const id = (part) => $(o.prefix + '-' + part)
  let pending = null // { path, body, etag, key }
  let fields = []

  const clearErrors = () => {
    for (const f of fields) {
      $(f)?.removeAttribute('aria-invalid')
      if ($(f + '-error')) $(f + '-error').textContent = ''
    }
    fields = []
    id('status').textContent = ''
  }

  /** A refusal beside the fields it names; what names no field, under the form. */
  const showRefusal = (body, status) => {
    const errors = (body && body.errors) || []
    const loose = []
    for (const e of errors) {
      const f = o.fieldOf(e.path)
      if (!f || !$(f)) loose.push((e.path ? e.path + '：' : '') + reasonOf(e))
      else {
        fields.push(f)
        $(f).setAttribute('aria-invalid', 'true')
        $(f + '-error').textContent += reasonOf(e)
      }
    }
    if (!errors.length || loose.length) id('status').textContent = '未记录：' + (detailOf(body) || status) + (loose.length ? '（' + loose.join('；') + '）' : '')
  }

  const showPreview = (body) => {
    const lines = o.linesOf ? o.linesOf(body, pending) : []
    id('preview').replaceChildren(
      el('h3', { text: '预览（尚未记录）' }),
      ...(o.more ? o.more(body) : []),
      el('ul', { id: o.prefix + '-events' }, body.events.map((e) => el('li', { text: (o.eventText || eventText)(e) }))),
      el('ul', { id: o.prefix + '-line-after' }, lines.map((l) => el('li', { text: lineAfterText(l) }))),
      el('ul', { id: o.prefix + '-changes' }, body.changes.length ? body.changes.map((c) => el('li', { text: c })) : [el('li', { text: '绩效指标不变' })]),
    )
    id('preview').hidden = false
    id('confirm').disabled = false
  }

  const preview = async (note, others) => {
    clearErrors()
    id('confirm').disabled = true
    id('preview').hidden = true
    const asked = o.request()
    if (!asked) return
    const etag = await o.revision()
    pending = { ...asked, etag, key: newKey() }
    const r = await postJson(pending.path + '?dryRun=true', pending.body, etag ? { 'If-Match': etag } : {})
    if (r.status !== 200) {
      pending = null
      return showRefusal(r.body, r.status)
    }
    showPreview(r.body)
    if (note) id('status').textContent = note
    if (others && others.length)
      id('preview').prepend(
        el('h3', { text: '他人刚记录的事件' }),
        el('ul', { id: o.prefix + '-others' }, others.map((e) => el('li', { text: eventText(e) + '（' + e.metadata.actor + '，修订号 ' + e.revision + '）' }))),
      )
  }

  const confirm = async () => {
    if (!pending) return
    const sent = pending
    id('confirm').disabled = true
    const r = await postJson(sent.path, sent.body, { ...(sent.etag ? { 'If-Match': sent.etag } : {}), 'Idempotency-Key': sent.key })
    if (r.status === 201) {
      pending = null
      id('preview').hidden = true
      id('status').textContent = '已记录（账本修订号 ' + r.body.revision + '）'
      return o.recorded(r.body)
    }
    if (r.status === 412) {
      const was = Number(sent.etag.replace(/\D/g, ''))
      const note = '账本已被他人修改（修订号 ' + was + ' → ' + (r.body && r.body.currentRevision) + '）：下面是按最新账本重新预览的结果，尚未记录，请再次确认。'
      return preview(note, await recordedSince(was))
    }
    id('confirm').disabled = false
    showRefusal(r.body, r.status)
  }

  const failed = (err) => (id('status').textContent = err.message)
  id('form').addEventListener('submit', (e) => {
    e.preventDefault()
    preview().catch(failed)
  })
  id('confirm').addEventListener('click', () => confirm().catch(failed))
  // A changed form is a new request: its preview no longer holds.
  const stale = () => {
    pending = null
    id('confirm').disabled = true
    id('preview').hidden = true
  }
  id('form').addEventListener('input', stale)
  id('form').addEventListener('change', stale)
  return { stale, showRefusal }
}
