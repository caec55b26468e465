/*
 * An amount typed in 万元 or 元, sent in 元: the decimal point moves four places on the string
 * itself, never through a float, so 0.0001 万元 is exactly 1.00 元. Whether the amount is valid
 * (positive, at most two decimals in 元) is the server's to say; text that is not a plain decimal
 * is sent as typed, so that its refusal names it; a plain decimal gets the ledger's two decimals.
 */
const DECIMAL = /^(\d*)(?:\.(\d*))?$/

/** A plain decimal with at least two decimals, as the ledger writes amounts ("2000" → "2000.00"). */
const cents = (whole, frac) => (whole.replace(/^0+(?=\d)/, '') || '0') + '.' + frac.padEnd(2, '0')

export const toYuanString = (typed, unit) => {
  const text = String(typed).trim()
  const m = DECIMAL.exec(text)
  if (!m || (m[1] === '' && !m[2])) return text
  if (unit !== '万元') return cents(m[1], m[2] || '')
  const frac = (m[2] || '').padEnd(4, '0')
  return cents((m[1] || '') + frac.slice(0, 4), frac.slice(4))
}
