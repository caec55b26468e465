import { digit, digits2, digits4 } from './digits'

/**
 * Date.parse of a recording time, fast for the form the ledger writes (toISOString:
 * YYYY-MM-DDTHH:MM:SS.sssZ); any other text goes to Date.parse itself, so the answer is always
 * Date.parse's. Days up to 31 in any month: Node's Date.parse reads 2021-02-30 as Date.UTC does
 * (March 2nd), which test/audit/time/instants.test.ts holds it to; the days 29–31 were a tenth of a
 * year's events sent to Date.parse when the fast path stopped at 28. Once per event of a rebuild,
 * Date.parse was a tenth of the timeline's own cost.
 */
export const instantMs = (t: string): number => instantMsIn(t, 0, t.length)

/**
 * instantMs of the characters from..to of `s`, read where they lie: the read thread takes each
 * event's recording time from the metadata's first characters (stream-reader.ts) without slicing
 * it out first, and hands the folding thread a number instead of a string (docs/speed.md, "Rebuild,
 * one event object").
 */
export const instantMsIn = (s: string, from: number, to: number): number => {
  if (!commonForm(s, from, to)) return parsed(s, from, to)
  const ms = dayMsIn(s, from) + timeOfDayMsIn(s, from)
  return ms === ms ? ms : parsed(s, from, to)
}

/**
 * instantMsIn for the recording times of rows read in order (a page of the read thread,
 * stream-reader.ts): most rows share their day with the row before, so the day's text is compared
 * and its ms kept, and only the time of day is read: no Date.UTC, half the digits (docs/speed.md,
 * "Rebuild, the read thread's share"). The answers are instantMsIn's.
 */
export class InstantsInOrder {
  /** "YYYY-MM-DD" of the last day read, and its Date.UTC (NaN: not a day the fast path reads). */
  private day = ''
  private dayMs = NaN

  msIn(s: string, from: number, to: number): number {
    if (!commonForm(s, from, to)) return parsed(s, from, to)
    if (this.day === '' || !s.startsWith(this.day, from)) {
      this.day = s.slice(from, from + 10)
      this.dayMs = dayMsIn(s, from)
    }
    const ms = this.dayMs + timeOfDayMsIn(s, from)
    return ms === ms ? ms : parsed(s, from, to)
  }
}

/** Whether from..to has the punctuation of YYYY-MM-DDTHH:MM:SS.sssZ; its digits are read below. */
const commonForm = (s: string, from: number, to: number): boolean =>
  to - from === 24 &&
  s.charCodeAt(from + 10) === 84 &&
  s.charCodeAt(from + 23) === 90 &&
  s.charCodeAt(from + 19) === 46 &&
  s.charCodeAt(from + 4) === 45 &&
  s.charCodeAt(from + 7) === 45 &&
  s.charCodeAt(from + 13) === 58 &&
  s.charCodeAt(from + 16) === 58

/**
 * Date.UTC of the day YYYY-MM-DD at `from`, NaN (Date.parse decides) for a non-digit, a month
 * outside 1–12, a day outside 1–31 or a year below 1000 (Date.UTC reads 0–99 as 1900–1999). NaN
 * fails every comparison, so a non-digit anywhere fails them.
 */
const dayMsIn = (s: string, from: number): number => {
  const month = digits2(s, from + 5)
  const day = digits2(s, from + 8)
  const year = digits4(s, from)
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1000)) return NaN
  return Date.UTC(year, month - 1, day)
}

/** The ms into its day of the HH:MM:SS.sss at `from` + 11, NaN when a field is out of range; Date.UTC adds its day the same way. */
const timeOfDayMsIn = (s: string, from: number): number => {
  const hour = digits2(s, from + 11)
  const minute = digits2(s, from + 14)
  const second = digits2(s, from + 17)
  const ms = digits2(s, from + 20) * 10 + digit(s, from + 22)
  if (!(hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return NaN
  return ((hour * 60 + minute) * 60 + second) * 1000 + ms
}

const parsed = (s: string, from: number, to: number): number => Date.parse(from === 0 && to === s.length ? s : s.slice(from, to))
