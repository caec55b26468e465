import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dateInZone, endOfDay, isTimeZone, parseAsOf, startOfDay, timeInZone } from '../../../src/domain/time/as-of'

/**
 * The ledger's zone (Asia/Shanghai) and UTC are read without Intl from the instant their offset
 * became fixed (src/domain/time/fixed-offset-zones.ts): every answer must be the one Intl gives, on any
 * instant from then to 2100, at the turn of a day or a year in the zone, and at China's last DST
 * change (before it, Intl still answers).
 */
const ZONES = [
  { zone: 'Asia/Shanghai', from: Date.UTC(1991, 8, 14, 17), offset: 8 * 3_600_000 },
  { zone: 'UTC', from: Date.UTC(1900, 0, 1), offset: 0 },
  { zone: 'Etc/UTC', from: Date.UTC(1900, 0, 1), offset: 0 },
]
const UNTIL = Date.UTC(2100, 11, 31, 23, 59, 59, 999)

/** Intl's reading of an instant in a zone, in timeInZone's form: "2021-06-01 10:00:00 +08:00". */
const byIntl = (ms: number, zone: string): string => {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset' })
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
  const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName!.slice(3)
  return `${p.year!.padStart(4, '0')}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${offset}`
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

describe('time zones of a fixed offset, read without Intl', () => {
  for (const { zone, from, offset } of ZONES) {
    it(`given any instant from the offset's start to 2100 in ${zone}, when read in the zone, then the date and the wall time are Intl's`, () => {
      fc.assert(
        fc.property(fc.integer({ min: from, max: UNTIL }), (ms) => {
          const intl = byIntl(ms, zone)
          expect(timeInZone(ms, zone)).toBe(intl)
          expect(dateInZone(ms, zone)).toBe(intl.slice(0, 10))
        }),
        { numRuns: 3000 },
      )
    })

    it(`given any day from the offset's start to 2100 in ${zone}, when its first and last instants and the moments around them are read, then they fall on the days Intl says`, () => {
      const days = fc.integer({ min: Math.ceil((from + offset) / 86_400_000) + 1, max: Math.floor(UNTIL / 86_400_000) - 1 }).map((d) => iso(d * 86_400_000))
      fc.assert(
        fc.property(days, fc.constantFrom(-1000, -1, 0, 1, 1000), (date, nudge) => {
          const start = startOfDay(date, zone)
          const end = endOfDay(date, zone)
          expect(byIntl(start, zone)).toBe(`${date} 00:00:00 ${byIntl(start, zone).slice(20)}`)
          expect(byIntl(start - 1, zone).slice(0, 10) < date).toBe(true)
          expect(byIntl(end, zone).slice(0, 19)).toBe(`${date} 23:59:59`)
          expect(byIntl(end + 1, zone).slice(0, 10) > date).toBe(true)
          expect(dateInZone(start + nudge, zone)).toBe(byIntl(start + nudge, zone).slice(0, 10))
          // A bare date as of which the ledger is asked: the day's last millisecond.
          expect(parseAsOf(date, zone, new Date())).toEqual({ _tag: 'Right', right: new Date(end).toISOString() })
        }),
        { numRuns: 1500 },
      )
    })
  }

  it('given the turn of every year from 1992 to 2100 in Shanghai, when the instants around midnight are read, then they are on the years Intl says', () => {
    for (let y = 1992; y <= 2100; y++) {
      const midnight = Date.UTC(y, 0, 1) - 8 * 3_600_000
      for (const ms of [midnight - 1, midnight, midnight + 1]) expect(timeInZone(ms, 'Asia/Shanghai'), new Date(ms).toISOString()).toBe(byIntl(ms, 'Asia/Shanghai'))
      expect(new Date(startOfDay(`${y}-01-01`, 'Asia/Shanghai')).toISOString()).toBe(new Date(midnight).toISOString())
    }
  })

  it("given China's last summer time (until 1991-09-15 02:00, +09:00), when instants around its end are read, then they are Intl's, +09:00 before and +08:00 after", () => {
    const end = Date.UTC(1991, 8, 14, 17)
    expect(timeInZone(end - 1, 'Asia/Shanghai')).toBe('1991-09-15 01:59:59 +09:00')
    expect(timeInZone(end, 'Asia/Shanghai')).toBe('1991-09-15 01:00:00 +08:00')
    for (const ms of [end - 86_400_000, end - 1, end, end + 1]) expect(timeInZone(ms, 'Asia/Shanghai')).toBe(byIntl(ms, 'Asia/Shanghai'))
    expect(dateInZone(Date.UTC(1991, 5, 30, 15, 30), 'Asia/Shanghai')).toBe(byIntl(Date.UTC(1991, 5, 30, 15, 30), 'Asia/Shanghai').slice(0, 10))
  })

  it('given the fixed zones and others, when asked whether they are time zones, then the fixed ones and every IANA name are, and a made-up name is not', () => {
    for (const { zone } of ZONES) expect(isTimeZone(zone)).toBe(true)
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) expect(isTimeZone(zone)).toBe(true)
    expect(isTimeZone('Asia/Beijing')).toBe(false)
    expect(timeInZone(Date.UTC(2021, 6, 1, 12), 'Europe/Berlin')).toBe('2021-07-01 14:00:00 +02:00')
  })
})
