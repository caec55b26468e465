import type { NewEvent, RecordedEvent } from './envelope'
import { chain } from './chain/hash-chain'
import { planAppend, type StoredAt } from './append-plan'
import type { AppendBatch, AppendResult, BatchOutcome, EventStore, ExpectedRevision, ReadAllOptions, ReadStreamOptions, Subscription } from './port'
import { LiveFeed } from './live-feed'
import { appendEach } from './append-each'
import { type OpeningSummary, type StreamOpening, type StreamPage, pageOfOpenings, summaryOf } from './stream-openings'

/** The in-memory adapter: for unit tests and dry runs. Same contract as the others. */
export class MemoryEventStore implements EventStore {
  readonly kind = 'memory'
  private readonly log: RecordedEvent[] = []
  private readonly streams = new Map<string, RecordedEvent[]>()
  private readonly ids = new Map<string, StoredAt & { position: number }>()
  private readonly feed = new LiveFeed((after, maxCount) => this.readAll({ after, maxCount }))

  async append(stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): Promise<AppendResult> {
    const current = this.streams.get(stream) ?? []
    const plan = planAppend(stream, events, expected, current.length - 1, (id) => this.ids.get(id))
    if (plan.kind === 'already-written') {
      return { revision: plan.lastRevision, position: current[plan.lastRevision]!.position }
    }
    const head = current.at(-1)?.metadata.hash ?? ''
    const chained = chain(stream, plan.firstRevision, head, events)
    const recorded = chained.map(
      (e, i): RecordedEvent => ({
        id: e.id,
        stream,
        revision: plan.firstRevision + i,
        position: this.log.length + 1 + i, // positions start at 1, as in SQLite
        type: e.type,
        data: structuredClone(e.data),
        metadata: structuredClone(e.metadata),
      }),
    )
    for (const r of recorded) {
      this.log.push(r)
      this.ids.set(r.id, { stream, revision: r.revision, position: r.position })
    }
    this.streams.set(stream, [...current, ...recorded])
    this.feed.notify()
    const last = recorded.at(-1)!
    return { revision: last.revision, position: last.position }
  }

  appendMany(batches: ReadonlyArray<AppendBatch>): Promise<BatchOutcome[]> {
    return appendEach(this, batches)
  }

  async appendTogether(batches: ReadonlyArray<AppendBatch>): Promise<AppendResult[]> {
    if (new Set(batches.map((b) => b.stream)).size !== batches.length) throw new RangeError('appendTogether takes one batch per stream')
    // Every batch checked before any is written; the appends then run without a pause between them.
    for (const b of batches) planAppend(b.stream, b.events, b.expected, (this.streams.get(b.stream)?.length ?? 0) - 1, (id) => this.ids.get(id))
    return Promise.all(batches.map((b) => this.append(b.stream, b.events, b.expected)))
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0
    const all = this.streams.get(stream) ?? []
    return all.slice(from, options.maxCount === undefined ? undefined : from + options.maxCount).map(clone)
  }

  async readByIdempotencyKey(stream: string, key: string): Promise<RecordedEvent[]> {
    return (this.streams.get(stream) ?? []).filter((e) => e.metadata.idempotencyKey === key).map(clone)
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const start = Math.max(0, options.after ?? 0) // position p sits at index p - 1
    const end = options.maxCount === undefined ? undefined : start + options.maxCount
    return this.log.slice(start, end).map(clone)
  }

  async streamRevision(stream: string): Promise<number> {
    return (this.streams.get(stream)?.length ?? 0) - 1
  }

  async headPosition(): Promise<number | undefined> {
    return this.log.at(-1)?.position
  }

  async listStreams(prefix: string, limit?: number): Promise<string[]> {
    return [...this.streams.keys()].filter((s) => s.startsWith(prefix)).slice(0, limit)
  }

  async listStreamOpenings(prefix: string, page?: StreamPage): Promise<StreamOpening[]> {
    const openings = [...this.streams].flatMap(([stream, events]) => (events[0] ? [{ stream, first: events[0] }] : []))
    return pageOfOpenings(openings, prefix, page).map((o) => ({ stream: o.stream, first: clone(o.first) }))
  }

  async listOpeningSummaries(prefix: string, page?: StreamPage): Promise<OpeningSummary[]> {
    return (await this.listStreamOpenings(prefix, page)).map(summaryOf)
  }

  subscribe(after: number | undefined, onEvent: (e: RecordedEvent) => void | Promise<void>): Subscription {
    return this.feed.subscribe(after, onEvent)
  }

  async close(): Promise<void> {
    await this.feed.closeAll()
  }
}

const clone = (e: RecordedEvent): RecordedEvent => structuredClone(e)
