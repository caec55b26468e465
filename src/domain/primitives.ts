import * as t from 'io-ts'

/** A string of `min`..`max` characters after trimming; bounds keep every stored field finite. */
export const Bounded = (min: number, max: number, name = `string of ${min}..${max} characters`) =>
  t.refinement(t.string, (s) => s.trim().length >= min && s.length <= max, name)

export const NonEmpty = Bounded(1, 2000, 'non-empty text (at most 2000 characters)')

/** 预算单位编码: digits, e.g. "101065". */
export const UnitCode = t.refinement(t.string, (s) => /^\d{3,12}$/.test(s), 'unit code of 3 to 12 digits')

export const Year = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 2000 && n <= 2100, 'year 2000..2100')

/** A line's identifier inside its budget year: letters, digits, '.', '_' and '-'. */
export const LineId = t.refinement(
  t.string,
  (s) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(s),
  'line id of letters, digits, ".", "_" or "-" (at most 64)',
)

/** A calendar date "YYYY-MM-DD" that exists. */
export const IsoDate = t.refinement(
  t.string,
  (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  'date as YYYY-MM-DD',
)

export const streamOf = (unit: string, year: number): string => `budget-${unit}-${year}`

export const parseStream = (stream: string): { unit: string; year: number } | undefined => {
  const m = /^budget-(\d+)-(\d{4})$/.exec(stream)
  return m ? { unit: m[1]!, year: Number(m[2]) } : undefined
}
