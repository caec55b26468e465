import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Command, CommandContext } from '../../../src/domain/events/commands'
import { streamOf } from '../../../src/domain/codecs/primitives'
import { type LedgerDeps, ledgerDeps } from '../../../src/ledger/deps'
import { groupCommitStats } from '../../../src/ledger/recording/group-commit'
import { importBudgetFile } from '../../../src/ledger/recording/import-file'
import { recordCommand } from '../../../src/ledger/recording/record'
import { budgetYearAt } from '../../../src/ledger/fold/snapshots/snapshots'
import { type AppendBatch, type BatchOutcome, WrongExpectedRevision } from '../../../src/store/port'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { verifyLog } from '../../../src/store/chain/verify'
import { FIXTURE, fixtureBudgetFile } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'
import { fenText, toYuan } from '../../../src/domain/money/fen'

const actor = { name: 'tester', role: 'finance' }
const ctx: CommandContext = { reason: '测试', document: '测试〔2021〕2号', effectiveDate: '2021-05-01' }
const add = (amount: string, line = 'p01'): Command => ({ type: 'AddToLine', data: { line, amount, category: 'ordinary' } }) as Command
const spend = (amount: string, line = 'p01'): Command =>
  ({ type: 'RecordExpenditure', data: { line, amount, economicCode: null, voucher: 'V-1', threePublic: null, procurement: null } }) as Command

/**
 * The SQLite store with another writer that gets in first once: on the first group commit, a
 * second connection to the same file records a command in the unit-year before the group's
 * transaction begins, so the group's batches of it were decided on a state that is no longer the latest.
 */
class OvertakenStore extends SqliteEventStore {
  overtaken = false
  override async appendMany(batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> {
    if (!this.overtaken) {
      this.overtaken = true
      const other = new SqliteEventStore(this.path)
      try {
        expect(E.isRight(await recordCommand(ledgerDeps(other), FIXTURE, add('100.00'), ctx, { name: 'other', role: 'finance' }))).toBe(true)
      } finally {
        await other.close()
      }
    }
    return super.appendMany(batches)
  }
}

describe('group commit in the ledger: a group decided in turn and stored by one commit', () => {
  let db: ReturnType<typeof tempDb>
  let store: OvertakenStore
  let deps: LedgerDeps
  beforeEach(async () => {
    db = tempDb('ledger-group-')
    const setup = new SqliteEventStore(db.path)
    expect(E.isRight(await importBudgetFile(ledgerDeps(setup), fixtureBudgetFile(), actor))).toBe(true)
    await setup.close()
    store = new OvertakenStore(db.path)
    store.overtaken = true
    deps = ledgerDeps(store, { groupCommit: true })
  })
  afterEach(async () => {
    await store.close()
    db.remove()
  })

  const revision = async () => (await budgetYearAt(store, FIXTURE.unit, FIXTURE.year)).state.revision
  const line = async (id: string) => (await budgetYearAt(store, FIXTURE.unit, FIXTURE.year)).state.lines.get(id)!
  const verified = async () => expect((await verifyLog(store)).ok).toBe(true)

  it('given an addition and a spending it alone makes possible, sent in the same turn, then one commit stores both, the spending decided on the state the addition leaves', async () => {
    const r = await revision()
    const beyond = toYuan((await line('p01')).initial).plus('30.00').toFixed(2)
    const before = groupCommitStats()
    const [added, spent] = await Promise.all([
      recordCommand(deps, FIXTURE, add('50.00'), ctx, actor),
      // More than the line had before the addition: refused unless decided after it.
      recordCommand(deps, FIXTURE, spend(beyond), ctx, actor),
    ])
    const after = groupCommitStats()
    expect(E.isRight(added) && added.right.revision).toBe(r + 1)
    expect(E.isRight(spent) && spent.right.revision).toBe(r + 2)
    expect(after.commits - before.commits).toBe(1)
    expect(after.batches - before.batches).toBe(2)
    expect(fenText((await line('p01')).spent)).toBe(beyond)
    await verified()
  })

  it('given another writer gets in between the group deciding and committing, then the first batch of that unit-year, pinned to the old revision, is stale, and the later ones, decided on it, are decided again and each recorded once', async () => {
    const r = await revision()
    store.overtaken = false
    const [pinned, a, b] = await Promise.all([
      recordCommand(deps, FIXTURE, add('4.00', 'p02'), ctx, actor, { expectedRevision: r }),
      recordCommand(deps, FIXTURE, add('1.00'), ctx, actor),
      recordCommand(deps, FIXTURE, add('2.00'), ctx, actor),
    ])
    expect(store.overtaken).toBe(true)
    // The other writer's command took r + 1; a and b were decided again after it.
    expect([a, b].map((x) => E.isRight(x) && x.right.revision).sort()).toEqual([r + 2, r + 3])
    expect(pinned).toEqual(E.left({ kind: 'stale', expected: r, actual: r + 1 }))
    expect(fenText((await line('p01')).added.ordinary)).toBe('103.00')
    expect(fenText((await line('p02')).added.ordinary)).toBe('0.00')
    expect(await revision()).toBe(r + 3)
    await verified()
  })

  it('given the same idempotency key twice and a refused command in one turn, then the key records once and both get its events, the refusal sinks nothing else', async () => {
    const r = await revision()
    const [first, repeat, refused, other] = await Promise.all([
      recordCommand(deps, FIXTURE, add('7.00'), ctx, actor, { idempotencyKey: 'k-1' }),
      recordCommand(deps, FIXTURE, add('7.00'), ctx, actor, { idempotencyKey: 'k-1' }),
      recordCommand(deps, FIXTURE, spend('99999999.00', 'p02'), ctx, actor),
      recordCommand(deps, FIXTURE, add('1.00'), ctx, actor),
    ])
    expect(E.isRight(first) && first.right.revision).toBe(r + 1)
    expect(E.isRight(repeat) && repeat.right.repeated).toBe(true)
    expect(E.isRight(repeat) && E.isRight(first) && repeat.right.events.map((e) => e.id)).toEqual(E.isRight(first) && first.right.events.map((e) => e.id))
    expect(E.isLeft(refused) && refused.left.kind === 'refused' && refused.left.error.code).toBe('over-spend')
    expect(E.isRight(other) && other.right.revision).toBe(r + 2)
    expect(await revision()).toBe(r + 2)
    expect(await store.readByIdempotencyKey(streamOf(FIXTURE.unit, FIXTURE.year), 'k-1')).toHaveLength(1)
    await verified()
  })
})

/**
 * The SQLite store with its next group commit held open until the test lets it go, so that requests
 * arrive while a group is being committed; on release, optionally another writer records first
 * (the group then loses the race) or the commit fails as a whole.
 */
class HeldStore extends SqliteEventStore {
  private gate: Promise<void> | undefined
  private open: (() => void) | undefined
  entered = false
  then: 'commit' | 'overtaken' | 'fail' = 'commit'
  hold(then: HeldStore['then']): void {
    this.then = then
    this.entered = false
    this.gate = new Promise((r) => (this.open = r))
  }
  release(): void {
    this.open?.()
  }
  override async appendMany(batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> {
    const gate = this.gate
    if (gate) {
      this.gate = undefined
      this.entered = true
      await gate
      if (this.then === 'fail') throw new Error('disk full')
      if (this.then === 'overtaken') {
        const other = new SqliteEventStore(this.path)
        try {
          expect(E.isRight(await recordCommand(ledgerDeps(other), FIXTURE, add('1.00', 'p02'), ctx, { name: 'other', role: 'finance' }))).toBe(true)
        } finally {
          await other.close()
        }
      }
    }
    return super.appendMany(batches)
  }
}

describe('group commit pipelined: the next group decided while the one before it is committed', () => {
  let db: ReturnType<typeof tempDb>
  let store: HeldStore
  let deps: LedgerDeps
  beforeEach(async () => {
    db = tempDb('ledger-pipeline-')
    const setup = new SqliteEventStore(db.path)
    expect(E.isRight(await importBudgetFile(ledgerDeps(setup), fixtureBudgetFile(), actor))).toBe(true)
    await setup.close()
    store = new HeldStore(db.path)
    deps = ledgerDeps(store, { groupCommit: true })
  })
  afterEach(async () => {
    store.release()
    await store.close()
    db.remove()
  })

  const state = async () => (await budgetYearAt(store, FIXTURE.unit, FIXTURE.year)).state
  type Answer = Awaited<ReturnType<typeof recordCommand>>
  const revisionOf = (a: Answer | unknown) => (E.isRight(a as Answer) ? (a as E.Right<{ revision: number }>).right.revision : undefined)
  const refusalOf = (a: Answer) => (E.isLeft(a) && a.left.kind === 'refused' ? a.left.error.code : undefined)
  /** A group (an addition of 50.00 to p01) held in its commit while a spending only that addition makes possible is sent, and decided meanwhile. */
  const whileCommitting = async (then: HeldStore['then'], first: () => Promise<Answer>, later: () => Promise<Answer>) => {
    store.hold(then)
    const committing = first().catch((e: unknown) => e)
    await vi.waitFor(() => expect(store.entered).toBe(true))
    const decided = groupCommitStats().pipelined
    const next = later()
    await vi.waitFor(() => expect(groupCommitStats().pipelined).toBe(decided + 1))
    store.release()
    return [await committing, await next] as const
  }
  const spendWhileAdding = async (then: HeldStore['then']) => {
    const beyond = toYuan((await state()).lines.get('p01')!.initial).plus('30.00').toFixed(2)
    const [added, spent] = await whileCommitting(then, () => recordCommand(deps, FIXTURE, add('50.00'), ctx, actor), () => recordCommand(deps, FIXTURE, spend(beyond), ctx, actor))
    return { added, spent, beyond }
  }

  it('given a command with an idempotency key being committed, when the same key arrives meanwhile, then it is answered with the events of the first, replayed, and the key records once', async () => {
    const r = (await state()).revision
    const send = () => recordCommand(deps, FIXTURE, add('7.00'), ctx, actor, { idempotencyKey: 'k-pipe' })
    const [first, repeat] = await whileCommitting('commit', send, send)
    expect([revisionOf(first), revisionOf(repeat)]).toEqual([r + 1, r + 1])
    expect(E.isRight(repeat) && repeat.right.repeated).toBe(true)
    expect(await store.readByIdempotencyKey(streamOf(FIXTURE.unit, FIXTURE.year), 'k-pipe')).toHaveLength(1)
    expect((await state()).revision).toBe(r + 1)
  })

  it('given a group being committed, when a spending only its addition makes possible arrives, then it is decided before that commit returns, and stored after it', async () => {
    const r = (await state()).revision
    const { added, spent, beyond } = await spendWhileAdding('commit')
    expect([revisionOf(added), revisionOf(spent)]).toEqual([r + 1, r + 2])
    expect(fenText((await state()).lines.get('p01')!.spent)).toBe(beyond)
    expect((await verifyLog(store)).ok).toBe(true)
  })

  it('given the group being committed fails as a whole, then a spending decided on what it would have stored is decided again, on what is stored, and refused', async () => {
    const r = (await state()).revision
    const { added, spent } = await spendWhileAdding('fail')
    expect(added).toBeInstanceOf(Error)
    expect(refusalOf(spent)).toBe('over-spend')
    expect((await state()).revision).toBe(r)
    expect((await verifyLog(store)).ok).toBe(true)
  })

  it('given the group being committed loses the race to another writer, then a spending decided on its addition is never stored ahead of it, though the other writer left the head at the revision the spending expected', async () => {
    const { added, spent } = await spendWhileAdding('overtaken')
    const addedAt = revisionOf(added)
    expect(addedAt).toBeDefined()
    // Decided again: after the addition was stored (recorded after it) or before (refused).
    if (E.isRight(spent)) expect(revisionOf(spent)).toBeGreaterThan(addedAt!)
    else expect(refusalOf(spent)).toBe('over-spend')
    expect((await verifyLog(store)).ok).toBe(true)
  })
})

describe('group commit in the SQLite store: made durable off the server thread', () => {
  let db: ReturnType<typeof tempDb>
  let store: SqliteEventStore
  beforeEach(() => {
    db = tempDb('ledger-group-')
    store = new SqliteEventStore(db.path)
  })
  afterEach(async () => {
    await store.close()
    db.remove()
  })

  const event = (id: string) => ({ id, type: 'Noted', data: { n: id }, metadata: { recordedAt: '2021-05-01T00:00:00.000Z', effectiveDate: '2021-05-01', actor: 'tester', role: 'finance', reason: '测试', document: null } })

  it('given a group being committed, when the thread has other work queued, then that work runs before the group is answered, and the group is stored and chained once answered', async () => {
    const order: string[] = []
    const committed = store.appendMany([
      { stream: 's-1', events: [event('e-1'), event('e-2')], expected: 'no_stream' },
      { stream: 's-2', events: [event('e-3')], expected: 'no_stream' },
    ])
    committed.then(() => order.push('answered'))
    // Queued after the commit began: on the server's thread it would wait for the fsync.
    setImmediate(() => order.push('other work'))
    const outcomes = await committed
    expect(order).toEqual(['other work', 'answered'])
    expect(outcomes.map((o) => o.ok && o.result.revision)).toEqual([1, 0])
    expect((await store.readStream('s-1')).map((e) => e.id)).toEqual(['e-1', 'e-2'])
    expect((await verifyLog(store)).ok).toBe(true)
  })

  it('given a batch that lost the race in a group, then its outcome is the same WrongExpectedRevision as on the thread, and the other batches are stored', async () => {
    await store.append('s-1', [event('e-1')], 'no_stream')
    const outcomes = await store.appendMany([
      { stream: 's-1', events: [event('e-2')], expected: 'no_stream' },
      { stream: 's-2', events: [event('e-3')], expected: 'no_stream' },
    ])
    expect(outcomes[0]!.ok).toBe(false)
    const error = !outcomes[0]!.ok && outcomes[0]!.error
    expect(error).toBeInstanceOf(WrongExpectedRevision)
    expect(error instanceof WrongExpectedRevision && [error.stream, error.expected, error.actual]).toEqual(['s-1', 'no_stream', 0])
    expect(outcomes[1]!.ok && outcomes[1]!.result.revision).toBe(0)
    expect(await store.streamRevision('s-2')).toBe(0)
  })
})
