import type { RecordedEvent } from '../envelope'
import { type Digest, type DigestHead, digestHash, digestProblems, makeDigest } from './digest'
import { type BrokenLink, eventHash } from './hash-chain'
import type { EventStore } from '../port'
import { logPages } from '../log-pages'
import { type EventRow, SqliteEventStore, toRecorded } from '../sqlite/sqlite'
import { type FirstEventMissing, firstEventMissing, hasEventsTable } from '../sqlite/sqlite-schema'
import { TreeChecker, type TreeReport } from '../merkle/proofs/tree-check'

/**
 * Tamper evidence (docs/audit.md, "Verify"): one pass over the whole log in global order
 * recomputes every stream's hash chain, exactly as verifyStream (hash-chain.ts) does for one
 * stream, and reports the first broken link of each stream: a revision gap (an event deleted, or
 * one inserted out of place), a prevHash that is not the previous event's hash (an event deleted
 * and the next one left pointing at it), or a hash that is not the hash of the event's content (an
 * event altered). Memory is bounded by the number of streams, not of events.
 */
export type LinkProblem = BrokenLink['problem'] | 'unreadable'

export interface Break extends Omit<BrokenLink, 'problem'> {
  readonly problem: LinkProblem
  readonly position: number
  /** The break in words: what was expected and what was found. */
  readonly detail: string
}

const DETAIL: Record<LinkProblem, (b: Omit<Break, 'detail'>) => string> = {
  'revision-gap': (b) =>
    `revision ${b.expected} is missing: the event after revision ${Number(b.expected) - 1} is revision ${b.found} (an event was deleted or moved)`,
  'prev-hash-mismatch': (b) => `it links to previous hash ${b.found}, but the previous event's hash is ${b.expected || '(none: first event)'} (an event before it was removed or altered)`,
  'hash-mismatch': (b) => `its content hashes to ${b.expected}, but it carries hash ${b.found} (the event was altered)`,
  unreadable: (b) => `the stored event is not readable JSON: ${b.found}`,
}

const withDetail = (b: Omit<Break, 'detail'>): Break => ({ ...b, detail: DETAIL[b.problem](b) })

interface StreamCursor {
  next: number
  prevHash: string
  broken: boolean
}

/** The incremental form of verifyStream: feed every event of the log in global order. */
export class ChainChecker {
  private readonly streams = new Map<string, StreamCursor>()
  readonly breaks: Break[] = []
  events = 0
  lastPosition = 0

  check(e: RecordedEvent): Break | undefined {
    this.events++
    this.lastPosition = Math.max(this.lastPosition, e.position)
    let c = this.streams.get(e.stream)
    if (!c) {
      c = { next: 0, prevHash: '', broken: false }
      this.streams.set(e.stream, c)
    }
    if (c.broken) return undefined
    const at = { stream: e.stream, revision: e.revision, eventId: e.id, position: e.position }
    let problem: Omit<Break, 'detail'> | undefined
    const hash = String(e.metadata?.hash)
    if (typeof e.metadata !== 'object' || e.metadata === null)
      problem = { ...at, problem: 'hash-mismatch', expected: '(an object with the chained hash)', found: String(e.metadata) }
    else if (e.revision !== c.next) problem = { ...at, problem: 'revision-gap', expected: String(c.next), found: String(e.revision) }
    else if (e.metadata.prevHash !== c.prevHash) problem = { ...at, problem: 'prev-hash-mismatch', expected: c.prevHash, found: String(e.metadata.prevHash) }
    else {
      const expected = eventHash(e.stream, e.revision, e, c.prevHash)
      if (expected !== hash) problem = { ...at, problem: 'hash-mismatch', expected, found: hash }
    }
    if (problem) return this.fail(c, problem)
    c.next++
    c.prevHash = hash
    return undefined
  }

  unreadable(at: { stream: string; revision: number; eventId: string; position: number }, error: string): Break {
    this.events++
    this.lastPosition = Math.max(this.lastPosition, at.position)
    let c = this.streams.get(at.stream)
    if (!c) {
      c = { next: 0, prevHash: '', broken: false }
      this.streams.set(at.stream, c)
    }
    return this.fail(c, { ...at, problem: 'unreadable', expected: 'JSON', found: error })
  }

  private fail(c: StreamCursor, b: Omit<Break, 'detail'>): Break {
    c.broken = true
    const full = withDetail(b)
    this.breaks.push(full)
    return full
  }

  get streamCount(): number {
    return this.streams.size
  }
}

export interface LogScan {
  readonly events: number
  readonly streams: number
  /** The last global position (0 for an empty log). */
  readonly position: number
  /** The first broken link of each broken stream, in log order. */
  readonly breaks: ReadonlyArray<Break>
  /** Every stream's head now. */
  readonly heads: ReadonlyMap<string, DigestHead>
  /** With `at`: the heads and event count at that position. */
  readonly at?: { readonly position: number; readonly events: number; readonly heads: ReadonlyMap<string, DigestHead> }
  /** The first event the SQLite file's guard sealed, gone from the log (sqlite-schema.ts). */
  readonly firstEventMissing?: FirstEventMissing
  /** The Merkle tree against the log (merkle/proofs/tree-check.ts). */
  readonly tree: TreeReport
}

const PAGE = 5000


/**
 * Calls `f` for every event of the log, in global order. SQLite rows are iterated one at a time
 * and synchronously (an open iterator holds the connection: nothing else may use it meanwhile, so
 * nothing is awaited), and a row that is not readable JSON is reported instead of failing the scan.
 */
const eachEvent = async (store: EventStore, f: (e: RecordedEvent) => void, onUnreadable: (r: EventRow, error: string) => void): Promise<void> => {
  if (store instanceof SqliteEventStore) {
    const rows = store.database.prepare('SELECT position, id, stream, revision, type, data, metadata FROM events ORDER BY position').iterate() as IterableIterator<EventRow>
    for (const r of rows) {
      let e: RecordedEvent
      try {
        e = toRecorded(r)
      } catch (err) {
        onUnreadable(r, err instanceof Error ? err.message : String(err))
        continue
      }
      f(e)
    }
    return
  }
  for await (const page of logPages(store, PAGE)) for (const e of page) f(e)
}

/** One pass over the log: every chain checked, heads collected (and, with `at`, heads at a position). */
export const scanLog = async (store: EventStore, options: { at?: number } = {}): Promise<LogScan> => {
  // Chains cannot tell a log that lost its beginning (no event of it is left to break a link): the guard can.
  const db = store instanceof SqliteEventStore ? store.database : undefined
  const firstEvent = db && firstEventMissing(db)
  const tree = new TreeChecker(store instanceof SqliteEventStore ? store.tree : undefined)
  if (db && firstEvent && !hasEventsTable(db)) {
    const none = { events: 0, heads: new Map<string, DigestHead>() }
    return { ...none, streams: 0, position: 0, breaks: [], tree: tree.report(), firstEventMissing: firstEvent, ...(options.at === undefined ? {} : { at: { ...none, position: options.at } }) }
  }
  const checker = new ChainChecker()
  const heads = new Map<string, DigestHead>()
  const headsAt = new Map<string, DigestHead>()
  let eventsAt = 0
  const upTo = options.at
  const note = (stream: string, revision: number, hash: string, position: number) => {
    heads.set(stream, { stream, revision, hash })
    if (upTo !== undefined && position <= upTo) {
      headsAt.set(stream, { stream, revision, hash })
      eventsAt++
    }
  }
  const unreadable = (r: EventRow, error: string) => {
    checker.unreadable({ stream: r.stream, revision: r.revision, eventId: r.id, position: r.position }, error)
    tree.unreadable(r.position, r.id)
    note(r.stream, r.revision, '(unreadable)', r.position)
  }
  await eachEvent(
    store,
    (e) => {
      checker.check(e)
      tree.check(e)
      note(e.stream, e.revision, String(e.metadata?.hash), e.position)
    },
    unreadable,
  )
  return {
    events: checker.events,
    streams: checker.streamCount,
    position: checker.lastPosition,
    breaks: checker.breaks,
    tree: tree.report(),
    heads,
    ...(firstEvent ? { firstEventMissing: firstEvent } : {}),
    ...(upTo === undefined ? {} : { at: { position: upTo, events: eventsAt, heads: headsAt } }),
  }
}

export interface VerifyReport {
  readonly ok: boolean
  readonly events: number
  readonly streams: number
  readonly position: number
  readonly breaks: ReadonlyArray<Break>
  /** The Merkle tree kept with the log, checked against it. */
  readonly tree: TreeReport
  /** The log lost its beginning: the events table was dropped or emptied (the SQLite file's guard remembers its first event). */
  readonly firstEventMissing?: FirstEventMissing
  /** With a digest: whether the log up to its position is the one it was taken of. */
  readonly digest?: { readonly ok: boolean; readonly position: number; readonly sha256: string; readonly problems: ReadonlyArray<string> }
}

/** A digest as an auditor may hold it: the whole file, or only its position and SHA-256. */
export type DigestClaim = Digest | { readonly position: number; readonly sha256: string }

/**
 * Recomputes every hash chain; with a digest, also checks that the log up to its position is the
 * one it was taken of: the digest recomputed from the log at that position must have the same
 * SHA-256 (and, given the whole digest, each difference is named).
 */
export const verifyLog = async (store: EventStore, options: { digest?: DigestClaim } = {}): Promise<VerifyReport> => {
  const d = options.digest
  const scan = await scanLog(store, d ? { at: d.position } : {})
  let digest: VerifyReport['digest']
  if (d && scan.at) {
    const now = { position: scan.position, events: scan.at.events, heads: scan.at.heads }
    const problems = 'streams' in d ? digestProblems(d, now) : []
    const recomputed = digestHash(d.position, now.events, [...now.heads.values()])
    if (recomputed !== d.sha256 && problems.length === 0)
      problems.push(
        scan.position < d.position
          ? `the log ends at position ${scan.position}, before the digest's position ${d.position}: events were removed`
          : `the log at position ${d.position} has digest ${recomputed}, not ${d.sha256}: it was rewritten up to there`,
      )
    digest = { ok: problems.length === 0, position: d.position, sha256: d.sha256, problems }
  }
  const chains = chainReport(scan)
  return { ...chains, ok: chains.ok && (digest?.ok ?? true), ...(digest ? { digest } : {}) }
}

/** What the scan says of the chains, without a digest. */
const chainReport = (scan: LogScan): VerifyReport => ({
  ok: scan.breaks.length === 0 && scan.firstEventMissing === undefined && scan.tree.ok,
  events: scan.events,
  streams: scan.streams,
  position: scan.position,
  breaks: scan.breaks,
  tree: scan.tree,
  ...(scan.firstEventMissing ? { firstEventMissing: scan.firstEventMissing } : {}),
})

/**
 * A digest of the log as it is now, taken only of a log whose chains verify (a digest of a broken
 * log would certify the break): the report, and the digest when the log is intact.
 */
export const takeDigest = async (store: EventStore, now: Date): Promise<{ report: VerifyReport; digest?: Digest }> => {
  const scan = await scanLog(store)
  const report = chainReport(scan)
  if (!report.ok) return { report }
  return { report, digest: makeDigest(scan.position, scan.events, scan.heads.values(), now) }
}
