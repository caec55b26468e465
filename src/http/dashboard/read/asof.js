/*
 * The as-of control: the ledger as it was at a moment, typed and shown as yyyy-mm-dd hh:mm:ss in
 * the ledger's zone (named beside it), whatever the browser's locale, and sent as written;
 * 回到当前 shows the ledger as it stands.
 */
import { $ } from '../core/dom.js'
import { showMessage } from '../core/message.js'
import { state } from '../core/state.js'
import { ZONE_NAMES, asOfInput, zoneClock, zoneLabel } from '../wording/time.js'

/** Names the ledger's zone beside the control, and fills it with the moment shown. */
export const showAsOfControl = () => {
  $('asof-zone').textContent = '（' + (ZONE_NAMES[state.zone] || state.zone + ' 时间') + '）'
  $('asof').title = '按' + zoneLabel(zoneClock(Date.now()).offset) + '填写'
  if (state.asOf) $('asof').value = asOfInput(state.asOf).replace('T', ' ')
}

const TYPED = /^(\d{4}-\d{2}-\d{2})(?:[T ]+(\d{2}:\d{2})(:\d{2})?)?$/

/** What was typed, as the server takes it (yyyy-mm-ddThh:mm:ss), or null when it is not a date-time. */
const readTyped = (text) => {
  const m = TYPED.exec(text)
  return m ? m[1] + 'T' + (m[2] || '00:00') + (m[3] || ':00') : null
}

/** onChange runs once state.asOf holds the moment chosen (null: now). */
export const wireAsOf = (onChange) => {
  const apply = () => {
    // Sent as written: the server reads a date-time without an offset in the ledger's zone.
    const input = $('asof')
    const v = input.value.trim()
    const asOf = v ? readTyped(v) : null
    if (v && !asOf) {
      input.setAttribute('aria-invalid', 'true')
      showMessage('数据时点“' + v + '”无法识别：请按 yyyy-mm-dd hh:mm:ss 填写（如 2021-07-01 10:00:00），时间可省略。')
      input.focus()
      return
    }
    input.removeAttribute('aria-invalid')
    state.asOf = asOf
    if (asOf) input.value = asOf.replace('T', ' ')
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
