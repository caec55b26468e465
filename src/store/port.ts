import type { NewEvent, RecordedEvent } from './envelope'
import type { OpeningSummary, StreamOpening, StreamPage } from './stream-openings'

/**
 * What the ledger needs from an event store. Every adapter (memory, SQLite, EventStoreDB) passes
 * the one contract suite in test/store-contract.ts.
 *
 * - Streams are append-only; revisions are 0-based and dense.
 * - `expected` guards a stream against lost updates: 'no_stream' (must not exist), 'any', or the
 *   exact revision of the stream's last event. A mismatch fails with WrongExpectedRevision and
 *   writes nothing.
 * - A batch is atomic: all its events are stored, in order, or none.
 * - Event ids are idempotency keys: appending a batch whose ids are already the stream's events at
 *   that place is a no-op that succeeds (as EventStoreDB documents). Reusing an id elsewhere fails
 *   on SQLite and in memory; EventStoreDB guarantees ids per place only, and its adapter does not
 *   look for them elsewhere (docs/eventstoredb.md: ids are fresh UUIDs minted per event).
 * - The store chains each event's hash to the previous one in its stream (hash-chain.ts).
 */
export type ExpectedRevision = 'no_stream' | 'any' | number

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly revision: number
  /** Global position of the last event appended (or found, for an idempotent re-append). */
  readonly position: number
}

/** One stream's batch of a group (appendMany): appended as `append` would. */
export interface AppendBatch {
  readonly stream: string
  readonly events: ReadonlyArray<NewEvent>
  readonly expected: ExpectedRevision
}

/** What became of one batch of a group: its result, or the error `append` would have thrown. */
export type BatchOutcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown }

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit to start at the beginning. */
  readonly after?: number
  readonly maxCount?: number
}

export interface ReadStreamOptions {
  /** Inclusive revision to start from. */
  readonly fromRevision?: number
  readonly maxCount?: number
}

export interface Subscription {
  close(): Promise<void>
}

export interface EventStore {
  readonly kind: string
  append(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): Promise<AppendResult>
  /**
   * Several batches in order, each checked and atomic as `append` makes it, a later one seeing the
   * earlier ones. A batch that fails fails alone, its outcome carrying the error, except that the
   * batches of one stream chain: a later one was decided on the earlier ones, so after one fails the
   * later ones of its stream are not tried (EarlierBatchFailed), even if their expected revision
   * happens to match what another writer left. SQLite makes the whole group one durable
   * transaction (group commit: one fsync for all); other adapters may store them one by one.
   */
  appendMany(batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]>
  /**
   * Batches of distinct streams appended all together or not at all: one transaction, each batch
   * checked as `append` checks it, and the first failure thrown with nothing written. Only adapters
   * with transactions across streams have it (SQLite, memory); EventStoreDB has not.
   */
  appendTogether?(batches: ReadonlyArray<AppendBatch>): Promise<AppendResult[]>
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>
  /**
   * Events of one stream whose metadata carries this idempotency key (`metadata.idempotencyKey`),
   * in revision order; [] when none. How a repeated request (HTTP Idempotency-Key) finds what the
   * first one recorded without reading the whole stream.
   */
  readByIdempotencyKey(stream: string, key: string): Promise<RecordedEvent[]>
  /** Events of every stream in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>
  /** Revision of the stream's last event, or -1 when it does not exist. */
  streamRevision(stream: string): Promise<number>
  /**
   * The position of the log's last event now (undefined when the log is empty): subscribing after
   * it delivers only what is appended later. One read, whatever the size of the log.
   */
  headPosition(): Promise<number | undefined>
  /**
   * Names of the streams starting with the prefix, in order of first append (read from an index,
   * not the log); with `limit`, only the first ones: "is there any?" costs one, not every stream.
   */
  listStreams(prefix: string, limit?: number): Promise<string[]>
  /**
   * The streams starting with the prefix, each with its first event, in code-point order of their
   * names: a page of them (after a name, at most `limit`), read from the store's index of streams
   * (SQLite: its streams table; EventStoreDB: `$streams`, whose links resolve to first events), so
   * a listing costs one read per page, not one per stream.
   */
  listStreamOpenings(prefix: string, page?: StreamPage): Promise<StreamOpening[]>
  /**
   * What listStreamOpenings gives, summarised as a listing of units reads it (the opening's type,
   * unit name and department; stream-openings.ts), in the same order and pages. SQLite keeps the
   * summaries in an index beside the streams, so a search over every unit reads small rows, no
   * event; the other adapters summarise the openings they list.
   */
  listOpeningSummaries(prefix: string, page?: StreamPage): Promise<OpeningSummary[]>
  /**
   * Calls `onEvent` for each event after `after` (exclusive), then for every new one as it is
   * appended, in global order, until closed.
   */
  subscribe(after: number | undefined, onEvent: (e: RecordedEvent) => void | Promise<void>): Subscription
  /**
   * A mark that changes whenever the log may have changed, through this store or any other process,
   * read without touching the log; equal marks mean nothing was appended in between. Adapters that
   * cannot tell cheaply leave it out, and readers ask the log itself.
   */
  logVersion?(): string
  close(): Promise<void>
}

export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision'
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, but it is at ${actual === -1 ? 'no stream' : actual}`)
  }
}

/** A batch of a group (appendMany) not tried: an earlier batch of its stream in the group failed. */
export class EarlierBatchFailed extends Error {
  override readonly name = 'EarlierBatchFailed'
  constructor(readonly stream: string) {
    super(`stream ${stream}: not appended, an earlier batch of the stream in the same group failed`)
  }
}

/** An event id reused at another place than its first append: refused, never silently merged. */
export class DuplicateEventId extends Error {
  override readonly name = 'DuplicateEventId'
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already stored at another place in the log`)
  }
}

/** The store could not be reached or failed mid-operation; the append may not have happened. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable'
  constructor(message: string, override readonly cause?: unknown) {
    super(message)
  }
}

export const expectedMatches = (expected: ExpectedRevision, actual: number): boolean =>
  expected === 'any' || (expected === 'no_stream' ? actual === -1 : expected === actual)
