import Decimal from 'decimal.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fenOf, toYuan } from '../../../src/domain/money/fen'
import { Yuan, toWan } from '../../../src/domain/money/money'
import { functionRows } from '../../../projections/function-tree'
import { showCell } from '../../../projections/render'
import { bundledCatalogue } from '../../../src/reference/catalogue'

/**
 * The tables sum in 分 and read 万元 from an amount's text (docs/speed.md, "As-of, the render in 分").
 * The oracle is the decimal.js path they replaced: sum Decimals of 元, then divide by 10,000 and
 * round half-up to two decimals. Every rendered text must be the same, sign of a rounded-away
 * negative ("-0.00") included.
 */
const decimalWan = (d: Decimal): string => d.div(10_000).toFixed(2, Decimal.ROUND_HALF_UP)

/** A decimal text of 元: up to `digits` integer digits, 0..`decimals` decimals, either sign. */
const yuanText = (digits: number, decimals: number) =>
  fc
    .tuple(fc.boolean(), fc.stringMatching(new RegExp(`^[0-9]{1,${digits}}$`)), fc.stringMatching(new RegExp(`^[0-9]{0,${decimals}}$`)))
    .map(([negative, whole, fraction]) => {
      const text = `${whole.replace(/^0+(?=\d)/, '')}${fraction ? `.${fraction}` : ''}`
      return negative ? `-${text}` : text
    })

const catalogue = bundledCatalogue()
const codes = [...catalogue.functions.keys()]

describe('the render in 分: the same text as decimal.js', () => {
  it('given amounts of up to 15 digits and 0–4 decimals, either sign, when shown in 万元, then the text is what dividing in decimal.js printed', () => {
    fc.assert(
      fc.property(yuanText(15, 4), (text) => {
        const d = new Yuan(text)
        expect(toWan(d)).toBe(decimalWan(d))
      }),
      { numRuns: 5_000 },
    )
  })

  it('given sums past any one amount (20 digits) and the rounding edges, when shown in 万元, then the text is what dividing printed', () => {
    fc.assert(
      fc.property(yuanText(20, 2), (text) => {
        const d = new Yuan(text)
        expect(toWan(d)).toBe(decimalWan(d))
      }),
      { numRuns: 2_000 },
    )
    for (const text of ['0', '-0', '49.99', '50', '-50', '-49.99', '-0.01', '99.99', '149.99', '150', '9999999949.99', '9999999950', '-9999999950', '999999999999999999950', '0.005', '-0.005'])
      expect(toWan(new Yuan(text)), text).toBe(decimalWan(new Yuan(text)))
  })

  it('given random lines under random function codes, when their rows are summed in 分, then every cell renders what the Decimal sums of its lines render', () => {
    const line = fc.record({
      functionCode: fc.constantFrom(...codes),
      amounts: fc.array(yuanText(15, 2), { minLength: 3, maxLength: 3 }),
    })
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
        const rows = functionRows(
          lines.map((l) => ({ functionCode: l.functionCode, amounts: l.amounts.map(fenOf) })),
          3,
          catalogue,
        )
        for (const row of rows) {
          // A row's lines: all of them for 合计; those under its code; exactly its parent's code for an unsplit remainder.
          const code = row.cells[0] as string
          const parentCode = row.parent === undefined ? '' : (rows[row.parent]!.cells[0] as string)
          const mine = row.parent === undefined ? lines : code === '' ? lines.filter((l) => l.functionCode === parentCode) : lines.filter((l) => l.functionCode.startsWith(code))
          for (let i = 0; i < 3; i++) {
            const oracle = mine.reduce((a, l) => a.plus(new Yuan(l.amounts[i]!)), new Yuan(0))
            expect((row.cells[2 + i] as Decimal).eq(oracle)).toBe(true)
            expect(showCell(row.cells[2 + i]!, 'amount')).toBe(decimalWan(oracle))
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it('given a cell of 分, when converted once to 元, then it is the exact Decimal of its text', () => {
    expect(toYuan(fenOf('-0.01')).toFixed(2)).toBe('-0.01')
    expect(toWan(toYuan(fenOf('-0.01')))).toBe('-0.00')
    expect(toWan(toYuan(fenOf('1000000000000000')))).toBe('100000000000.00')
  })
})
