/*
 * The department choice: a department's year consolidated (合并) from its units, read through
 * /api/departments/:department/years/:year like a unit-year. The server consolidates every figure;
 * the page only says which units it is made of, and leaves out what only one unit-year has
 * (recording, the live stream, the events behind a figure, the execution charts).
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { state } from '../core/state.js'
import { showIndicatorsScope } from '../figures/indicators.js'

/** The ledger's departments, each year with its units (本级 first), as the server lists them. */
export const loadDepartments = async () => {
  state.departments = (await getJson('/api/departments')).body
}

/** The department shown, or undefined when a unit-year is. */
export const shownDepartment = () => (state.department ? state.departments.find((d) => d.code === state.department) : undefined)

/** The chosen department's year (or its latest); false when none is chosen or the ledger has no such department. */
export const chooseDepartmentDefaults = () => {
  const d = shownDepartment()
  if (!d) {
    state.department = null
    return false
  }
  const years = d.years.map((y) => y.year)
  if (!years.includes(state.year)) state.year = years[years.length - 1]
  return true
}

/**
 * The department selector (hidden when the ledger has none). While a department is shown, the
 * unit picker says so (unit-picker.js) and the years are the department's.
 */
export const fillDepartments = () => {
  $('department-field').hidden = state.departments.length === 0
  const select = $('department')
  select.replaceChildren(
    el('option', { value: '', text: '—（按单位查看）' }),
    ...state.departments.map((d) => el('option', { value: d.code, text: d.code + ' ' + d.name })),
  )
  select.value = state.department || ''
  const d = shownDepartment()
  if (!d) return
  $('year').replaceChildren(...d.years.map((y) => el('option', { value: String(y.year), text: y.year + ' 年' })))
  $('year').value = String(state.year)
}

const memberName = (u) => u.name + '（' + u.unit + (u.role === 'own' ? '，本级' : '') + '）'

/**
 * The page as a department's or a unit-year's: the one line naming the units consolidated, whose
 * targets the indicators are held against, and body.department, which hides what only a unit-year has (style.css: .unit-only).
 */
export const showScope = () => {
  const d = shownDepartment()
  document.body.classList.toggle('department', Boolean(d))
  const line = $('department-line')
  line.hidden = !d
  const units = d ? (d.years.find((y) => y.year === state.year) || { units: [] }).units : []
  showIndicatorsScope(d, units.length)
  if (!d) return
  line.textContent =
    '合并视图：' + d.name + '（' + d.code + '）' + state.year + ' 年度由 ' + units.length + ' 个单位合并：' + units.map(memberName).join('、') +
    '。记账、实时更新、数字来源和执行图表请按单位查看。'
}

/** onChange runs once state holds the department (or, back to units, the unit) and year chosen. */
export const wireDepartments = (onChange) => {
  $('department').addEventListener('change', () => {
    state.department = $('department').value || null
    if (!state.department) state.year = null
    onChange()
  })
}
