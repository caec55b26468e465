import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'vitest'
import * as E from 'fp-ts/Either'
import { TABLES } from '../../../projections'
import { type TableJson, toJson } from '../../../projections/render'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import { ledgerDeps } from '../../../src/ledger/deps'
import { importBudgetFile } from '../../../src/ledger/recording/import-file'
import { foldEvents } from '../../../src/ledger/fold/load'
import { recordCommand } from '../../../src/ledger/recording/record'
import { createApp } from '../../../src/http/app'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import type { RecordedEvent } from '../../../src/store/envelope'
import type { EventStore } from '../../../src/store/port'
import { FIXTURE, TOKEN_ENTRIES, fixtureBudgetFile } from '../shells/http'

/**
 * A unit-year recorded over several days with an injected clock, for the audit tests: the fixture
 * budget (unit 900001, 2021: lines basic, p01, p02) and then adjustments, spending, a transfer, a
 * new line, a reversal and a back-dated correction. Recording times are UTC; the ledger's days are
 * Shanghai days (UTC+8).
 */
export const TARGET = FIXTURE
export const STREAM = `budget-${FIXTURE.unit}-${FIXTURE.year}`
export const ACTOR = { name: '李会计', role: 'finance' }

export interface Recorder {
  /** Records one command at the given UTC instant; returns the ids of the events it recorded. */
  (at: string, command: Command, ctx?: Partial<CommandContext>): Promise<string[]>
}

export const recorder = (store: EventStore): { record: Recorder; importAt: (at: string) => Promise<void> } => {
  let clock = new Date('2021-03-01T02:00:00Z')
  const deps = ledgerDeps(store, { now: () => clock })
  return {
    async importAt(at) {
      clock = new Date(at)
      const r = await importBudgetFile(deps, fixtureBudgetFile(), ACTOR)
      if (E.isLeft(r)) throw new Error(`import refused: ${JSON.stringify(r.left)}`)
    },
    async record(at, command, ctx = {}) {
      clock = new Date(at)
      const context: CommandContext = {
        reason: ctx.reason ?? `${command.type} on ${at}`,
        document: ctx.document === undefined ? `测试〔2021〕${at.slice(5, 10)}号` : ctx.document,
        effectiveDate: ctx.effectiveDate ?? at.slice(0, 10),
      } as CommandContext
      const r = await recordCommand(deps, TARGET, command, context, ACTOR)
      if (E.isLeft(r)) throw new Error(`${command.type} refused: ${JSON.stringify(r.left)}`)
      return r.right.events.map((e) => e.id)
    },
  }
}

export const cmd = (type: string, data: Record<string, unknown>): Command => ({ type, data }) as unknown as Command

/** Instants (UTC) the scenario records at, by name. */
export const AT = {
  /** 2021-03-01 10:00 in Shanghai. */
  import: '2021-03-01T02:00:00.000Z',
  /** 2021-03-02 00:30 in Shanghai, but still 1 March in UTC: the zone boundary. */
  add: '2021-03-01T16:30:00.000Z',
  spend: '2021-03-03T03:00:00.000Z',
  earmark: '2021-03-03T04:00:00.000Z',
  transfer: '2021-03-04T03:00:00.000Z',
  allocate: '2021-03-04T05:00:00.000Z',
  reverse: '2021-03-05T03:00:00.000Z',
  reduce: '2021-03-05T06:00:00.000Z',
  targets: '2021-03-06T03:00:00.000Z',
  spendBasic: '2021-03-06T07:00:00.000Z',
  /** Recorded on day 10, business date day 3. */
  correction: '2021-03-10T03:00:00.000Z',
} as const

/** The scenario; returns the ids the tests refer to. */
export const recordScenario = async (store: EventStore) => {
  const { record, importAt } = recorder(store)
  await importAt(AT.import)
  const [add] = await record(AT.add, cmd('AddToLine', { line: 'p01', amount: '100000.00', category: 'ordinary' }), { effectiveDate: '2021-03-02' })
  const [spend] = await record(
    AT.spend,
    cmd('RecordExpenditure', { line: 'p01', amount: '50000.00', economicCode: '30217', voucher: 'V-0303', threePublic: 'reception', procurement: null }),
    { document: null },
  )
  const [earmark] = await record(AT.earmark, cmd('SetEarmark', { earmark: 'threePublic.reception', amount: '60000.00' }), { document: null })
  const [transfer] = await record(AT.transfer, cmd('TransferBetweenLines', { from: 'p02', to: 'basic', amount: '20000.00', category: 'ordinary' }))
  const [allocate] = await record(
    AT.allocate,
    cmd('AllocateLine', {
      line: 'p03',
      kind: 'project',
      basicCategory: null,
      projectName: '项目三',
      functionCode: '2060499',
      economicCode: null,
      fundSource: 'general.appropriation',
      amount: '80000.00',
    }),
  )
  const [reverse] = await record(AT.reverse, cmd('ReverseEvent', { event: spend }), { reason: '凭证录错，冲销', document: null })
  const [reduce] = await record(AT.reduce, cmd('ReduceLine', { line: 'p02', amount: '10000.00', category: 'nationalPolicy' }))
  const [targets] = await record(
    AT.targets,
    cmd('SetProjectTargets', { line: 'p01', targets: [{ category: 'output', name: '检查次数', operator: '≥', value: '12', unit: '次' }] }),
    { document: null },
  )
  const [spendBasic] = await record(
    AT.spendBasic,
    cmd('RecordExpenditure', { line: 'basic', amount: '5000.00', economicCode: null, voucher: 'V-0306', threePublic: null, procurement: null }),
    { document: null },
  )
  const [correction] = await record(AT.correction, cmd('AddToLine', { line: 'p02', amount: '7000.00', category: 'ordinary' }), {
    effectiveDate: '2021-03-03',
    reason: '3月3日批复的追加，漏录补记',
  })
  return { add: add!, spend: spend!, earmark: earmark!, transfer: transfer!, allocate: allocate!, reverse: reverse!, reduce: reduce!, targets: targets!, spendBasic: spendBasic!, correction: correction! }
}

/** All eleven tables of a list of events folded from scratch, as JSON: the independent expectation. */
export const tablesOf = (events: ReadonlyArray<RecordedEvent>): TableJson[] => {
  const state = foldEvents(events)
  if (!state.identity) return []
  return TABLES.map((t) => toJson(t.render(state, bundledCatalogue())))
}

/** The real HTTP app over a store the scenario recorded into, on an ephemeral port. */
export const serveStore = async (store: EventStore): Promise<{ url: string; close: () => Promise<void> }> => {
  const app = createApp({ deps: ledgerDeps(store), tokens: TOKEN_ENTRIES, log: (l) => expect.fail(l) })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
