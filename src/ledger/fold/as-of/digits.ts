/** The digit at position i of s (0–9), or NaN for any other character. */
export const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48
  return d >= 0 && d <= 9 ? d : NaN
}

/** The two-digit number at position i of s; NaN unless both are digits. */
export const digits2 = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1)

/** The four-digit number at position i of s; NaN unless all four are digits. */
export const digits4 = (s: string, i: number): number => digits2(s, i) * 100 + digits2(s, i + 2)
