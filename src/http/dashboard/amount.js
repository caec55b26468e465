/*
 * An amount typed in 万元 or 元, sent in 元: the decimal point moves four places on the string
 * itself, never through a float, so 0.0001 万元 is exactly 1.00 元. Whether the amount is valid
 * (positive, at most two decimals in 元) is the server's to say; text that is not a plain decimal
 * is sent as typed, so that its refusal names it.
 */
const DECIMAL = /^(\d*)(?:\.(\d*))?$/

export const toYuanString = (typed, unit) => {
  const text = String(typed).trim()
  const m = DECIMAL.exec(text)
  if (unit !== '万元' || !m || (m[1] === '' && !m[2])) return text
  const frac = (m[2] || '').padEnd(4, '0')
  const whole = ((m[1] || '') + frac.slice(0, 4)).replace(/^0+(?=\d)/, '')
  const rest = frac.slice(4)
  return rest ? whole + '.' + rest : whole
}
