import { describe, expect, it } from 'vitest'
import { LINE_FIELDS_COPIED, STATE_FIELDS_COPIED, copyLine, copyState } from '../../../src/domain/budget-year/copies'
import { fenOf } from '../../../src/domain/money/fen'
import { allocate, given, openYear } from '../../support/years/given'

describe('the fold’s copies of a state and a line (copies.ts)', () => {
  const { state } = given([openYear(), allocate('p1', '100.00')])
  const line = state.lines.get('p1')!

  it('given a folded state and line, when copied, then each copy is a new object with the same fields in the same order as a spread would give', () => {
    const s = copyState(state)
    expect(s).not.toBe(state)
    expect(Object.entries(s)).toEqual(Object.entries({ ...state }))
    const l = copyLine(line)
    expect(l).not.toBe(line)
    expect(Object.entries(l)).toEqual(Object.entries({ ...line }))
    expect(Object.keys(l)).not.toContain('unitType')
  })

  it('given a department’s consolidated line (with its unit’s type), when copied, then the type is kept, last, as a spread keeps it', () => {
    const consolidated = { ...line, unitType: 'institution' as const }
    expect(Object.entries(copyLine(consolidated))).toEqual(Object.entries({ ...consolidated }))
  })

  it('given a copy, when it is changed, then the line it was copied from is not', () => {
    const l = copyLine(line)
    l.spent = fenOf('123.45')
    expect(line.spent).toBe(fenOf('0'))
  })

  it('given the lists of every key the types have (which fail to compile when a key is missing), then the copies give exactly those keys, in that order', () => {
    expect(Object.keys(copyState(state))).toEqual([...STATE_FIELDS_COPIED])
    expect(Object.keys(copyLine({ ...line, unitType: 'institution' }))).toEqual([...LINE_FIELDS_COPIED])
  })
})
