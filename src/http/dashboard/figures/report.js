/*
 * The 情况说明 of the set shown (预算表 or 决算表), under the tables: the server's text (…/report,
 * …/final-report) at the chosen moment, its title, section headings and paragraphs as the document
 * reads. Every figure in it is the server's; the page only lays the lines out.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { state, withAsOf, yearPath } from '../core/state.js'
import { isFinal } from './tables.js'

/** 一、收入支出预算总体情况说明: a section heading of the text. */
const HEADING = /^[一二三四五六七八九十]+、/

/** The address last shown, so another table of the same set does not read the text again. */
let shown = null

const reportPath = () => withAsOf(yearPath() + (isFinal(state.table) ? '/final-report' : '/report'))

const render = (text) => {
  const [title, ...lines] = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  const box = $('report')
  box.textContent = ''
  box.appendChild(el('h3', { className: 'report-title', text: title || '' }))
  for (const l of lines) box.appendChild(HEADING.test(l) ? el('h4', { text: l }) : el('p', { text: l }))
}

/** Reads and shows the 情况说明 of the shown set; `again` reads it even when its address is the one shown. */
export const showReport = async (again = false) => {
  const path = reportPath()
  $('report-kind').textContent = isFinal(state.table) ? '部门决算' : '部门预算'
  if (!again && path === shown) return
  shown = null
  render((await getJson(path)).body.text)
  shown = path
}

export const clearReport = () => {
  shown = null
  $('report').textContent = ''
}
