import type { NewEvent, RecordedEvent } from '../envelope'
import { type BrokenLink, eventHash } from '../chain/hash-chain'
import { DuplicateEventId, type EventStore, WrongExpectedRevision } from '../port'
import { logPages } from '../log-pages'

/**
 * Copies a whole event log from one store to another (SQLite ⇄ EventStoreDB), keeping every
 * event's stream, revision, id, type, data, metadata and hash, and the global order.
 *
 * The hash of an event is a function of (stream, revision, id, type, data, metadata without the
 * chain fields, prevHash) (hash-chain.ts). So appending each event through the target's normal
 * `append`, with the source's metadata minus hash/prevHash, at the same revision of an empty
 * stream, makes the target compute the very same chain. Nothing is trusted on the way:
 *
 * 1. count: the source's $all is read page by page; every stream's chain is verified (a broken
 *    source cannot be copied faithfully) and its event count and head hash noted. The last
 *    position read bounds the migration: events appended to the source later are left for the
 *    next run.
 * 2. plan: where each stream stands in the target (streamRevision). A target stream with more
 *    events than the source's, or whose head event is not the source's event at that revision,
 *    is refused before anything is written: a migration never overwrites.
 * 3. copy: the source's $all again, in pages; consecutive events of one stream become one append
 *    with the exact expected revision, at most `maxBatchEvents` events and `maxBatchBytes` bytes
 *    (EventStoreDB refuses appends over 1 MiB by default). Events the target already holds (same
 *    id and hash at the same revision: an earlier, interrupted run) are checked and skipped, so
 *    re-running resumes. Each appended batch is read back and its hashes compared to the source's.
 * 4. verify: the target's $all is read once more: the migrated streams' chains are intact, their
 *    counts and head hashes equal the source's.
 *
 * Memory is bounded by a page and a batch, plus a few bytes per stream.
 */

export interface MigrateOptions {
  /** Events per $all read of the source and the target (default 500). */
  readonly pageSize?: number
  /** Most events in one append (default 500). */
  readonly maxBatchEvents?: number
  /** Most bytes (type + data + metadata, as JSON) in one append (default 512 KiB). */
  readonly maxBatchBytes?: number
  /**
   * Told after each page counted, each batch copied or found, each page verified. It may throw
   * to stop the migration (an interruption); a later run resumes where it stopped.
   */
  readonly onProgress?: (progress: MigrateProgress) => void | Promise<void>
  /** Milliseconds clock, for elapsed times (default Date.now). */
  readonly clock?: () => number
}

export type MigrateProgress =
  | { readonly phase: 'count'; readonly counted: number; readonly elapsedMs: number }
  | {
      readonly phase: 'copy'
      /** Source events handled so far: copied plus already there. */
      readonly processed: number
      readonly copied: number
      readonly alreadyThere: number
      readonly total: number
      readonly elapsedMs: number
    }
  | { readonly phase: 'verify'; readonly verified: number; readonly total: number; readonly elapsedMs: number }

export interface StreamSummary {
  readonly stream: string
  /** Events of the stream in the source (and now in the target). */
  readonly events: number
  readonly copied: number
  /** Already in the target before this run (an earlier, interrupted run copied them). */
  readonly alreadyThere: number
  /** Hash of the stream's last event, equal in source and target. */
  readonly headHash: string
}

export interface MigrateSummary {
  readonly streams: ReadonlyArray<StreamSummary>
  /** Events in the source (up to the position the count reached). */
  readonly total: number
  readonly copied: number
  readonly alreadyThere: number
  /** Events of the migrated streams in the target after the run: equals `total`. */
  readonly targetEvents: number
  /** Events of other streams the target held (untouched). */
  readonly otherTargetEvents: number
  /** The source received events after it was counted; run migrate again to copy them. */
  readonly sourceGrew: boolean
  readonly elapsedMs: number
}

export type MigrationProblem =
  /** The source's own hash chain is broken: a copy could not reproduce it. */
  | 'source-broken'
  /** The target holds a different event at a revision the source has. */
  | 'target-diverged'
  /** The target's stream has more events than the source's. */
  | 'target-ahead'
  /** Someone else appended to a target stream while it was being copied. */
  | 'target-moved'
  /** An event id of the source is already used elsewhere in the target. */
  | 'duplicate-id'
  /** The target computed another hash than the source's for an event it stored. */
  | 'hash-mismatch'
  /** The target does not end up holding what the source holds. */
  | 'verification-failed'

/** A migration that stopped on purpose; the message names the stream, revision and event. */
export class MigrationRefused extends Error {
  override readonly name = 'MigrationRefused'
  constructor(
    readonly problem: MigrationProblem,
    message: string,
  ) {
    super(message)
  }
}

export const DEFAULT_PAGE_SIZE = 500
export const DEFAULT_MAX_BATCH_EVENTS = 500
export const DEFAULT_MAX_BATCH_BYTES = 512 * 1024

/** Where each stream stands while migrating. */
interface StreamPlan {
  readonly stream: string
  /** Events in the source. */
  count: number
  /** Hash of the source's last event counted. */
  headHash: string
  /** Revision of the target's last event (-1: no stream); moves as batches are appended. */
  targetHead: number
  copied: number
  alreadyThere: number
}

interface Run {
  readonly stream: string
  readonly kind: 'copy' | 'skip'
  readonly events: RecordedEvent[]
  bytes: number
}

/** The event as the source's caller once appended it: metadata without the chain fields. */
export const asNewEvent = (e: RecordedEvent): NewEvent => {
  const { hash: _hash, prevHash: _prevHash, ...metadata } = e.metadata
  return { id: e.id, type: e.type, data: e.data, metadata }
}

/** Bytes an event weighs in an append, like EventStoreDB counts them (type, data, metadata). */
export const appendSize = (e: RecordedEvent): number =>
  Buffer.byteLength(e.type, 'utf8') + Buffer.byteLength(JSON.stringify(e.data) ?? '', 'utf8') + Buffer.byteLength(JSON.stringify(e.metadata), 'utf8')

/** "budget-101065-2021 revision 3 (BudgetAdded, id …)": how messages name an event. */
export const describeEvent = (e: { stream: string; revision: number; type: string; id: string }): string =>
  `${e.stream} revision ${e.revision} (${e.type}, id ${e.id})`

/**
 * Follows the hash chains of many streams through a log read in global order, a few bytes per
 * stream: the streaming form of verifyStream.
 */
export class ChainFollower {
  private readonly heads = new Map<string, { revision: number; hash: string }>()

  /** Checks the next event of its stream; the broken link, if it is one. */
  next(e: RecordedEvent): BrokenLink | undefined {
    const head = this.heads.get(e.stream) ?? { revision: -1, hash: '' }
    const at = { stream: e.stream, revision: e.revision, eventId: e.id }
    if (e.revision !== head.revision + 1) return { ...at, problem: 'revision-gap', expected: String(head.revision + 1), found: String(e.revision) }
    if (e.metadata.prevHash !== head.hash) return { ...at, problem: 'prev-hash-mismatch', expected: head.hash, found: String(e.metadata.prevHash) }
    const expected = eventHash(e.stream, e.revision, e, head.hash)
    if (expected !== e.metadata.hash) return { ...at, problem: 'hash-mismatch', expected, found: String(e.metadata.hash) }
    this.heads.set(e.stream, { revision: e.revision, hash: e.metadata.hash })
    return undefined
  }

  head(stream: string): { revision: number; hash: string } | undefined {
    return this.heads.get(stream)
  }
}

const explainLink = (link: BrokenLink): string =>
  link.problem === 'revision-gap'
    ? `expected revision ${link.expected}, found ${link.found}`
    : link.problem === 'prev-hash-mismatch'
      ? `its prevHash ${link.found || '""'} is not the previous event's hash ${link.expected || '""'}`
      : `its stored hash ${link.found} is not the hash of its content ${link.expected}`

export const migrate = async (source: EventStore, target: EventStore, options: MigrateOptions = {}): Promise<MigrateSummary> => {
  const pageSize = positive(options.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize')
  const maxBatchEvents = positive(options.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS, 'maxBatchEvents')
  const maxBatchBytes = positive(options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES, 'maxBatchBytes')
  const clock = options.clock ?? Date.now
  const started = clock()
  const elapsed = () => clock() - started
  const report = async (p: MigrateProgress) => options.onProgress?.(p)

  // 1. count, verifying the source's chains.
  const plans = new Map<string, StreamPlan>()
  const sourceChains = new ChainFollower()
  let total = 0
  let lastPosition: number | undefined
  for await (const page of logPages(source, pageSize)) {
    for (const e of page) {
      const broken = sourceChains.next(e)
      if (broken)
        throw new MigrationRefused(
          'source-broken',
          `the source's hash chain is broken at ${describeEvent(e)}: ${explainLink(broken)}; ` +
            'a copy could not reproduce its hashes. Nothing was copied; audit the source first.',
        )
      const plan = plans.get(e.stream) ?? { stream: e.stream, count: 0, headHash: '', targetHead: -1, copied: 0, alreadyThere: 0 }
      plan.count++
      plan.headHash = e.metadata.hash
      plans.set(e.stream, plan)
      total++
      lastPosition = e.position
    }
    await report({ phase: 'count', counted: total, elapsedMs: elapsed() })
  }

  // 2. plan: where the target stands; refuse a diverged target before writing anything.
  for (const plan of plans.values()) {
    plan.targetHead = await target.streamRevision(plan.stream)
    if (plan.targetHead >= plan.count)
      throw new MigrationRefused(
        'target-ahead',
        `the target's stream ${plan.stream} has ${plan.targetHead + 1} events, the source's only ${plan.count}: ` +
          'the target holds events the source does not. Nothing was copied; a migration never overwrites.',
      )
    if (plan.targetHead >= 0) {
      // Hashes chain: equal events at the target's head mean equal events before it (checked one by one while copying).
      const [theirs] = await target.readStream(plan.stream, { fromRevision: plan.targetHead, maxCount: 1 })
      const [ours] = await source.readStream(plan.stream, { fromRevision: plan.targetHead, maxCount: 1 })
      if (!theirs || !ours || theirs.id !== ours.id || theirs.metadata.hash !== ours.metadata.hash)
        throw diverged(ours, theirs, plan.stream, plan.targetHead, 'Nothing was copied')
    }
  }

  // 3. copy, in global order, resuming after what the target already holds.
  let copied = 0
  let alreadyThere = 0
  let sourceGrew = false
  let run: Run | undefined

  const flush = async (): Promise<void> => {
    if (!run) return
    const { stream, kind, events } = run
    run = undefined
    const plan = plans.get(stream)!
    const first = events[0]!.revision
    if (kind === 'skip') {
      const there = await target.readStream(stream, { fromRevision: first, maxCount: events.length })
      events.forEach((e, i) => {
        const t = there[i]
        // Same id and hash, and content that still hashes to it (a target altered in place is not "the same").
        const same =
          t !== undefined &&
          t.id === e.id &&
          t.revision === e.revision &&
          t.metadata.hash === e.metadata.hash &&
          eventHash(t.stream, t.revision, t, e.metadata.prevHash) === e.metadata.hash
        if (!same) throw diverged(e, t, stream, e.revision, `${copied} event(s) were copied in this run`)
      })
      plan.alreadyThere += events.length
      alreadyThere += events.length
    } else {
      if (first !== plan.targetHead + 1)
        throw new MigrationRefused('verification-failed', `${describeEvent(events[0]!)} would land at revision ${plan.targetHead + 1} of the target`)
      try {
        await target.append(stream, events.map(asNewEvent), plan.targetHead === -1 ? 'no_stream' : plan.targetHead)
      } catch (error) {
        if (error instanceof WrongExpectedRevision)
          throw new MigrationRefused(
            'target-moved',
            `the target's stream ${stream} moved while it was being copied (expected revision ${plan.targetHead}, ` +
              `found ${error.actual}): another process writes to the target. Stop it, then run migrate again.`,
          )
        if (error instanceof DuplicateEventId) {
          const e = events.find((x) => x.id === error.eventId) ?? events[0]!
          throw new MigrationRefused(
            'duplicate-id',
            `the id of ${describeEvent(e)} is already used by another event in the target; refusing to copy it`,
          )
        }
        throw error
      }
      const stored = await target.readStream(stream, { fromRevision: first, maxCount: events.length })
      events.forEach((e, i) => {
        const t = stored[i]
        if (!t || t.id !== e.id || t.revision !== e.revision || t.metadata.hash !== e.metadata.hash)
          throw new MigrationRefused(
            'hash-mismatch',
            `${describeEvent(e)} was stored in the target ` +
              (t ? `as id ${t.id} at revision ${t.revision} with hash ${t.metadata.hash}` : 'but cannot be read back') +
              `, not with the source's hash ${e.metadata.hash}: the copy is not faithful. Stopped; the target needs inspecting.`,
          )
      })
      plan.targetHead = events.at(-1)!.revision
      plan.copied += events.length
      copied += events.length
    }
    await report({ phase: 'copy', processed: copied + alreadyThere, copied, alreadyThere, total, elapsedMs: elapsed() })
  }

  if (lastPosition !== undefined) {
    copying: for await (const page of logPages(source, pageSize)) {
      for (const e of page) {
        if (e.position > lastPosition) {
          sourceGrew = true
          break copying
        }
        const plan = plans.get(e.stream)!
        const kind = e.revision <= plan.targetHead ? 'skip' : 'copy'
        const bytes = kind === 'copy' ? appendSize(e) : 0
        if (
          run &&
          (run.stream !== e.stream || run.kind !== kind || run.events.length >= maxBatchEvents || (kind === 'copy' && run.bytes + bytes > maxBatchBytes))
        )
          await flush()
        run ??= { stream: e.stream, kind, events: [], bytes: 0 }
        run.events.push(e)
        run.bytes += bytes
      }
    }
    await flush()
  }

  // 4. verify the target: chains intact, counts and heads equal to the source's.
  const targetChains = new ChainFollower()
  const inTarget = new Map<string, number>()
  let verified = 0
  let otherTargetEvents = 0
  for await (const page of logPages(target, pageSize)) {
    for (const e of page) {
      const plan = plans.get(e.stream)
      if (!plan) {
        otherTargetEvents++
        continue
      }
      const broken = targetChains.next(e)
      if (broken)
        throw new MigrationRefused('verification-failed', `the target's hash chain is broken at ${describeEvent(e)}: ${explainLink(broken)}`)
      inTarget.set(e.stream, (inTarget.get(e.stream) ?? 0) + 1)
      verified++
    }
    await report({ phase: 'verify', verified, total, elapsedMs: elapsed() })
  }
  const streams: StreamSummary[] = []
  for (const plan of plans.values()) {
    const count = inTarget.get(plan.stream) ?? 0
    const head = targetChains.head(plan.stream)
    if (count !== plan.count || head?.hash !== plan.headHash)
      throw new MigrationRefused(
        'verification-failed',
        `after the copy the target's stream ${plan.stream} has ${count} events (head hash ${head?.hash ?? 'none'}), ` +
          `the source's ${plan.count} (head hash ${plan.headHash})`,
      )
    streams.push({ stream: plan.stream, events: plan.count, copied: plan.copied, alreadyThere: plan.alreadyThere, headHash: plan.headHash })
  }
  if (verified !== total)
    throw new MigrationRefused('verification-failed', `after the copy the target holds ${verified} events of the migrated streams, the source ${total}`)

  return { streams, total, copied, alreadyThere, targetEvents: verified, otherTargetEvents, sourceGrew, elapsedMs: elapsed() }
}

const diverged = (ours: RecordedEvent | undefined, theirs: RecordedEvent | undefined, stream: string, revision: number, outcome: string) =>
  new MigrationRefused(
    'target-diverged',
    `the target holds a different event at ${stream} revision ${revision}: ` +
      `${theirs ? `${theirs.type} id ${theirs.id} (hash ${theirs.metadata.hash})` : 'nothing readable'}, where the source has ` +
      `${ours ? `${ours.type} id ${ours.id} (hash ${ours.metadata.hash})` : 'nothing'}. ${outcome}; a migration never overwrites. ` +
      'Migrate into an empty store, or into the one an interrupted migration of this same source left.',
  )

const positive = (n: number, what: string): number => {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what}: expected a positive whole number, got ${n}`)
  return n
}
