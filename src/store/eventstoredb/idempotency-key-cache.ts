import type { RecordedEvent } from '../envelope'

interface StreamKeys {
  /** The next revision to read: everything before it is in `keys`. */
  next: number
  /** Revisions by idempotency key (metadata.idempotencyKey), ascending. */
  readonly keys: Map<string, number[]>
}

/**
 * Where each idempotency key was used, for a store that cannot look events up by their metadata
 * (EventStoreDB): per stream, read once and then caught up from the last revision seen. Only the
 * `maxStreams` streams used last are kept, so what a process holds depends on the streams it
 * serves, never on the size of the whole log; a stream dropped from the cache is read again when
 * next asked for.
 */
export class IdempotencyKeyCache {
  private readonly streams = new Map<string, StreamKeys>()

  constructor(
    /** Events of `stream` from `fromRevision` to its end, in revision order. */
    private readonly readFrom: (stream: string, fromRevision: number) => Promise<RecordedEvent[]>,
    private readonly maxStreams = 64,
  ) {}

  /** Revisions of `stream` whose events carry `key`, as of now. */
  async revisions(stream: string, key: string): Promise<ReadonlyArray<number>> {
    const entry = this.streams.get(stream) ?? { next: 0, keys: new Map<string, number[]>() }
    // Most recently used last: Map keeps insertion order, so the first key is the one to evict.
    this.streams.delete(stream)
    this.streams.set(stream, entry)
    for (const e of await this.readFrom(stream, entry.next)) {
      // Two lookups of one stream may overlap: each revision is taken once.
      if (e.revision < entry.next) continue
      entry.next = e.revision + 1
      const k = e.metadata.idempotencyKey
      if (typeof k !== 'string') continue
      const revisions = entry.keys.get(k)
      if (revisions) revisions.push(e.revision)
      else entry.keys.set(k, [e.revision])
    }
    while (this.streams.size > this.maxStreams) this.streams.delete(this.streams.keys().next().value!)
    return entry.keys.get(key) ?? []
  }
}
