import { parseStream } from '../domain/primitives'
import type { EventStore } from '../store/port'

/** A unit of the ledger: its code, its name as its first year's opening gives it, and its budget years. */
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

/** After every stream of the unit: its years are `budget-<unit>-<yyyy>`, all below this name. */
const pastUnit = (unit: string) => `budget-${unit}-\u{10FFFF}`

/**
 * The units after `after` (a unit code), at most `limit` of them, from the store's index of
 * streams and their first events: a page costs a read or two of the index, never one read per
 * unit-year. A unit's years are adjacent in name order, so a page never splits a unit.
 */
export const listUnits = async (store: EventStore, page: { after?: string; limit?: number } = {}): Promise<UnitPage> => {
  const units: Array<{ unit: string; name: string | null; years: number[] }> = []
  const limit = page.limit ?? Number.POSITIVE_INFINITY
  // A few more streams than units: most units have one or two years; a unit of more takes another read.
  const batch = Number.isFinite(limit) ? limit + 16 : undefined
  let after = page.after === undefined ? undefined : pastUnit(page.after)
  for (;;) {
    const openings = await store.listStreamOpenings('budget-', { ...(after === undefined ? {} : { after }), ...(batch === undefined ? {} : { limit: batch }) })
    for (const { stream, first } of openings) {
      const at = parseStream(stream)
      if (!at) continue
      let entry = units.at(-1)
      if (entry?.unit !== at.unit) {
        if (units.length === limit) return { units, more: true }
        entry = { unit: at.unit, name: null, years: [] }
        units.push(entry)
      }
      entry.name ??= (first.data as { unit?: { name?: string } } | undefined)?.unit?.name ?? null
      entry.years.push(at.year)
    }
    if (batch === undefined || openings.length < batch) return { units, more: false }
    after = openings.at(-1)!.stream
  }
}
