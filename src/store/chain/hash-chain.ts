import type { ChainedMetadata, EventMetadata, NewEvent, RecordedEvent } from '../envelope'
import { sha256Hex } from './sha256'

/** Characters JSON.stringify writes escaped (a quote, a backslash, controls; every surrogate, to leave a lone one to it). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/

/** JSON.stringify of a string, without calling it for one that needs no escape (most keys and values): the call was most of canonicalJson's time. */
const quoted = (text: string): string => (ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`)

/**
 * JSON with object keys sorted at every depth, so equal values always hash alike. Keys sorted by
 * UTF-16 code units (`sort()`'s own order), a key whose value is undefined left out. Built in one
 * string rather than through arrays of entries: it runs twice an event on every commit (the chain's
 * hash and the Merkle leaf), and the entries' arrays were most of its cost (docs/speed.md, "Writes,
 * waking the committer"); primitives are written without JSON.stringify where its answer is known
 * (docs/speed.md, "Writes, the commit's SQL").
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return quoted(value)
    case 'number':
      // JSON.stringify's own rule: a finite number as String gives it (-0 as 0), any other as null.
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      break
    default:
      // undefined, a function or a symbol: null, as JSON.stringify's undefined gave; a bigint: it throws, as it always did.
      return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const object = value as Record<string, unknown>
  let out = '{'
  for (const key of Object.keys(object).sort()) {
    const v = object[key]
    if (v === undefined) continue
    out += `${out.length > 1 ? ',' : ''}${quoted(key)}:${canonicalJson(v)}`
  }
  return `${out}}`
}

export const sha256 = sha256Hex

/** The hash covers identity, place, content and the previous hash: change any and the chain breaks. */
export const eventHash = (
  stream: string,
  revision: number,
  event: { id: string; type: string; data: unknown; metadata: EventMetadata },
  prevHash: string,
): string => {
  const { hash: _h, prevHash: _p, ...metadata } = event.metadata as EventMetadata & { hash?: unknown; prevHash?: unknown }
  return sha256(canonicalJson({ stream, revision, id: event.id, type: event.type, data: event.data, metadata, prevHash }))
}

/** Chains a batch onto the stream's head; adapters call this inside their append. */
export const chain = (
  stream: string,
  firstRevision: number,
  headHash: string,
  events: ReadonlyArray<NewEvent>,
): Array<NewEvent & { metadata: ChainedMetadata }> => {
  let prevHash = headHash
  return events.map((e, i) => {
    const hash = eventHash(stream, firstRevision + i, e, prevHash)
    const metadata: ChainedMetadata = { ...e.metadata, prevHash, hash }
    prevHash = hash
    return { ...e, metadata }
  })
}

export interface BrokenLink {
  readonly stream: string
  readonly revision: number
  readonly eventId: string
  readonly problem: 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap'
  readonly expected: string
  readonly found: string
}

/** Checks one stream's events in revision order; returns the first broken link, if any. */
export const verifyStream = (events: ReadonlyArray<RecordedEvent>): BrokenLink | undefined => {
  let prevHash = ''
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!
    const at = { stream: e.stream, revision: e.revision, eventId: e.id }
    if (e.revision !== i) return { ...at, problem: 'revision-gap', expected: String(i), found: String(e.revision) }
    if (e.metadata.prevHash !== prevHash)
      return { ...at, problem: 'prev-hash-mismatch', expected: prevHash, found: String(e.metadata.prevHash) }
    const expected = eventHash(e.stream, e.revision, e, prevHash)
    if (expected !== e.metadata.hash) return { ...at, problem: 'hash-mismatch', expected, found: String(e.metadata.hash) }
    prevHash = e.metadata.hash
  }
  return undefined
}
