import * as E from 'fp-ts/Either'
import { fixedOffsetAt, isFixedOffsetZone } from './fixed-offset-zones'
import { isCalendarDate, isIsoDate } from '../codecs/primitives'

/**
 * The two time axes of an audit query (docs/audit.md):
 *
 * - as of (`asOf`): what the ledger said at that moment: the events recorded by then;
 * - effective (`effective`): the business date: events dated later are left out.
 *
 * Pure: the time zone and the current instant are arguments. A bare date means the whole of that
 * day in the ledger's time zone (Asia/Shanghai unless configured): as of 2021-03-01 is the last
 * instant of 1 March in Shanghai, 2021-03-01T15:59:59.999Z.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** A point on both axes; an absent axis has no cut-off. */
export interface TimePoint {
  /** Inclusive bound on the recording time, ISO-8601 UTC with milliseconds. */
  readonly asOf?: string
  /** Inclusive bound on the business date, YYYY-MM-DD. */
  readonly effective?: string
}

export const hasCutOff = (at: TimePoint | undefined): boolean => at !== undefined && (at.asOf !== undefined || at.effective !== undefined)

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i

const formatters = new Map<string, Intl.DateTimeFormat>()
const formatter = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(zone, f)
  }
  return f
}

let listed: ReadonlySet<string> | undefined

/** True when Intl knows the zone (an IANA name such as Asia/Shanghai, or UTC). */
export const isTimeZone = (zone: string): boolean => {
  // A listed name answers from Intl's list: building a formatter was a tenth of a cold command
  // (docs/speed.md), and an instant with its own offset never needs one. Aliases and other
  // spellings Intl accepts still ask a formatter.
  // The ledger's own zone needs neither (fixed-offset-zones.ts).
  if (isFixedOffsetZone(zone)) return true
  listed ??= new Set(Intl.supportedValuesOf('timeZone'))
  if (listed.has(zone)) return true
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

interface Wall {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

const wallClock = (ms: number, zone: string): Wall => {
  // A zone of a known, fixed offset is read without Intl (fixed-offset-zones.ts): its first formatter costs a cold process most of a command.
  const fixed = fixedOffsetAt(ms, zone)
  if (fixed !== undefined) {
    const d = new Date(ms + fixed)
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
  }
  const parts: Record<string, number> = {}
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! }
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
const offsetAt = (ms: number, zone: string): number => {
  const fixed = fixedOffsetAt(ms, zone)
  if (fixed !== undefined) return fixed
  const w = wallClock(ms, zone)
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return wallAsUtc - (ms - (((ms % 1000) + 1000) % 1000))
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The calendar date of an instant in the zone, YYYY-MM-DD. */
export const dateInZone = (instant: Date | number, zone: string): string => {
  const w = wallClock(typeof instant === 'number' ? instant : instant.getTime(), zone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`
}

/**
 * An instant as people in the zone read it, with the offset: "2021-06-01 10:00:00 +08:00". For
 * output people read; programs get the ISO-8601 UTC instant.
 */
export const timeInZone = (instant: string | number, zone: string): string => {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant)
  const w = wallClock(ms, zone)
  const offset = Math.round(offsetAt(ms, zone) / 60_000)
  const sign = offset < 0 ? '-' : '+'
  const hhmm = `${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} ${sign}${hhmm}`
}

/** The instant a wall-clock time names in the zone (the earlier one in a DST overlap). */
const wallToInstant = (wallAsUtc: number, zone: string): number => {
  let t = wallAsUtc - offsetAt(wallAsUtc, zone)
  t = wallAsUtc - offsetAt(t, zone)
  return t
}

/** The first instant of a date in the zone. */
export const startOfDay = (date: string, zone: string): number => {
  const m = DATE.exec(date)
  if (!m) throw new RangeError(`invariant: startOfDay takes YYYY-MM-DD, got ${date}`)
  const midnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  let t = wallToInstant(midnight, zone)
  // A zone that skips midnight (a DST jump at 00:00) starts the day later: step into it.
  for (let i = 0; i < 8 && dateInZone(t, zone) < date; i++) t += 15 * 60_000
  return t
}

/** The last millisecond of a date in the zone: an "as of that day" bound, inclusive. */
export const endOfDay = (date: string, zone: string): number => {
  const m = DATE.exec(date)!
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1))
  return startOfDay(`${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`, zone) - 1
}

const EXPECTED = 'a date YYYY-MM-DD, an ISO-8601 timestamp (e.g. 2021-03-02T10:00:00+08:00) or "now"'

/** An instant from a timestamp; without a zone designator it is wall time in the ledger's zone. */
const parseTimestamp = (input: string, zone: string): number | undefined => {
  const m = DATE_TIME.exec(input)
  if (!m) return undefined
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]))
  const s = m[6] === undefined ? 0 : Number(m[6])
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'))
  if (!isCalendarDate(y!, mo!, d!) || h! > 23 || mi! > 59 || s > 59) return undefined
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s, ms)
  const designator = m[8]
  if (designator === undefined) return wallToInstant(wall, zone)
  if (designator.toUpperCase() === 'Z') return wall
  const o = /^([+-])(\d{2}):?(\d{2})$/.exec(designator)!
  const minutes = Number(o[2]) * 60 + Number(o[3])
  if (Number(o[2]) > 23 || Number(o[3]) > 59) return undefined
  return wall - (o[1] === '-' ? -1 : 1) * minutes * 60_000
}

/**
 * The recording-time bound of an as-of query, as an ISO instant. "now" is now; a bare date is the
 * end of that day in the zone; a timestamp is that instant (wall time in the zone when it has no
 * designator).
 */
export const parseAsOf = (input: string, zone: string, now: Date): E.Either<string, string> => {
  const text = input.trim()
  if (text.toLowerCase() === 'now') return E.right(now.toISOString())
  if (isIsoDate(text)) return E.right(new Date(endOfDay(text, zone)).toISOString())
  const t = parseTimestamp(text, zone)
  return t === undefined || !Number.isFinite(t) ? E.left(`expected ${EXPECTED}, got ${JSON.stringify(input)}`) : E.right(new Date(t).toISOString())
}

/**
 * The business-date bound of an effective query, YYYY-MM-DD. "now" (or "today") is today in the
 * zone; a timestamp is the date it falls on in the zone.
 */
export const parseEffective = (input: string, zone: string, now: Date): E.Either<string, string> => {
  const text = input.trim()
  if (/^(now|today)$/i.test(text)) return E.right(dateInZone(now, zone))
  if (isIsoDate(text)) return E.right(text)
  const t = parseTimestamp(text, zone)
  return t === undefined || !Number.isFinite(t) ? E.left(`expected ${EXPECTED}, got ${JSON.stringify(input)}`) : E.right(dateInZone(t, zone))
}

export interface TimeIssue {
  readonly path: 'asOf' | 'effective' | 'timeZone'
  readonly reason: string
}

/**
 * Both axes at once, with every bad one named. An absent input means no cut-off on that axis (the
 * ledger as it stands: everything recorded, whatever its business date).
 */
/** The ledger as it stands: no cut-off on either axis. */
const NO_CUT_OFF: E.Either<never, TimePoint> = E.right(Object.freeze({}))

/** `now` (or the clock giving it) is read only when a point names a relative time. */
export const parseTimePoint = (
  input: { readonly asOf?: string | undefined; readonly effective?: string | undefined },
  zone: string,
  now: Date | (() => Date),
): E.Either<TimeIssue[], TimePoint> => {
  if (!isTimeZone(zone)) return E.left([{ path: 'timeZone', reason: `unknown time zone ${JSON.stringify(zone)} (use an IANA name such as Asia/Shanghai)` }])
  // Most reads name no point: no clock read and no new point for them (a server answers many).
  if (input.asOf === undefined && input.effective === undefined) return NO_CUT_OFF
  if (typeof now === 'function') now = now()
  const issues: TimeIssue[] = []
  let asOf: string | undefined
  let effective: string | undefined
  if (input.asOf !== undefined) {
    const r = parseAsOf(input.asOf, zone, now)
    if (E.isLeft(r)) issues.push({ path: 'asOf', reason: r.left })
    else asOf = r.right
  }
  if (input.effective !== undefined) {
    const r = parseEffective(input.effective, zone, now)
    if (E.isLeft(r)) issues.push({ path: 'effective', reason: r.left })
    else effective = r.right
  }
  if (issues.length > 0) return E.left(issues)
  return E.right({ ...(asOf === undefined ? {} : { asOf }), ...(effective === undefined ? {} : { effective }) })
}

/** "as of 2021-03-01 23:59:59 +08:00 (Asia/Shanghai), effective 2021-03-01" — for headings and messages. */
export const describeTimePoint = (at: TimePoint, zone: string): string => {
  const parts: string[] = []
  if (at.asOf !== undefined) parts.push(`as of ${timeInZone(at.asOf, zone)} (${zone})`)
  if (at.effective !== undefined) parts.push(`effective ${at.effective}`)
  return parts.length ? parts.join(', ') : 'as recorded now'
}
