import * as E from 'fp-ts/Either'
import { type BudgetYearState, availableOf } from '../domain/budget-year'
import type { Command } from '../domain/commands'
import { ZERO, toMoneyString, yuan } from '../domain/money'

/**
 * Builds the CloseYear command from a simpler wish: the lines named in `carry` carry that amount
 * (or 'all' of what they have left) into next year as 结转; everything else left on every line is
 * 结余. The command still states both parts of every line explicitly, and decide checks that they
 * add up to each line's available amount. Pure.
 */
export const closeYearCommand = (s: BudgetYearState, carry: Readonly<Record<string, string>>): E.Either<string, Command> => {
  for (const [line, amount] of Object.entries(carry)) {
    if (!s.lines.has(line)) return E.left(`there is no budget line "${line}" to carry over`)
    if (amount !== 'all' && !/^(0|[1-9]\d*)(\.\d{1,2})?$/.test(amount))
      return E.left(`line "${line}": the amount to carry over must be "all" or a decimal string in 元 (e.g. 1200.00), got ${JSON.stringify(amount)}`)
  }
  const lines = [...s.lines.values()].flatMap((l) => {
    const available = availableOf(l)
    const asked = carry[l.id]
    if (available.isZero() && asked === undefined) return []
    const carryOver = asked === undefined ? ZERO : asked === 'all' ? available : yuan(asked)
    return [{ line: l.id, carryOver: toMoneyString(carryOver), balance: toMoneyString(available.minus(carryOver)) }]
  })
  const over = lines.find((l) => yuan(l.balance).isNegative())
  if (over)
    return E.left(`line "${over.line}": cannot carry over ${over.carryOver} 元, it has only ${toMoneyString(yuan(over.carryOver).plus(yuan(over.balance)))} 元 left`)
  return E.right({ type: 'CloseYear', data: { lines } } as Command)
}
