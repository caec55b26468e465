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
import type { ChainedMetadata, NewEvent, RecordedEvent } from '../envelope'
import { chain } from '../chain/hash-chain'
import { planAppend } from '../append-plan'
import { IdempotencyKeyCache } from './idempotency-key-cache'
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
} from '../port'
import { appendEach } from '../append-each'
import { type OpeningSummary, type StreamOpening, type StreamPage, pageOfOpenings, summaryOf } from '../stream-openings'

/**
 * The EventStoreDB adapter (gRPC client @eventstore/db-client). Stream names pass through
 * unchanged, so the ledger's `budget-<unit>-<year>` streams form the `$ce-budget` category.
 *
 * EventStoreDB does not chain hashes, so an append reads the stream's head, plans and chains the
 * batch here, then appends with the head it read as expected revision: a concurrent writer makes
 * the server refuse it (WrongExpectedVersion), and an append of one batch is atomic there.
 *
 * What a process holds and reads does not grow with the whole log:
 * - Event ids are idempotency keys per place, as EventStoreDB guarantees them: a batch re-appended
 *   at the expected revision it was first appended at (or, with 'any', while it is still the
 *   stream's tail) is a no-op answered with the original revision and position. The adapter checks
 *   this against the few events at that place (read with the head, one request), and the server
 *   checks it again at commit. An id reused at another place (another stream, or later in the same
 *   one) is not looked for: ids are fresh UUIDs minted per event (docs/eventstoredb.md).
 * - readByIdempotencyKey reads the stream once and then only its new events, for the last 64
 *   streams asked about (idempotency-key-cache.ts): EventStoreDB cannot look events up by metadata.
 * - listStreams reads `$streams`, where the server's `$streams` system projection links the first
 *   event of every stream: one event a stream, in order of creation. A server that runs no system
 *   projections has no `$streams`: listing then falls back to reading all of $all, and says so once.
 *   Projections run behind the log, so a stream this process just created is added to its own
 *   listings until `$streams` shows it.
 * - readAll pages through $all and drops system events ($-prefixed types or streams) client-side;
 *   the 6.x client has no server-side filter on readAll.
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
  /** Told once when the server has no `$streams` and listing reads all of $all instead (default: stderr). */
  readonly onSlowListing?: (message: string) => void
}

export class EventStoreDbStore implements EventStore {
  readonly kind = 'eventstoredb'
  private readonly client: EventStoreDBClient
  /** Host list from the connection string, without credentials: for error messages. */
  readonly host: string
  private readonly keys: IdempotencyKeyCache
  /** Streams this process created that `$streams` did not show yet (its projection lags the log). */
  private readonly unlisted = new Set<string>()
  private warnedSlowListing = false
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
    this.keys = new IdempotencyKeyCache((stream, from) => this.readStreamRaw(stream, BigInt(from), FORWARDS))
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
    const place = await this.readPlace(stream, events.length, expected)
    const plan = planAppend(stream, events, expected, place.head.revision, (id) => place.events.get(id))
    if (plan.kind === 'already-written') {
      return { revision: plan.lastRevision, position: place.events.get(events.at(-1)!.id)!.position }
    }
    const chained = chain(stream, plan.firstRevision, place.head.hash, events)
    try {
      const result = await this.client.appendToStream(stream, chained.map(toEventData), {
        expectedRevision: place.head.revision === -1 ? NO_STREAM : BigInt(place.head.revision),
      })
      if (!result.position) throw new Error(`EventStoreDB at ${this.host} returned no position for the append to ${stream}`)
      if (plan.firstRevision === 0) this.unlisted.add(stream)
      return { revision: safeNumber(result.nextExpectedRevision, 'revision'), position: safeNumber(result.position.commit, 'position') }
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error
      if (expected === 'any') return 'head-moved'
      const actual = typeof error.actualVersion === 'bigint' ? safeNumber(error.actualVersion, 'revision') : -1
      throw new WrongExpectedRevision(stream, expected, actual)
    }
  }

  /**
   * The stream's head (last revision and hash) and the events at the place a batch of `count`
   * would have been appended before, if it was: the stream's last `count` events, and, when the
   * expected revision is behind the head, the `count` events after it. What planAppend needs to
   * tell a re-append from a new one, in one or two short reads, whatever the size of the log.
   */
  private async readPlace(
    stream: string,
    count: number,
    expected: ExpectedRevision,
  ): Promise<{ head: { revision: number; hash: string }; events: Map<string, RecordedEvent> }> {
    const tail = await this.readStreamRaw(stream, END, BACKWARDS, count)
    const last = tail[0]
    const head = last ? { revision: last.revision, hash: last.metadata.hash } : { revision: -1, hash: '' }
    const behind = expected === 'no_stream' ? -1 : expected
    const earlier =
      typeof behind === 'number' && behind < head.revision - count ? await this.readStreamRaw(stream, BigInt(behind + 1), FORWARDS, count) : []
    return { head, events: new Map([...tail, ...earlier].map((e) => [e.id, e])) }
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
      const revisions = await this.keys.revisions(stream, key)
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

  /** The last record of $all, the server's own included: a subscription after it skips them too. */
  async headPosition(): Promise<number | undefined> {
    return this.guard('read of $all', () =>
      retryRead(async () => {
        // Read to the end of the one-event answer: leaving the loop early would leave the call open.
        let last: number | undefined
        for await (const r of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }))
          if (r.event) last = safeNumber(r.event.position.commit, 'position')
        return last
      }),
    )
  }

  async listStreams(prefix: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const wanted = (s: string) => s.startsWith(prefix) && !s.startsWith('$')
    return this.guard('read of $streams', async () => {
      const listed = ((await this.readStreamsIndex(wanted, limit)) ?? (await this.scanStreamNames())).filter(wanted)
      for (const s of listed) this.unlisted.delete(s)
      const seen = new Set(listed)
      return [...listed, ...[...this.unlisted].filter((s) => !seen.has(s) && wanted(s))].slice(0, limit)
    })
  }

  /**
   * The streams named in `$streams`, in order of creation, until `limit` of them are `wanted`;
   * undefined when the server keeps no `$streams`.
   */
  private async readStreamsIndex(wanted: (stream: string) => boolean, limit: number): Promise<string[] | undefined> {
    const names: string[] = []
    let found = 0
    // A few first streams are asked for at a server's start: read a few links, not a full page.
    for await (const page of this.streamsLinks(Math.min(this.readPageSize, limit + 16), false)) {
      if (page === undefined) return undefined
      for (const { target } of page) {
        names.push(target)
        if (wanted(target) && ++found >= limit) return names
      }
    }
    return names
  }

  /**
   * `$streams` a page at a time: each link's stream, and with `resolve` the stream's first event
   * (the event the link points at). One page `undefined` when the server keeps no `$streams`.
   */
  private async *streamsLinks(pageSize: number, resolve: boolean): AsyncGenerator<Array<{ target: string; first?: RecordedEvent }> | undefined> {
    for (let from = 0n; ; ) {
      const page = await retryRead(async () => {
        const out: Array<{ revision: bigint; target: string | undefined; first?: RecordedEvent }> = []
        try {
          for await (const r of this.client.readStream(STREAMS_STREAM, { fromRevision: from, direction: FORWARDS, maxCount: pageSize, resolveLinkTos: resolve })) {
            const link = resolve ? r.link : r.event
            if (link) out.push({ revision: link.revision, target: linkTarget(link.data), ...(resolve && r.event ? { first: toRecorded(r.event) } : {}) })
          }
        } catch (error) {
          if (error instanceof StreamNotFoundError) return undefined
          throw error
        }
        return out
      })
      if (page === undefined) {
        if (from === 0n) yield undefined
        return
      }
      yield page.flatMap((l) => (l.target === undefined ? [] : [{ target: l.target, ...(l.first ? { first: l.first } : {}) }]))
      if (page.length < pageSize) return
      from = page.at(-1)!.revision + 1n
    }
  }

  async listStreamOpenings(prefix: string, page?: StreamPage): Promise<StreamOpening[]> {
    return this.guard('read of $streams', async () => {
      const openings = new Map<string, RecordedEvent>()
      let indexed = true
      for await (const links of this.streamsLinks(this.readPageSize, true)) {
        if (links === undefined) indexed = false
        else for (const l of links) if (l.first && l.target.startsWith(prefix) && !l.target.startsWith('$')) openings.set(l.target, l.first)
      }
      // Without `$streams`, every stream's name from $all; and what this process created that the projection does not show yet.
      const more = [...(indexed ? [] : await this.scanStreamNames()), ...this.unlisted]
      for (const stream of more) {
        if (openings.has(stream) || !stream.startsWith(prefix) || stream.startsWith('$')) continue
        const [first] = await this.readStreamRaw(stream, 0n, FORWARDS, 1)
        if (first) openings.set(stream, first)
      }
      return pageOfOpenings([...openings].map(([stream, first]) => ({ stream, first })), prefix, page)
    })
  }

  /** The openings `$streams` resolves to, summarised here: EventStoreDB keeps no index of our own beside its streams (docs/eventstoredb.md). */
  async listOpeningSummaries(prefix: string, page?: StreamPage): Promise<OpeningSummary[]> {
    return (await this.listStreamOpenings(prefix, page)).map(summaryOf)
  }

  /** Without `$streams`: the streams of all of $all, which grows with the log. */
  private async scanStreamNames(): Promise<string[]> {
    if (!this.warnedSlowListing) {
      this.warnedSlowListing = true
      const say = this.options.onSlowListing ?? ((m: string) => console.error(`budget-ledger: ${m}`))
      say(
        `EventStoreDB at ${this.host} keeps no $streams (its system projections do not run): listing streams reads all of $all. ` +
          'Run it with EVENTSTORE_RUN_PROJECTIONS=System and EVENTSTORE_START_STANDARD_PROJECTIONS=true (docs/eventstoredb.md).',
      )
    }
    const seen = new Set<string>()
    for await (const e of this.scanAll(undefined)) seen.add(e.stream)
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

/** Where EventStoreDB's `$streams` system projection links the first event of every stream. */
const STREAMS_STREAM = '$streams'

/** The stream a `$streams` link points at: its data is `<revision>@<stream>` (the server's LinkTo event, not JSON). */
const linkTarget = (data: unknown): string | undefined => {
  const text = data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : typeof data === 'string' ? data : undefined
  return text === undefined ? undefined : /^\d+@([\s\S]+)$/.exec(text)?.[1]
}

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
