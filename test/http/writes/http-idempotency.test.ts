import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { type TestServer, YEAR_PATH, addBody, isProblem, lineOf, serverForTests } from '../../support/shells/http'

const post = (t: TestServer, key: string | undefined, body: unknown = addBody('3.00'), headers: Record<string, string> = {}) =>
  t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body, headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers } })

describe('HTTP idempotency: a repeated Idempotency-Key records once', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given a POST with a key, when the same key is posted again, then one event, and the repeat answers the first result with Idempotent-Replayed', async () => {
    const key = randomUUID()
    const count = await t.eventCount()
    const first = await post(t, key)
    const second = await post(t, key)

    expect(first.status).toBe(201)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(second.body).toEqual({ ...first.body, replayed: true })
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(await t.eventCount()).toBe(count + 1)
    expect((await lineOf(t, 'p01')).added).toBe('3.00')

    const history = await t.request('GET', `${YEAR_PATH}/events?from=${first.body.revision}`, { token: 'auditor' })
    expect(history.body.events[0].metadata.idempotencyKey).toBe(key)
  })

  it('given the same key posted by 20 clients at once, then exactly one event is recorded and all get the same event', async () => {
    const key = randomUUID()
    const count = await t.eventCount()
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(t, key)))
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201))
    expect(new Set(replies.map((r) => r.body.events[0].id)).size).toBe(1)
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1)
    expect(await t.eventCount()).toBe(count + 1)
    expect((await lineOf(t, 'p01')).added).toBe('3.00')
  })

  it('given a key already used, when it comes with a different request, then a 422 problem and nothing is written', async () => {
    const key = randomUUID()
    const first = await post(t, key, addBody('3.00'))
    expect(first.status).toBe(201)
    const count = await t.eventCount()
    const other = await post(t, key, addBody('4.00'))
    expect(other.status).toBe(422)
    expect(isProblem(other)).toBe(true)
    expect(other.body.detail).toContain('already used for a different request')
    expect(await t.eventCount()).toBe(count)
    expect((await lineOf(t, 'p01')).added).toBe('3.00')
  })

  it('given different keys, then each records its own event; without a key, every POST records', async () => {
    const count = await t.eventCount()
    await post(t, randomUUID())
    await post(t, randomUUID())
    await post(t, undefined)
    await post(t, undefined)
    expect(await t.eventCount()).toBe(count + 4)
  })

  it('given a first attempt that was refused, then a repeat with the key is decided again (nothing was recorded to replay)', async () => {
    const key = randomUUID()
    const count = await t.eventCount()
    const refused = await post(t, key, addBody('3.00', 'no-such-line'))
    expect(refused.status).toBe(409)
    expect(isProblem(refused)).toBe(true)
    const again = await post(t, key, addBody('3.00', 'no-such-line'))
    expect(again.status).toBe(409)
    expect(await t.eventCount()).toBe(count)
  })

  it('given a replay carrying a stale If-Match, then it still answers the first result and records nothing', async () => {
    const key = randomUUID()
    const read = await t.request('GET', YEAR_PATH, { token: 'finance' })
    const first = await post(t, key, addBody(), { 'if-match': read.headers.get('etag')! })
    expect(first.status).toBe(201)
    const count = await t.eventCount()
    const repeat = await post(t, key, addBody(), { 'if-match': read.headers.get('etag')! })
    expect(repeat.status).toBe(201)
    expect(repeat.headers.get('idempotent-replayed')).toBe('true')
    expect(await t.eventCount()).toBe(count)
  })

  it('when the key is not printable ASCII or too long, then a 400 problem and nothing is written', async () => {
    const count = await t.eventCount()
    const r = await post(t, 'x'.repeat(256))
    expect(r.status).toBe(400)
    expect(isProblem(r)).toBe(true)
    expect(r.body.errors[0].path).toBe('Idempotency-Key')
    expect(await t.eventCount()).toBe(count)
  })
})
