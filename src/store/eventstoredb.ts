import {
  type AllStreamRecordedEvent,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  type JSONEventData,
  type JSONType,
  MaxAppendSizeExceededError,
  NO_STREAM,
  type ReadRevision,
  START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client'
import type { ChainedMetadata, NewEvent, RecordedEvent } from './envelope'
import { chain } from './hash-chain'
import { planAppend, type StoredAt } from './append-plan'
import {
  type AppendBatch,
  type AppendResult,
  type BatchOutcome,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  StoreUnavailable,
  type Subscription,
  WrongExpectedRevision,
} from './port'
import { appendEach } from './append-each'

/**
 * The EventStoreDB adapter (gRPC client @eventstore/db-client). Stream names pass through
 * unchanged, so the ledger's `budget-<unit>-<year>` streams form the `$ce-budget` category.
 *
 * EventStoreDB does not chain hashes, so an append reads the stream's head, plans and chains the
 * batch here, then appends with the head it read as expected revision: a concurrent writer makes
 * the server refuse it (WrongExpectedVersion), and an append of one batch is atomic there.
 *
 * Costs worth knowing:
 * - Event ids are idempotency keys across the whole log (the port's contract), but the server can
 *   only look ids up in a bounded cache and never across streams. So this adapter keeps an
 *   in-memory index of every non-system event id, caught up from $all before each append: the
 *   first append of a process reads the whole log once, later ones only what was appended since.
 *   Memory grows with the log (~100 bytes an event). The same index keeps the revisions of each
 *   idempotency key (readByIdempotencyKey), which EventStoreDB cannot look up by metadata.
 *   The cross-stream check is as strong as that
 *   index: two processes appending the same id to two different streams at the same instant can
 *   both succeed, which a single SQL UNIQUE constraint would prevent.
 * - readAll pages through $all and drops system events ($-prefixed types or streams) client-side;
 *   the 6.x client has no server-side filter on readAll. listStreams reads all of $all.
 * - Positions are commit positions. A gRPC append is an implicit transaction in which every event
 *   has commit = prepare = its own log position, so they increase strictly within a batch too.
 *   Positions on stream reads need a server that fills them (EventStore/EventStore#3459, 22.x);
 *   older servers send 2^64-1 there, which this adapter refuses with a clear error.
 */
export interface EventStoreDbOptions {
  /** How often an append with expected revision 'any' is retried after losing a race (default 20). */
  readonly maxAppendAttempts?: number
  /** How long those retries may go on, in ms, whatever their count (default 30 000). */
  readonly maxAppendMs?: number
  /** Consecutive failed resubscriptions before a subscription gives up (default 20). */
  readonly maxResubscribeAttempts?: number
  /** Told when a subscription stops for good (its handler threw, or the server stayed away). */
  readonly onSubscriptionError?: (error: Error) => void
  /** Events per $all read request (default 500). */
  readonly readPageSize?: number
}

export class EventStoreDbStore implements EventStore {
  readonly kind = 'eventstoredb'
  private readonly client: EventStoreDBClient
  /** Host list from the connection string, without credentials: for error messages. */
  readonly host: string
  private readonly ids: EventIdIndex
  private readonly subscriptions = new Set<CatchUpSubscription>()
  private readonly maxAppendAttempts: number
  private readonly readPageSize: number
  private closed = false

  constructor(
    connectionString: string,
    private readonly options: EventStoreDbOptions = {},
  ) {
    this.client = EventStoreDBClient.connectionString(connectionString)
    this.host = hostsOf(connectionString)
    this.ids = new EventIdIndex((after) => this.scanPages(after))
    this.maxAppendAttempts = options.maxAppendAttempts ?? 20
    this.readPageSize = options.readPageSize ?? 500
  }

  async append(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): Promise<AppendResult> {
    const started = Date.now()
    const maxMs = this.options.maxAppendMs ?? 30_000
    let attempt = 0
    while (attempt < this.maxAppendAttempts && (attempt === 0 || Date.now() - started < maxMs)) {
      attempt++
      const outcome = await this.guard(`append to ${stream}`, () => this.tryAppend(stream, events, expected))
      if (outcome !== 'head-moved') return outcome
    }
    throw new StoreUnavailable(
      `EventStoreDB at ${this.host}: stream ${stream} kept moving under concurrent appends; ` +
        `gave up after ${attempt} attempts in ${Date.now() - started} ms and wrote nothing`,
    )
  }

  /** One by one: EventStoreDB appends to one stream per request, so a group cannot share a commit. */
  appendMany(batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> {
    return appendEach(this, batches)
  }

  /** One read-plan-append round; 'head-moved' when an 'any' append lost a race and may retry. */
  private async tryAppend(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): Promise<AppendResult | 'head-moved'> {
    const head = await this.readHead(stream)
    await this.ids.catchUp()
    const plan = planAppend(stream, events, expected, head.revision, (id) => this.ids.lookup(id))
    if (plan.kind === 'already-written') {
      return { revision: plan.lastRevision, position: this.ids.lookup(events.at(-1)!.id)!.position }
    }
    const chained = chain(stream, plan.firstRevision, head.hash, events)
    try {
      const result = await this.client.appendToStream(stream, chained.map(toEventData), {
        expectedRevision: head.revision === -1 ? NO_STREAM : BigInt(head.revision),
      })
      if (!result.position) throw new Error(`EventStoreDB at ${this.host} returned no position for the append to ${stream}`)
      return { revision: safeNumber(result.nextExpectedRevision, 'revision'), position: safeNumber(result.position.commit, 'position') }
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error
      if (expected === 'any') return 'head-moved'
      const actual = typeof error.actualVersion === 'bigint' ? safeNumber(error.actualVersion, 'revision') : -1
      throw new WrongExpectedRevision(stream, expected, actual)
    }
  }

  /** The stream's last revision and hash, from one backwards read of one event. */
  private async readHead(stream: string): Promise<{ revision: number; hash: string }> {
    const [last] = await this.readStreamRaw(stream, END, BACKWARDS, 1)
    return last ? { revision: last.revision, hash: last.metadata.hash } : { revision: -1, hash: '' }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return []
    return this.guard(`read of ${stream}`, () =>
      this.readStreamRaw(stream, BigInt(options.fromRevision ?? 0), FORWARDS, options.maxCount),
    )
  }

  private readStreamRaw(
    stream: string,
    fromRevision: ReadRevision,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount?: number,
  ): Promise<RecordedEvent[]> {
    return retryRead(async () => {
      const out: RecordedEvent[] = []
      try {
        const options = { fromRevision, direction, ...(maxCount === undefined ? {} : { maxCount }) }
        for await (const resolved of this.client.readStream(stream, options)) if (resolved.event) out.push(toRecorded(resolved.event))
      } catch (error) {
        if (error instanceof StreamNotFoundError) return []
        throw error
      }
      return out
    })
  }

  async readByIdempotencyKey(stream: string, key: string): Promise<RecordedEvent[]> {
    return this.guard(`read of ${stream}`, async () => {
      await this.ids.catchUp()
      const revisions = this.ids.withKey(stream, key)
      if (revisions.length === 0) return []
      // One request's events are one batch: a single read from its first to its last revision.
      const first = revisions[0]!
      const events = await this.readStreamRaw(stream, BigInt(first), FORWARDS, revisions.at(-1)! - first + 1)
      return events.filter((e) => e.metadata.idempotencyKey === key)
    })
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY
    const out: RecordedEvent[] = []
    if (limit <= 0) return out
    await this.guard('read of $all', async () => {
      for await (const e of this.scanAll(options.after)) {
        out.push(e)
        if (out.length >= limit) return
      }
    })
    return out
  }

  /** Non-system events strictly after `after`, in $all order. */
  private async *scanAll(after: number | undefined): AsyncGenerator<RecordedEvent> {
    for await (const page of this.scanPages(after)) yield* page.events
  }

  /**
   * $all after `after`, a page at a time: its non-system events, and the position of the last
   * event read (system or not), from which the next scan may start. ESDB reads $all from a
   * position inclusively, so each page after the first repeats its start event, dropped here.
   */
  private async *scanPages(after: number | undefined): AsyncGenerator<{ events: RecordedEvent[]; last: number | undefined }> {
    let from = after === undefined ? undefined : BigInt(after)
    for (;;) {
      const page = await this.readAllPage(from)
      const fresh = page.filter((e) => (from === undefined || e.position.commit > from) && !isSystem(e))
      const last = page.at(-1)?.position.commit
      yield { events: fresh.map(toRecorded), last: last === undefined ? undefined : safeNumber(last, 'position') }
      if (page.length < this.readPageSize || last === undefined) return
      // Positions strictly increase, so every full page moves `from` forward: the loop ends with the log.
      if (from !== undefined && last <= from) throw new Error(`$all did not advance past position ${from}`)
      from = last
    }
  }

  private readAllPage(from: bigint | undefined): Promise<AllStreamRecordedEvent[]> {
    const fromPosition = from === undefined ? START : { commit: from, prepare: from }
    return retryRead(async () => {
      const page: AllStreamRecordedEvent[] = []
      for await (const resolved of this.client.readAll({ fromPosition, maxCount: this.readPageSize, direction: FORWARDS }))
        if (resolved.event) page.push(resolved.event)
      return page
    })
  }

  async streamRevision(stream: string): Promise<number> {
    return this.guard(`read of ${stream}`, async () => (await this.readHead(stream)).revision)
  }

  async listStreams(prefix: string): Promise<string[]> {
    const seen = new Set<string>()
    await this.guard('read of $all', async () => {
      for await (const e of this.scanAll(undefined)) if (e.stream.startsWith(prefix)) seen.add(e.stream)
    })
    return [...seen]
  }

  subscribe(after: number | undefined, onEvent: (e: RecordedEvent) => void | Promise<void>): Subscription {
    const subscription = new CatchUpSubscription(this.client, after, onEvent, {
      maxAttempts: this.options.maxResubscribeAttempts ?? 20,
      onError: (error) => this.reportSubscriptionError(error),
    })
    this.subscriptions.add(subscription)
    return {
      close: async () => {
        this.subscriptions.delete(subscription)
        await subscription.stop()
      },
    }
  }

  private reportSubscriptionError(error: unknown): void {
    const wrapped = isTransportFailure(error)
      ? new StoreUnavailable(`EventStoreDB at ${this.host}: subscription to $all dropped and could not resume (${describe(error)})`, error)
      : error instanceof Error
        ? error
        : new Error(String(error))
    if (this.options.onSubscriptionError) this.options.onSubscriptionError(wrapped)
    else console.error(`budget-ledger: EventStoreDB subscription stopped: ${wrapped.message}`)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([...this.subscriptions].map((s) => s.stop()))
    this.subscriptions.clear()
    await this.client.dispose()
    // dispose() cancels open streams but leaves the channel; close it so nothing lingers.
    const channel = await this.client['getChannel']()
    channel.close()
  }

  /** Turns transport failures into StoreUnavailable naming the server; other errors pass. */
  private async guard<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action()
    } catch (error) {
      if (error instanceof MaxAppendSizeExceededError)
        throw new RangeError(`EventStoreDB at ${this.host} refused the ${operation}: the batch exceeds its maximum append size of ${error.maxAppendSize} bytes`)
      if (!isTransportFailure(error)) throw error
      const outcome = operation.startsWith('append')
        ? '; the batch was stored entirely or not at all: re-append it with the same event ids to be sure'
        : ''
      throw new StoreUnavailable(`EventStoreDB at ${this.host} is unreachable or dropped the connection during the ${operation} (${describe(error)})${outcome}`, error)
    }
  }
}

/**
 * Where every event id sits, for the idempotency and duplicate-id checks of planAppend.
 * Catch-ups run one after another, each reading $all from where the last one stopped, so a
 * catch-up started after a write always sees it.
 */
class EventIdIndex {
  private readonly ids = new Map<string, StoredAt & { position: number }>()
  /** Revisions by stream and idempotency key (metadata.idempotencyKey), ascending. */
  private readonly keys = new Map<string, number[]>()
  private checkpoint: number | undefined
  private tail: Promise<void> = Promise.resolve()

  constructor(private readonly scan: (after: number | undefined) => AsyncIterable<{ events: RecordedEvent[]; last: number | undefined }>) {}

  catchUp(): Promise<void> {
    const run = this.tail.then(() => this.readNew())
    this.tail = run.catch(() => undefined)
    return run
  }

  private async readNew(): Promise<void> {
    for await (const page of this.scan(this.checkpoint)) {
      // The first place an id was written is its place; a later foreign copy does not move it.
      for (const e of page.events) {
        if (this.ids.has(e.id)) continue
        this.ids.set(e.id, { stream: e.stream, revision: e.revision, position: e.position })
        const key = e.metadata.idempotencyKey
        if (typeof key === 'string') {
          const at = keyOf(e.stream, key)
          const revisions = this.keys.get(at)
          if (revisions) revisions.push(e.revision)
          else this.keys.set(at, [e.revision])
        }
      }
      // Past the server's own events too, so a busy $stats stream is not read again and again.
      if (page.last !== undefined) this.checkpoint = page.last
    }
  }

  lookup(id: string): (StoredAt & { position: number }) | undefined {
    return this.ids.get(id)
  }

  /** Revisions of `stream` whose events carry idempotency key `key`, as of the last catch-up. */
  withKey(stream: string, key: string): ReadonlyArray<number> {
    return this.keys.get(keyOf(stream, key)) ?? []
  }
}

const keyOf = (stream: string, key: string) => `${stream}\u0000${key}`

/**
 * A catch-up subscription to $all that survives dropped connections: it resubscribes from the
 * last delivered position (ESDB subscription start points are exclusive), at most
 * `maxAttempts` times in a row, and skips anything at or before that position, so each event
 * reaches the handler once and in order.
 */
class CatchUpSubscription {
  private stopped = false
  private checkpoint: bigint | undefined
  private current: { unsubscribe(): Promise<void> } | undefined
  private wake: (() => void) | undefined
  private readonly running: Promise<void>

  constructor(
    private readonly client: EventStoreDBClient,
    after: number | undefined,
    private readonly onEvent: (e: RecordedEvent) => void | Promise<void>,
    private readonly limits: { maxAttempts: number; onError: (error: unknown) => void },
  ) {
    this.checkpoint = after === undefined ? undefined : BigInt(after)
    this.running = this.run()
  }

  private async run(): Promise<void> {
    let failures = 0
    while (!this.stopped) {
      try {
        await this.follow(() => (failures = 0))
        if (this.stopped) return
        failures++ // the server ended the subscription: treat it like a drop
      } catch (error) {
        if (this.stopped) return
        if (error instanceof HandlerFailed) return this.limits.onError(error.cause)
        if (!isTransportFailure(error)) return this.limits.onError(error)
        failures++
        if (failures > this.limits.maxAttempts) return this.limits.onError(error)
      }
      await this.pause(Math.min(2000, 50 * 2 ** Math.min(failures, 6)))
    }
  }

  /** Waits before resubscribing; stop() cuts the wait short. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  private async follow(onProgress: () => void): Promise<void> {
    const from = this.checkpoint
    const subscription = this.client.subscribeToAll({
      fromPosition: from === undefined ? START : { commit: from, prepare: from },
      filter: excludeSystemEvents(),
    })
    this.current = subscription
    subscription.on('confirmation', onProgress)
    for await (const resolved of subscription) {
      if (this.stopped) break
      const e = resolved.event
      if (!e || isSystem(e)) continue
      if (this.checkpoint !== undefined && e.position.commit <= this.checkpoint) continue
      try {
        await this.onEvent(toRecorded(e))
      } catch (error) {
        await subscription.unsubscribe()
        throw new HandlerFailed(error)
      }
      this.checkpoint = e.position.commit
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.current?.unsubscribe()
    await this.running
  }
}

class HandlerFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('subscription handler failed')
  }
}

// ---------------------------------------------------------------------------------------------

/** Types and streams starting with '$' belong to the server ($settings, $stats-…, links '$>'). */
const isSystem = (e: { type: string; streamId: string }): boolean => e.type.startsWith('$') || e.streamId.startsWith('$')

/** The fields of a client recorded event this adapter reads (stream and $all reads alike). */
interface ClientRecordedEvent {
  readonly id: string
  readonly streamId: string
  readonly revision: bigint
  readonly type: string
  readonly data: unknown
  readonly metadata: unknown
  readonly position?: { readonly commit: bigint }
}

const toRecorded = (e: ClientRecordedEvent): RecordedEvent => {
  if (!e.position)
    throw new Error(`EventStoreDB sent event ${e.id} of ${e.streamId} without a position; the ledger needs a server that reports positions on stream reads`)
  return {
    id: e.id,
    stream: e.streamId,
    revision: safeNumber(e.revision, 'revision'),
    position: safeNumber(e.position.commit, 'position'),
    type: e.type,
    data: e.data,
    // Stored as JSON metadata by this adapter: the ChainedMetadata object itself, read back as is.
    metadata: e.metadata as ChainedMetadata,
  }
}

/** Domain data is JSON by construction (decimal amounts travel as strings). */
const toEventData = (e: NewEvent & { metadata: ChainedMetadata }): JSONEventData => ({
  id: e.id,
  contentType: 'application/json',
  type: e.type,
  data: e.data as JSONType,
  metadata: e.metadata as unknown as JSONType,
})

const safeNumber = (value: bigint, what: string): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n))
    throw new Error(
      `EventStoreDB ${what} ${value} is not a safe integer` +
        (what === 'position' ? ' (servers before 22.x send 2^64-1 as the position of stream reads; use a newer server)' : ''),
    )
  return n
}

const TRANSPORT_CODES = new Set([
  1, // CANCELLED (by the server or a dropped connection; the client's own cancellations never surface)
  4, // DEADLINE_EXCEEDED
  10, // ABORTED: the server's own operation timeout
  13, // INTERNAL: e.g. a stream reset by the peer
  14, // UNAVAILABLE: refused, unreachable, dropped
])

/**
 * Failures that say nothing about the request itself: the server was not (fully) reached, or did
 * not answer in time. BatchAppend reports a server-side timeout as a DeadlineExceededError
 * without a gRPC code, hence the class checks next to the codes.
 */
const isTransportFailure = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  error instanceof DeadlineExceededError ||
  error instanceof CancelledError ||
  error instanceof TimeoutError ||
  (error instanceof Error && 'code' in error && typeof error.code === 'number' && TRANSPORT_CODES.has(error.code))

const READ_ATTEMPTS = 3

/**
 * Reads change nothing, so a transport failure is retried a few times: after a dropped
 * connection the client replaces its channel, and calls racing with that fail at once with
 * "UNAVAILABLE: Channel closed before call started". Appends are never retried here: their
 * failure is reported (StoreUnavailable) and a re-append with the same ids is the caller's move.
 */
const retryRead = async <T>(read: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read()
    } catch (error) {
      if (!isTransportFailure(error) || attempt >= READ_ATTEMPTS) throw error
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    }
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message || error.name : String(error))

/** `esdb://user:pass@a:2113,b:2113/?tls=false` → `a:2113,b:2113` (credentials never reach messages). */
const hostsOf = (connectionString: string): string =>
  /^[a-z+]+:\/\/(?:[^@/?]*@)?([^/?]*)/i.exec(connectionString.trim())?.[1] || '(unparsable connection string)'
