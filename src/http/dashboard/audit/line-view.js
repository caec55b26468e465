/*
 * 预算行明细 (finance and auditors): one budget line's 年初预算, 追加, 追减, 调入, 调出, 调整后预算,
 * 已支出, 可用 and 预算执行率, with the events that touched it, as the server's line view gives them
 * (GET …/lines/:line). Opened from the line picker, from a line of the history, and from the row of
 * a shown table that is a line (a project's name in table 11, say).
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { grouped } from '../wording/format.js'
import { report } from '../core/message.js'
import { withAsOf, yearPath } from '../core/state.js'
import { entryTable } from './entry-table.js'
import { allLines, lineName, lineOptions } from './line-names.js'

const FIGURES = [
  ['initial', '年初预算'],
  ['added', '追加'],
  ['reduced', '追减'],
  ['transferredIn', '调入'],
  ['transferredOut', '调出'],
  ['adjusted', '调整后预算'],
  ['spent', '已支出'],
  ['available', '可用'],
]

let allowed = false

/** A rate with a zero denominator has no value (the API says null); the status words are the indicators' own. */
const show = (v) => {
  const figures = el('table', { className: 'entry-table line-figures' }, [
    el('thead', null, [el('tr', null, ['项目', '金额（元）', '金额（万元）'].map((h) => el('th', { scope: 'col', text: h })))]),
    el('tbody', null, [
      ...FIGURES.map(([k, label]) =>
        el('tr', { 'data-figure': k }, [el('th', { scope: 'row', text: label }), el('td', { className: 'num', text: grouped(v.figures[k].yuan) }), el('td', { className: 'num', text: v.figures[k].wan })]),
      ),
      ...v.executionRate.map((r) =>
        el('tr', { 'data-rate': r.id }, [el('th', { scope: 'row', text: '预算执行率（' + r.label + '）' }), el('td', { className: 'num', colspan: '2', text: r.value == null ? '—' : r.value + '%' })]),
      ),
    ]),
  ])
  $('line-view').replaceChildren(
    el('p', { className: 'line-head', text: lineName(v.line.id) + ' · ' + v.line.id + (v.line.economicCode ? ' · 经济分类 ' + v.line.economicCode : '') }),
    el('div', { className: 'grid-scroll' }, [figures]),
    ...(v.events ? [el('h3', { text: '影响本行的事件（' + v.events.length + ' 个）' }), entryTable(v.events, { label: '影响本行的事件（可左右滚动）', onLine: openLine })] : []),
  )
}

/** Shows one line's view and brings it into sight. */
export const openLine = async (line) => {
  try {
    $('lf-line').value = line
    const v = (await getJson(withAsOf(yearPath() + '/lines/' + encodeURIComponent(line)))).body
    show(v)
    $('line-panel').dataset.line = line
    $('line-title').focus()
    $('line-panel').scrollIntoView({ block: 'start' })
  } catch (e) {
    report(e)
  }
}

/** Shows the screen (finance and auditors) with the year's lines to pick from. */
export const showLineView = (may) => {
  allowed = may
  $('line-panel').hidden = !may
  if (!may) return
  const chosen = $('lf-line').value
  $('lf-line').replaceChildren(...lineOptions())
  if (chosen) $('lf-line').value = chosen
}

/**
 * The rows of the shown table that are lines — a project's name beside its function code, as in
 * table 11 — open that line's view from the name (by mouse, Enter or Space).
 */
export const markLineRows = () => {
  if (!allowed) return
  const projects = allLines().filter((l) => l.projectName)
  for (const tr of $('table').querySelectorAll('tbody tr')) {
    const cells = [...tr.children]
    const texts = cells.map((td) => td.textContent.trim())
    const line = projects.find((l) => texts.includes(l.projectName) && texts.includes(l.functionCode))
    if (!line) continue
    const td = cells[texts.indexOf(line.projectName)]
    td.dataset.line = line.line
    td.tabIndex = 0
    td.setAttribute('role', 'button')
    td.setAttribute('aria-label', line.projectName + '（查看预算行明细）')
    td.classList.add('line-cell')
  }
}

export const wireLineView = () => {
  $('line-form').addEventListener('submit', (e) => {
    e.preventDefault()
    openLine($('lf-line').value)
  })
  const pick = (target) => (allowed ? target.closest('td[data-line]') : null)
  $('table').addEventListener('click', (e) => {
    const td = pick(e.target)
    if (td) openLine(td.dataset.line)
  })
  $('table').addEventListener('keydown', (e) => {
    const td = pick(e.target)
    if (td && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault()
      openLine(td.dataset.line)
    }
  })
}
