/*
 * The as-of control: the ledger as it was at a moment, typed as yyyy-mm-dd and hh:mm:ss in the
 * ledger's zone (named beside it) and sent as written; 回到当前 shows the ledger as it stands.
 */
import { $ } from './dom.js'
import { state } from './state.js'
import { ZONE_NAMES, asOfInput, zoneClock, zoneLabel } from './time.js'

/** Names the ledger's zone beside the control, and fills it with the moment shown. */
export const showAsOfControl = () => {
  $('asof-zone').textContent = '（' + (ZONE_NAMES[state.zone] || state.zone + ' 时间') + '）'
  $('asof').title = '按' + zoneLabel(zoneClock(Date.now()).offset) + '填写'
  if (state.asOf) $('asof').value = asOfInput(state.asOf)
}

/** onChange runs once state.asOf holds the moment chosen (null: now). */
export const wireAsOf = (onChange) => {
  const apply = () => {
    // Sent as written: the server reads a date-time without an offset in the ledger's zone.
    const v = $('asof').value
    state.asOf = v ? asOfInput(v) : null
    onChange()
  }
  $('asof-apply').addEventListener('click', apply)
  $('asof').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') apply()
  })
  $('asof-now').addEventListener('click', () => {
    $('asof').value = ''
    apply()
  })
}
