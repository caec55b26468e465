import { FORBIDDEN_TEXT_CHARACTERS } from '../../domain/codecs/primitives'

/**
 * The JSON Schema patterns (ECMA-262, read with the u flag) of the wire forms the codecs decode,
 * shared by every schema that describes them. test/http/resources/openapi-codecs.test.ts checks that each codec
 * and its schema accept and refuse the same values.
 */

/** Up to MAX_AMOUNT (10^15 元) with at most two decimals. */
const AMOUNT = '(?:(?:0|[1-9]\\d{0,14})(?:\\.\\d{1,2})?|1000000000000000(?:\\.0{1,2})?)'
const ZERO = '0(?:\\.0{1,2})?'

/** The same cap in 万元 (10^11), at most six decimals (0.000001 万元 = 1 分). */
const AMOUNT_WAN = '(?:(?:0|[1-9]\\d{0,10})(?:\\.\\d{1,6})?|100000000000(?:\\.0{1,6})?)'
const ZERO_WAN = '0(?:\\.0{1,6})?'

/**
 * An amount as people type it (src/domain/money/amount-unit.ts): a bare number in the input's unit (元,
 * or 万元 in a budget file that says so), or any number with its own unit suffix ("12.5万元",
 * "3000元"). `yuan` and `wan` are the forms of the number in each unit.
 */
const typed = (yuan: string, wan: string, unit: '元' | '万元') =>
  `(?:${unit === '元' ? yuan : wan}|${yuan}\\s*元|${wan}\\s*万元)`

export const moneyPattern = (unit: '元' | '万元' = '元') => `^-?${typed(AMOUNT, AMOUNT_WAN, unit)}$`
/** Zero or more ("-0.00" is zero). */
export const nonNegativeMoneyPattern = (unit: '元' | '万元' = '元') => `^(?:-${typed(ZERO, ZERO_WAN, unit)}|${typed(AMOUNT, AMOUNT_WAN, unit)})$`
export const positiveMoneyPattern = (unit: '元' | '万元' = '元') => `^(?!${typed(ZERO, ZERO_WAN, unit)}$)${typed(AMOUNT, AMOUNT_WAN, unit)}$`
export const MONEY_PATTERN = moneyPattern()
export const NON_NEGATIVE_MONEY_PATTERN = nonNegativeMoneyPattern()
export const POSITIVE_MONEY_PATTERN = positiveMoneyPattern()

/** Line and recommendation ids. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
export const UNIT_CODE_PATTERN = '^\\d{3,12}$'
/** Whitespace inside a code is ignored ("215 05 02" is 2150502). */
export const FUNCTION_CODE_PATTERN = '^\\s*2(?:\\s*\\d){2}(?:(?:\\s*\\d){2}){0,2}\\s*$'
export const ECONOMIC_CODE_PATTERN = '^\\s*3(?:\\s*\\d){2}(?:(?:\\s*\\d){2})?\\s*$'
/** With format "date": a day that exists, of a four-digit year from 1000. */
export const DATE_PATTERN = '^[1-9]\\d{3}-\\d{2}-\\d{2}$'

/** Text without control characters (tab and line breaks allowed) or unpaired surrogates. */
const TEXT_CHARACTERS = `[^${FORBIDDEN_TEXT_CHARACTERS}\\uD800-\\uDFFF]*`
export const TEXT_PATTERN = `^${TEXT_CHARACTERS}$`
/** The same, with something other than white space in it. */
export const NON_BLANK_TEXT_PATTERN = `^(?=[\\s\\S]*\\S)${TEXT_CHARACTERS}$`

/** A text field of at most `max` characters (code points), non-blank unless `blank`. */
export const textSchema = (max: number, description?: string, blank = false) => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...(blank ? {} : { minLength: 1 }),
  maxLength: max,
  pattern: blank ? TEXT_PATTERN : NON_BLANK_TEXT_PATTERN,
})
