import { randomUUID } from 'node:crypto'

/**
 * The in-memory transaction log behind the test EventStoreDB server (server.ts). It models the
 * EventStoreDB semantics the ledger relies on, independent of gRPC, so they can be read and
 * tested on their own. Each rule cites the documentation or the server source it follows.
 *
 * Docs referred to below:
 *  [append]  https://developers.eventstore.com/clients/grpc/appending-events.html
 *  [idem]    https://developers.eventstore.com/clients/dotnet/20.10/appending/ and its linked page
 *            "Optimistic concurrency and idempotence" (eventstore.org/docs/dotnet-api/optimistic-concurrency-and-idempotence)
 *  [read]    https://developers.eventstore.com/clients/grpc/reading-events.html
 *  [subs]    https://developers.eventstore.com/clients/grpc/subscriptions.html
 *  [proj]    https://developers.eventstore.com/server/v24.10/features/projections/system.html ($streams)
 *  [source]  EventStore/EventStore: IndexWriter.CheckCommit (idempotency decisions), AllReader
 *            (positions of implicit-transaction events), Streams.Append/Read gRPC services.
 */

export interface StoredEvent {
  /** Canonical lower-case UUID. */
  readonly id: string
  readonly stream: string
  readonly revision: number
  /**
   * Log position. An append through gRPC is an implicit transaction whose events each carry
   * IsCommitted, so each event's commit and prepare positions are both its own log position
   * ([source] AllReader: `new CommitEventRecord(eventRecord, eventRecord.LogPosition)`). They are
   * byte offsets: strictly increasing, not dense.
   */
  readonly position: number
  readonly type: string
  readonly contentType: string
  readonly data: Uint8Array
  readonly customMetadata: Uint8Array
  /** 100-ns ticks since the Unix epoch, as the server puts it in the `created` metadata entry. */
  readonly created: bigint
}

export interface ProposedEvent {
  readonly id: string
  readonly type: string
  readonly contentType: string
  readonly data: Uint8Array
  readonly customMetadata: Uint8Array
}

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: number }

export type AppendOutcome =
  | {
      readonly kind: 'success'
      /** Revision of the last event of the batch (for an idempotent re-append: of the original). */
      readonly currentRevision: number | undefined
      /** Position of the last event of the batch; undefined for an empty batch. */
      readonly position: number | undefined
    }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: number | undefined }

/** Which events a read or subscription on $all lets through ([subs] "Server-side filtering"). */
export interface EventFilter {
  readonly on: 'stream' | 'type'
  readonly prefixes: readonly string[]
  readonly regex: string | undefined
}

export type StreamStart = { readonly kind: 'start' } | { readonly kind: 'end' } | { readonly kind: 'revision'; readonly revision: number }
export type AllStart = { readonly kind: 'start' } | { readonly kind: 'end' } | { readonly kind: 'position'; readonly position: number }

const TICKS_PER_MS = 10_000n
/** Rough size of a prepare record's header, so positions look like the byte offsets they are. */
const RECORD_HEADER_BYTES = 98

export class InMemoryLog {
  private readonly log: StoredEvent[] = []
  private readonly streams = new Map<string, StoredEvent[]>()
  /**
   * The server's "committed events" cache used for idempotency checks ([source] IndexWriter
   * `_committedEvents`). Real servers bound it, so idempotency on 'any' is best effort there;
   * here it is never evicted. The first place an id was written wins.
   */
  private readonly byId = new Map<string, StoredEvent>()
  private readonly listeners = new Set<() => void>()
  /**
   * Where the next record goes. A real server's log starts with its own records: an epoch record
   * (not an event: no read returns it) at position 0, then the $epoch-information event and other
   * system events, so no user event ever sits at 0 there ([source] EpochManager writes the epoch,
   * then WriteEpochInformation). A compatible server without those records may start at 0.
   */
  private nextPosition: number

  constructor(
    firstPosition = 4096,
    /**
     * Whether the server's system projections run ([proj]); the ledger's compose file starts them.
     * Only `$streams` is modelled: see linkNewStreams.
     */
    private readonly systemProjections = true,
  ) {
    this.nextPosition = firstPosition
  }

  get events(): readonly StoredEvent[] {
    return this.log
  }

  streamEvents(stream: string): readonly StoredEvent[] | undefined {
    return this.streams.get(stream)
  }

  lastRevision(stream: string): number {
    return (this.streams.get(stream)?.length ?? 0) - 1
  }

  /** Called after every commit; subscriptions pump from here. Returns the unsubscribe function. */
  onCommit(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Appends a batch atomically ([append]: "append one or more events to a stream atomically"):
   * the decision and the write happen in one synchronous step, so a batch is stored whole or not
   * at all, and concurrent appends are serialised like the server's single writer.
   */
  append(stream: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const decision = this.decide(stream, expected, proposed)
    if (decision.kind !== 'write') return decision
    const written = proposed.map((p, i) => this.record(stream, decision.firstRevision + i, p))
    if (this.systemProjections) this.linkNewStreams(written)
    const last = written.at(-1)
    for (const l of [...this.listeners]) l()
    return {
      kind: 'success',
      currentRevision: last?.revision ?? this.orUndefined(this.lastRevision(stream)),
      position: last?.position,
    }
  }

  private record(stream: string, revision: number, p: ProposedEvent): StoredEvent {
    const event: StoredEvent = {
      id: p.id.toLowerCase(),
      stream,
      revision,
      position: this.nextPosition,
      type: p.type,
      contentType: p.contentType,
      data: p.data,
      customMetadata: p.customMetadata,
      created: BigInt(Date.now()) * TICKS_PER_MS,
    }
    this.nextPosition += RECORD_HEADER_BYTES + stream.length + p.type.length + p.data.length + p.customMetadata.length
    this.log.push(event)
    const events = this.streams.get(stream) ?? []
    events.push(event)
    this.streams.set(stream, events)
    if (!this.byId.has(event.id)) this.byId.set(event.id, event)
    return event
  }

  /**
   * The commit check of [source] IndexWriter.CheckCommit, which implements [idem]:
   * - with an expected revision (or no_stream = -1) behind the stream's head, the batch is an
   *   idempotent no-op when its ids are exactly the events after that revision; a mismatch on the
   *   first event is a wrong expected version, and on a later one "corrupted idempotency", which
   *   the client also sees as a wrong expected version;
   * - with any / stream_exists, a batch whose first id is already in this stream is idempotent if
   *   every id is (best effort on a real server, whose id cache is bounded);
   * - an id already written to ANOTHER stream is not a duplicate for the server: it is written again.
   */
  private decide(
    stream: string,
    expected: ExpectedState,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | { kind: 'write'; firstRevision: number } {
    const current = this.lastRevision(stream)
    const wrong: AppendOutcome = { kind: 'wrong_expected_version', currentRevision: this.orUndefined(current) }
    const ids = proposed.map((p) => p.id.toLowerCase())
    if (expected.kind === 'stream_exists' && current < 0) return wrong
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      const first = ids.length > 0 ? this.byId.get(ids[0]!) : undefined
      if (!first || first.stream !== stream) return { kind: 'write', firstRevision: current + 1 }
      const found = ids.map((id) => this.byId.get(id))
      if (found.some((f) => !f || f.stream !== stream)) return wrong
      return this.idempotent(found.at(-1)!)
    }
    const expectedRevision = expected.kind === 'no_stream' ? -1 : expected.revision
    if (expectedRevision < current) {
      const events = this.streams.get(stream) ?? []
      const matches = ids.every((id, i) => events[expectedRevision + 1 + i]?.id === id)
      if (!matches || ids.length === 0) return wrong
      return this.idempotent(events[expectedRevision + ids.length]!)
    }
    if (expectedRevision > current) return wrong
    return { kind: 'write', firstRevision: current + 1 }
  }

  /**
   * The `$streams` system projection ([proj]; [source] Projections.Core/Standard/IndexStreams):
   * for every event at revision 0 of any stream, a `$>` link whose data is `0@<stream>`, not JSON,
   * appended to `$streams`, and so to $all after the event it points at. The real projection runs
   * behind the log; here it writes right after the commit, before any reader can ask.
   */
  private linkNewStreams(written: readonly StoredEvent[]): void {
    for (const e of written) {
      if (e.revision !== 0) continue
      const link = this.record('$streams', this.lastRevision('$streams') + 1, {
        id: randomUUID(),
        type: '$>',
        contentType: 'application/octet-stream',
        data: new Uint8Array(Buffer.from(`${e.revision}@${e.stream}`, 'utf8')),
        customMetadata: new Uint8Array(),
      })
      // The projection's own stream is new too: its first link is linked like any other.
      if (link.revision === 0) this.linkNewStreams([link])
    }
  }

  /** The event a `$>` link points at, for reads that resolve links; undefined when it is gone. */
  resolveLink(link: StoredEvent): StoredEvent | undefined {
    if (link.type !== '$>') return undefined
    const m = /^(\d+)@([\s\S]+)$/.exec(Buffer.from(link.data).toString('utf8'))
    return m ? this.streams.get(m[2]!)?.[Number(m[1])] : undefined
  }

  /** An idempotent append answers with the original last event's revision and log position. */
  private idempotent(last: StoredEvent): AppendOutcome {
    return { kind: 'success', currentRevision: last.revision, position: last.position }
  }

  private orUndefined(revision: number): number | undefined {
    return revision < 0 ? undefined : revision
  }

  /**
   * [read] reading a stream forwards from a revision (inclusive) or backwards towards the start;
   * `undefined` when the stream does not exist (the server answers "stream not found").
   */
  readStream(stream: string, from: StreamStart, direction: 'forwards' | 'backwards', count: number): StoredEvent[] | undefined {
    const events = this.streams.get(stream)
    if (!events) return undefined
    if (direction === 'forwards') {
      const start = from.kind === 'start' ? 0 : from.kind === 'end' ? events.length : from.revision
      return events.slice(start, start + count)
    }
    const last = events.length - 1
    const start = from.kind === 'end' ? last : from.kind === 'start' ? 0 : Math.min(from.revision, last)
    return events.slice(Math.max(0, start - count + 1), start + 1).reverse()
  }

  /**
   * [read] reading $all: forwards, the position is inclusive (an event at exactly that position
   * is returned); backwards it is exclusive ([source] AllReader: `pos < position` going back).
   * Events are in commit order; the filter applies before counting.
   */
  readAll(from: AllStart, direction: 'forwards' | 'backwards', count: number, filter?: EventFilter): StoredEvent[] {
    const out: StoredEvent[] = []
    if (direction === 'forwards') {
      const start = from.kind === 'start' ? 0 : from.kind === 'end' ? this.log.length : this.firstIndexAtOrAfter(from.position)
      for (let i = start; i < this.log.length && out.length < count; i++) if (passes(this.log[i]!, filter)) out.push(this.log[i]!)
      return out
    }
    const start = from.kind === 'end' ? this.log.length - 1 : from.kind === 'start' ? -1 : this.firstIndexAtOrAfter(from.position) - 1
    for (let i = start; i >= 0 && out.length < count; i--) if (passes(this.log[i]!, filter)) out.push(this.log[i]!)
    return out
  }

  /** Index of the first event whose position is >= the given one (binary search: positions increase). */
  firstIndexAtOrAfter(position: number): number {
    let lo = 0
    let hi = this.log.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.log[mid]!.position < position) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** [subs] a subscription's start point is exclusive: it starts after this index in $all. */
  subscriptionStartIndex(from: AllStart): number {
    if (from.kind === 'start') return 0
    if (from.kind === 'end') return this.log.length
    const i = this.firstIndexAtOrAfter(from.position)
    return this.log[i]?.position === from.position ? i + 1 : i
  }
}

const compiled = new Map<string, RegExp>()

/** Prefixes match with startsWith; a regex matches anywhere, as .NET's Regex.IsMatch does. */
export const passes = (e: StoredEvent, filter: EventFilter | undefined): boolean => {
  if (!filter) return true
  const subject = filter.on === 'stream' ? e.stream : e.type
  if (filter.regex) {
    const regex = compiled.get(filter.regex) ?? new RegExp(filter.regex)
    compiled.set(filter.regex, regex)
    return regex.test(subject)
  }
  return filter.prefixes.some((p) => subject.startsWith(p))
}
