/* The unit and year selectors. */
import { $, el } from '../core/dom.js'
import { state } from '../core/state.js'

export const fillSelectors = () => {
  const unit = $('unit')
  unit.textContent = ''
  for (const u of state.units) unit.appendChild(el('option', { value: u.unit, text: u.unit + ' ' + (u.name || '') }))
  unit.value = state.unit
  const year = $('year')
  year.textContent = ''
  const u = state.units.find((x) => x.unit === state.unit)
  for (const y of u ? u.years : []) year.appendChild(el('option', { value: String(y), text: y + ' 年' }))
  year.value = String(state.year)
}

/** The chosen unit (or the first) and year (or its latest); false when the ledger has none. */
export const chooseDefaults = () => {
  const u = state.units.find((x) => x.unit === state.unit) || state.units[0]
  if (!u) return false
  state.unit = u.unit
  if (!u.years.includes(state.year)) state.year = u.years[u.years.length - 1]
  return true
}

/** onChange runs once state holds the unit and year chosen. */
export const wireSelectors = (onChange) => {
  $('unit').addEventListener('change', () => {
    state.unit = $('unit').value
    state.department = null
    state.year = null
    chooseDefaults()
    onChange()
  })
  $('year').addEventListener('change', () => {
    state.year = Number($('year').value)
    onChange()
  })
}
