/* The unit and year selectors: the unit from the picker (unit-picker.js), the years the server lists for it. */
import { findUnit, findUnits } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { state } from '../core/state.js'
import { showChosenUnit, wireUnitPicker } from './unit-picker.js'

/**
 * The listing of the unit the address names, or of the ledger's first unit when it names none (or
 * one the ledger has no year of): one unit read, never the whole list. Null when the ledger has none.
 */
export const loadUnit = async () => {
  const named = state.unit ? await findUnit(state.unit) : null
  state.listing = named || (await findUnits('', null)).units[0] || null
}

export const fillSelectors = () => {
  showChosenUnit()
  const year = $('year')
  year.textContent = ''
  for (const y of state.listing ? state.listing.years : []) year.appendChild(el('option', { value: String(y), text: y + ' 年' }))
  year.value = String(state.year)
}

/** The loaded unit and the chosen year (or its latest); false when the ledger has none. */
export const chooseDefaults = () => {
  const u = state.listing
  if (!u) return false
  state.unit = u.unit
  if (!u.years.includes(state.year)) state.year = u.years[u.years.length - 1]
  return true
}

/** onChange runs once state holds the unit and year chosen. */
export const wireSelectors = (onChange) => {
  wireUnitPicker((u) => {
    state.listing = u
    state.unit = u.unit
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
