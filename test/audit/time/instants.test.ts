import { describe, expect, it } from 'vitest'
import { InstantsInOrder, instantMs, instantMsIn } from '../../../src/ledger/fold/as-of/recording-time'
import { dayNumber } from '../../../src/ledger/fold/as-of/time-travel'

/**
 * The timeline reads every event's recording time and business date (src/ledger/fold/as-of/time-travel.ts)
 * digit by digit instead of through Date.parse and Number(): the answers must be Date.parse's and
 * the slow reading's, whatever the text.
 */
const slowDay = (date: string) => {
  const n = Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))
  return Number.isFinite(n) ? n : 0
}

describe('reading recording times and business dates', () => {
  it('given every millisecond form the ledger writes across four years, when read, then each equals Date.parse', () => {
    const start = Date.UTC(2019, 11, 31, 23, 59, 59, 999)
    for (let t = start, k = 0; k < 20_000; k++, t += 6_311_017) {
      const text = new Date(t).toISOString()
      expect(instantMs(text), text).toBe(Date.parse(text))
    }
  })

  it('given recording times outside the common form or calendar, when read, then each equals Date.parse, NaN included', () => {
    const odd = [
      '2021-02-29T00:00:00.000Z',
      '2021-02-30T10:00:00.000Z',
      '2021-04-31T10:00:00.000Z',
      '2021-04-32T10:00:00.000Z',
      '2021-02-31T10:00:00.000Z',
      '2020-02-30T10:00:00.000Z',
      '2100-02-29T10:00:00.000Z',
      '2021-12-31T23:59:59.999Z',
      '2021-01-01T24:00:00.000Z',
      '2021-01-01T23:60:00.000Z',
      '2021-01-01T23:59:60.000Z',
      '2021-13-01T00:00:00.000Z',
      '2021-00-01T00:00:00.000Z',
      '2021-01-00T00:00:00.000Z',
      '0050-01-01T00:00:00.000Z',
      '2021-0a-01T00:00:00.000Z',
      '2021-01-01T00:00:00,000Z',
      '2021-01-01 00:00:00.000Z',
      '2021-01-01T00:00:00.000+08:00',
      '2021-04-01T10:00:00+08:00',
      '2021-01-01',
      '',
      'not a time at all, 24 ch',
    ]
    for (const text of odd) expect(instantMs(text), text).toEqual(Date.parse(text))
    // Read where it lies inside a longer text (the metadata's first characters, stream-reader.ts), with a digit either side.
    for (const text of [...odd, '2021-03-01T02:00:00.000Z', '2021-12-28T23:59:59.999Z'])
      expect(instantMsIn(`{"recordedAt":"1${text}9"`, 16, 16 + text.length), text).toEqual(Date.parse(text))
  })

  it('given recording times read in row order, days shared and not, odd ones among them, when read by InstantsInOrder, then each equals Date.parse', () => {
    const times = new InstantsInOrder()
    const texts: string[] = []
    // Runs of one day (every 7 minutes), then the next day: as a page's rows come.
    for (let t = Date.UTC(2021, 1, 26, 23, 0, 0, 1), k = 0; k < 2_000; k++, t += 419_993) texts.push(new Date(t).toISOString())
    // The same day's text with times out of range, a day Date.UTC rolls over, a day repeated after an odd one, other forms.
    texts.push(
      '2021-03-05T24:00:00.000Z', '2021-03-05T23:60:00.000Z', '2021-03-05T23:59:60.000Z', '2021-03-05T2x:00:00.000Z', '2021-03-05T10:00:00.000Z',
      '2021-02-30T10:00:00.000Z', '2021-02-30T11:00:00.000Z', '2021-13-01T00:00:00.000Z', '2021-13-01T01:00:00.000Z',
      '0050-01-01T00:00:00.000Z', '0050-01-01T01:00:00.000Z', '2021-03-05 10:00:00.000Z', '2021-03-05T10:00:00.000+08:00', '2021-03-05T10:00:00.000Z', '',
    )
    for (const text of texts) expect(times.msIn(`{"recordedAt":"1${text}9"`, 16, 16 + text.length), text).toEqual(Date.parse(text))
  })

  it('given business dates well formed and not, when read as day numbers, then each equals the slice-and-Number reading', () => {
    for (const text of ['2021-03-01', '1999-12-31', '2021-3-01', '2021-03-1', '2021/03/01', '2021-0x-01', '', 'abcdefghij', '2021-03-01T00:00:00Z'])
      expect(dayNumber(text), text).toBe(slowDay(text))
  })
})
