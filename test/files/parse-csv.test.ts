import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/domain/budget-file/catalogue'
import { packageRoot } from '../../src/package-root'
import { loadCatalogue } from '../../src/reference/catalogue'

/**
 * The CSV reader (src/domain/budget-file/catalogue.ts) reads each run of plain text as one slice. What it must
 * still do is what the reader it replaced did character by character: that reader is kept here as
 * the reference, and both read the same texts, the odd ones too (quotes inside a cell, an
 * unterminated quote, a lone CR, blank rows).
 */
const charByChar = (text: string, keepBlank = false): string[][] => {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++
      else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') row.push(cell), (cell = '')
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(cell), rows.push(row), (row = []), (cell = '')
    } else cell += ch
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row)
  return keepBlank ? rows : rows.filter((r) => r.some((c) => c.trim() !== ''))
}

/** Texts made of the characters that matter to a CSV reader, and some that do not. */
const csvText = fc.array(fc.constantFrom('a', '中', ' ', ',', '"', '\n', '\r', '\r\n', '""', 'x1'), { maxLength: 60 }).map((parts) => parts.join(''))

/** RFC 4180 as a spreadsheet writes it: a cell with a quote, comma or line break is quoted, its quotes doubled. */
const written = (rows: string[][], eol: string): string =>
  rows.map((r) => `${r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}${eol}`).join('')

describe('the CSV reader', () => {
  it('given any text of quotes, commas, line breaks and plain characters, when read with and without blank rows, then the rows are those of the character-by-character reader', () => {
    fc.assert(
      fc.property(csvText, fc.boolean(), (text, keepBlank) => {
        expect(parseCsv(text, keepBlank)).toEqual(charByChar(text, keepBlank))
      }),
      { numRuns: 2000 },
    )
  })

  it('given rows of cells holding quotes, commas and line breaks, when written as RFC 4180 with LF or CRLF and read back, then the same rows come back', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', ' ', ',', '"', '\n', '\r'), maxLength: 8 })
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        expect(parseCsv(written(rows, eol), true)).toEqual(rows)
      }),
      { numRuns: 1000 },
    )
  })

  it('given a quoted cell with a doubled quote, a quote opened mid-cell and one never closed, then each reads as the character-by-character reader read it', () => {
    expect(parseCsv('a,"b ""c"", d",e\r\nx"y,z"w,v\n"open,to the end')).toEqual([
      ['a', 'b "c", d', 'e'],
      ['xy,zw', 'v'],
      ['open,to the end'],
    ])
  })

  it('given the bundled reference files, when the catalogue is parsed, then it holds every code of the three files, each file read as the character-by-character reader read it', () => {
    const c = loadCatalogue()
    expect(c.functions.get('2010505')).toEqual({ code: '2010505', name: '专项统计业务', parent: '20105', confidence: 'published' })
    expect(c.economic.get('30101')?.name).toBe('基本工资')
    expect(c.deptToGov.get('30101')).toEqual({ administrative: '50101', institution: '50501' })
    expect([c.functions.size, c.economic.size, c.deptToGov.size]).toEqual([130, 186, 99])
    for (const file of ['function-codes.csv', 'economic-codes.csv', 'economic-mapping-dept-to-gov.csv']) {
      const text = readFileSync(join(packageRoot(), 'src', 'reference', file), 'utf8')
      expect(parseCsv(text), file).toEqual(charByChar(text))
    }
  })
})
