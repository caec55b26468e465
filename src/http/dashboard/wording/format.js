/* How the server's figures are written for people: spacing only, never arithmetic. */

/** "1234567.89" as "1,234,567.89": the server's exact 元 figure, spaced for reading. */
export const grouped = (s) => String(s).replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','))
