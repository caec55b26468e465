import Decimal from 'decimal.js'
import type { BudgetYearState, Line } from '../../src/domain/budget-year'
import { LineTable, isKeyedCollection } from '../../src/domain/budget-year/line-table'
import { type Fen, fenOf, isFen, plusFen } from '../../src/domain/money/fen'

/**
 * Paths into the folded budget-year state, found by running the real code rather than by knowing
 * each event or table:
 *
 * - what an event wrote: the paths whose value changed (by reference) when evolve folded it;
 * - what a figure is: every amount (a Decimal, or 分 as the fold sums them), every list (targets, goals, indicators) and the
 *   opening's previous-year comparatives; a table cell depends on a figure when changing that
 *   figure changes the cell (projections/audit/cell-explain.ts).
 *
 * Both leave the revision and the journal (the events a reversal may undo) out: every figure a table
 * reads is a sum the fold keeps (the 决算 tables' spending by economic code and 三公 category is the
 * lines' `spending`), written by the events summed into it and by their reversals. A path is a list
 * of segments; a key of a Map (a line id, a recommendation id) is written "[key]".
 */
export type Path = ReadonlyArray<string>

const SKIP = new Set(['revision', 'journal'])
const MAX_DEPTH = 6

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isKeyedCollection(v) || Decimal.isDecimal(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

const mapKey = (k: unknown): string => `[${String(k)}]`
const unMapKey = (segment: string): string => (segment.startsWith('[') && segment.endsWith(']') ? segment.slice(1, -1) : segment)

/** The paths whose value differs (by reference) between two states: what folding an event wrote. */
export const changedPaths = (before: BudgetYearState, after: BudgetYearState): Path[] => {
  const out: Path[] = []
  const walk = (a: unknown, b: unknown, path: string[], depth: number): void => {
    if (a === b) return
    if (depth < MAX_DEPTH) {
      const am = isKeyedCollection(a) ? a : undefined
      const bm = isKeyedCollection(b) ? b : undefined
      if ((am || bm) && (am || a == null) && (bm || b == null)) {
        const keys = new Set<unknown>([...(am?.keys() ?? []), ...(bm?.keys() ?? [])])
        for (const k of keys) walk(am?.get(k), bm?.get(k), [...path, mapKey(k)], depth + 1)
        return
      }
      if ((isPlain(a) || isPlain(b)) && (isPlain(a) || a == null) && (isPlain(b) || b == null)) {
        const ao = (a ?? {}) as Record<string, unknown>
        const bo = (b ?? {}) as Record<string, unknown>
        for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) walk(ao[k], bo[k], [...path, k], depth + 1)
        return
      }
    }
    out.push(path)
  }
  const a = before as unknown as Record<string, unknown>
  const b = after as unknown as Record<string, unknown>
  for (const k of Object.keys(b)) if (!SKIP.has(k)) walk(a[k], b[k], [k], 1)
  return out
}

/** An entity of the state: a member of one of its Map-valued collections (lines, recommendations…). */
export interface EntityTouch {
  readonly collection: string
  readonly key: string
  /** True when this fold created it. */
  readonly created: boolean
}

/** The entities a fold step changed or created: cheaper than changedPaths, for dependency tracking. */
export const touchedEntities = (before: BudgetYearState, after: BudgetYearState): EntityTouch[] => {
  const out: EntityTouch[] = []
  const a = before as unknown as Record<string, unknown>
  const b = after as unknown as Record<string, unknown>
  for (const k of Object.keys(b)) {
    if (SKIP.has(k)) continue
    const bm = b[k]
    const am = a[k]
    if (am === bm || !isKeyedCollection(bm)) continue
    const old = isKeyedCollection(am) ? am : undefined
    for (const [key, v] of bm) {
      const prev = old?.get(key)
      if (prev !== v) out.push({ collection: k, key: String(key), created: prev === undefined })
    }
  }
  return out
}

/** The line ids a set of paths names (paths under "lines"). */
export const linesIn = (paths: ReadonlyArray<Path>): string[] => [
  ...new Set(paths.filter((p) => p[0] === 'lines' && p[1] !== undefined).map((p) => unMapKey(p[1]!))),
]

/** "lines[p01].added.ordinary" */
export const showPath = (p: Path): string => p.map((s, i) => (i > 0 && !s.startsWith('[') ? `.${s}` : s)).join('')

/** One path lies on the other (equal, or one a prefix of the other). */
export const overlaps = (a: Path, b: Path): boolean => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false
  return true
}

export type FigureKind = 'amount' | 'money-text' | 'list'
export interface Figure {
  readonly path: Path
  readonly kind: FigureKind
}

const MONEY_TEXT = /^-?\d+(\.\d{1,2})?$/

/**
 * Every figure of a state a table may show: amounts, lists, and the previous-year comparatives
 * (money strings under identity.previousYear). Codes, names and flags are the shape of a line,
 * not figures.
 */
export const figuresOf = (s: BudgetYearState): Figure[] => {
  const out: Figure[] = []
  const walk = (v: unknown, path: string[], depth: number): void => {
    if (isAmount(v, path)) return void out.push({ path, kind: 'amount' })
    if (Array.isArray(v)) return void out.push({ path, kind: 'list' })
    if (typeof v === 'string') {
      if (path[0] === 'identity' && path[1] === 'previousYear' && MONEY_TEXT.test(v)) out.push({ path, kind: 'money-text' })
      return
    }
    if (depth >= MAX_DEPTH) return
    if (isKeyedCollection(v)) for (const [k, x] of v) walk(x, [...path, mapKey(k)], depth + 1)
    else if (isPlain(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1)
  }
  for (const [k, v] of Object.entries(s)) if (!SKIP.has(k)) walk(v, [k], 1)
  return out
}

/** An amount: a Decimal (an earmark) or 分 (the fold's sums); the only other numbers a state holds are years. */
const isAmount = (v: unknown, path: Path): boolean => Decimal.isDecimal(v) || (isFen(v) && path[path.length - 1] !== 'year')

/** A change far larger than any real figure, so every cell that reads the figure shows it. */
const NUDGE = '1000000000'
const MARK = '\u2063'

const markStrings = (v: unknown): unknown => {
  if (typeof v === 'string') return `${v}${MARK}`
  if (Array.isArray(v)) return v.map(markStrings)
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, markStrings(x)]))
  return v
}

const nudged = (kind: FigureKind, v: unknown): unknown => {
  switch (kind) {
    case 'amount':
      return Decimal.isDecimal(v) ? (v as Decimal).plus(NUDGE) : plusFen(v as Fen, fenOf(NUDGE))
    case 'money-text':
      return new Decimal(v as string).plus(NUDGE).toFixed(2)
    case 'list':
      return markStrings(v)
  }
}

const setAt = (container: unknown, path: Path, f: (v: unknown) => unknown): unknown => {
  if (path.length === 0) return f(container)
  const [head, ...rest] = path
  if (isKeyedCollection(container)) {
    const key = [...container.keys()].find((k) => mapKey(k) === head)
    const changed = setAt(container.get(key), rest, f)
    return container instanceof LineTable ? container.with(changed as Line) : new Map(container).set(key, changed)
  }
  const o = container as Record<string, unknown>
  return { ...o, [head!]: setAt(o[head!], rest, f) }
}

/** The state with figures changed: each amount nudged, money text raised, list's text marked. */
export const perturb = (s: BudgetYearState, ...figures: ReadonlyArray<Figure>): BudgetYearState =>
  figures.reduce((acc, f) => setAt(acc, f.path, (v) => nudged(f.kind, v)) as BudgetYearState, s)
