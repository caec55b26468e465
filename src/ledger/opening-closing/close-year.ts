import * as E from 'fp-ts/Either'
import type Decimal from 'decimal.js'
import { type BudgetYearState, availableOf } from '../../domain/budget-year'
import type { Command } from '../../domain/events/commands'
import { amountInYuan } from '../../domain/money/amount-unit'
import { type AmountUnit, ZERO, toMoneyString, yuan } from '../../domain/money/money'

/** What is taken back by the finance bureau at the close, and the notice that says so. */
export interface Recovery {
  /** Line → amount in 元, or 'all' of what it has left. */
  readonly recover?: Readonly<Record<string, string>>
  /** The finance bureau's 收回 notice (文号). */
  readonly recoveryNotice?: string
}

const AMOUNT = /^(0|[1-9]\d*)(\.\d{1,2})?$/

/** The two wishes of a close, as the CLI's options and the HTTP body name them. */
export type CloseWish = 'carry' | 'recover'
const NAMES: Record<CloseWish, { readonly message: string; readonly words: string }> = {
  carry: { message: 'carry over', words: '结转' },
  recover: { message: 'recover', words: '收回' },
}

/** A wish the close cannot take: which wish and line (path "carry.p01"), in English and in Chinese. */
export interface CloseRefusal {
  readonly wish: CloseWish
  readonly line: string
  /** The field of the HTTP body: "carry.p01", "recover.p01". */
  readonly path: string
  readonly message: string
  readonly words: string
}

const refusal = (wish: CloseWish, line: string, message: string, words: string): E.Either<CloseRefusal, never> =>
  E.left({ wish, line, path: `${wish}.${line}`, message, words })

/**
 * Builds the CloseYear command from a simpler wish: the lines named in `carry` carry that amount
 * (or 'all' of what they have left) into next year as 结转, those named in `recover` give it back
 * as 收回; everything else left on every line is 结余. An amount is in 元, or in `unit` (万元), or
 * states its own unit ("1.25万元"), converted exactly as every typed amount is
 * (src/domain/money/amount-unit.ts). The command still states every part of every line explicitly, and
 * decide checks that they add up to each line's available amount. Pure.
 */
export const closeYearCommand = (
  s: BudgetYearState,
  carry: Readonly<Record<string, string>>,
  recovery: Recovery = {},
  unit?: AmountUnit,
): E.Either<CloseRefusal, Command> => {
  const wishes: Record<CloseWish, Record<string, string>> = { carry: {}, recover: {} }
  for (const [wish, asked] of [['carry', carry], ['recover', recovery.recover ?? {}]] as const)
    for (const [line, typed] of Object.entries(asked)) {
      const name = NAMES[wish]
      if (!s.lines.has(line)) return refusal(wish, line, `there is no budget line "${line}" to ${name.message}`, `没有预算行 "${line}"，无法${name.words}`)
      const amount = typed === 'all' ? E.right(typed) : amountInYuan(typed, unit)
      if (E.isLeft(amount)) return refusal(wish, line, `line "${line}": the amount to ${name.message}: ${amount.left.reason}`, `预算行 "${line}" 的${name.words}金额有误：${typed}（${amount.left.unit}至多六位小数，精确到分）`)
      if (amount.right !== 'all' && !AMOUNT.test(amount.right))
        return refusal(
          wish,
          line,
          `line "${line}": the amount to ${name.message} must be "all" or a decimal string in 元 (e.g. 1200.00) or 万元 (1.25万元), got ${JSON.stringify(typed)}`,
          `预算行 "${line}" 的${name.words}金额应为 all 或金额（元至多两位小数，如 1200.00；或万元，如 1.25万元），实际为 ${typed}`,
        )
      wishes[wish][line] = amount.right
    }
  const recover = wishes.recover
  const recovers = Object.keys(recover).length > 0
  const lines = []
  for (const l of s.lines.values()) {
    const available = availableOf(l)
    if (available.isZero() && wishes.carry[l.id] === undefined && recover[l.id] === undefined) continue
    const asked = (a: string | undefined): Decimal => (a === undefined ? ZERO : a === 'all' ? available : yuan(a))
    const carryOver = asked(wishes.carry[l.id])
    const recovered = asked(recover[l.id])
    const balance = available.minus(carryOver).minus(recovered)
    if (balance.isNegative())
      return recovers
        ? refusal(
            recover[l.id] === undefined ? 'carry' : 'recover',
            l.id,
            `line "${l.id}": cannot carry over ${toMoneyString(carryOver)} 元 and recover ${toMoneyString(recovered)} 元, it has only ${toMoneyString(available)} 元 left`,
            `预算行 "${l.id}" 只剩 ${toMoneyString(available)} 元，不能结转 ${toMoneyString(carryOver)} 元并收回 ${toMoneyString(recovered)} 元`,
          )
        : refusal(
            'carry',
            l.id,
            `line "${l.id}": cannot carry over ${toMoneyString(carryOver)} 元, it has only ${toMoneyString(available)} 元 left`,
            `预算行 "${l.id}" 只剩 ${toMoneyString(available)} 元，不能结转 ${toMoneyString(carryOver)} 元`,
          )
    lines.push({
      line: l.id,
      carryOver: toMoneyString(carryOver),
      balance: toMoneyString(balance),
      ...(recovers ? { recovered: toMoneyString(recovered) } : {}),
    })
  }
  return E.right({
    type: 'CloseYear',
    data: { lines, ...(recovery.recoveryNotice === undefined ? {} : { recoveryNotice: recovery.recoveryNotice }) },
  } as Command)
}
