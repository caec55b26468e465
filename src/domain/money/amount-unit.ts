import * as E from 'fp-ts/Either'
import { type FieldError, fieldWords } from '../codecs/decode'
import { type AmountUnit, splitUnitSuffix, yuanFromUnit } from './money'

/**
 * Amounts as people type them (a budget file, a command body, a CLI flag) into the 元 strings the
 * codecs and events take. Which fields are money is said here once, by name: every amount field of
 * the commands and the budget file is one of MONEY_FIELDS, and everything under MONEY_TREES
 * (the published comparatives, the earmarks) is money.
 */
const MONEY_FIELDS = new Set(['amount', 'carryOver', 'balance', 'recovered', 'basicAmount', 'projectAmount'])
const MONEY_TREES = new Set(['previousYear', 'earmarks'])

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * `value` with every money string in 元. `unit` is the input's stated unit (undefined: 元); a value
 * may state its own with a suffix ("12.5万元", "3000元"), which wins for that value: it is just as
 * explicit. Amounts in 元 are left for the codecs to check; anything else stays as it was. Left:
 * every amount that cannot be converted, with its path under `prefix`.
 */
export const amountsInYuan = (value: unknown, unit: AmountUnit | undefined, prefix = ''): E.Either<FieldError[], unknown> => {
  const errors: FieldError[] = []
  const money = (text: string, path: string): string => {
    const yuan = amountInYuan(text, unit)
    if (E.isRight(yuan)) return yuan.right
    const expected = `a decimal string in ${yuan.left.unit} with at most 6 decimals`
    errors.push({ path, expected, got: JSON.stringify(text), message: `${path}: ${yuan.left.reason}`, words: fieldWords(path, [expected], JSON.stringify(text)) })
    return text
  }
  // A value's path is made only where it is used (an error, or a container's children's paths), and
  // each record is copied field by field rather than through arrays of entries: this runs on every
  // command's data (docs/speed.md, "Writes, the main thread's allocations").
  const walk = (v: unknown, parent: string, key: string | number | undefined, isMoney: boolean): unknown => {
    if (typeof v === 'string') return isMoney ? money(v, pathOf(parent, key)) : v
    if (Array.isArray(v)) {
      const path = pathOf(parent, key)
      return v.map((x, i) => walk(x, path, i, isMoney))
    }
    if (!isRecord(v)) return v
    const path = pathOf(parent, key)
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v)) {
      const x = v[k]
      const converted = walk(x, path, k, isMoney || MONEY_TREES.has(k) || (MONEY_FIELDS.has(k) && !isRecord(x)))
      // A JSON body may have its own `__proto__` field: kept as a field, as Object.fromEntries kept it, never made the prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value: converted, writable: true, enumerable: true, configurable: true })
      else out[k] = converted
    }
    return out
  }
  const converted = walk(value, prefix, undefined, false)
  return errors.length > 0 ? E.left(errors) : E.right(converted)
}

/** The path of a field under its container's (`parent`): `parent.key`, `parent[i]`, or the container's own without a key. */
const pathOf = (parent: string, key: string | number | undefined): string =>
  key === undefined ? parent : typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key

/**
 * One amount as a person typed it, in 元: its own suffix ("1.25万元") wins, else `unit`, else 元.
 * An amount in 元 is left for the caller's check of a 元 amount; one in 万元 is converted exactly,
 * or refused (a tenth of a 分) with the reason and the unit it was read in.
 */
export const amountInYuan = (text: string, unit: AmountUnit | undefined): E.Either<{ readonly unit: AmountUnit; readonly reason: string }, string> => {
  const { amount, unit: stated } = splitUnitSuffix(text)
  const u = stated ?? unit ?? '元'
  if (u === '元') return E.right(amount)
  return E.mapLeft((reason: string) => ({ unit: u, reason }))(yuanFromUnit(amount, u))
}
