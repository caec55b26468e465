/**
 * Time zones whose offset from UTC has not changed since a known instant, as the IANA database
 * has them: China has kept +08:00 without daylight saving since 1991-09-15 02:00 (its last DST
 * ended then, 1991-09-14T17:00:00Z). From that instant on, the wall clock of such a zone is
 * plain arithmetic, without Intl: building the first Intl.DateTimeFormat with a time zone loads
 * ICU's zone data, about 130 ms of a cold CLI command asked "as of" a bare date
 * (docs/speed.md, "Cold CLI margin"). Any other zone, or an instant before `since`, is left to
 * Intl (as-of.ts). test/audit/time/fixed-offset-zones.test.ts checks each zone against Intl from `since`
 * to 2100.
 */
interface FixedOffset {
  /** First instant (ms since the epoch) from which the offset holds. */
  readonly since: number
  /** How far the wall clock is ahead of UTC, in ms. */
  readonly offset: number
}

const HOUR = 3_600_000

const FIXED: ReadonlyMap<string, FixedOffset> = new Map([
  // The ledger's default zone (as-of.ts DEFAULT_TIME_ZONE).
  ['Asia/Shanghai', { since: Date.UTC(1991, 8, 14, 17), offset: 8 * HOUR }],
  // Without an offset ever; from 1900, the earliest the test compares with Intl.
  ['UTC', { since: Date.UTC(1900, 0, 1), offset: 0 }],
  ['Etc/UTC', { since: Date.UTC(1900, 0, 1), offset: 0 }],
])

/** True when the zone is one of the fixed-offset zones above (a valid IANA zone, without asking Intl). */
export const isFixedOffsetZone = (zone: string): boolean => FIXED.has(zone)

/** The zone's offset at the instant (ms), when known without Intl; undefined: ask Intl. */
export const fixedOffsetAt = (ms: number, zone: string): number | undefined => {
  const z = FIXED.get(zone)
  return z !== undefined && ms >= z.since ? z.offset : undefined
}
