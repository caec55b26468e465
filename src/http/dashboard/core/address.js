/* The view's address: #unit=…&year=…&table=…&asOf=… (or #department=… for a department), never the token, so a view can be bookmarked. */
import { saveToken } from './api.js'
import { state } from './state.js'

/** Reads the view from the fragment; a #token=… is saved once and taken out of the address. */
export const readAddress = () => {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''))
  const token = params.get('token')
  if (token) {
    saveToken(token)
    params.delete('token')
  }
  if (params.get('unit')) state.unit = params.get('unit')
  if (params.get('department')) state.department = params.get('department')
  if (params.get('year')) state.year = Number(params.get('year'))
  if (params.get('table')) state.table = params.get('table')
  if (params.get('asOf')) state.asOf = params.get('asOf')
  history.replaceState(null, '', location.pathname + location.search + (params.toString() ? '#' + params.toString() : ''))
}

export const writeAddress = () => {
  const params = new URLSearchParams()
  if (state.department) params.set('department', state.department)
  else if (state.unit) params.set('unit', state.unit)
  if (state.year) params.set('year', String(state.year))
  params.set('table', state.table)
  if (state.asOf) params.set('asOf', state.asOf)
  history.replaceState(null, '', location.pathname + location.search + '#' + params.toString())
}
