/*
 * 导入预算 (finance): a budget file — the XLSX workbook this ledger exports (all eleven tables), the
 * XLSX template, or the JSON budget file — previewed by the server's dry run (which unit-year, how
 * many lines, the totals the ledger would hold), every bad cell listed beside the file input, and
 * recorded only on 确认导入, all of it or nothing. The template is offered right here.
 */
import { postFile } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { grouped } from '../wording/format.js'
import { state } from '../core/state.js'
import { saveFile } from '../figures/downloads.js'
import { showBadCells, showRefused } from './bad-cells.js'
import { chosenFile } from './chosen-file.js'

const KINDS = { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx', 'application/json': '.json' }

let previewed = null // the File the shown preview is of
let onImported = () => {}

const status = (text) => ($('bi-status').textContent = text)

const reset = () => {
  previewed = null
  $('bi-confirm').disabled = true
  $('bi-preview').hidden = true
  showBadCells($('bi-errors'), null)
  status('')
}

const summary = (b) =>
  el('dl', { id: 'bi-summary', className: 'summary' }, [
    el('dt', { text: '预算单位' }), el('dd', { text: b.unit + ' ' + b.name }),
    el('dt', { text: '年度' }), el('dd', { text: b.year + ' 年' }),
    el('dt', { text: '预算行数' }), el('dd', { text: String(b.lines) }),
    el('dt', { text: '将记录事件' }), el('dd', { text: String(b.events) }),
    el('dt', { text: '年初预算合计（元）' }), el('dd', { text: grouped(b.totals.initial) }),
  ])

const refused = (r) => showRefused($('bi-errors'), r, status)

const preview = async () => {
  reset()
  const file = chosenFile($('bi-file'), KINDS, '预算文件', status)
  if (!file) return
  status('正在校验 ' + file.name + ' …')
  const r = await postFile('/api/budget-files?dryRun=true', file)
  if (r.status !== 200) return refused(r)
  previewed = file
  $('bi-preview').replaceChildren(el('h3', { text: '预览（尚未导入）：' + file.name }), summary(r.body))
  $('bi-preview').hidden = false
  $('bi-confirm').disabled = false
  status('校验通过：确认导入后一次全部写入账本。')
}

const confirm = async () => {
  const file = previewed
  if (!file) return
  $('bi-confirm').disabled = true
  status('正在导入 ' + file.name + ' …')
  const r = await postFile('/api/budget-files', file)
  if (r.status !== 201) {
    $('bi-preview').hidden = true
    return refused(r)
  }
  previewed = null
  $('bi-preview').replaceChildren(el('h3', { text: '已导入：' + file.name }), summary(r.body))
  status('已导入 ' + r.body.unit + ' ' + r.body.name + ' ' + r.body.year + ' 年预算（账本修订号 ' + r.body.revision + '）')
  onImported(r.body.unit, r.body.year)
}

/** Shown to a finance person only (not at a past moment), whether or not the ledger holds a year yet. */
export const showBudgetImport = () => {
  $('budget-import-panel').hidden = !(state.person && state.person.role === 'finance' && !state.asOf)
}

/** imported(unit, year) runs once a file is recorded. */
export const wireBudgetImport = (imported) => {
  onImported = imported
  $('bi-form').addEventListener('submit', (e) => {
    e.preventDefault()
    preview().catch((err) => status(err.message))
  })
  $('bi-confirm').addEventListener('click', () => confirm().catch((err) => status(err.message)))
  // Another file is another import: the preview shown no longer holds.
  $('bi-file').addEventListener('change', reset)
  $('bi-template').addEventListener('click', () => saveFile('/api/budget-files/template.xlsx', 'budget-template.xlsx'))
}
