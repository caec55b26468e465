import * as E from 'fp-ts/Either'
import { canonicalJson, sha256 } from './hash-chain'

/**
 * A digest of the whole log at one global position (docs/audit.md, "Digest"): the head of every
 * stream (its last revision at or before that position, and that event's chained hash), the
 * number of events, and one SHA-256 over them in canonical JSON. An auditor keeps it offline.
 * Since every event's hash covers the previous one's, a stream's head hash commits to every event
 * of the stream up to it: if the chains still verify later and the log's heads at that position
 * are still these, nothing up to that position was altered, removed or inserted.
 */
export const DIGEST_FORMAT = 'budget-ledger/digest@1'

export interface DigestHead {
  readonly stream: string
  readonly revision: number
  readonly hash: string
}

export interface Digest {
  readonly format: typeof DIGEST_FORMAT
  /** When it was taken (not covered by sha256: two digests of the same log agree). */
  readonly takenAt: string
  /** The global position it covers: every event at or before it. */
  readonly position: number
  /** Events at or before the position. */
  readonly events: number
  /** Every stream's head at the position, by stream name. */
  readonly streams: ReadonlyArray<DigestHead>
  /** SHA-256 of canonical JSON {format, position, events, streams}. */
  readonly sha256: string
}

const byStream = (a: DigestHead, b: DigestHead) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)

export const digestHash = (position: number, events: number, streams: ReadonlyArray<DigestHead>): string =>
  sha256(canonicalJson({ format: DIGEST_FORMAT, position, events, streams: [...streams].sort(byStream) }))

export const makeDigest = (position: number, events: number, heads: Iterable<DigestHead>, takenAt: Date): Digest => {
  const streams = [...heads].map((h) => ({ stream: h.stream, revision: h.revision, hash: h.hash })).sort(byStream)
  return { format: DIGEST_FORMAT, takenAt: takenAt.toISOString(), position, events, streams, sha256: digestHash(position, events, streams) }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)
const isCount = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0

/** Reads a digest file's JSON; refuses one whose own sha256 does not match its content. */
export const parseDigest = (value: unknown): E.Either<string, Digest> => {
  if (!isRecord(value) || value.format !== DIGEST_FORMAT) return E.left(`not a digest: expected {"format": "${DIGEST_FORMAT}", …}`)
  const { position, events, streams, sha256: hash, takenAt } = value
  if (!isCount(position) || !isCount(events) || typeof hash !== 'string' || !Array.isArray(streams))
    return E.left('not a digest: it needs position, events, streams and sha256')
  const heads: DigestHead[] = []
  for (const [i, s] of streams.entries()) {
    if (!isRecord(s) || typeof s.stream !== 'string' || !isCount(s.revision) || typeof s.hash !== 'string')
      return E.left(`not a digest: streams[${i}] needs stream, revision and hash`)
    heads.push({ stream: s.stream, revision: s.revision, hash: s.hash })
  }
  if (digestHash(position, events, heads) !== hash)
    return E.left('the digest does not match its own sha256: the file was altered or damaged; use the copy kept offline')
  return E.right({ format: DIGEST_FORMAT, takenAt: typeof takenAt === 'string' ? takenAt : '', position, events, streams: heads.sort(byStream), sha256: hash })
}

/**
 * What the log now holds at the digest's position, against the digest: each difference in words.
 * [] when the log up to that position is the one the digest was taken of.
 */
export const digestProblems = (
  digest: Digest,
  now: { readonly position: number; readonly events: number; readonly heads: ReadonlyMap<string, DigestHead> },
): string[] => {
  const problems: string[] = []
  if (now.position < digest.position)
    problems.push(`the log ends at position ${now.position}, before the digest's position ${digest.position}: events were removed`)
  if (now.events !== digest.events)
    problems.push(`the log holds ${now.events} event(s) at or before position ${digest.position}; the digest counted ${digest.events}`)
  const seen = new Set<string>()
  for (const d of digest.streams) {
    seen.add(d.stream)
    const h = now.heads.get(d.stream)
    if (!h) problems.push(`stream ${d.stream}: the digest has it at revision ${d.revision}; the log has no event of it at or before position ${digest.position}`)
    else if (h.revision !== d.revision)
      problems.push(`stream ${d.stream}: at position ${digest.position} it ends at revision ${h.revision}; the digest says ${d.revision}`)
    else if (h.hash !== d.hash)
      problems.push(`stream ${d.stream} revision ${d.revision}: hash ${h.hash}, the digest says ${d.hash}: the stream was rewritten up to there`)
  }
  for (const [stream, h] of now.heads)
    if (!seen.has(stream)) problems.push(`stream ${stream}: has ${h.revision + 1} event(s) at or before position ${digest.position} that the digest does not know`)
  return problems
}
