import { EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { EventStoreDbStore } from '../../../src/store/eventstoredb/eventstoredb'
import { verifyStream } from '../../../src/store/chain/hash-chain'
import { StoreUnavailable } from '../../../src/store/port'
import { ledger } from '../../support/shells/cli'
import { type AppendHooks, startTestEventStore, type TestEventStore } from '../../esdb/server'
import { newEvent, storeContract, waitFor } from './store-contract'

/**
 * The EventStoreDB adapter through the real @eventstore/db-client, against the in-process test
 * server (test/esdb/server.ts) and, when EVENTSTORE_CONNECTION_STRING is set
 * (e.g. esdb://localhost:2113?tls=false), against that real server too.
 */

let shared: Promise<TestEventStore> | undefined
const sharedServer = (): Promise<TestEventStore> => (shared ??= startTestEventStore())
let sharedBatch: Promise<TestEventStore> | undefined
afterAll(async () => {
  await (await shared)?.stop()
  await (await sharedBatch)?.stop()
})

/** EventStoreDB keeps event ids as idempotency keys per place, not across the log (docs/eventstoredb.md). */
const PER_PLACE = { eventIds: 'per-place' } as const

/** The first user event of a test server's log, read from the server's own log. */
const firstUserEvent = (server: TestEventStore) => async () => server.log.events.find((e) => !e.stream.startsWith('$'))?.id

storeContract('eventstoredb (test server, Streams.Append)', async () => {
  const server = await sharedServer()
  const { connectionString } = server
  return { store: new EventStoreDbStore(connectionString), reopen: async () => new EventStoreDbStore(connectionString), firstEventOfLog: firstUserEvent(server) }
}, PER_PLACE)

// EventStoreDB 21.10+ lists BatchAppend, and then the client appends through it instead.
storeContract('eventstoredb (test server, Streams.BatchAppend)', async () => {
  const server = await (sharedBatch ??= startTestEventStore({ batchAppend: true }))
  const { connectionString } = server
  return { store: new EventStoreDbStore(connectionString), reopen: async () => new EventStoreDbStore(connectionString), firstEventOfLog: firstUserEvent(server) }
}, PER_PLACE)

// A compatible server whose log holds no records of its own: the first event sits at position 0.
storeContract('eventstoredb (test server whose log starts at position 0)', async () => {
  const server = await startTestEventStore({ bareLog: true })
  const { connectionString } = server
  return { store: new EventStoreDbStore(connectionString), reopen: async () => new EventStoreDbStore(connectionString), cleanup: () => server.stop() }
}, PER_PLACE)

const real = process.env.EVENTSTORE_CONNECTION_STRING
if (real) {
  storeContract('eventstoredb (real server from EVENTSTORE_CONNECTION_STRING)', async () => ({
    store: new EventStoreDbStore(real),
    reopen: async () => new EventStoreDbStore(real),
    firstEventOfLog: async () => {
      const client = EventStoreDBClient.connectionString(real)
      try {
        for await (const r of client.readAll({ fromPosition: START, direction: FORWARDS, maxCount: 100_000 }))
          if (r.event && !r.event.streamId.startsWith('$')) return r.event.id
        return undefined
      } finally {
        await client.dispose()
      }
    },
  }), PER_PLACE)
}

describe('eventstoredb: a log whose first event sits at position 0', () => {
  it('given a compatible server that numbers its first event 0, when the ledger is verified and a digest taken over the command line, then that event is counted and every chain is intact', async () => {
    const server = await startTestEventStore({ bareLog: true })
    const store = new EventStoreDbStore(server.connectionString)
    try {
      await store.append('budget-1-2021', [newEvent('A'), newEvent('B')], 'no_stream')
      expect(server.log.events.map((e) => e.position)[0]).toBe(0)
      const verified = await ledger(['--store', server.connectionString, 'verify'])
      expect(verified.stderr).toBe('')
      expect(verified.code).toBe(0)
      expect(verified.stdout).toContain('verified 2 event(s) in 1 stream(s)')
      const digest = await ledger(['--store', server.connectionString, 'digest', '--format', 'json'])
      expect(digest.code).toBe(0)
      expect(JSON.parse(digest.stdout)).toMatchObject({ events: 2 })
    } finally {
      await store.close()
      await server.stop()
    }
  })
})

const deferred = () => {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

const uniqueStream = () => `budget-${Math.floor(Math.random() * 1e9)}-2021`

describe.each([
  { method: 'Streams.Append', batchAppend: false },
  { method: 'Streams.BatchAppend', batchAppend: true },
])('eventstoredb: failures of the connection ($method)', ({ batchAppend }) => {
  const opened: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = []
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await ('close' in o ? o.close() : o.stop())
  })

  /** A server whose appends to `stream` stop at `phase` until `release` is called. */
  const serverHolding = async (stream: string, phase: keyof AppendHooks) => {
    const reached = deferred()
    const release = deferred()
    const hold = async (s: string) => {
      if (s !== stream) return
      reached.resolve()
      await release.promise
    }
    const server = await startTestEventStore({ batchAppend, hooks: { [phase]: hold } })
    const store = new EventStoreDbStore(server.connectionString)
    opened.push(server, store)
    return { server, store, reached: reached.promise, release: release.resolve }
  }

  it('given a connection dropped before the batch is committed, then StoreUnavailable names the server and nothing is stored', async () => {
    const stream = uniqueStream()
    const { server, store, reached, release } = await serverHolding(stream, 'beforeCommit')
    const batch = [newEvent('A'), newEvent('B'), newEvent('C')]
    const pending = store.append(stream, batch, 'no_stream')
    await reached
    await server.dropConnections()
    release()
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StoreUnavailable)
    expect((error as Error).message).toContain(`EventStoreDB at 127.0.0.1:${server.port}`)
    expect((error as Error).message).toMatch(/append to budget-\d+-2021/)
    expect(await store.readStream(stream)).toEqual([])
    // The same batch, re-sent, is written once.
    expect((await store.append(stream, batch, 'no_stream')).revision).toBe(2)
    expect(await store.readStream(stream)).toHaveLength(3)
  })

  it('given a connection dropped after the commit, then StoreUnavailable, the whole batch is stored, and re-appending it is a no-op', async () => {
    const stream = uniqueStream()
    const { server, store, reached, release } = await serverHolding(stream, 'beforeRespond')
    const batch = [newEvent('A'), newEvent('B'), newEvent('C')]
    const pending = store.append(stream, batch, 'no_stream')
    await reached
    await server.dropConnections()
    release()
    await expect(pending).rejects.toBeInstanceOf(StoreUnavailable)
    const stored = await store.readStream(stream)
    expect(stored.map((e) => e.id)).toEqual(batch.map((e) => e.id))
    expect(verifyStream(stored)).toBeUndefined()
    const again = await store.append(stream, batch, 'no_stream')
    expect(again).toEqual({ revision: 2, position: stored[2]!.position })
    expect(await store.readStream(stream)).toHaveLength(3)
  })

  it('given no server listening, then reads and appends fail with StoreUnavailable naming the host', async () => {
    const server = await startTestEventStore({ batchAppend })
    await server.stop()
    const store = new EventStoreDbStore(server.connectionString)
    opened.push(store)
    await expect(store.append(uniqueStream(), [newEvent()], 'any')).rejects.toThrow(
      new RegExp(`EventStoreDB at 127\\.0\\.0\\.1:${server.port} is unreachable or dropped the connection during the append to budget-`),
    )
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailable)
  })

  it('keeps a subscription going across a dropped connection, delivering each event once, in order', async () => {
    const server = await startTestEventStore({ batchAppend })
    const store = new EventStoreDbStore(server.connectionString)
    opened.push(server, store)
    const stream = uniqueStream()
    const seen: string[] = []
    const sub = store.subscribe(undefined, (e) => {
      if (e.stream === stream) seen.push(e.type)
    })
    opened.push(sub)
    await store.append(stream, [newEvent('S1'), newEvent('S2')], 'no_stream')
    await waitFor(() => seen.length === 2)
    await server.dropConnections()
    await store.append(stream, [newEvent('S3')], 1)
    await waitFor(() => seen.length >= 3)
    await store.append(stream, [newEvent('S4')], 2)
    await waitFor(() => seen.length >= 4)
    expect(seen).toEqual(['S1', 'S2', 'S3', 'S4'])
  })
})

describe('eventstoredb: subscriptions that stop for good', () => {
  it('reports a handler that throws and delivers nothing more', async () => {
    const server = await sharedServer()
    const errors: Error[] = []
    const store = new EventStoreDbStore(server.connectionString, { onSubscriptionError: (e) => errors.push(e) })
    const stream = uniqueStream()
    const seen: string[] = []
    const sub = store.subscribe(undefined, (e) => {
      if (e.stream !== stream) return
      seen.push(e.type)
      if (e.type === 'Bad') throw new Error('projection failed')
    })
    try {
      await store.append(stream, [newEvent('Good'), newEvent('Bad'), newEvent('Later')], 'no_stream')
      await waitFor(() => errors.length > 0)
      expect(errors[0]!.message).toBe('projection failed')
      expect(seen).toEqual(['Good', 'Bad'])
    } finally {
      await sub.close()
      await store.close()
    }
  })

  it('gives up after the configured number of failed resubscriptions, with StoreUnavailable', async () => {
    const server = await startTestEventStore()
    const errors: Error[] = []
    const store = new EventStoreDbStore(server.connectionString, { maxResubscribeAttempts: 2, onSubscriptionError: (e) => errors.push(e) })
    const sub = store.subscribe(undefined, () => undefined)
    try {
      await store.append(uniqueStream(), [newEvent()], 'no_stream')
      await server.stop()
      await waitFor(() => errors.length > 0, 10_000)
      expect(errors[0]).toBeInstanceOf(StoreUnavailable)
      expect(errors[0]!.message).toContain(`EventStoreDB at 127.0.0.1:${server.port}: subscription to $all dropped`)
    } finally {
      await sub.close()
      await store.close()
    }
  })
})

describe('eventstoredb: what the server holds', () => {
  it("refuses a batch over the server's maximum append size as a RangeError, writing nothing", async () => {
    const server = await sharedServer()
    const store = new EventStoreDbStore(server.connectionString)
    try {
      const stream = uniqueStream()
      const big = Array.from({ length: 3 }, () => newEvent('Big', { text: 'x'.repeat(400_000) }))
      await expect(store.append(stream, big, 'no_stream')).rejects.toThrow(/maximum append size of 1048576 bytes/)
      expect(await store.streamRevision(stream)).toBe(-1)
    } finally {
      await store.close()
    }
  })

  it('stores plain JSON data and the chained metadata, with event ids as the ESDB ids', async () => {
    const server = await sharedServer()
    const store = new EventStoreDbStore(server.connectionString)
    try {
      const stream = uniqueStream()
      const e = newEvent('BudgetRecorded', { amount: '1.10' })
      await store.append(stream, [e], 'no_stream')
      const [stored] = server.log.streamEvents(stream) ?? []
      expect(stored).toMatchObject({ id: e.id, type: 'BudgetRecorded', contentType: 'application/json' })
      expect(JSON.parse(Buffer.from(stored!.data).toString('utf8'))).toEqual({ amount: '1.10' })
      const [read] = await store.readStream(stream)
      expect(JSON.parse(Buffer.from(stored!.customMetadata).toString('utf8'))).toEqual(read!.metadata)
      expect(read!.metadata).toEqual({ ...e.metadata, prevHash: '', hash: read!.metadata.hash })
    } finally {
      await store.close()
    }
  })

  it('pages through $all: every event once, in order, whatever the page size', async () => {
    const server = await startTestEventStore()
    const writer = new EventStoreDbStore(server.connectionString)
    const reader = new EventStoreDbStore(server.connectionString, { readPageSize: 3 })
    try {
      const streams = Array.from({ length: 4 }, uniqueStream)
      for (const [i, s] of streams.entries()) await writer.append(s, Array.from({ length: i + 1 }, (_, n) => newEvent(`E${i}.${n}`)), 'no_stream')
      const whole = await writer.readAll()
      expect(whole).toHaveLength(10)
      expect(await reader.readAll()).toEqual(whole)
      expect(await reader.readAll({ after: whole[2]!.position, maxCount: 5 })).toEqual(whole.slice(3, 8))
      expect(await reader.listStreams('budget-')).toEqual(streams)
      // A re-append is recognised at its place, whatever the page size.
      const [firstEvent] = await reader.readStream(streams[0]!)
      const original = { ...newEvent('E0.0'), id: firstEvent!.id }
      expect(await reader.append(streams[0]!, [original], 'no_stream')).toEqual({ revision: 0, position: firstEvent!.position })
    } finally {
      await writer.close()
      await reader.close()
      await server.stop()
    }
  })

  it('given 60 streams of 20 events, when a fresh process appends, re-appends, looks up an idempotency key and lists the streams, then it reads nothing of $all, and the listing is in order of creation', async () => {
    const server = await startTestEventStore({ batchAppend: true })
    const writer = new EventStoreDbStore(server.connectionString)
    const fresh = new EventStoreDbStore(server.connectionString, { onSlowListing: () => expect.fail('listing read $all') })
    try {
      const streams = Array.from({ length: 60 }, (_, i) => `budget-${100 + i}-2021`)
      for (const s of streams) await writer.append(s, Array.from({ length: 20 }, (_, n) => newEvent('Filler', { n }, n === 3 ? { idempotencyKey: `k-${s}` } : {})), 'no_stream')
      const before = server.sent.all
      const batch = [newEvent('Mine')]
      const stored = await fresh.append(streams[7]!, batch, 19)
      expect(await fresh.append(streams[7]!, batch, 19)).toEqual(stored)
      expect((await fresh.readByIdempotencyKey(streams[7]!, `k-${streams[7]}`)).map((e) => e.revision)).toEqual([3])
      await fresh.append('other-1', [newEvent()], 'no_stream')
      expect(await fresh.listStreams('budget-')).toEqual(streams)
      expect(await fresh.listStreams('budget-10')).toEqual(streams.filter((s) => s.startsWith('budget-10')))
      expect(await fresh.listStreams('')).toEqual([...streams, 'other-1'])
      expect(server.sent.all - before).toBe(0)
      // "Is there any?", as a server asks at its start, reads a few links of $streams, not all 60.
      const sentBefore = server.sent.streams
      expect(await fresh.listStreams('budget-', 1)).toEqual([streams[0]])
      expect(server.sent.streams - sentBefore).toBeLessThanOrEqual(17)
    } finally {
      await writer.close()
      await fresh.close()
      await server.stop()
    }
  })

  it('given a server that runs no system projections, when streams are listed, then they are found by reading $all, and the process says once how to avoid it', async () => {
    const server = await startTestEventStore({ systemProjections: false })
    const said: string[] = []
    const store = new EventStoreDbStore(server.connectionString, { onSlowListing: (m) => said.push(m) })
    try {
      await store.append('budget-2-2021', [newEvent()], 'no_stream')
      await store.append('budget-1-2021', [newEvent(), newEvent()], 'no_stream')
      await store.append('budget-2-2021', [newEvent()], 0)
      expect(await store.listStreams('budget-')).toEqual(['budget-2-2021', 'budget-1-2021'])
      expect(await store.listStreams('budget-1')).toEqual(['budget-1-2021'])
      expect(server.sent.all).toBeGreaterThan(0)
      expect(said).toHaveLength(1)
      expect(said[0]).toMatch(/keeps no \$streams .*reads all of \$all.*EVENTSTORE_RUN_PROJECTIONS=System/)
    } finally {
      await store.close()
      await server.stop()
    }
  })

  it('skips the server\'s own $-streams in readAll, listStreams and subscriptions', async () => {
    const server = await sharedServer()
    const store = new EventStoreDbStore(server.connectionString)
    try {
      expect(server.log.events.some((e) => e.stream.startsWith('$'))).toBe(true)
      const all = await store.readAll()
      expect(all.some((e) => e.stream.startsWith('$') || e.type.startsWith('$'))).toBe(false)
      expect(await store.listStreams('$')).toEqual([])
      const delivered: string[] = []
      const sub = store.subscribe(undefined, (e) => {
        delivered.push(e.stream)
      })
      const marker = uniqueStream()
      await store.append(marker, [newEvent('Marker')], 'no_stream')
      await waitFor(() => delivered.includes(marker))
      await sub.close()
      expect(delivered.some((x) => x.startsWith('$'))).toBe(false)
    } finally {
      await store.close()
    }
  })

  it("given an 'any' append that keeps losing the race, slowly, then it gives up once its time is out, before its count of attempts, writing nothing", async () => {
    let raced = 0
    let racing = false
    const stream = uniqueStream()
    let other: EventStoreDbStore | undefined
    const server = await startTestEventStore({
      hooks: {
        // Another writer gets in before every commit of this stream; each round takes 150 ms.
        beforeCommit: async (s) => {
          if (s !== stream || racing) return
          racing = true
          raced++
          await other!.append(stream, [newEvent('Other')], 'any')
          racing = false
          await new Promise((r) => setTimeout(r, 150))
        },
      },
    })
    other = new EventStoreDbStore(server.connectionString)
    const store = new EventStoreDbStore(server.connectionString, { maxAppendAttempts: 20, maxAppendMs: 1000 })
    try {
      await store.append(uniqueStream(), [newEvent('WarmUp')], 'no_stream') // the connection is set up before the clock starts
      const mine = newEvent('Mine')
      const started = Date.now()
      await expect(store.append(stream, [mine], 'any')).rejects.toThrow(/kept moving under concurrent appends; gave up after \d+ attempts in \d+ ms and wrote nothing/)
      expect(raced).toBeGreaterThanOrEqual(2)
      expect(raced).toBeLessThan(20)
      expect(Date.now() - started).toBeLessThan(5000)
      expect(server.log.streamEvents(stream)!.map((e) => e.id)).not.toContain(mine.id)
    } finally {
      await store.close()
      await other.close()
      await server.stop()
    }
  })

  it("retries an 'any' append that loses the race, and keeps the chain intact", async () => {
    const server = await sharedServer()
    const a = new EventStoreDbStore(server.connectionString)
    const b = new EventStoreDbStore(server.connectionString)
    try {
      const stream = uniqueStream()
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).append(stream, [newEvent('Any', { i })], 'any')))
      const events = await a.readStream(stream)
      expect(events).toHaveLength(10)
      expect(verifyStream(events)).toBeUndefined()
    } finally {
      await a.close()
      await b.close()
    }
  })
})
