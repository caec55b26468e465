import { describe, expect, it } from 'vitest'
// The page's own module, as the browser loads it.
import { toYuanString } from '../src/http/dashboard/amount.js'

describe("the record form's amount: 万元 to 元 on the string, never a float", () => {
  it.each([
    ['1', '10000'],
    ['0.0001', '1'],
    ['12.5', '125000'],
    ['0.1', '1000'],
    ['1.23456', '12345.6'],
    ['123456789012.3456', '1234567890123456'],
    ['.5', '5000'],
    ['0.000001', '0.01'],
  ])('given %s 万元, then %s 元', (wan, yuan) => expect(toYuanString(wan, '万元')).toBe(yuan))

  it('given 元, or text that is not a plain decimal, then it is sent as typed for the server to judge', () => {
    expect(toYuanString(' 125000.50 ', '元')).toBe('125000.50')
    expect(toYuanString('abc', '万元')).toBe('abc')
    expect(toYuanString('-1', '万元')).toBe('-1')
    expect(toYuanString('', '万元')).toBe('')
  })
})
