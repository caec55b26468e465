import { digit, digits2, digits4 } from './digits'

/**
 * Date.parse of a recording time, fast for the form the ledger writes (toISOString:
 * YYYY-MM-DDTHH:MM:SS.sssZ); any other text goes to Date.parse itself, so the answer is always
 * Date.parse's. Days up to 31 in any month: Node's Date.parse reads 2021-02-30 as Date.UTC does
 * (March 2nd), which test/audit/instants.test.ts holds it to; the days 29–31 were a tenth of a
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
  if (to - from !== 24 || s.charCodeAt(from + 10) !== 84 || s.charCodeAt(from + 23) !== 90 || s.charCodeAt(from + 19) !== 46) return parsed(s, from, to)
  if (s.charCodeAt(from + 4) !== 45 || s.charCodeAt(from + 7) !== 45 || s.charCodeAt(from + 13) !== 58 || s.charCodeAt(from + 16) !== 58) return parsed(s, from, to)
  const month = digits2(s, from + 5)
  const day = digits2(s, from + 8)
  const hour = digits2(s, from + 11)
  const minute = digits2(s, from + 14)
  const second = digits2(s, from + 17)
  const ms = digits2(s, from + 20) * 10 + digit(s, from + 22)
  const year = digits4(s, from)
  // NaN fails every comparison: a non-digit anywhere goes to Date.parse too; so do years below
  // 1000 (Date.UTC reads 0–99 as 1900–1999).
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0 && year >= 1000)) return parsed(s, from, to)
  return Date.UTC(year, month - 1, day, hour, minute, second, ms)
}

const parsed = (s: string, from: number, to: number): number => Date.parse(from === 0 && to === s.length ? s : s.slice(from, to))
