import { describe, expect, it } from 'vitest'
import { allowedDates, DATE_WINDOWS, dateOutsideWindow } from '../../../src/domain/budget-year/business-date'
import type { CommandType } from '../../../src/domain/events/commands'

describe("a command's date window (business-date.ts): each window's dates made once a year, the same dates", () => {
  it('given every command type and 200 years asked in turn twice (past the kept years), then the dates are the window read for that year, and a text just after the last date is refused with them', () => {
    const types = Object.keys(DATE_WINDOWS) as CommandType[]
    for (let round = 0; round < 2; round++)
      for (let year = 1950; year < 2150; year++)
        for (const type of types) {
          const w = DATE_WINDOWS[type]
          const d = allowedDates(type, year)
          expect(d).toEqual({ from: `${year + w.from[0]}-${w.from[1]}`, to: `${year + w.to[0]}-${w.to[1]}`, window: w })
          expect(dateOutsideWindow(type, year, d.from)).toBeUndefined()
          expect(dateOutsideWindow(type, year, d.to)).toBeUndefined()
          expect(dateOutsideWindow(type, year, `${year + w.to[0]}-${w.to[1]}T`)?.message).toContain(`${d.from} to ${d.to}`)
        }
  })
})
