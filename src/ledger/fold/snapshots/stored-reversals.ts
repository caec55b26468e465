/**
 * The reversals of persisted rows as `snapshot_reversals` keeps them: per row, the JSON text of its
 * [event id, revision of the reversal] pairs (JSON.stringify, snapshot-record.ts). A later pair for
 * the same id stands over an earlier one, as in a map filled row by row.
 */

/** All the rows' reversals as one map: event id → revision of its (last) reversal. */
export const reversalsMap = (rows: ReadonlyArray<string>): Map<string, number> => {
  const map = new Map<string, number>()
  for (const row of rows) for (const [id, at] of JSON.parse(row) as Array<[string, number]>) map.set(id, at)
  return map
}

/**
 * What reversalsMap(rows).get(id) would answer, without parsing the rows that do not name the
 * id: its JSON string is searched in each row's text, from the last row back, and only a row
 * holding it is parsed. A cold read looks up a few entries at most, and parsing every row's
 * pairs into a map (50,000 at 1M events) was most of such a read (docs/speed.md, "Cold CLI margin").
 */
export const lastReversalIn = (rows: ReadonlyArray<string>, id: string): number | undefined => {
  // JSON.stringify writes an id the same way in the rows: a row without this text does not hold it.
  const quoted = JSON.stringify(id)
  for (let k = rows.length - 1; k >= 0; k--) {
    if (!rows[k]!.includes(quoted)) continue
    let at: number | undefined
    for (const [other, r] of JSON.parse(rows[k]!) as Array<[string, number]>) if (other === id) at = r
    if (at !== undefined) return at
  }
  return undefined
}
