import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  MaxAppendSizeExceededError,
  type Position,
  streamNameFilter,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../store/adapters/store-contract'
import { InMemoryLog, type ProposedEvent } from './log'
import { MAX_APPEND_SIZE, startTestEventStore, type TestEventStore } from './server'

/** The test server's EventStoreDB semantics, checked through the real client. */

let server: TestEventStore
let client: EventStoreDBClient
beforeAll(async () => {
  server = await startTestEventStore()
  client = EventStoreDBClient.connectionString(server.connectionString)
})
afterAll(async () => {
  await client.dispose()
  await server.stop()
})

const name = (prefix = 'test') => `${prefix}-${randomUUID().slice(0, 8)}`
const event = (type = 'E', id: string = randomUUID()) => jsonEvent({ id, type, data: { type } })
const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = []
  for await (const x of iterable) out.push(x)
  return out
}
const types = (events: Array<{ event?: { type: string } }>) => events.map((e) => e.event!.type)

describe('test server: appends', () => {
  it('checks the expected revision and reports the current one', async () => {
    const s = name()
    await client.appendToStream(s, [event('A')], { expectedRevision: 'no_stream' })
    const wrong = await client.appendToStream(s, [event()], { expectedRevision: 5n }).catch((e: unknown) => e)
    expect(wrong).toBeInstanceOf(WrongExpectedVersionError)
    expect(wrong).toMatchObject({ streamName: s, expectedVersion: 5n, actualVersion: 0n })
    const missing = await client.appendToStream(name(), [event()], { expectedRevision: 'stream_exists' }).catch((e: unknown) => e)
    expect(missing).toMatchObject({ expectedVersion: 'stream_exists', actualVersion: 'no_stream' })
    expect((await client.appendToStream(s, [event('B')], { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(1n)
  })

  it('answers an exact re-append of the same ids with the original revision and position', async () => {
    const s = name()
    const batch = [event('A'), event('B')]
    const first = await client.appendToStream(s, batch, { expectedRevision: 'no_stream' })
    const again = await client.appendToStream(s, batch, { expectedRevision: 'no_stream' })
    expect(again).toEqual(first)
    const viaAny = await client.appendToStream(s, batch, { expectedRevision: 'any' })
    expect(viaAny).toEqual(first)
    expect(await collect(client.readStream(s))).toHaveLength(2)
  })

  it('refuses a batch that only partly matches the events already at that place', async () => {
    const s = name()
    const a = event('A')
    await client.appendToStream(s, [a, event('B')], { expectedRevision: 'no_stream' })
    await expect(client.appendToStream(s, [a, event('C')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    )
  })

  it('writes an id already used in another stream again, as the server does', async () => {
    const id = randomUUID()
    await client.appendToStream(name(), [event('A', id)])
    const other = name()
    await client.appendToStream(other, [event('A', id)])
    expect(await collect(client.readStream(other))).toHaveLength(1)
  })

  it('refuses a batch larger than the maximum append size, writing nothing', async () => {
    const s = name()
    const big = jsonEvent({ type: 'Big', data: { text: 'x'.repeat(MAX_APPEND_SIZE) } })
    await expect(client.appendToStream(s, [big])).rejects.toBeInstanceOf(MaxAppendSizeExceededError)
    await expect(collect(client.readStream(s))).rejects.toBeInstanceOf(StreamNotFoundError)
  })

  it('stores a batch in one step: strictly increasing positions, nothing interleaved', async () => {
    const s = name()
    const other = name()
    await Promise.all([
      client.appendToStream(s, [event('A1'), event('A2'), event('A3')]),
      client.appendToStream(other, [event('B1'), event('B2'), event('B3')]),
    ])
    const all = (await collect(client.readAll())).filter((e) => e.event!.streamId === s || e.event!.streamId === other)
    const order = types(all).join(' ')
    expect(['A1 A2 A3 B1 B2 B3', 'B1 B2 B3 A1 A2 A3']).toContain(order)
    const positions = all.map((e) => e.event!.position)
    for (let i = 1; i < positions.length; i++) expect(positions[i]!.commit).toBeGreaterThan(positions[i - 1]!.commit)
    for (const p of positions) expect(p.prepare).toBe(p.commit)
  })
})

describe('test server: BatchAppend, as servers from 21.10 on list it', () => {
  let batchServer: TestEventStore
  let batchClient: EventStoreDBClient
  beforeAll(async () => {
    batchServer = await startTestEventStore({ batchAppend: true })
    batchClient = EventStoreDBClient.connectionString(batchServer.connectionString)
  })
  afterAll(async () => {
    await batchClient.dispose()
    await batchServer.stop()
  })

  it('is what the client appends through once the server lists it', async () => {
    await batchClient.appendToStream(name(), [event()])
    expect(batchServer.appendCalls).toEqual({ append: 0, batchAppend: 1 })
    await client.appendToStream(name(), [event()])
    expect(server.appendCalls.batchAppend).toBe(0)
  })

  it('answers successes, re-appends, wrong expected versions and oversize batches per correlation id', async () => {
    const s = name()
    const batch = [event('A'), event('B')]
    const [first, other] = await Promise.all([
      batchClient.appendToStream(s, batch, { expectedRevision: 'no_stream' }),
      batchClient.appendToStream(name(), [event('C')], { expectedRevision: 'no_stream' }),
    ])
    expect(first.nextExpectedRevision).toBe(1n)
    expect(other.nextExpectedRevision).toBe(0n)
    expect(await batchClient.appendToStream(s, batch, { expectedRevision: 'no_stream' })).toEqual(first)
    await expect(batchClient.appendToStream(s, [event()], { expectedRevision: 7n })).rejects.toMatchObject({
      type: 'wrong-expected-version',
      streamName: s,
      expectedVersion: 7n,
      actualVersion: 1n,
    })
    await expect(batchClient.appendToStream(name(), [event()], { expectedRevision: 0n })).rejects.toMatchObject({
      actualVersion: 'no_stream',
    })
    const big = jsonEvent({ type: 'Big', data: { text: 'x'.repeat(MAX_APPEND_SIZE) } })
    await expect(batchClient.appendToStream(name(), [big])).rejects.toBeInstanceOf(MaxAppendSizeExceededError)
  })
})

describe('test server: reads', () => {
  let s: string
  beforeAll(async () => {
    s = name()
    await client.appendToStream(s, ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => event(t)))
  })

  it('reads a stream forwards and backwards from a revision, with a count', async () => {
    expect(types(await collect(client.readStream(s, { fromRevision: 2n, maxCount: 2 })))).toEqual(['E2', 'E3'])
    expect(types(await collect(client.readStream(s, { direction: BACKWARDS, fromRevision: END, maxCount: 2 })))).toEqual([
      'E4',
      'E3',
    ])
    expect(types(await collect(client.readStream(s, { direction: BACKWARDS, fromRevision: 1n })))).toEqual(['E1', 'E0'])
    expect(await collect(client.readStream(s, { fromRevision: 9n }))).toEqual([])
  })

  it('answers "stream not found" for a stream that was never written', async () => {
    await expect(collect(client.readStream(name()))).rejects.toBeInstanceOf(StreamNotFoundError)
  })

  it('reads $all forwards inclusively from a position and backwards exclusively, $-events included', async () => {
    const all = await collect(client.readAll())
    expect(all[0]!.event!.streamId.startsWith('$')).toBe(true)
    const mine = all.filter((e) => e.event!.streamId === s)
    const p2: Position = mine[2]!.event!.position
    expect(types(await collect(client.readAll({ fromPosition: p2, maxCount: 2 })))).toEqual(['E2', 'E3'])
    const back = await collect(client.readAll({ fromPosition: p2, direction: BACKWARDS, maxCount: 2 }))
    expect(types(back)).toEqual(['E1', 'E0'])
    expect(types(await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })))).toEqual([
      types(all.slice(-1))[0],
    ])
    expect(await collect(client.readAll({ direction: FORWARDS, fromPosition: END }))).toEqual([])
  })

  it('sends created as a timestamp and the data and metadata as written', async () => {
    const s2 = name()
    await client.appendToStream(s2, [jsonEvent({ type: 'M', data: { a: '0.10' }, metadata: { who: 'x' } })])
    const [read] = await collect(client.readStream(s2))
    expect(read!.event).toMatchObject({ type: 'M', data: { a: '0.10' }, metadata: { who: 'x' }, isJson: true, revision: 0n })
    expect(Math.abs(read!.event!.created.getTime() - Date.now())).toBeLessThan(60_000)
  })
})

describe('test server: the $streams system projection', () => {
  it('links the first event of every new stream into $streams as a "$>" event "0@<stream>", read as is without resolveLinkTos and as the linked event with it', async () => {
    const [a, b] = [name('streams'), name('streams')]
    await client.appendToStream(a, [event('A0'), event('A1')])
    await client.appendToStream(b, [event('B0')])
    await client.appendToStream(a, [event('A2')])
    const links = (await collect(client.readStream('$streams'))).map((r) => r.event!)
    const mine = links.filter((l) => /@streams-/.test(Buffer.from(l.data as Uint8Array).toString('utf8')))
    expect(mine.map((l) => [l.type, Buffer.from(l.data as Uint8Array).toString('utf8')])).toEqual([
      ['$>', `0@${a}`],
      ['$>', `0@${b}`],
    ])
    expect(links.map((l) => l.revision)).toEqual(links.map((_, i) => BigInt(i)))
    const resolved = (await collect(client.readStream('$streams', { resolveLinkTos: true }))).filter((r) => r.event?.streamId.startsWith('streams-'))
    expect(resolved.map((r) => [r.event!.streamId, r.event!.type, r.link?.streamId, r.link?.type])).toEqual([
      [a, 'A0', '$streams', '$>'],
      [b, 'B0', '$streams', '$>'],
    ])
  })

  it('keeps no $streams when the system projections do not run', async () => {
    const bare = await startTestEventStore({ systemProjections: false })
    const c = EventStoreDBClient.connectionString(bare.connectionString)
    try {
      await c.appendToStream(name(), [event('A')])
      await expect(collect(c.readStream('$streams'))).rejects.toBeInstanceOf(StreamNotFoundError)
    } finally {
      await c.dispose()
      await bare.stop()
    }
  })
})

describe('test server: catch-up subscriptions', () => {
  it('to $all: from an exclusive position, filtered, caught up, then live', async () => {
    const prefix = name('sub')
    await client.appendToStream(`${prefix}-a`, [event('P1'), event('P2')])
    await client.appendToStream(name('elsewhere'), [event('X')])
    const [first] = await collect(client.readStream(`${prefix}-a`))
    const sub = client.subscribeToAll({
      fromPosition: first!.event!.position!,
      filter: streamNameFilter({ prefixes: [prefix] }),
    })
    const seen: string[] = []
    let caughtUpAfter = -1
    sub.on('caughtUp', () => (caughtUpAfter = seen.length))
    const done = (async () => {
      for await (const e of sub) seen.push(e.event!.type)
    })()
    await waitFor(() => caughtUpAfter >= 0)
    await client.appendToStream(`${prefix}-b`, [event('P3')])
    await client.appendToStream(name('elsewhere'), [event('Y')])
    await waitFor(() => seen.length >= 2)
    await sub.unsubscribe()
    await done
    expect(seen).toEqual(['P2', 'P3'])
    expect(caughtUpAfter).toBe(1)
  })

  it('to $all from the start, excluding system events', async () => {
    const sub = client.subscribeToAll({ filter: excludeSystemEvents() })
    const streams: string[] = []
    let caughtUp = false
    sub.on('caughtUp', () => (caughtUp = true))
    const done = (async () => {
      for await (const e of sub) streams.push(e.event!.streamId)
    })()
    await waitFor(() => caughtUp)
    await sub.unsubscribe()
    await done
    expect(streams.length).toBeGreaterThan(0)
    expect(streams.some((x) => x.startsWith('$'))).toBe(false)
  })

  it('to one stream: after an exclusive revision, then live', async () => {
    const s = name()
    await client.appendToStream(s, [event('R0'), event('R1')])
    const sub = client.subscribeToStream(s, { fromRevision: 0n })
    const seen: string[] = []
    const done = (async () => {
      for await (const e of sub) seen.push(e.event!.type)
    })()
    await client.appendToStream(s, [event('R2')])
    await waitFor(() => seen.length >= 2)
    await sub.unsubscribe()
    await done
    expect(seen).toEqual(['R1', 'R2'])
  })
})

describe('test server: the log model', () => {
  const proposed = (id: string): ProposedEvent => ({
    id,
    type: 'T',
    contentType: 'application/json',
    data: new Uint8Array([123, 125]),
    customMetadata: new Uint8Array(),
  })

  it('treats a batch running past the end of the stream as a conflict, not a partial no-op', () => {
    const log = new InMemoryLog()
    const [a, b] = [randomUUID(), randomUUID()]
    log.append('s', { kind: 'no_stream' }, [proposed(a)])
    expect(log.append('s', { kind: 'no_stream' }, [proposed(a), proposed(b)])).toEqual({
      kind: 'wrong_expected_version',
      currentRevision: 0,
    })
    expect(log.lastRevision('s')).toBe(0)
  })

  it('starts a subscription after the given position, even between events', () => {
    const log = new InMemoryLog()
    log.append('s', { kind: 'any' }, [proposed(randomUUID()), proposed(randomUUID())])
    const [e0, e1] = log.events
    expect(log.subscriptionStartIndex({ kind: 'position', position: e0!.position })).toBe(1)
    expect(log.subscriptionStartIndex({ kind: 'position', position: e0!.position + 1 })).toBe(1)
    expect(log.subscriptionStartIndex({ kind: 'position', position: e1!.position })).toBe(2)
    expect(log.subscriptionStartIndex({ kind: 'start' })).toBe(0)
  })
})
