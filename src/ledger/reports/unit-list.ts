import { parseStream } from '../../domain/codecs/primitives'
import type { EventStore } from '../../store/port'

/**
 * A unit of the ledger: its code, its current name (the one its latest year's opening gives: a unit
 * renamed is opened under its new name the next year), and its budget years.
 */
export interface UnitListing {
  readonly unit: string
  readonly name: string | null
  readonly years: number[]
}

/** A page of the units, in code order, and whether more follow it. */
export interface UnitPage {
  readonly units: UnitListing[]
  readonly more: boolean
}

/** Which units a listing gives: after a code, at most `limit`, only those `match` keeps, or only the unit `only`. */
export interface UnitQuery {
  readonly after?: string
  readonly limit?: number
  readonly match?: (u: UnitListing) => boolean
  readonly only?: string
}

/** After every stream of the unit: its years are `budget-<unit>-<yyyy>`, all below this name. */
const pastUnit = (unit: string) => `budget-${unit}-\u{10FFFF}`

/** Streams read at once while searching: a search keeps few of them, so pages of the index are larger. */
const SEARCH_BATCH = 500

/**
 * The units after `after` (a unit code), at most `limit` of them, from the store's summaries of
 * the streams' openings: a page costs a read or two of the index, never one read per unit-year,
 * and a search that keeps few units reads small rows, never an event. A unit's years are adjacent
 * in name order, so a page never splits a unit, and a unit is matched once all its years are read.
 */
export const listUnits = async (store: EventStore, page: UnitQuery = {}): Promise<UnitPage> => {
  const units: UnitListing[] = []
  const limit = page.limit ?? Number.POSITIVE_INFINITY
  const keep = page.match ?? (() => true)
  // A few more streams than units: most units have one or two years; a unit of more takes another read.
  const batch = Number.isFinite(limit) ? Math.max(limit + 16, page.match ? SEARCH_BATCH : 0) : undefined
  const prefix = page.only === undefined ? 'budget-' : `budget-${page.only}-`
  let after = page.after === undefined ? undefined : pastUnit(page.after)
  let open: { unit: string; name: string | null; years: number[] } | undefined
  /** The unit read in full: kept if it matches; true when it is one past the page (so more follow). */
  const done = (): boolean => {
    if (!open || !keep(open)) return false
    if (units.length === limit) return true
    units.push(open)
    return false
  }
  for (;;) {
    const openings = await store.listOpeningSummaries(prefix, { ...(after === undefined ? {} : { after }), ...(batch === undefined ? {} : { limit: batch }) })
    for (const { stream, name } of openings) {
      const at = parseStream(stream)
      if (!at) continue
      if (open?.unit !== at.unit) {
        if (done()) return { units, more: true }
        open = { unit: at.unit, name: null, years: [] }
      }
      // Years come in order: a later year's name is the newer one.
      open.name = name ?? open.name
      open.years.push(at.year)
    }
    if (batch === undefined || openings.length < batch) return { units, more: done() }
    after = openings.at(-1)!.stream
  }
}

/** One unit's listing (its name and years), or undefined when the ledger has no year of it. */
export const unitListing = async (store: EventStore, unit: string): Promise<UnitListing | undefined> => (await listUnits(store, { only: unit })).units[0]
