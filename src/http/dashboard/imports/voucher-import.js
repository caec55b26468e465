/*
 * 导入支出凭证 (finance, into the unit-year shown): a CSV or XLSX of one voucher per row. 预览 is the
 * server's dry run: every bad cell (sheet, row, column, why) listed beside the file input, or the
 * count and total of the rows as the server adds them; 确认导入 records them all or none. The same
 * file again is reported as already recorded (the server records it once). A file of thousands of
 * rows shows its progress as it truly goes: the bytes uploaded, then the rows the server has checked
 * (its progress stream), then the writing.
 */
import { postFile } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { grouped } from '../wording/format.js'
import { state, yearPath } from '../core/state.js'
import { zoneClock } from '../wording/time.js'
import { showBadCells, showRefused } from './bad-cells.js'
import { chosenFile } from './chosen-file.js'

const KINDS = { 'text/csv': '.csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx' }

let previewed = null // { file, document } the shown preview is of
let onRecorded = () => {}

const status = (text) => ($('vi-status').textContent = text)

/** The progress bar and its words; value null: under way, of unknown length. */
const progress = (text, value, max) => {
  $('vi-progress-box').hidden = !text
  $('vi-progress-text').textContent = text || ''
  const bar = $('vi-progress')
  if (value == null) bar.removeAttribute('value')
  else {
    bar.max = max
    bar.value = value
  }
}

const kb = (bytes) => (bytes / 1024).toFixed(0) + ' KB'

/** Shows each stage as the request reports it; recording: whether rows checked are then written. */
const reporting = (recording) => ({
  onUpload: (loaded, total) => progress('正在上传 ' + Math.round((100 * loaded) / (total || 1)) + '%（' + kb(loaded) + ' / ' + kb(total) + '）', loaded, total),
  onUploaded: (size) => progress('文件已上传（' + kb(size) + '），服务器正在读取…', null),
  onChecked: (checked, rows) =>
    recording && checked === rows ? progress('已校验 ' + rows + ' 行，正在写入账本…', null) : progress('正在校验：已校验 ' + checked + ' / ' + rows + ' 行', checked, rows),
})

const reset = () => {
  previewed = null
  $('vi-confirm').disabled = true
  $('vi-preview').hidden = true
  showBadCells($('vi-errors'), null)
  progress('')
  status('')
}

/** The file's name goes along, so that a bad cell of a CSV is named in it (凭证-4月.csv!G7), as the person knows it. */
const pathOf = (file, document, dryRun) => {
  const q = [dryRun ? 'dryRun=true' : null, document ? 'document=' + encodeURIComponent(document) : null, 'file=' + encodeURIComponent(file.name)].filter(Boolean)
  return yearPath() + '/voucher-files' + (q.length ? '?' + q.join('&') : '')
}

const when = (instant) => {
  const c = zoneClock(Date.parse(instant))
  return c.date + ' ' + c.time
}

const summary = (b) =>
  el('dl', { id: 'vi-summary', className: 'summary' }, [
    el('dt', { text: '记入' }), el('dd', { text: b.unit + ' ' + b.year + ' 年' }),
    el('dt', { text: '凭证行数' }), el('dd', { text: String(b.rows) }),
    el('dt', { text: '合计金额（元）' }), el('dd', { text: grouped(b.total) }),
    el('dt', { text: b.repeated ? '已记录事件' : '将记录事件' }), el('dd', { text: String(b.events) }),
  ])

const repeatedNote = (b) => '该文件已于 ' + when(b.firstRecordedAt) + ' 导入（' + b.events + ' 个事件）：同一文件只记录一次'

const refused = (r) => {
  progress('')
  showRefused($('vi-errors'), r, status)
}

const preview = async () => {
  reset()
  const file = chosenFile($('vi-file'), KINDS, '凭证文件', status)
  if (!file) return
  const document = $('vi-document').value.trim()
  const r = await postFile(pathOf(file, document, true), file, reporting(false))
  progress('')
  if (r.status !== 200) return refused(r)
  previewed = { file, document }
  $('vi-preview').replaceChildren(
    ...[el('h3', { text: '预览（尚未记录）：' + file.name }), summary(r.body), r.body.repeated ? el('p', { id: 'vi-repeated', text: repeatedNote(r.body) + '，确认也不会再记录。' }) : null].filter(Boolean),
  )
  $('vi-preview').hidden = false
  $('vi-confirm').disabled = false
  status(r.body.repeated ? '该文件此前已导入。' : '校验通过：确认导入后全部记录（全部或全不）。')
}

const confirm = async () => {
  const p = previewed
  if (!p) return
  $('vi-confirm').disabled = true
  const r = await postFile(pathOf(p.file, p.document, false), p.file, reporting(true))
  progress('')
  if (r.status !== 201 && r.status !== 200) {
    $('vi-preview').hidden = true
    return refused(r)
  }
  previewed = null
  $('vi-preview').replaceChildren(el('h3', { text: (r.body.repeated ? '未重复记录：' : '已记录：') + p.file.name }), summary(r.body))
  status(r.body.repeated ? repeatedNote(r.body) + '，本次未记录任何内容。' : '已记录 ' + r.body.events + ' 张凭证，合计 ' + grouped(r.body.total) + ' 元（账本修订号 ' + r.body.revision + '）')
  if (!r.body.repeated) onRecorded()
}

/** Shown to a finance person for the unit-year shown as it stands (not at a past moment). */
export const showVoucherImport = () => {
  const may = !!state.person && state.person.role === 'finance' && !state.asOf && state.year != null
  $('voucher-import-panel').hidden = !may
  reset()
  if (may) $('vi-target').textContent = '记入 ' + state.unit + ' ' + state.year + ' 年'
}

export const wireVoucherImport = (recorded) => {
  onRecorded = recorded
  $('vi-form').addEventListener('submit', (e) => {
    e.preventDefault()
    preview().catch((err) => (progress(''), status(err.message)))
  })
  $('vi-confirm').addEventListener('click', () => confirm().catch((err) => (progress(''), status(err.message))))
  // Another file or document is another import: the preview shown no longer holds.
  $('vi-form').addEventListener('input', reset)
  $('vi-form').addEventListener('change', reset)
}
