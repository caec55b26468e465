import type { ChainedMetadata, EventMetadata, NewEvent, RecordedEvent } from './envelope'
import { sha256Hex } from './sha256'

/**
 * A value already in canonical JSON: canonicalJson writes its text as it stands. One encoding of an
 * event's data serves both the chain's hash and the Merkle leaf (docs/speed.md, "Writes, the
 * commit's SQL").
 */
export class Encoded {
  constructor(readonly text: string) {}
}

/**
 * Cleared by `encode` when it meets something JSON.stringify stores otherwise than canonicalJson
 * encodes it (a function or symbol, a hole in an array, an object that is not a plain one or has a
 * toJSON, undefined at the top): then the stored JSON does not read back to what was encoded.
 */
let plain = true

/** Characters JSON.stringify writes escaped (a quote, a backslash, controls; every surrogate, to leave a lone one to it). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/

/** JSON.stringify of a string, without calling it for one that needs no escape (most keys and values): the call was most of canonicalJson's time. */
const quoted = (text: string): string => (ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`)

/**
 * JSON with object keys sorted at every depth, so equal values always hash alike. Keys sorted by
 * UTF-16 code units (`sort()`'s own order), a key whose value is undefined left out, an array's
 * hole written as nothing (as `join` does). Built in one string rather than through arrays of
 * entries: it runs for every event on every commit, and the entries' arrays were most of its cost
 * (docs/speed.md, "Writes, waking the committer"); primitives written without JSON.stringify where
 * its answer is known (docs/speed.md, "Writes, the commit's SQL").
 */
const encode = (value: unknown): string => {
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
    case 'bigint':
      return JSON.stringify(value) // throws, as it always did
    default:
      plain = false
      return 'null'
  }
  if (value instanceof Encoded) return value.text
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (Array.isArray(value)) {
    if (toJSON !== undefined || Object.getPrototypeOf(value) !== Array.prototype) plain = false
    let out = '['
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      if (i > 0) out += ','
      if (v === undefined && !(i in value)) plain = false
      else out += encode(v)
    }
    return `${out}]`
  }
  const prototype: unknown = Object.getPrototypeOf(value)
  if (toJSON !== undefined || (prototype !== Object.prototype && prototype !== null)) plain = false
  const object = value as Record<string, unknown>
  let out = '{'
  for (const key of Object.keys(object).sort()) {
    const v = object[key]
    if (v === undefined) continue
    out += `${out.length > 1 ? ',' : ''}${quoted(key)}:${encode(v)}`
  }
  return `${out}}`
}

export const canonicalJson = (value: unknown): string => encode(value)

/**
 * The canonical JSON of a value, and whether it is also that of what JSON.stringify stores of it
 * read back (`canonicalJson(JSON.parse(JSON.stringify(value)))`): true when the value is plain
 * data, null, booleans, numbers, strings, arrays without holes and plain objects, read alike each
 * time (as anything that crossed a structured clone or came out of JSON.parse is).
 */
export const canonicalJsonChecked = (value: unknown): { readonly text: string; readonly plain: boolean } => {
  plain = true
  const text = encode(value)
  return { text, plain }
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

/** An event chained onto its stream; `canonicalData` is its data's canonical JSON when the stored JSON reads back to the same (for the Merkle leaf). */
export type ChainedEvent = NewEvent & { readonly metadata: ChainedMetadata; readonly canonicalData?: string }

/** Chains a batch onto the stream's head; adapters call this inside their append. */
export const chain = (
  stream: string,
  firstRevision: number,
  headHash: string,
  events: ReadonlyArray<NewEvent>,
): ChainedEvent[] => {
  let prevHash = headHash
  return events.map((e, i) => {
    // The data encoded once: its text stands in the hash's input for the data itself (the same bytes;
    // undefined data is left to the hash as it is, where it drops the key).
    const data = e.data === undefined ? undefined : canonicalJsonChecked(e.data)
    const hash = eventHash(stream, firstRevision + i, data === undefined ? e : { id: e.id, type: e.type, data: new Encoded(data.text), metadata: e.metadata }, prevHash)
    const metadata: ChainedMetadata = { ...e.metadata, prevHash, hash }
    prevHash = hash
    return data?.plain ? { ...e, metadata, canonicalData: data.text } : { ...e, metadata }
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
