import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { extensions } from '../../src/cli/extensions'
import type { CliIo } from '../../src/cli/shell/io'
import { run } from '../../src/cli/program'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { tempDb } from '../support/ledgers/temp-db'

/** The CLI in-process, with the real extension list, on a real SQLite file. */
const cli = async (db: string, argv: string[]) => {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { out: (t) => (stdout += t), err: (t) => (stderr += t), env: { LEDGER_ACTOR: 'cli-tester' } }
  const code = await run(['--db', db, ...argv], io, extensions)
  return { code, stdout, stderr }
}

const Y = ['--unit', '900002', '--year', '2021']
const CTX = ['--reason', '测试', '--document', '财〔2021〕9号', '--date', '2021-06-01']

describe('the finance commands on the command line', () => {
  let db: ReturnType<typeof tempDb>
  const events = async () => {
    const store = new SqliteEventStore(db.path)
    try {
      return await store.readStream('budget-900002-2021')
    } finally {
      await store.close()
    }
  }

  beforeEach(async () => {
    db = tempDb('ledger-cli-finance-')
    expect((await cli(db.path, ['open-year', ...Y, '--name', '测试单位', ...CTX])).code).toBe(0)
    for (const [line, amount] of [['p01', '50000.00'], ['p02', '20000.00']] as const) {
      const r = await cli(db.path, ['allocate', ...Y, '--line', line, '--kind', 'project', '--project-name', `项目 ${line}`, '--function-code', '2150502', '--amount', amount, ...CTX])
      expect(r.code, r.stderr).toBe(0)
    }
  })
  afterEach(() => db.remove())

  it('spend, add and transfer are recorded with the actor, reason and document; --json prints the result', async () => {
    const spend = await cli(db.path, ['spend', ...Y, '--line', 'p01', '--amount', '1200.50', '--voucher', '记-0042', '--three-public', 'reception', ...CTX, '--json'])
    expect(spend.code, spend.stderr).toBe(0)
    const view = JSON.parse(spend.stdout)
    expect(view).toMatchObject({ unit: '900002', year: 2021, revision: 3, dryRun: false, replayed: false })
    expect(view.events[0]).toMatchObject({ type: 'ExpenditureRecorded', revision: 3, data: { line: 'p01', amount: '1200.50', voucher: '记-0042', threePublic: 'reception' } })

    const add = await cli(db.path, ['add', ...Y, '--line', 'p02', '--amount', '300.00', '--category', 'nationalPolicy', ...CTX])
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toMatch(/recorded\s+BudgetAdded/)
    expect(add.stdout).toMatch(/revision\s+4/)

    const transfer = await cli(db.path, ['transfer', ...Y, '--from', 'p01', '--to', 'p02', '--amount', '1000.00', ...CTX])
    expect(transfer.code, transfer.stderr).toBe(0)

    const log = await events()
    expect(log.map((e) => e.type)).toEqual(['BudgetYearOpened', 'LineAllocated', 'LineAllocated', 'ExpenditureRecorded', 'BudgetAdded', 'BudgetTransferred'])
    expect(log[5]!.data).toEqual({ from: 'p01', to: 'p02', amount: '1000.00', category: 'ordinary' })
    for (const e of log) expect(e.metadata).toMatchObject({ actor: 'cli-tester', role: 'finance', reason: '测试', document: '财〔2021〕9号', effectiveDate: '2021-06-01' })
  })

  it('without --unit and --year, the only budget year in the ledger is used', async () => {
    const r = await cli(db.path, ['spend', '--line', 'p01', '--amount', '10.00', '--voucher', 'v1', ...CTX])
    expect(r.code, r.stderr).toBe(0)
    expect((await events()).at(-1)!.type).toBe('ExpenditureRecorded')
  })

  it('an over-spend is refused with a clear message, exit code 1, and nothing is written', async () => {
    const before = (await events()).length
    const r = await cli(db.path, ['spend', ...Y, '--line', 'p02', '--amount', '20000.01', '--voucher', 'v2', ...CTX])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('refused (over-spend)')
    expect(r.stderr).toContain('20000.01')
    expect(r.stderr).toContain('nothing was written')
    expect((await events()).length).toBe(before)
  })

  it('bad flags are named by their flag: a non-decimal amount, an unknown line, an empty or missing reason, a missing document', async () => {
    const before = (await events()).length
    const amount = await cli(db.path, ['add', ...Y, '--line', 'p01', '--amount', '12,5', ...CTX])
    expect(amount.code).toBe(1)
    expect(amount.stderr).toContain('--amount: expected a positive decimal string')

    const line = await cli(db.path, ['reduce', ...Y, '--line', 'nope', '--amount', '1.00', ...CTX])
    expect(line.code).toBe(1)
    expect(line.stderr).toContain('refused (unknown-line)')

    const empty = await cli(db.path, ['spend', ...Y, '--line', 'p01', '--amount', '1.00', '--voucher', 'v0', '--reason', '', '--date', '2021-06-01'])
    expect(empty.code).toBe(1)
    expect(empty.stderr).toContain('--reason: expected a reason')

    // Options a command cannot do without are commander's to ask for (exit 2), before the ledger is read.
    const reason = await cli(db.path, ['spend', ...Y, '--line', 'p01', '--amount', '1.00', '--voucher', 'v0', '--date', '2021-06-01'])
    expect(reason.code).toBe(2)
    expect(reason.stderr).toContain("error: required option '--reason <text>' not specified")

    const document = await cli(db.path, ['add', ...Y, '--line', 'p01', '--amount', '1.00', '--reason', 'r', '--date', '2021-06-01'])
    expect(document.code).toBe(2)
    expect(document.stderr).toContain("error: required option '--document <ref>' not specified")
    expect((await events()).length).toBe(before)
  })

  it('--dry-run shows the events and writes nothing; --expected-revision refuses a stale revision', async () => {
    const before = (await events()).length
    const dry = await cli(db.path, ['add', ...Y, '--line', 'p01', '--amount', '5.00', ...CTX, '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/would record\s+BudgetAdded/)
    expect(dry.stdout).toContain('nothing was written')

    const stale = await cli(db.path, ['add', ...Y, '--line', 'p01', '--amount', '5.00', ...CTX, '--expected-revision', '0'])
    expect(stale.code).toBe(1)
    expect(stale.stderr).toContain('now at revision 2')
    expect((await events()).length).toBe(before)

    const current = await cli(db.path, ['add', ...Y, '--line', 'p01', '--amount', '5.00', ...CTX, '--expected-revision', '2'])
    expect(current.code, current.stderr).toBe(0)
  })

  it('reverse undoes an expenditure; set-earmark declares an earmark; open-year twice is refused', async () => {
    const spend = JSON.parse((await cli(db.path, ['spend', ...Y, '--line', 'p01', '--amount', '99.00', '--voucher', 'v3', ...CTX, '--json'])).stdout)
    const reverse = await cli(db.path, ['reverse', ...Y, '--event', spend.events[0].id, ...CTX])
    expect(reverse.code, reverse.stderr).toBe(0)
    const again = await cli(db.path, ['reverse', ...Y, '--event', spend.events[0].id, ...CTX])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('refused (already-reversed)')

    const earmark = await cli(db.path, ['set-earmark', ...Y, '--earmark', 'threePublic.reception', '--amount', '21000.00', ...CTX])
    expect(earmark.code, earmark.stderr).toBe(0)

    const reopen = await cli(db.path, ['open-year', ...Y, '--name', '测试单位', ...CTX])
    expect(reopen.code).toBe(1)
    expect(reopen.stderr).toContain('refused (year-already-open)')
    expect((await events()).map((e) => e.type).slice(3)).toEqual(['ExpenditureRecorded', 'EventReversed', 'EarmarkSet'])
  })
})
