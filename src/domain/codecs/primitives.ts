import * as t from 'io-ts'

/**
 * C0 control characters (and DEL) other than tab, line feed and carriage return: nothing a person
 * types into a reason, a name or a document number, and a NUL truncates the text in many tools
 * that later read an export or the log.
 */
export const FORBIDDEN_TEXT_CHARACTERS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F'
const CONTROL = new RegExp(`[${FORBIDDEN_TEXT_CHARACTERS}]`)
/** A UTF-16 surrogate without its pair: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const codePoint = (s: string, at: number) => `U+${s.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`

/** Why a text cannot be stored as it is, or undefined when it can. */
export const textIssue = (s: string): string | undefined => {
  const lone = LONE_SURROGATE.exec(s)
  if (lone) return `text without unpaired surrogates (found ${codePoint(s, lone.index)} at character ${lone.index + 1})`
  const control = CONTROL.exec(s)
  if (control) return `text without control characters (found ${codePoint(s, control.index)} at character ${control.index + 1})`
  return undefined
}

/** Characters (code points, as JSON Schema's maxLength counts them), not UTF-16 units. */
const characters = (s: string, max: number): number => (s.length <= max ? s.length : [...s].length)

/**
 * A string of `min`..`max` characters after trimming, of characters a person can type: bounds keep
 * every stored field finite, and control characters or broken surrogates are refused, never stored.
 */
/** The codec Bounded makes, with its bounds in view (the event catalogue snapshot renders them). */
export class BoundedText extends t.Type<string, string, unknown> {
  readonly _tag = 'BoundedText' as const
  constructor(
    name: string,
    is: t.Is<string>,
    validate: t.Validate<unknown, string>,
    readonly min: number,
    readonly max: number,
  ) {
    super(name, is, validate, t.identity)
  }
}

export const Bounded = (min: number, max: number, name = `string of ${min}..${max} characters`) => {
  const fits = (s: string) => s.trim().length >= min && characters(s, max) <= max && textIssue(s) === undefined
  return new BoundedText(
    name,
    (u): u is string => typeof u === 'string' && fits(u),
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c)
      const issue = textIssue(u)
      if (issue !== undefined) return t.failure(u, c, issue)
      return fits(u) ? t.success(u) : t.failure(u, c)
    },
    min,
    max,
  )
}

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

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/**
 * True when year-month-day names a day of the Gregorian calendar (no 2021-02-29, no month 13).
 * Years before 1000 are refused too: Date.UTC reads years 0..99 as 1900..1999, so they could not
 * be told apart downstream, and no budget is that old.
 */
export const isCalendarDate = (year: number, month: number, day: number): boolean =>
  Number.isInteger(year) && year >= 1000 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)

/** True for "YYYY-MM-DD" naming a day that exists. */
export const isIsoDate = (s: string): boolean => {
  // /^(\d{4})-(\d{2})-(\d{2})$/ read by character codes: no match array and no substrings for a
  // check every command and every event's business date makes.
  if (s.length !== 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return false
  const year = digitsAt(s, 0, 4)
  const month = digitsAt(s, 5, 2)
  const day = digitsAt(s, 8, 2)
  return year >= 0 && month >= 0 && day >= 0 && isCalendarDate(year, month, day)
}

const DASH = 0x2d
/** The number the `n` ASCII digits at `from` spell, or -1 when one is not a digit 0-9. */
const digitsAt = (s: string, from: number, n: number): number => {
  let v = 0
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 0x30
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

/** A calendar date "YYYY-MM-DD" that exists: the one codec of every business date. */
export const IsoDate = t.refinement(t.string, isIsoDate, 'a calendar date YYYY-MM-DD that exists (e.g. "2021-03-01")')

export const streamOf = (unit: string, year: number): string => `budget-${unit}-${year}`

export const parseStream = (stream: string): { unit: string; year: number } | undefined => {
  const m = /^budget-(\d+)-(\d{4})$/.exec(stream)
  return m ? { unit: m[1]!, year: Number(m[2]) } : undefined
}
