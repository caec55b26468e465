import type { UnitType } from './classification'

/**
 * The classification catalogue of one year: names of 功能分类 and 经济分类 codes and the 部门 → 政府
 * economic mapping. Codes and names change every year, so the catalogue is data handed in,
 * parsed here from the CSV files of src/reference (or a user's own for another year).
 */
export interface CodeEntry {
  readonly code: string
  readonly name: string
  readonly parent: string | null
  readonly confidence: string
}

export interface Catalogue {
  readonly functions: ReadonlyMap<string, CodeEntry>
  readonly economic: ReadonlyMap<string, CodeEntry>
  /** 部门 code → 政府 code, by unit type (机关 vs 事业单位). */
  readonly deptToGov: ReadonlyMap<string, { readonly administrative: string | null; readonly institution: string | null }>
}

/** A run of characters that are plain text outside quotes, and inside them. */
const PLAIN = /[^",\r\n]*/y
const QUOTED = /[^"]*/y
const QUOTE = 34
const COMMA = 44
const CR = 13
const LF = 10

/**
 * Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF. Returns rows of cells; blank rows
 * are left out unless `keepBlank` (a file whose rows are named by number keeps them). Each run of
 * plain text is taken as one slice, found by a sticky pattern, not character by character: the
 * catalogue's three files are read by every process that renders a table, most of them cold,
 * where a loop over each character ran in the interpreter (docs/speed.md, "Cold CLI margin").
 */
export const parseCsv = (text: string, keepBlank = false): string[][] => {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  let i = 0
  while (i < text.length) {
    const run = quoted ? QUOTED : PLAIN
    run.lastIndex = i
    run.test(text) // matches, maybe nothing: lastIndex is where the run ends
    if (run.lastIndex > i) cell += text.slice(i, run.lastIndex)
    i = run.lastIndex
    if (i === text.length) break
    const ch = text.charCodeAt(i)
    if (quoted) {
      // A quote: doubled, it is one quote of the text; single, it closes the quotes.
      if (text.charCodeAt(i + 1) === QUOTE) (cell += '"'), i++
      else quoted = false
    } else if (ch === QUOTE) quoted = true
    else if (ch === COMMA) row.push(cell), (cell = '')
    else {
      if (ch === CR && text.charCodeAt(i + 1) === LF) i++
      row.push(cell), rows.push(row), (row = []), (cell = '')
    }
    i++
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row)
  return keepBlank ? rows : rows.filter((r) => r.some((c) => c.trim() !== ''))
}

const records = (text: string): Array<Record<string, string>> => {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''))
  if (!header) return []
  const keys = header.map((h) => h.trim())
  // Filled key by key: Object.fromEntries of a pair array per cell cost the collector more, cold.
  return rows.map((r) => {
    const record: Record<string, string> = {}
    for (let i = 0; i < keys.length; i++) record[keys[i]!] = (r[i] ?? '').trim()
    return record
  })
}

const entries = (text: string): Map<string, CodeEntry> =>
  new Map(
    records(text).map((r) => [r.code!, { code: r.code!, name: r.name!, parent: r.parent || null, confidence: r.confidence ?? '' }]),
  )

export const parseCatalogue = (files: { functions: string; economic: string; mapping: string }): Catalogue => ({
  functions: entries(files.functions),
  economic: entries(files.economic),
  deptToGov: new Map(
    records(files.mapping).map((r) => [
      r.dept_code!,
      {
        administrative: r['gov_code_for_机关(行政/参公)'] || null,
        institution: r['gov_code_for_事业单位'] || null,
      },
    ]),
  ),
})

export const functionName = (c: Catalogue, code: string): string => c.functions.get(code)?.name ?? `（未收录科目 ${code}）`
export const economicName = (c: Catalogue, code: string): string => c.economic.get(code)?.name ?? `（未收录科目 ${code}）`

/** The 政府 economic code for a 部门 code: the 款 mapping, else its 类's, else unknown. */
export const govEconomicCode = (c: Catalogue, deptCode: string, unitType: UnitType): string | null => {
  const hit = c.deptToGov.get(deptCode) ?? c.deptToGov.get(deptCode.slice(0, 3))
  return hit ? hit[unitType] : null
}
