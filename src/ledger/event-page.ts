import type { ReplayEvent } from './stream-reader'

/**
 * A page of replay events as it crosses from the read thread to the folding thread (read-thread.ts):
 * by column, not as a thousand event objects. Receiving a structured clone costs the folding thread
 * per object and per string: as columns a page is one array per field, and the type and business date (a handful of distinct values a page) each a short table and a
 * typed array of indexes. Receiving and rebuilding the events costs the folding thread about 0.6×
 * receiving the events themselves (docs/speed.md, "Pages as one text, and pages across threads").
 */
export interface EventPage {
  /**
   * A plain array, not a Float64Array: a number read from a Float64Array is a double, and an event
   * holding one keeps its revision as a boxed number (16 bytes more for each event the journal keeps).
   */
  readonly revisions: number[]
  readonly ids: string[]
  readonly data: unknown[]
  readonly recordedAt: string[]
  /** The page's distinct types, and each event's index into them. */
  readonly types: string[]
  readonly typeOf: Uint16Array
  /** The page's distinct business dates, and each event's index into them. */
  readonly dates: string[]
  readonly dateOf: Uint16Array
  /** [index in the page, schemaVersion] of the few events that carry a stored version, ascending. */
  readonly versions: Array<[number, number]>
}

/** Each value's index into the table of the distinct values, in order of first appearance. */
const tabled = (values: ReadonlyArray<string>): [table: string[], indexOf: Uint16Array] => {
  const index = new Map<string, number>()
  const of = new Uint16Array(values.length)
  for (let i = 0; i < values.length; i++) {
    let k = index.get(values[i]!)
    if (k === undefined) index.set(values[i]!, (k = index.size))
    of[i] = k
  }
  return [[...index.keys()], of]
}

/** A page of events by column (on the read thread). A page holds at most 65,536 events (the indexes are 16-bit). */
export const toEventPage = (events: ReadonlyArray<ReplayEvent>): EventPage => {
  if (events.length > 65_536) throw new Error(`invariant: a page of events holds at most 65,536 events, got ${events.length}`)
  const [types, typeOf] = tabled(events.map((e) => e.type))
  const [dates, dateOf] = tabled(events.map((e) => e.effectiveDate))
  const versions: Array<[number, number]> = []
  for (let i = 0; i < events.length; i++) {
    const version = events[i]!.schemaVersion
    if (version !== undefined) versions.push([i, version])
  }
  return {
    revisions: events.map((e) => e.revision),
    ids: events.map((e) => e.id),
    data: events.map((e) => e.data),
    recordedAt: events.map((e) => e.recordedAt),
    types,
    typeOf,
    dates,
    dateOf,
    versions,
  }
}

/** The buffers a page's typed arrays can hand over instead of copying (postMessage's transfer list). */
export const pageBuffers = (page: EventPage): ArrayBuffer[] => [page.typeOf.buffer as ArrayBuffer, page.dateOf.buffer as ArrayBuffer]

/**
 * Calls `f` with each event of a page, in order, as the reader that read it gave it (on the folding
 * thread). `typeOf` maps each of the page's distinct types once (the domain's own strings: a clone
 * brings every string anew).
 */
export const eachEvent = (page: EventPage, typeOf: (type: string) => string, f: (e: ReplayEvent) => void): void => {
  const types = page.types.map(typeOf)
  const { revisions, ids, data, recordedAt, dates, dateOf, versions } = page
  let v = 0
  for (let i = 0; i < ids.length; i++) {
    const e: ReplayEvent = { revision: revisions[i]!, id: ids[i]!, type: types[page.typeOf[i]!]!, data: data[i], recordedAt: recordedAt[i]!, effectiveDate: dates[dateOf[i]!]! }
    if (v < versions.length && versions[v]![0] === i) f({ ...e, schemaVersion: versions[v++]![1] })
    else f(e)
  }
}
