/**
 * A unit-year's revision as a strong entity tag: revision 7 → `"7"`. Reads send it in ETag;
 * commands may send it back in If-Match to be decided only on that revision (RFC 9110 §13.1.1).
 */
export const etagOf = (revision: number): string => `"${revision}"`

export type IfMatch =
  /** No If-Match: decide against the latest state, retrying on a conflict. */
  | { readonly kind: 'none' }
  /** `*`: the unit-year must exist, any revision. */
  | { readonly kind: 'any' }
  /** One or more strong tags: the revision must be one of them. */
  | { readonly kind: 'revisions'; readonly revisions: ReadonlyArray<number> }
  | { readonly kind: 'malformed'; readonly value: string }

const TAG = /^"(0|[1-9]\d{0,14})"$/

export const parseIfMatch = (header: string | undefined): IfMatch => {
  if (header === undefined) return { kind: 'none' }
  const value = header.trim()
  if (value === '*') return { kind: 'any' }
  const parts = value.split(',').map((p) => p.trim())
  const revisions: number[] = []
  for (const p of parts) {
    // A weak tag never matches under If-Match's strong comparison; so it is refused as malformed.
    const m = TAG.exec(p)
    if (!m) return { kind: 'malformed', value: header.length > 80 ? `${header.slice(0, 77)}...` : header }
    revisions.push(Number(m[1]))
  }
  return { kind: 'revisions', revisions }
}
