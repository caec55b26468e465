import * as E from 'fp-ts/Either'
import type Decimal from 'decimal.js'
import { type BudgetYearState, availableOf } from '../domain/budget-year'
import type { Command } from '../domain/commands'
import { ZERO, toMoneyString, yuan } from '../domain/money'

/** What is taken back by the finance bureau at the close, and the notice that says so. */
export interface Recovery {
  /** Line → amount in 元, or 'all' of what it has left. */
  readonly recover?: Readonly<Record<string, string>>
  /** The finance bureau's 收回 notice (文号). */
  readonly recoveryNotice?: string
}

const AMOUNT = /^(0|[1-9]\d*)(\.\d{1,2})?$/

/**
 * Builds the CloseYear command from a simpler wish: the lines named in `carry` carry that amount
 * (or 'all' of what they have left) into next year as 结转, those named in `recover` give it back
 * as 收回; everything else left on every line is 结余. The command still states every part of every
 * line explicitly, and decide checks that they add up to each line's available amount. Pure.
 */
export const closeYearCommand = (
  s: BudgetYearState,
  carry: Readonly<Record<string, string>>,
  recovery: Recovery = {},
): E.Either<string, Command> => {
  const recover = recovery.recover ?? {}
  for (const [wish, what] of [[carry, 'carry over'], [recover, 'recover']] as const)
    for (const [line, amount] of Object.entries(wish)) {
      if (!s.lines.has(line)) return E.left(`there is no budget line "${line}" to ${what}`)
      if (amount !== 'all' && !AMOUNT.test(amount))
        return E.left(`line "${line}": the amount to ${what} must be "all" or a decimal string in 元 (e.g. 1200.00), got ${JSON.stringify(amount)}`)
    }
  const recovers = Object.keys(recover).length > 0
  const lines = []
  for (const l of s.lines.values()) {
    const available = availableOf(l)
    if (available.isZero() && carry[l.id] === undefined && recover[l.id] === undefined) continue
    const asked = (a: string | undefined): Decimal => (a === undefined ? ZERO : a === 'all' ? available : yuan(a))
    const carryOver = asked(carry[l.id])
    const recovered = asked(recover[l.id])
    const balance = available.minus(carryOver).minus(recovered)
    if (balance.isNegative())
      return E.left(
        recovers
          ? `line "${l.id}": cannot carry over ${toMoneyString(carryOver)} 元 and recover ${toMoneyString(recovered)} 元, it has only ${toMoneyString(available)} 元 left`
          : `line "${l.id}": cannot carry over ${toMoneyString(carryOver)} 元, it has only ${toMoneyString(available)} 元 left`,
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
