/**
 * An in-process gRPC server speaking the EventStoreDB client protocol, for the subset the
 * @eventstore/db-client uses against a single node: ServerFeatures.GetSupportedMethods,
 * Streams.Append, optionally Streams.BatchAppend, and Streams.Read (stream and $all reads,
 * forwards and backwards, and catch-up subscriptions). No EventStoreDB server can run here, so
 * the tests drive the real client against this one. The semantics live in log.ts; this file only
 * translates the wire format.
 *
 * Which append method the client uses depends on the server: 6.x clients use BatchAppend
 * whenever the server lists it (EventStoreDB 21.10 and later do), Streams.Append otherwise. By
 * default this server does not list it; `{ batchAppend: true }` makes it behave like a current
 * server. Deadlines carried by BatchAppend options are not enforced here.
 *
 * It is built on the client's own generated code: the generated serialisers check `instanceof`
 * against those exact classes, and the google-protobuf classes register themselves in one global
 * namespace, so a second copy (or @kurrent/kurrentdb-client) must never be loaded next to them.
 */
import type * as Grpc from '@grpc/grpc-js'
import { randomUUID } from 'node:crypto'
import type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js'
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js'
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb.js'
import {
  AllStreamPosition,
  BadRequest,
  Empty,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb.js'
import { Code } from '@eventstore/db-client/generated/code_pb.js'
import { Status } from '@eventstore/db-client/generated/status_pb.js'
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb.js'
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb.js'
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js'
import { Any } from 'google-protobuf/google/protobuf/any_pb.js'
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb.js'
import {
  type AllStart,
  type AppendOutcome,
  type EventFilter,
  type ExpectedState,
  InMemoryLog,
  passes,
  type ProposedEvent,
  type StoredEvent,
  type StreamStart,
} from './log'

/** The same @grpc/grpc-js the client and its generated code use, wherever npm placed it. */
const grpc: typeof Grpc = require(require.resolve('@grpc/grpc-js', { paths: [require.resolve('@eventstore/db-client')] }))

/** EventStoreDB's default --max-append-size: a larger batch is refused as a whole. */
export const MAX_APPEND_SIZE = 1_048_576

/** Test hooks around the commit of an append, to drop the connection at a chosen moment. */
export interface AppendHooks {
  /** The whole batch has arrived and nothing is written yet. */
  beforeCommit?(stream: string, eventCount: number): void | Promise<void>
  /** The batch is committed; the response has not been sent. */
  beforeRespond?(stream: string, eventCount: number): void | Promise<void>
}

export interface TestEventStore {
  readonly connectionString: string
  readonly port: number
  /** The server's log, for assertions that must bypass the client. */
  readonly log: InMemoryLog
  /** Calls received per append method, to see which one the client chose. */
  readonly appendCalls: { append: number; batchAppend: number }
  /** Events sent so far, by what was read: $all (reads and subscriptions) or one stream. */
  readonly sent: { all: number; streams: number }
  stop(): Promise<void>
  /**
   * Drops every connection at once (force-shutdown), failing in-flight calls the way a network
   * drop does, then listens again on the same port with the same log. The returned promise
   * resolves once the server accepts connections again; callers may ignore it.
   */
  dropConnections(): Promise<void>
}

interface Instance {
  readonly server: Grpc.Server
  /** Set once the instance is shut down: nothing it received afterwards may be committed. */
  down: boolean
  /** Open subscriptions, closed when the instance goes down. */
  readonly subscriptions: Set<() => void>
}

export interface TestEventStoreOptions {
  readonly hooks?: AppendHooks
  /** List and serve Streams.BatchAppend, as EventStoreDB 21.10+ does (default: Streams.Append only). */
  readonly batchAppend?: boolean
  /**
   * A log with none of the server's own records: the first event appended sits at position 0, as
   * on an EventStoreDB-compatible server that writes no epoch or system records (default: the
   * real server's layout, system events first and no event at 0).
   */
  readonly bareLog?: boolean
  /** Whether the system projections run, keeping `$streams` (default true, as the compose file runs them). */
  readonly systemProjections?: boolean
}

interface Setup {
  readonly log: InMemoryLog
  readonly hooks: AppendHooks
  readonly batchAppend: boolean
  readonly appendCalls: { append: number; batchAppend: number }
  readonly sent: { all: number; streams: number }
}

export const startTestEventStore = async (options: TestEventStoreOptions = {}): Promise<TestEventStore> => {
  const log = new InMemoryLog(options.bareLog ? 0 : undefined, options.systemProjections ?? true)
  if (!options.bareLog) seedSystemEvents(log)
  const appendCalls = { append: 0, batchAppend: 0 }
  const sent = { all: 0, streams: 0 }
  const setup: Setup = { log, hooks: options.hooks ?? {}, batchAppend: options.batchAppend ?? false, appendCalls, sent }
  const first = await listen(0, setup)
  const port = first.port
  let current = first.instance
  let restarting: Promise<void> = Promise.resolve()

  const shutDown = (instance: Instance): void => {
    instance.down = true
    for (const close of [...instance.subscriptions]) close()
    instance.server.forceShutdown()
  }

  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    log,
    appendCalls,
    sent,
    dropConnections: () => {
      shutDown(current)
      restarting = restarting.then(async () => {
        current = (await listen(port, setup)).instance
      })
      return restarting
    },
    stop: async () => {
      await restarting.catch(() => undefined)
      shutDown(current)
    },
  }
}

const listen = async (port: number, setup: Setup): Promise<{ instance: Instance; port: number }> => {
  const { log, hooks } = setup
  const server = new grpc.Server()
  const instance: Instance = { server, down: false, subscriptions: new Set() }
  const streams: Pick<IStreamsServer, 'read' | 'append' | 'batchAppend'> = {
    read: (call) => read(instance, log, call, setup.sent),
    append: (call, callback) => {
      setup.appendCalls.append++
      append(instance, log, hooks, call, callback)
    },
    batchAppend: (call) => {
      setup.appendCalls.batchAppend++
      batchAppend(instance, log, hooks, call)
    },
  }
  server.addService(StreamsService, setup.batchAppend ? streams : { read: streams.read, append: streams.append })
  server.addService(ServerFeaturesService, serverFeatures(setup.batchAppend))
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  )
  return { instance, port: bound }
}

/** A real server's $all starts with its own records; the ledger must skip them. */
const seedSystemEvents = (log: InMemoryLog): void => {
  const json = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'))
  const system = (type: string, data: unknown): ProposedEvent => ({
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: json(data),
    customMetadata: new Uint8Array(),
  })
  log.append('$settings', { kind: 'any' }, [system('$settings', { $userStreamAcl: { $r: '$all' } })])
  log.append('$user-admin', { kind: 'any' }, [system('$UserCreated', { loginName: 'admin' })])
}

// ---------------------------------------------------------------------------------------------
// ServerFeatures

/**
 * The client asks once per connection which methods exist; its `appendToStream` uses
 * BatchAppend only when it is listed. Names are lower-case and features follow the server's
 * ServerFeatures.cs: Streams reads advertise "position" and "events".
 */
const serverFeatures = (withBatchAppend: boolean): IServerFeaturesServer => ({
  getSupportedMethods: (_call, callback) => {
    const method = (service: string, name: string, features: string[] = []) =>
      new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features)
    const streams = 'event_store.client.streams.streams'
    const methods = new SupportedMethods()
      .setEventStoreServerVersion('22.10.0')
      .setMethodsList([
        method(streams, 'read', ['position', 'events']),
        method(streams, 'append'),
        ...(withBatchAppend ? [method(streams, 'batchappend')] : []),
        method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
      ])
    callback(null, methods)
  },
})

// ---------------------------------------------------------------------------------------------
// Streams.Append: one options message, then one message per proposed event.

type AppendCall = Parameters<IStreamsServer['append']>[0]
type AppendCallback = Parameters<IStreamsServer['append']>[1]

const append = (instance: Instance, log: InMemoryLog, hooks: AppendHooks, call: AppendCall, callback: AppendCallback): void => {
  const messages: AppendReq[] = []
  call.on('data', (m: AppendReq) => messages.push(m))
  // A dropped client ends the call without 'end': nothing is committed for it.
  call.on('error', () => undefined)
  call.on('end', () => {
    commitAppend(instance, log, hooks, call, messages).then(
      (response) => response && callback(null, response),
      (error: Grpc.ServerErrorResponse) => callback(error),
    )
  })
}

const commitAppend = async (
  instance: Instance,
  log: InMemoryLog,
  hooks: AppendHooks,
  call: AppendCall,
  messages: readonly AppendReq[],
): Promise<AppendResp | undefined> => {
  const request = parseAppend(messages)
  await hooks.beforeCommit?.(request.stream, request.events.length)
  if (instance.down || call.cancelled) return undefined
  const outcome = log.append(request.stream, request.expected, request.events)
  if (outcome.kind === 'success') await hooks.beforeRespond?.(request.stream, request.events.length)
  if (instance.down || call.cancelled) return undefined
  return toAppendResp(outcome, request.expected)
}

const parseAppend = (messages: readonly AppendReq[]): { stream: string; expected: ExpectedState; events: ProposedEvent[] } => {
  const options = messages[0]?.getOptions()
  if (!options) throw status(grpc.status.INVALID_ARGUMENT, 'the first append message must carry the options')
  const stream = streamName(options.getStreamIdentifier())
  const events = messages.slice(1).map((m) => {
    const proposed = m.getProposedMessage()
    if (!proposed) throw status(grpc.status.INVALID_ARGUMENT, 'expected a proposed message after the options')
    return toProposed(proposed)
  })
  if (appendSize(events) > MAX_APPEND_SIZE)
    throw status(grpc.status.INVALID_ARGUMENT, `Maximum Append Size of ${MAX_APPEND_SIZE} Exceeded.`, {
      exception: 'maximum-append-size-exceeded',
      'maximum-append-size': String(MAX_APPEND_SIZE),
    })
  return { stream, expected: toExpected(options), events }
}

/** Like Event.SizeOnDisk in the server: data, metadata and type count towards the limit. */
const appendSize = (events: readonly ProposedEvent[]): number =>
  events.reduce((n, e) => n + e.data.length + e.customMetadata.length + e.type.length, 0)

const toExpected = (options: AppendReq.Options): ExpectedState => {
  const Case = AppendReq.Options.ExpectedStreamRevisionCase
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.ANY:
      return { kind: 'any' }
    case Case.NO_STREAM:
      return { kind: 'no_stream' }
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' }
    case Case.REVISION:
      return { kind: 'revision', revision: Number(options.getRevision()) }
    default:
      throw status(grpc.status.INVALID_ARGUMENT, 'an expected stream revision is required')
  }
}

/** The server requires the `type` and `content-type` metadata entries ([source] Streams.Append). */
const toProposed = (proposed: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent => {
  const metadata = proposed.getMetadataMap()
  for (const required of ['type', 'content-type'])
    if (!metadata.get(required))
      throw status(grpc.status.INVALID_ARGUMENT, `Required Metadata Property '${required}' is missing`, {
        exception: 'missing-required-metadata-property',
        'required-metadata-properties': required,
      })
  return {
    id: uuidString(proposed.getId()),
    type: metadata.get('type')!,
    contentType: metadata.get('content-type')!,
    data: proposed.getData_asU8(),
    customMetadata: proposed.getCustomMetadata_asU8(),
  }
}

/**
 * Success carries the revision and position of the batch's last event. A wrong expected version
 * is a normal response in current servers (early 20.x threw a gRPC error instead), with the
 * stream's current revision or "no stream". The current fields are the ones the 6.x client
 * reads; the 20.6.0 ones are filled too, for older clients.
 */
const toAppendResp = (outcome: AppendOutcome, expected: ExpectedState): AppendResp => {
  const response = new AppendResp()
  if (outcome.kind === 'success') {
    const success = new AppendResp.Success()
    if (outcome.currentRevision === undefined) success.setNoStream(new Empty())
    else success.setCurrentRevision(String(outcome.currentRevision))
    if (outcome.position === undefined) success.setNoPosition(new Empty())
    else success.setPosition(new AppendResp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position)))
    return response.setSuccess(success)
  }
  const wrong = new AppendResp.WrongExpectedVersion()
  if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty())
  else wrong.setCurrentRevision(String(outcome.currentRevision)).setCurrentRevision2060(outcome.currentRevision)
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty()).setAny2060(new Empty())
      break
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty())
      break
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty())
      break
    case 'revision':
      wrong.setExpectedRevision(String(expected.revision)).setExpectedRevision2060(expected.revision)
  }
  return response.setWrongExpectedVersion(wrong)
}

// ---------------------------------------------------------------------------------------------
// Streams.BatchAppend: one long-lived bidirectional stream per client. Each request carries a
// correlation id; the first for a batch carries the options, the last is_final. Every answer,
// success or failure, is a message on the stream; failures are google.rpc.Status values whose
// details pack the client's error type ([source] Streams.BatchAppend.cs, Status.cs).

type BatchCall = Parameters<IStreamsServer['batchAppend']>[0]

interface PendingBatch {
  readonly stream: string
  readonly expected: ExpectedState
  readonly events: ProposedEvent[]
}

const batchAppend = (instance: Instance, log: InMemoryLog, hooks: AppendHooks, call: BatchCall): void => {
  const pending = new Map<string, PendingBatch>()
  let inFlight = Promise.resolve()
  call.on('error', () => undefined)
  call.on('data', (request: BatchAppendReq) => {
    const correlation = request.getCorrelationId()
    const answer = (response: BatchAppendResp | undefined) => {
      if (response && !instance.down && !call.cancelled) call.write(response.setCorrelationId(correlation))
    }
    let batch: PendingBatch | BatchAppendResp | undefined
    try {
      batch = collectBatch(pending, request)
    } catch (error) {
      const details = new BadRequest().setMessage(error instanceof Error ? error.message : String(error))
      batch = batchError('', Code.INVALID_ARGUMENT, 'BadRequest', details, 'event_store.client.BadRequest')
    }
    if (!batch || batch instanceof BatchAppendResp) return answer(batch)
    // Batches commit in the order they were completed, like the server's single writer.
    inFlight = inFlight.then(() => commitBatch(instance, log, hooks, call, batch).then(answer))
  })
  call.on('end', () => void inFlight.then(() => call.end()))
}

/** Adds a request to its batch; the finished batch, an error answer, or undefined while incomplete. */
const collectBatch = (pending: Map<string, PendingBatch>, request: BatchAppendReq): PendingBatch | BatchAppendResp | undefined => {
  const id = uuidString(request.getCorrelationId())
  const options = request.getOptions()
  if (options) pending.set(id, { stream: streamName(options.getStreamIdentifier()), expected: toBatchExpected(options), events: [] })
  const batch = pending.get(id)
  if (!batch) return undefined
  batch.events.push(...request.getProposedMessagesList().map(toProposed))
  if (appendSize(batch.events) > MAX_APPEND_SIZE) {
    pending.delete(id)
    const details = new MaximumAppendSizeExceeded().setMaxappendsize(MAX_APPEND_SIZE)
    return batchError(batch.stream, Code.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', details, 'event_store.client.MaximumAppendSizeExceeded')
  }
  if (!request.getIsFinal()) return undefined
  pending.delete(id)
  return batch
}

const commitBatch = async (
  instance: Instance,
  log: InMemoryLog,
  hooks: AppendHooks,
  call: BatchCall,
  batch: PendingBatch,
): Promise<BatchAppendResp | undefined> => {
  await hooks.beforeCommit?.(batch.stream, batch.events.length)
  if (instance.down || call.cancelled) return undefined
  const outcome = log.append(batch.stream, batch.expected, batch.events)
  if (outcome.kind === 'success') await hooks.beforeRespond?.(batch.stream, batch.events.length)
  if (outcome.kind === 'wrong_expected_version') {
    const details = new WrongExpectedVersion()
    if (outcome.currentRevision === undefined) details.setCurrentNoStream(new GoogleEmpty())
    else details.setCurrentStreamRevision(String(outcome.currentRevision))
    if (batch.expected.kind === 'any') details.setExpectedAny(new GoogleEmpty())
    else if (batch.expected.kind === 'stream_exists') details.setExpectedStreamExists(new GoogleEmpty())
    else if (batch.expected.kind === 'no_stream') details.setExpectedNoStream(new GoogleEmpty())
    else details.setExpectedStreamPosition(String(batch.expected.revision))
    return batchError(batch.stream, Code.ALREADY_EXISTS, 'WrongExpectedVersion', details, 'event_store.client.WrongExpectedVersion')
  }
  const success = new BatchAppendResp.Success()
  if (outcome.currentRevision === undefined) success.setNoStream(new GoogleEmpty())
  else success.setCurrentRevision(String(outcome.currentRevision))
  if (outcome.position === undefined) success.setNoPosition(new GoogleEmpty())
  else success.setPosition(new AllStreamPosition().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position)))
  return new BatchAppendResp().setStreamIdentifier(identifier(batch.stream)).setSuccess(success)
}

const batchError = (stream: string, code: Code, message: string, details: { serializeBinary(): Uint8Array }, typeName: string): BatchAppendResp => {
  const packed = new Any()
  packed.pack(details.serializeBinary(), typeName)
  return new BatchAppendResp().setStreamIdentifier(identifier(stream)).setError(new Status().setCode(code).setMessage(message).setDetails(packed))
}

const toBatchExpected = (options: BatchAppendReq.Options): ExpectedState => {
  const Case = BatchAppendReq.Options.ExpectedStreamPositionCase
  switch (options.getExpectedStreamPositionCase()) {
    case Case.ANY:
      return { kind: 'any' }
    case Case.NO_STREAM:
      return { kind: 'no_stream' }
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' }
    case Case.STREAM_POSITION:
      return { kind: 'revision', revision: Number(options.getStreamPosition()) }
    default:
      throw status(grpc.status.INVALID_ARGUMENT, 'an expected stream position is required')
  }
}

// ---------------------------------------------------------------------------------------------
// Streams.Read: reads and catch-up subscriptions share one server-streaming method.

type ReadCall = Parameters<IStreamsServer['read']>[0]

const read = (instance: Instance, log: InMemoryLog, call: ReadCall, sent: { all: number; streams: number }): void => {
  try {
    const options = call.request.getOptions()
    if (!options) throw status(grpc.status.INVALID_ARGUMENT, 'read options are required')
    const structured = options.getUuidOption()?.getContentCase() === ReadReq.Options.UUIDOption.ContentCase.STRUCTURED
    const resolve = options.getResolveLinks() ? (e: StoredEvent) => log.resolveLink(e) : () => undefined
    const stream = options.getStream()
    const all = options.getAll()
    const send = (e: StoredEvent) => {
      if (stream) sent.streams++
      else sent.all++
      call.write(new ReadResp().setEvent(toReadEvent(e, structured, resolve(e))))
    }
    const subscription = options.getCountOptionCase() === ReadReq.Options.CountOptionCase.SUBSCRIPTION
    if (stream) {
      const name = streamName(stream.getStreamIdentifier())
      const from = toStreamStart(stream)
      if (subscription) return subscribeToStream(instance, log, call, name, from, send)
      return readStream(log, call, name, from, options, send)
    }
    if (!all) throw status(grpc.status.INVALID_ARGUMENT, 'read a stream or $all')
    const from = toAllStart(all)
    const filter = toFilter(options)
    if (subscription) return subscribeToAll(instance, log, call, from, filter, send)
    const events = log.readAll(from, direction(options), Number(options.getCount()), filter)
    events.forEach(send)
    call.end()
  } catch (error) {
    call.emit('error', error)
  }
}

/** "Stream not found" is a message in the response, not a gRPC error ([source] Streams.Read). */
const readStream = (
  log: InMemoryLog,
  call: ReadCall,
  name: string,
  from: StreamStart,
  options: ReadReq.Options,
  send: (e: StoredEvent) => void,
): void => {
  const events = log.readStream(name, from, direction(options), Number(options.getCount()))
  if (events === undefined) {
    const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(identifier(name))
    call.write(new ReadResp().setStreamNotFound(notFound))
  } else events.forEach(send)
  call.end()
}

/**
 * A catch-up subscription to $all ([subs]): a confirmation, the events after the (exclusive)
 * start, a caught-up message, then live events as they are committed. Commits notify
 * synchronously, so an event is sent exactly once and in $all order.
 */
const subscribeToAll = (
  instance: Instance,
  log: InMemoryLog,
  call: ReadCall,
  from: AllStart,
  filter: EventFilter | undefined,
  send: (e: StoredEvent) => void,
): void => {
  let next = log.subscriptionStartIndex(from)
  pump(instance, log, call, () => {
    const events = log.events
    for (; next < events.length; next++) if (passes(events[next]!, filter)) send(events[next]!)
  })
}

/** A catch-up subscription to one stream; its start revision is exclusive too. */
const subscribeToStream = (
  instance: Instance,
  log: InMemoryLog,
  call: ReadCall,
  name: string,
  from: StreamStart,
  send: (e: StoredEvent) => void,
): void => {
  let next = from.kind === 'start' ? 0 : from.kind === 'end' ? log.lastRevision(name) + 1 : from.revision + 1
  pump(instance, log, call, () => {
    const events = log.streamEvents(name) ?? []
    for (; next < events.length; next++) send(events[next]!)
  })
}

const pump = (instance: Instance, log: InMemoryLog, call: ReadCall, sendNew: () => void): void => {
  let caughtUp = false
  const deliver = () => {
    if (instance.down || call.cancelled) return
    sendNew()
    if (!caughtUp) call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()))
    caughtUp = true
  }
  const unsubscribe = log.onCommit(deliver)
  const close = () => {
    unsubscribe()
    instance.subscriptions.delete(close)
  }
  instance.subscriptions.add(close)
  call.on('cancelled', close)
  call.on('close', close)
  call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())))
  deliver()
}

const direction = (options: ReadReq.Options): 'forwards' | 'backwards' =>
  options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards'

const toStreamStart = (stream: ReadReq.Options.StreamOptions): StreamStart => {
  const Case = ReadReq.Options.StreamOptions.RevisionOptionCase
  switch (stream.getRevisionOptionCase()) {
    case Case.END:
      return { kind: 'end' }
    case Case.REVISION:
      return { kind: 'revision', revision: Number(stream.getRevision()) }
    default:
      return { kind: 'start' }
  }
}

/** Commit and prepare positions are equal for every event here; the commit position decides. */
const toAllStart = (all: ReadReq.Options.AllOptions): AllStart => {
  const position = all.getPosition()
  if (position) return { kind: 'position', position: Number(position.getCommitPosition()) }
  return all.getAllOptionCase() === ReadReq.Options.AllOptions.AllOptionCase.END ? { kind: 'end' } : { kind: 'start' }
}

const toFilter = (options: ReadReq.Options): EventFilter | undefined => {
  const filter = options.getFilter()
  if (!filter) return undefined
  const onStream = filter.getStreamIdentifier()
  const expression = onStream ?? filter.getEventType()
  if (!expression) return undefined
  return { on: onStream ? 'stream' : 'type', prefixes: expression.getPrefixList(), regex: expression.getRegex() || undefined }
}

/**
 * The `created` entry is 100-ns ticks since the Unix epoch, as a decimal string. A link read with
 * resolveLinkTos comes as the event it points at, with the link itself beside it ([read]).
 */
const toReadEvent = (e: StoredEvent, structured: boolean, resolved?: StoredEvent): ReadResp.ReadEvent => {
  if (resolved) return toReadEvent(resolved, structured).setLink(recordedOf(e, structured)).setCommitPosition(String(e.position))
  // Positions on stream reads too, as servers with EventStore/EventStore#3459 (22.x) fill them.
  return new ReadResp.ReadEvent().setEvent(recordedOf(e, structured)).setCommitPosition(String(e.position))
}

const recordedOf = (e: StoredEvent, structured: boolean): ReadResp.ReadEvent.RecordedEvent => {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(toUuid(e.id, structured))
    .setStreamIdentifier(identifier(e.stream))
    .setStreamRevision(String(e.revision))
    .setCommitPosition(String(e.position))
    .setPreparePosition(String(e.position))
    .setData(e.data)
    .setCustomMetadata(e.customMetadata)
  recorded.getMetadataMap().set('type', e.type).set('content-type', e.contentType).set('created', String(e.created))
  return recorded
}

// ---------------------------------------------------------------------------------------------
// Small conversions

const identifier = (stream: string): StreamIdentifier => new StreamIdentifier().setStreamName(Buffer.from(stream, 'utf8'))

const streamName = (id: StreamIdentifier | undefined): string => {
  if (!id) throw status(grpc.status.INVALID_ARGUMENT, 'a stream identifier is required')
  return Buffer.from(id.getStreamName_asU8()).toString('utf8')
}

const uuidString = (uuid: UUID | undefined): string => {
  if (!uuid) throw status(grpc.status.INVALID_ARGUMENT, 'every proposed event needs an id')
  const structured = uuid.getStructured()
  if (!structured) return uuid.getString().toLowerCase()
  const hex = (bits: string) => BigInt.asUintN(64, BigInt(bits)).toString(16).padStart(16, '0')
  const h = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits())
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const toUuid = (id: string, structured: boolean): UUID => {
  if (!structured) return new UUID().setString(id)
  const hex = id.replace(/-/g, '')
  const signed = (h: string) => BigInt.asIntN(64, BigInt(`0x${h}`)).toString()
  return new UUID().setStructured(
    new UUID.Structured().setMostSignificantBits(signed(hex.slice(0, 16))).setLeastSignificantBits(signed(hex.slice(16))),
  )
}

/** A gRPC status as the server sends it; `exception` metadata lets the client pick its error class. */
const status = (code: Grpc.status, details: string, trailers: Record<string, string> = {}): Grpc.ServerErrorResponse => {
  const metadata = new grpc.Metadata()
  for (const [k, v] of Object.entries(trailers)) metadata.set(k, v)
  return Object.assign(new Error(details), { code, details, metadata })
}
