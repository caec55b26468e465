import * as E from 'fp-ts/Either'
import { type BudgetYearState, decide, evolve, initialState } from '../../../src/domain/budget-year'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import type { DomainError } from '../../../src/domain/codecs/errors'
import type { DomainEvent } from '../../../src/domain/events/events'

export const ctx: CommandContext = { reason: 'test', document: '测试〔2021〕1号', effectiveDate: '2021-03-01' }

/** given these commands were accepted in order → the state (pure: decide + evolve, no store). */
export const given = (commands: ReadonlyArray<Command>, context: CommandContext = ctx): { state: BudgetYearState; events: DomainEvent[]; ids: string[] } => {
  let state = initialState()
  const events: DomainEvent[] = []
  const ids: string[] = []
  for (const c of commands) {
    const decided = decide(state, c, context)
    if (E.isLeft(decided)) throw new Error(`given: ${c.type} refused: ${decided.left.message}`)
    for (const e of decided.right) {
      const id = `e${state.revision + 1}`
      state = evolve(state, { id, revision: state.revision + 1, event: e })
      events.push(e)
      ids.push(id)
    }
  }
  return { state, events, ids }
}

/** when this command is decided → the events, or the refusal. */
export const when = (state: BudgetYearState, c: Command, context: CommandContext = ctx): E.Either<DomainError, DomainEvent[]> =>
  decide(state, c, context)

export const openYear = (unit = '101065', year = 2021): Command => ({
  type: 'OpenBudgetYear',
  data: { unit: { code: unit, name: '测试单位' }, year, unitType: 'administrative', previousYear: {} },
})

export const allocate = (
  line: string,
  amount: string,
  opts: Partial<{ kind: 'basic' | 'project'; functionCode: string; fundSource: string; basicCategory: 'personnel' | 'operating' | null; economicCode: string | null }> = {},
): Command =>
  ({
    type: 'AllocateLine',
    data: {
      line,
      kind: opts.kind ?? 'project',
      basicCategory: opts.basicCategory ?? null,
      projectName: (opts.kind ?? 'project') === 'project' ? `项目 ${line}` : null,
      functionCode: opts.functionCode ?? '2150502',
      economicCode: opts.economicCode ?? null,
      fundSource: opts.fundSource ?? 'general.appropriation',
      amount,
    },
  }) as Command
