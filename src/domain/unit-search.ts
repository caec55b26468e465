/** A unit as a search sees it: its code and its name (null when its opening gave none). */
export interface SearchableUnit {
  readonly unit: string
  readonly name: string | null
}

/** Full-width digits and letters typed on a Chinese keyboard find the same units as half-width ones. */
const folded = (s: string) => s.normalize('NFKC').toLowerCase()

/**
 * What a person types to find a unit: the start of its code, or any part of its name (either
 * width, any case). The text is taken as typed, never as a pattern.
 */
export const unitSearch = (typed: string) => {
  const needle = folded(typed)
  return (u: SearchableUnit): boolean => u.unit.startsWith(needle) || (u.name !== null && folded(u.name).includes(needle))
}
