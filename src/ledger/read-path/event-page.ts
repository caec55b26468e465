import { plainKeys, scanFlat } from './flat-payload'
import type { DomainEvent } from '../../domain/events/events'
import type { ReplayEvent } from './stream-reader'

/**
 * A page of replay events as it crosses from the read thread to the folding thread (read-thread.ts):
 * by column, not as a thousand event objects. Receiving a structured clone costs the folding thread
 * per object and per string, and most of it is the payload objects: as columns a page is one array
 * per field; the type and business date (a handful of distinct values a page) each a short table
 * and a typed array of indexes; and a flat payload (every value a JSON primitive, as most events'
 * are) its values only, its keys once for all the page's payloads of that shape, the object made
 * again here by assignment. Receiving and rebuilding costs the folding thread about half of
 * receiving the event objects (docs/speed.md, "Pages as one text, and pages across threads").
 */
export interface EventPage {
  /**
   * A plain array, not a Float64Array: a number read from a Float64Array is a double, and an event
   * holding one keeps its revision as a boxed number (16 bytes more for each event the journal keeps).
   */
  readonly revisions: number[]
  readonly ids: string[]
  /**
   * Each event's recording time in ms (ReplayEvent.recordedMs): a typed array crosses by transfer,
   * where a million strings each cost the clone a copy on both threads and the timeline a parse.
   */
  readonly recordedMs: Float64Array
  /** The page's distinct types, and each event's index into them. */
  readonly types: string[]
  readonly typeOf: Uint16Array
  /** The page's distinct business dates, and each event's index into them. */
  readonly dates: string[]
  readonly dateOf: Uint16Array
  /** The keys of each shape of flat payload in the page, in the payload's own order. */
  readonly shapes: string[][]
  /** Each event's payload shape, or -1: that payload crosses whole (in `whole`, in page order). */
  readonly shapeOf: Int32Array
  /** The flat payloads' values, payload after payload, each in its shape's key order. */
  readonly values: unknown[]
  readonly whole: unknown[]
  /** [index in the page, schemaVersion] of the few events that carry a stored version, ascending. */
  readonly versions: Array<[number, number]>
}

/** A table of distinct values, each given its index in order of first appearance. */
class Table {
  private readonly index = new Map<string, number>()
  indexOf(value: string): number {
    let k = this.index.get(value)
    if (k === undefined) this.index.set(value, (k = this.index.size))
    return k
  }
  values(): string[] {
    return [...this.index.keys()]
  }
}

/**
 * The keys of a payload that assignment rebuilds exactly: a plain object (not an array) whose
 * values are all JSON primitives. Not "__proto__": as JSON.parse's own key it is a property, as an
 * assignment it would set the prototype.
 */
const flatKeys = (data: unknown): string[] | undefined => {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined
  const keys = Object.keys(data)
  for (const k of keys) {
    const v = (data as Record<string, unknown>)[k]
    if ((v !== null && typeof v === 'object') || k === '__proto__') return undefined
  }
  return keys
}

/**
 * Whether two payloads' keys are the same, in the same order. Compared key by key rather than as one
 * JSON text each: the stringify per event was a fifth of building a page. (Keys that JSON.parse
 * made are the string table's own, so equal keys are mostly one string and compare at once.)
 */
const sameKeys = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a.length !== b.length) return false
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false
  return true
}

/** Bytes of a page's typed columns an event: recordedMs (8, first, so it is aligned), shapeOf (4), typeOf and dateOf (2 each). */
const BYTES_PER_EVENT = 16

/**
 * A page of events by column, event after event (on the read thread): first an event's fields
 * (`event`), then its payload, either as stored (`text`: read against the shape its type's payloads
 * had last in this page, flat-payload.ts) or parsed (`parsed`: when `text` answers false, and for
 * payloads that come parsed). A page holds at most 65,536 events (the indexes are 16-bit).
 */
export class EventPageBuilder {
  private readonly revisions: number[] = []
  private readonly ids: string[] = []
  private readonly recordedMs: Float64Array
  private readonly types = new Table()
  private readonly typeOf: Uint16Array
  private readonly dates = new Table()
  private readonly dateOf: Uint16Array
  private readonly shapes: string[][] = []
  /** The shape the last flat payload of each type (by index) had, if its keys are plainKeys; else -1. */
  private readonly shapeOfType: number[] = []
  private readonly shapeOf: Int32Array
  private readonly values: unknown[] = []
  private readonly whole: unknown[] = []
  private readonly versions: Array<[number, number]> = []
  private count = 0
  private type = 0
  private last = -1

  constructor(size: number) {
    if (size > 65_536) throw new Error(`invariant: a page of events holds at most 65,536 events, got ${size}`)
    // The four typed columns are views of one buffer: one allocation and one transfer a page, not four.
    const buffer = new ArrayBuffer(size * BYTES_PER_EVENT)
    this.recordedMs = new Float64Array(buffer, 0, size)
    this.shapeOf = new Int32Array(buffer, size * 8, size)
    this.typeOf = new Uint16Array(buffer, size * 12, size)
    this.dateOf = new Uint16Array(buffer, size * 14, size)
  }

  event(revision: number, id: string, type: string, recordedMs: number, effectiveDate: string, schemaVersion: number | undefined): void {
    const i = this.count++
    this.revisions.push(revision)
    this.ids.push(id)
    this.recordedMs[i] = recordedMs
    this.typeOf[i] = this.type = this.types.indexOf(type)
    this.dateOf[i] = this.dates.indexOf(effectiveDate)
    if (schemaVersion !== undefined) this.versions.push([i, schemaVersion])
  }

  /** The current event's payload from its stored JSON text, if it is flat and of its type's last shape; false: give it `parsed`. */
  text(text: string): boolean {
    const s = this.shapeOfType[this.type] ?? -1
    if (s < 0 || !scanFlat(text, this.shapes[s]!, this.values)) return false
    this.shapeOf[this.count - 1] = this.last = s
    return true
  }

  /** The current event's payload, parsed. */
  parsed(data: unknown): void {
    const i = this.count - 1
    const keys = flatKeys(data)
    if (!keys) {
      this.shapeOf[i] = -1
      this.whole.push(data)
      return
    }
    // Most events of a page share a shape with the one before; a page has a handful of shapes.
    const { shapes, last } = this
    let s = last >= 0 && sameKeys(shapes[last]!, keys) ? last : shapes.findIndex((shape) => sameKeys(shape, keys))
    if (s < 0) s = shapes.push(keys) - 1
    this.shapeOf[i] = this.last = s
    this.shapeOfType[this.type] = plainKeys(shapes[s]!) ? s : -1
    for (const k of keys) this.values.push((data as Record<string, unknown>)[k])
  }

  page(): EventPage {
    if (this.count !== this.shapeOf.length) throw new Error(`invariant: a page built for ${this.shapeOf.length} events got ${this.count}`)
    const { revisions, ids, recordedMs, typeOf, dateOf, shapes, shapeOf, values, whole, versions } = this
    return { revisions, ids, recordedMs, types: this.types.values(), typeOf, dates: this.dates.values(), dateOf, shapes, shapeOf, values, whole, versions }
  }
}

/** A page of parsed events by column. */
export const toEventPage = (events: ReadonlyArray<ReplayEvent>): EventPage => {
  const page = new EventPageBuilder(events.length)
  for (const e of events) {
    page.event(e.revision, e.id, e.type, e.recordedMs, e.effectiveDate, e.schemaVersion)
    page.parsed(e.data)
  }
  return page.page()
}

/** The buffer a page's typed arrays can hand over instead of copying (postMessage's transfer list): one, which they all view. */
export const pageBuffers = (page: EventPage): ArrayBuffer[] => [page.recordedMs.buffer as ArrayBuffer]

/**
 * A replay event as a page gives it, which is also the event the fold reads at its place in the
 * stream (`event`: itself, a type and a payload): a rebuild then makes one object an event where it
 * made three (this, readStoredEvent's { id, revision, event } and the { type, data } inside it,
 * ≈ 90 bytes an event, docs/speed.md, "Rebuild, one event object"). Only for a type that never had
 * a second version, whose stored payload is the domain's as it is (toDomainEvent, time-travel.ts);
 * the getter is on the prototype, so the event's own fields are the ReplayEvent's.
 */
export class PageEvent implements ReplayEvent {
  constructor(
    readonly revision: number,
    readonly id: string,
    readonly type: string,
    readonly data: unknown,
    readonly recordedMs: number,
    readonly effectiveDate: string,
  ) {}

  get event(): DomainEvent {
    return this as unknown as DomainEvent
  }
}

/**
 * Calls `f` with each event of a page, in order, as the reader that read it gave it (on the folding
 * thread). `typeOf` maps each of the page's distinct types once (the domain's own strings: a clone
 * brings every string anew).
 */
export const eachEvent = (page: EventPage, typeOf: (type: string) => string, f: (e: ReplayEvent) => void): void => {
  const types = page.types.map(typeOf)
  const { revisions, ids, recordedMs, dates, dateOf, shapes, shapeOf, values, whole, versions } = page
  let value = 0
  let w = 0
  let v = 0
  for (let i = 0; i < ids.length; i++) {
    const s = shapeOf[i]!
    let data: unknown
    if (s < 0) data = whole[w++]
    else {
      const keys = shapes[s]!
      const o: Record<string, unknown> = {}
      for (let k = 0; k < keys.length; k++) o[keys[k]!] = values[value++]
      data = o
    }
    const e = new PageEvent(revisions[i]!, ids[i]!, types[page.typeOf[i]!]!, data, recordedMs[i]!, dates[dateOf[i]!]!)
    if (v < versions.length && versions[v]![0] === i) f({ ...e, schemaVersion: versions[v++]![1] })
    else f(e)
  }
}
