import * as E from 'fp-ts/Either'
import { decode } from '../codecs/decode'
import { CURRENT_VERSIONS, STORED_WITHOUT_VERSION, UPCASTERS, VERSIONED_TYPES, isEventType } from './event-versions'
import { type DomainEvent, EVENT_CODECS } from './events'

/**
 * From an event as stored to the event the fold reads: its stored version, upcast step by step to
 * the current one (event-versions.ts), then checked by the current codec. The stored payload is
 * never changed, so the hash chain keeps covering the bytes as written.
 *
 * An event already at the current version was checked by that codec when it was decided, and the
 * hash chain has guarded it since: it is passed through unchecked, because decoding every event
 * of a million-event rebuild would double its time. What an upcaster made is always checked.
 */

/** A stored event the current code cannot read: a newer version, or an upcast that does not decode. */
export class UnreadableEvent extends Error {
  override readonly name = 'UnreadableEvent'
  constructor(
    readonly eventId: string,
    readonly type: string,
    readonly version: number,
    why: string,
  ) {
    super(`event ${eventId} (${type} version ${version}) cannot be read: ${why}`)
  }
}

export interface StoredDomainEvent {
  readonly id: string
  readonly revision: number
  readonly type: string
  readonly data: unknown
}

/** The stored version, as metadata carries it: absent (events stored before versions) is 1. */
export const storedVersion = (schemaVersion: unknown): number =>
  schemaVersion === undefined || schemaVersion === null ? STORED_WITHOUT_VERSION : Number(schemaVersion)

/** The payload of `type` upcast from `version` to the current version; the codec not yet applied. */
export const upcast = (type: string, version: number, data: unknown, eventId = '(payload)'): unknown => {
  if (!isEventType(type)) return data
  const current = CURRENT_VERSIONS[type]
  if (!Number.isInteger(version) || version < 1)
    throw new UnreadableEvent(eventId, type, version, `its schemaVersion must be a whole number from 1, got ${JSON.stringify(version)}`)
  if (version > current)
    throw new UnreadableEvent(eventId, type, version, `this code knows ${type} up to version ${current}: it was written by a newer budget-ledger`)
  let out = data
  for (let v = version; v < current; v++) {
    const step = UPCASTERS[type]?.[v]
    if (!step) throw new UnreadableEvent(eventId, type, version, `no upcaster from version ${v} to ${v + 1} (src/domain/events/event-versions.ts)`)
    out = step(out)
  }
  return out
}

/**
 * The domain event a stored one stands for today. An unknown type passes through as it is stored
 * (the fold ignores it), as it did before versions. So does a type that has only ever had version
 * 1: the fast readers do not read its stored version (stream-reader.ts), and every reader must
 * fold the same events.
 */
export const readStoredEvent = (e: StoredDomainEvent, schemaVersion: unknown): { id: string; revision: number; event: DomainEvent } => {
  // The common case first: a type that never had a second version (or no type of the domain).
  if (!VERSIONED_TYPES.has(e.type)) return { id: e.id, revision: e.revision, event: { type: e.type, data: e.data } as DomainEvent }
  const version = storedVersion(schemaVersion)
  if (!isEventType(e.type) || version === CURRENT_VERSIONS[e.type]) return { id: e.id, revision: e.revision, event: { type: e.type, data: e.data } as DomainEvent }
  const data = upcast(e.type, version, e.data, e.id)
  const decoded = decode(EVENT_CODECS.get(e.type)!, 'data')(data)
  if (E.isLeft(decoded))
    throw new UnreadableEvent(e.id, e.type, version, `upcast to version ${CURRENT_VERSIONS[e.type]} it does not decode: ${decoded.left.map((f) => f.message).join('; ')}`)
  return { id: e.id, revision: e.revision, event: { type: e.type, data: decoded.right } as DomainEvent }
}
