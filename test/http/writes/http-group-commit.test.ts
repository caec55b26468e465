import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { groupCommitStats } from '../../../src/ledger/recording/group-commit'
import { verifyLog } from '../../../src/store/chain/verify'
import { FIXTURE, type Reply, type TestServer, YEAR_PATH, addBody, fixtureBudgetFile, isProblem, lineOf, serverForTests, startServer } from '../../support/shells/http'

const post = (t: TestServer, body: unknown, headers: Record<string, string> = {}, path = YEAR_PATH) =>
  t.request('POST', `${path}/commands`, { token: 'finance', body, headers })

const overSpend = {
  type: 'RecordExpenditure',
  data: { line: 'p02', amount: '999999.00', economicCode: null, voucher: 'V-over', threePublic: null, procurement: null },
  reason: '超支测试',
  document: null,
  effectiveDate: '2021-05-02',
}

/** Revisions from..from+n-1, each once: no gap, no two commands decided on the same state. */
const contiguous = (replies: ReadonlyArray<Reply>, from: number) =>
  expect(replies.map((r) => r.body.revision).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: replies.length }, (_, i) => from + i))

const revisionOf = async (t: TestServer, path = YEAR_PATH) => (await t.request('GET', path, { token: 'auditor' })).body.revision as number

/** Each reply answers its own command: its one event, at its revision, stored under its id. */
const ownEvents = async (t: TestServer, replies: ReadonlyArray<Reply>, path = YEAR_PATH) => {
  const history = await t.request('GET', `${path}/events?from=0`, { token: 'auditor' })
  const byRevision = new Map<number, { id: string; type: string }>(history.body.events.map((e: { revision: number; id: string; type: string }) => [e.revision, e]))
  for (const r of replies) {
    expect(r.body.events).toHaveLength(1)
    expect(r.body.events[0].revision).toBe(r.body.revision)
    expect(byRevision.get(r.body.revision)).toMatchObject({ id: r.body.events[0].id, type: r.body.events[0].type })
  }
  expect(new Set(replies.map((r) => r.body.events[0].id)).size).toBe(replies.length)
}

/**
 * n keep-alive connections opened beforehand, as clients that write all day hold them: the
 * commands then reach the server together rather than one connection set-up apart.
 */
const connected = (t: TestServer, n: number) => Promise.all(Array.from({ length: n }, () => t.request('GET', '/health')))

const verified = async (t: TestServer) => {
  const report = await verifyLog(t.store)
  expect(report.breaks).toEqual([])
  expect(report.tree).toMatchObject({ ok: true })
  expect(report.ok).toBe(true)
}

describe('HTTP group commit: commands that arrive together are decided in turn and committed together', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given 64 connected clients adding 1.00 to one unit-year at once, then all are recorded with contiguous revisions, each answered with its own event, in fewer commits than commands, and verify passes', async () => {
    const from = (await revisionOf(t)) + 1
    await connected(t, 64)
    const before = groupCommitStats()
    const replies = await Promise.all(Array.from({ length: 64 }, () => post(t, addBody('1.00'))))
    const after = groupCommitStats()

    expect(replies.map((r) => r.status)).toEqual(Array(64).fill(201))
    contiguous(replies, from)
    await ownEvents(t, replies)
    expect((await lineOf(t, 'p01')).added).toBe('64.00')
    // A group formed: the 64 batches were stored by fewer durable commits, at least one holding several.
    expect(after.batches - before.batches).toBe(64)
    expect(after.commits - before.commits).toBeLessThan(64)
    expect(after.largest).toBeGreaterThan(1)
    await verified(t)
  })

  it('given 8 unit-years and 64 connected clients spread over them, then each unit-year gets its 8 with contiguous revisions and its own events, in fewer commits than commands', async () => {
    const units = Array.from({ length: 7 }, (_, i) => `90010${i}`)
    for (const code of units) {
      const r = await t.request('POST', '/api/budget-files', { token: 'finance', body: { ...fixtureBudgetFile(), unit: { code, name: `测试单位${code}` } } })
      expect(r.status).toBe(201)
    }
    const paths = [YEAR_PATH, ...units.map((u) => `/api/units/${u}/years/${FIXTURE.year}`)]
    const starts = await Promise.all(paths.map(async (p) => (await revisionOf(t, p)) + 1))
    await connected(t, 64)
    const before = groupCommitStats()
    const replies = await Promise.all(Array.from({ length: 64 }, (_, i) => post(t, addBody('1.00'), {}, paths[i % 8])))
    const after = groupCommitStats()

    expect(replies.map((r) => r.status)).toEqual(Array(64).fill(201))
    for (const [k, p] of paths.entries()) {
      const mine = replies.filter((_, i) => i % 8 === k)
      expect(mine.every((r) => r.body.unit === p.split('/')[3])).toBe(true)
      contiguous(mine, starts[k]!)
      await ownEvents(t, mine, p)
    }
    expect(after.batches - before.batches).toBe(64)
    expect(after.commits - before.commits).toBeLessThan(64)
    await verified(t)
  })

  it('given one over-spend and one reused key among 64 commands at once, then those two alone are refused (409 over-spend, 422 key reused), nothing of theirs is written, and the other 62 are recorded', async () => {
    const from = (await revisionOf(t)) + 1
    const key = randomUUID()
    const first = await post(t, addBody('2.00'), { 'idempotency-key': key })
    expect(first.status).toBe(201)
    const count = await t.eventCount()
    const replies = await Promise.all(
      Array.from({ length: 64 }, (_, i) => (i === 20 ? post(t, overSpend) : i === 40 ? post(t, addBody('5.00'), { 'idempotency-key': key }) : post(t, addBody('1.00')))),
    )
    const refused = replies[20]!
    expect(refused.status).toBe(409)
    expect(isProblem(refused)).toBe(true)
    expect(refused.body.code).toBe('over-spend')
    expect(replies[40]!.status).toBe(422)
    expect(replies[40]!.body.detail).toContain('already used for a different request')
    const recorded = replies.filter((_, i) => i !== 20 && i !== 40)
    expect(recorded.map((r) => r.status)).toEqual(Array(62).fill(201))
    contiguous(recorded, from + 1)
    await ownEvents(t, recorded)
    expect(await t.eventCount()).toBe(count + 62)
    const line = await lineOf(t, 'p01')
    expect(line.added).toBe('64.00')
    expect((await lineOf(t, 'p02')).spent).toBe('0.00')
    await verified(t)
  })

  it('given the same Idempotency-Key twice among 32 commands at once, then it is recorded once and both get the same event, the second marked replayed', async () => {
    const key = randomUUID()
    const count = await t.eventCount()
    const replies = await Promise.all(
      Array.from({ length: 32 }, (_, i) => (i === 3 || i === 4 ? post(t, addBody('7.00'), { 'idempotency-key': key }) : post(t, addBody('1.00')))),
    )
    expect(replies.map((r) => r.status)).toEqual(Array(32).fill(201))
    const [a, b] = [replies[3]!, replies[4]!]
    expect(b.body.events).toEqual(a.body.events)
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].sort()).toEqual(['true', null].sort())
    expect(await t.eventCount()).toBe(count + 31)
    const history = await t.request('GET', `${YEAR_PATH}/events?from=0`, { token: 'auditor' })
    expect(history.body.events.filter((e: { metadata: { idempotencyKey?: string } }) => e.metadata.idempotencyKey === key)).toHaveLength(1)
    expect((await lineOf(t, 'p01')).added).toBe('37.00')
  })

  it('given two commands at once with If-Match on the current revision, then one is recorded and the other is 412 with the new revision; a dry run among them writes nothing', async () => {
    const etag = (await t.request('GET', YEAR_PATH, { token: 'finance' })).headers.get('etag')!
    const count = await t.eventCount()
    const [a, b, dry] = await Promise.all([
      post(t, addBody('3.00'), { 'if-match': etag }),
      post(t, addBody('4.00'), { 'if-match': etag }),
      t.request('POST', `${YEAR_PATH}/commands?dryRun=true`, { token: 'finance', body: addBody('9.00') }),
    ])
    expect([a.status, b.status].sort()).toEqual([201, 412])
    const [won, lost] = a.status === 201 ? [a, b] : [b, a]
    expect(lost.body.currentRevision).toBe(won.body.revision)
    expect(won.body.revision).toBe(Number(JSON.parse(etag)) + 1)
    expect(dry.status).toBe(200)
    expect(await t.eventCount()).toBe(count + 1)
  })
})

describe('HTTP group commit turned off (LEDGER_GROUP_COMMIT=0)', () => {
  it('given 16 clients at once, then each command is its own commit, with the same answers', async () => {
    const t = await startServer({ fixture: true, groupCommit: false })
    try {
      const from = (await revisionOf(t)) + 1
      const before = groupCommitStats()
      const replies = await Promise.all(Array.from({ length: 16 }, () => post(t, addBody('1.00'))))
      expect(replies.map((r) => r.status)).toEqual(Array(16).fill(201))
      contiguous(replies, from)
      await ownEvents(t, replies)
      expect(groupCommitStats()).toEqual(before)
      await verified(t)
    } finally {
      await t.close()
    }
  })
})
