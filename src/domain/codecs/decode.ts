import * as E from 'fp-ts/Either'
import * as t from 'io-ts'

/** One bad field of an input: where it is, what was expected, and what came instead. */
export interface FieldError {
  /** e.g. "lines[3].amount"; "" for the input as a whole. */
  readonly path: string
  readonly expected: string
  readonly got: string
  /** e.g. `lines[3].amount: expected a decimal string, got "12,5"` */
  readonly message: string
  /**
   * The same in Chinese, for people, beside the English for programs: a refusal of decide
   * (DomainError.words), or a field the codecs refuse (fieldWords).
   */
  readonly words?: string
}

/** What each named codec means to a person filling in a form or a file. */
const EXPECTATIONS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
  Money: 'a decimal string in 元 with at most two decimals (e.g. "125000.50")',
  PositiveMoney: 'a positive decimal string in 元 with at most two decimals (e.g. "125000.50")',
  NonNegativeMoney: 'a decimal string in 元, zero or more, with at most two decimals (e.g. "125000.50")',
  UnknownRecord: 'an object',
  UnknownArray: 'an array',
}

/**
 * The expectations of the codecs (EXPECTATIONS and the codecs' own messages) in the finance Chinese
 * the ledger's refusals speak (DomainError.words), keyed by the English they stand beside. One that
 * is not here keeps its English inside the Chinese sentence rather than being guessed.
 */
const EXPECTATION_WORDS: Record<string, string> = {
  text: '文字',
  'a number': '数字',
  'true or false': 'true 或 false',
  'an object': '一个对象',
  'an array': '一个数组',
  [EXPECTATIONS.Money!]: '以元为单位、至多两位小数的金额（如 "125000.50"）',
  [EXPECTATIONS.PositiveMoney!]: '大于零、以元为单位、至多两位小数的金额（如 "125000.50"）',
  [EXPECTATIONS.NonNegativeMoney!]: '不小于零、以元为单位、至多两位小数的金额（如 "125000.50"）',
  'a calendar date YYYY-MM-DD that exists (e.g. "2021-03-01")': '实际存在的日期 YYYY-MM-DD（如 "2021-03-01"）',
  'a function code of 3, 5 or 7 digits': '3、5 或 7 位的功能分类科目编码',
  'a function code of 3, 5 or 7 digits starting with 2 (e.g. "2150502")': '以 2 开头的 3、5 或 7 位功能分类科目编码（如 "2150502"）',
  'a 部门 economic code of 3 or 5 digits starting with 3 (e.g. "30217")': '以 3 开头的 3 或 5 位部门经济分类科目编码（如 "30217"）',
  'unit code of 3 to 12 digits': '3 至 12 位数字的单位编码',
  'year 2000..2100': '2000 至 2100 之间的年度',
  'non-empty text (at most 2000 characters)': '不为空的文字（至多 2000 字）',
  'a reason (non-empty text, at most 2000 characters)': '理由（不为空，至多 2000 字）',
  'an approval document reference (at most 200 characters)': '批复文号（至多 200 字）',
  'a decimal string in 万元 with at most 6 decimals': '以万元为单位、至多六位小数的金额（精确到分）',
  // The file readers' own expectations (budget workbook, voucher files).
  'a date YYYY-MM-DD that exists (or a date cell)': '实际存在的日期 YYYY-MM-DD（或日期单元格）',
  'a decimal amount in 元 with at most two decimals': '以元为单位、至多两位小数的金额',
  'the id of a line of this year': '本年度某一预算行的行号',
  'a line id or a function code': '预算行号或功能分类科目编码',
  'the function code of a line of this year': '本年度某一预算行的功能分类科目编码',
  'accepted by the ledger': '账本接受的记录',
  'at least one voucher row': '至少一行凭证',
  'an XLSX workbook': 'XLSX 工作簿',
  'valid JSON': '合法的 JSON',
  'a header row': '表头行',
  'a column 预算行号 or 功能分类科目编码': '“预算行号”或“功能分类科目编码”列',
}

/** Expectations that name something (a column, a sheet, a count): the English pattern and its Chinese. */
const PATTERN_WORDS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]> = [
  [/^a column (.+)$/, (m) => `“${m[1]}”列`],
  [/^a sheet named (.+)$/, (m) => `名为“${m[1]}”的工作表`],
  [/^a row labelled (.+) in column A$/, (m) => `A 列标为“${m[1]}”的一行`],
  [/^a header row starting with (.+)$/, (m) => `以“${m[1]}”开头的表头行`],
  [/^at most (\d+) rows$/, (m) => `至多 ${m[1]} 行`],
  [/^a decimal amount in (\S+)$/, (m) => `以${m[1]}为单位的金额`],
]

const NO_SUCH_FIELD = /^no such field \(known fields: (.*)\)$/
const ONE_OF = /^one of (.*)$/

const expectationWords = (expected: string): string => {
  const known = EXPECTATION_WORDS[expected]
  if (known) return known
  const oneOf = ONE_OF.exec(expected)
  if (oneOf) return `以下之一：${oneOf[1]!.split(', ').join('、')}`
  for (const [pattern, words] of PATTERN_WORDS) {
    const m = pattern.exec(expected)
    if (m) return words(m)
  }
  return expected
}

/**
 * A bad field in Chinese, for people: where, what it should be, what it is. `expected` holds the
 * alternatives the English joins with "or".
 */
export const fieldWords = (path: string, expected: ReadonlyArray<string>, got: string): string => {
  const where = path || '输入'
  const unknown = expected.length === 1 ? NO_SUCH_FIELD.exec(expected[0]!) : null
  if (unknown) return `${where}：没有这个字段（可填的字段：${unknown[1]}）`
  return `${where}：应为${expected.map(expectationWords).join('，或')}，实际为${got === 'nothing' ? '空（未填）' : ` ${got}`}`
}

const describe = (c: t.ContextEntry): string => {
  const name = c.type.name
  if (EXPECTATIONS[name]) return EXPECTATIONS[name]!
  if (c.type instanceof t.KeyofType) return `one of ${Object.keys(c.type.keys).map((k) => JSON.stringify(k)).join(', ')}`
  if (c.type instanceof t.LiteralType) return JSON.stringify(c.type.value)
  return name
}

/** A value as a refusal shows it: JSON, shortened. */
export const show = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  // A long array is told by its length: printing it whole to show 80 characters is slow.
  if (Array.isArray(v) && v.length > 20) return `an array of ${v.length} items`
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    // Too deeply nested (or cyclic) to print: say what it is, not what it holds.
    s = Array.isArray(v) ? 'an array' : typeof v
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}

/** Path of a context: keys of objects and arrays, without the members of unions and intersections. */
const pathOf = (context: t.Context): string => {
  let path = ''
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]!.type
    if (parent instanceof t.UnionType || parent instanceof t.IntersectionType || parent instanceof t.RefinementType) continue
    const key = context[i]!.key
    if (key === '') continue
    path += /^\d+$/.test(key) && (parent instanceof t.ArrayType || parent instanceof t.ReadonlyArrayType) ? `[${key}]` : path ? `.${key}` : key
  }
  return path
}

/** Where a union failed, say what each alternative wanted, once: "a code … or null". */
const toFieldErrors = (errors: t.Errors, prefix: string): FieldError[] => {
  const byPath = new Map<string, { expected: string[]; got: unknown }>()
  for (const e of errors) {
    const path = [prefix, pathOf(e.context)].filter(Boolean).join('.')
    const last = e.context[e.context.length - 1]!
    const expected = e.message ?? describe(last)
    const at = byPath.get(path) ?? { expected: [], got: e.value }
    if (!at.expected.includes(expected)) at.expected.push(expected)
    byPath.set(path, at)
  }
  return [...byPath].map(([path, { expected, got }]) => {
    const exp = expected.join(' or ')
    const reason = exp.startsWith('no such field') ? exp : `expected ${exp}, got ${show(got)}`
    return { path, expected: exp, got: show(got), message: `${path || '(input)'}: ${reason}`, words: fieldWords(path, expected, show(got)) }
  })
}

/** Decodes with a codec; on failure, every bad field with its path, in a person's words. */
export const decode =
  <A, O>(codec: t.Type<A, O, unknown>, prefix = '') =>
  (input: unknown): E.Either<FieldError[], A> => {
    // Not E.mapLeft: fp-ts's pipeable forms copy their arguments at every call, and this runs for every command decoded.
    const decoded = codec.decode(input)
    return E.isLeft(decoded) ? E.left(toFieldErrors(decoded.left, prefix)) : decoded
  }
