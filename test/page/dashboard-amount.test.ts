import { describe, expect, it } from 'vitest'
// The page's own module, as the browser loads it.
import { toYuanString } from '../../src/http/dashboard/wording/amount.js'

describe("the record form's amount: 万元 to 元 on the string, never a float", () => {
  it.each([
    ['1', '10000.00'],
    ['0.0001', '1.00'],
    ['12.5', '125000.00'],
    ['0.1', '1000.00'],
    ['1.23456', '12345.60'],
    ['123456789012.3456', '1234567890123456.00'],
    ['.5', '5000.00'],
    ['0.000001', '0.01'],
  ])('given %s 万元, then %s 元', (wan, yuan) => expect(toYuanString(wan, '万元')).toBe(yuan))

  it('given 元 (two decimals added where missing), or text that is not a plain decimal, then it is sent as typed for the server to judge', () => {
    expect(toYuanString(' 125000.50 ', '元')).toBe('125000.50')
    expect(toYuanString('2000', '元')).toBe('2000.00')
    expect(toYuanString('1.234', '元')).toBe('1.234')
    expect(toYuanString('abc', '万元')).toBe('abc')
    expect(toYuanString('-1', '万元')).toBe('-1')
    expect(toYuanString('', '万元')).toBe('')
  })
})
